"""The shipped CJK font as a CSS ``@font-face`` for a self-contained HTML page.

A page that names only system fonts shows boxes where Chinese should be on a machine with no
CJK font. :func:`font_face` subsets the font that ships with the package (``fonts/``, the
one the PDF letters use) to the characters a page actually holds and returns a
``@font-face`` rule with it inline (WOFF, base64), so the page renders the same everywhere
and stays small: a few kilobytes per hundred distinct characters instead of 5 MB.

fontTools comes with fpdf2 (a dependency) and is imported only when a page is made.
"""

from __future__ import annotations

import base64
import io

from arrears.letters.pdf import font_file

__all__ = ["FAMILY", "font_face", "subset_font"]

FAMILY = "arrears CJK"
"""The family name the ``@font-face`` rule declares; put it first in ``font-family``."""


def subset_font(text: str) -> bytes:
    """The shipped font reduced to the characters of ``text`` it has (WOFF bytes)."""
    from fontTools import subset  # noqa: PLC0415 - only when a page is made
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    wanted = {ord(char) for char in text if char.isprintable() and not char.isspace()}
    with font_file() as path:
        font = TTFont(io.BytesIO(path.read_bytes()))
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted & set(font.getBestCmap())))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def font_face(text: str) -> str:
    """A CSS ``@font-face`` rule declaring :data:`FAMILY` with the shipped font subset to
    the characters of ``text``, inline as a data URL."""
    data = base64.b64encode(subset_font(text)).decode("ascii")
    return ("@font-face { font-family: \"" + FAMILY + "\"; font-style: normal; "
            "font-weight: 400; src: url(data:font/woff;base64," + data + ") format(\"woff\"); }")
