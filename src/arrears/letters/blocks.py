"""A letter's HTML read back as a few kinds of block, for Markdown and PDF.

The templates write HTML (autoescaped); Markdown and PDF are drawn from the same HTML so
the three formats can never say different things. The HTML the templates use is small:
``h1``–``h3``, ``p`` (classes ``indent``, ``right``, ``center``, ``note``), ``ul``/``ol``
with ``li``, ``table`` with ``th``/``td`` (class ``num`` aligns right), ``strong`` inside
text, ``hr class="page"`` for a page break, and ``div class="keep"`` around blocks a page
must not split (the closing: the last request, the salutation, the signature, the date and
the list of enclosures). Anything else is read as its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

__all__ = ["Block", "Run", "parse_blocks", "to_markdown"]

_SPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*<|]|(?<!\w)_|_(?!\w))")
_MD_START = re.compile(r"^([#+-]|\d+[.)])")


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text, bold or not."""

    text: str
    bold: bool = False


Line = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """One block: ``h1``, ``h2``, ``h3``, ``p``, ``ul``, ``ol``, ``table`` or ``page``.

    ``runs`` is the text of a heading or paragraph; ``items`` the items of a list; ``rows``
    the cells of a table (the first row is the header) with ``align`` per column; ``keep``
    the number of the ``div class="keep"`` group the block is in (0: none)."""

    kind: str
    runs: Line = ()
    classes: tuple[str, ...] = ()
    items: tuple[Line, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    align: tuple[str, ...] = field(default=())
    keep: int = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _tidy(runs: list[Run]) -> Line:
    """Collapse white space as HTML does, trim the ends, and merge runs of one style."""
    merged: list[Run] = []
    for run in runs:
        text = _SPACE.sub(" ", run.text)
        if not text:
            continue
        if merged and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + text, run.bold)
        else:
            merged.append(Run(text, run.bold))
    if merged:
        merged[0] = Run(merged[0].text.lstrip(), merged[0].bold)
        merged[-1] = Run(merged[-1].text.rstrip(), merged[-1].bold)
    return tuple(run for run in merged if run.text)


class _Reader(HTMLParser):
    _TEXT = ("h1", "h2", "h3", "p")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._runs: list[Run] | None = None
        self._tag = ""
        self._classes: tuple[str, ...] = ()
        self._bold = 0
        self._skip = 0
        self._items: list[Line] | None = None
        self._list = ""
        self._rows: list[tuple[str, ...]] | None = None
        self._row: list[str] | None = None
        self._align: list[str] = []
        self._cell: list[str] | None = None
        self._keep = 0  # the open keep group (0: none)
        self._groups = 0
        self._divs: list[bool] = []  # for each open div: whether it opened a keep group

    def _add(self, block: Block) -> None:
        self.blocks.append(replace(block, keep=self._keep))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = tuple((dict(attrs).get("class") or "").split())
        if tag in ("head", "style", "script", "title"):
            self._skip += 1
        elif tag in self._TEXT:
            self._runs, self._tag, self._classes = [], tag, classes
        elif tag in ("ul", "ol"):
            self._items, self._list = [], tag
        elif tag == "li":
            self._runs = []
        elif tag in {"strong", "b"}:
            self._bold += 1
        elif tag == "table":
            self._rows, self._align = [], []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
            if self._rows is not None and not self._rows and self._row is not None:
                self._align.append("right" if "num" in classes else "left")
        elif tag == "br":  # a line break inside text reads as a space
            if self._cell is not None:
                self._cell.append(" ")
            elif self._runs is not None:
                self._runs.append(Run(" ", self._bold > 0))
        elif tag == "hr" and "page" in classes:
            self._add(Block("page"))
        elif tag == "div":
            opens = "keep" in classes and not self._keep
            if opens:
                self._groups += 1
                self._keep = self._groups
            self._divs.append(opens)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script", "title"):
            self._skip -= 1
        elif tag == "div" and self._divs:
            if self._divs.pop():
                self._keep = 0
        elif tag in self._TEXT and self._runs is not None:
            self._add(Block(self._tag, _tidy(self._runs), self._classes))
            self._runs = None
        elif tag == "li" and self._runs is not None and self._items is not None:
            self._items.append(_tidy(self._runs))
            self._runs = None
        elif tag in ("ul", "ol") and self._items is not None:
            self._add(Block(self._list, items=tuple(self._items)))
            self._items = None
        elif tag in {"strong", "b"}:
            self._bold -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_SPACE.sub(" ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._rows is not None:
            self._rows.append(tuple(self._row))
            self._row = None
        elif tag == "table" and self._rows is not None:
            self._add(Block("table", rows=tuple(self._rows), align=tuple(self._align)))
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._runs is not None:
            self._runs.append(Run(data, self._bold > 0))


def parse_blocks(html: str) -> list[Block]:
    """The blocks of a letter's HTML, in order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.blocks


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _inline(runs: Line) -> str:
    return "".join(f"**{_escape(r.text)}**" if r.bold else _escape(r.text) for r in runs)


def _table(block: Block) -> list[str]:
    header, *body = block.rows
    rule = ["---:" if align == "right" else "---" for align in block.align]
    lines = ["| " + " | ".join(_escape(cell) for cell in header) + " |",
             "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_escape(cell) for cell in row) + " |" for row in body]
    return lines


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown (CommonMark with GitHub tables)."""
    parts: list[str] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            parts.append("#" * int(block.kind[1]) + " " + _inline(block.runs))
        elif block.kind == "p":
            parts.append(_MD_START.sub(r"\\\1", _inline(block.runs)))
        elif block.kind == "ul":
            parts.append("\n".join(f"- {_inline(item)}" for item in block.items))
        elif block.kind == "ol":
            parts.append("\n".join(f"{number}. {_inline(item)}"
                                   for number, item in enumerate(block.items, start=1)))
        elif block.kind == "table" and block.rows:
            parts.append("\n".join(_table(block)))
    return "\n\n".join(parts) + "\n"
