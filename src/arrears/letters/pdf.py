"""A letter's blocks → an A4 PDF (fpdf2) set in the font that ships with the package.

The font is a subset of Noto Sans CJK SC (SIL Open Font License; ``fonts/README.md``):
Latin and all CJK Unified Ideographs, so Chinese and English letters are set in one face and
nothing is downloaded. The PDF embeds only the glyphs it uses. A character the font lacks is
an :class:`InputError` before anything is written — a letter never has a missing glyph.

Chinese lines break between any two characters, except that closing punctuation (，。、） …)
never starts a line and opening punctuation (（《“ …) never ends one; Latin words and figures
are kept whole. Bold (``<strong>`` and headings) is drawn by stroking the outline, as the
package ships the regular weight only. The blocks of a keep group (the closing: request,
salutation, signature, date, enclosures) are measured first and start a new page together
when they would not fit on this one, so no page holds only a date or a signature.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from arrears.errors import InputError
from arrears.i18n import N_
from arrears.letters.blocks import Block, Line, Run

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["FONT_FILE", "font_file", "render_pdf"]

FONT_FILE = "NotoSansCJKsc-Regular-subset.otf"
_FAMILY = "letter"
_LEFT = _RIGHT = 22.0  # mm
_TOP, _BOTTOM = 20.0, 22.0
_BODY, _SMALL, _TABLE = 10.5, 8.5, 9.5  # pt
_LEADING = 1.7
_PT = 25.4 / 72  # mm per point
_CLOSE = set("，。、；：？！）》」』】〉〕”’,.;:!?)]}%…·—～")
_OPEN = set("（《「『【〈〔“‘([{")
_TOKENS = re.compile(r" +|[^ ]")
_HEADINGS = {"h1": 16.0, "h2": 12.0, "h3": 11.0}

Segment = tuple[str, bool]  # text, bold


@contextmanager
def font_file() -> Iterator[Path]:
    """The path of the shipped font file (a real file for as long as the context lasts)."""
    with as_file(files("arrears.letters").joinpath("fonts", FONT_FILE)) as path:
        yield path


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _atoms(runs: Line) -> list[list[Segment]]:
    """Unbreakable pieces: one wide character, a Latin word or figure, or a space
    (``[(" ", bold)]``); closing punctuation is joined to the piece before it, opening
    punctuation to the piece after it."""
    atoms: list[list[Segment]] = []
    glue = False
    for run in runs:
        for token in _TOKENS.findall(run.text):
            if token.startswith(" "):
                atoms.append([(" ", run.bold)])
                glue = False
                continue
            last = atoms[-1] if atoms and atoms[-1][0][0] != " " else None
            if last is not None and (glue or token in _CLOSE or not (
                    _wide(token) or _wide(last[-1][0][-1]))):
                last.append((token, run.bold))
            else:
                atoms.append([(token, run.bold)])
            glue = token in _OPEN
    return atoms


def _text(atom: list[Segment]) -> str:
    return "".join(text for text, _ in atom)


@dataclass
class _Page:
    """The document and where the next line goes."""

    pdf: FPDF
    y: float = _TOP

    @property
    def width(self) -> float:
        return float(self.pdf.w) - _LEFT - _RIGHT

    @property
    def bottom(self) -> float:
        return float(self.pdf.h) - _BOTTOM

    def size(self, points: float, leading: float = _LEADING) -> float:
        self.pdf.set_font(_FAMILY, size=points)
        return points * _PT * leading

    def room(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = _TOP

    def measure(self, text: str) -> float:
        return float(self.pdf.get_string_width(text))

    def wrap(self, runs: Line, width: float, indent: float = 0.0) -> list[list[Segment]]:
        """``runs`` broken into lines no wider than ``width`` (the first ``indent`` less)."""
        lines: list[list[Segment]] = []
        line: list[Segment] = []
        used, limit, pending = 0.0, width - indent, False
        for atom in _atoms(runs):
            if atom[0][0] == " ":
                pending = bool(line)
                continue
            gap = self.measure(" ") if pending else 0.0
            size = self.measure(_text(atom))
            if line and used + gap + size > limit:
                lines.append(line)
                line, used, limit, gap = [], 0.0, width, 0.0
            if not line and size > limit:  # a word wider than the line: break it anywhere
                for text, bold in atom:
                    for char in text:
                        step = self.measure(char)
                        if line and used + step > limit:
                            lines.append(line)
                            line, used, limit = [], 0.0, width
                        line.append((char, bold))
                        used += step
                pending = False
                continue
            if gap:
                line.append((" ", atom[0][1]))
            line.extend(atom)
            used += gap + size
            pending = False
        if line:
            lines.append(line)
        return lines

    def draw(self, line: list[Segment], x: float, baseline: float) -> None:
        merged: list[Segment] = []
        for text, bold in line:
            if merged and merged[-1][1] == bold:
                merged[-1] = (merged[-1][0] + text, bold)
            else:
                merged.append((text, bold))
        for text, bold in merged:
            if bold:
                with self.pdf.local_context(text_mode="FILL_STROKE", line_width=0.3):
                    self.pdf.text(x, baseline, text)
            else:
                self.pdf.text(x, baseline, text)
            x += self.measure(text)

    def lines(self, runs: Line, points: float, *, align: str = "left", indent: float = 0.0,
              left: float = _LEFT, width: float | None = None) -> None:
        height = self.size(points)
        room = self.width if width is None else width
        for number, line in enumerate(self.wrap(runs, room, indent)):
            self.room(height)
            first = indent if number == 0 else 0.0
            used = self.measure("".join(text for text, _ in line))
            x = {"right": left + room - used, "center": left + (room - used) / 2}.get(
                align, left + first)
            self.draw(line, x, self.y + height * 0.68)
            self.y += height


def _heading(page: _Page, block: Block) -> None:
    points = _HEADINGS[block.kind]
    height = points * _PT * _LEADING
    if block.kind != "h1":
        page.y += height * 0.35
        page.room(height * 3)
    runs = tuple(Run(r.text, True) for r in block.runs)
    page.lines(runs, points, align="center" if block.kind == "h1" else "left")
    page.y += height * (0.5 if block.kind == "h1" else 0.1)


def _paragraph(page: _Page, block: Block) -> None:
    points = _SMALL if "note" in block.classes else _BODY
    align = next((a for a in ("right", "center") if a in block.classes), "left")
    indent = 2 * points * _PT if "indent" in block.classes else 0.0
    page.lines(block.runs, points, align=align, indent=indent)
    page.y += points * _PT * 0.5


def _list(page: _Page, block: Block) -> None:
    hang = 7.0
    for number, item in enumerate(block.items, start=1):
        height = page.size(_BODY)
        page.room(height)
        marker = f"{number}." if block.kind == "ol" else "•"
        page.pdf.text(_LEFT + 1.0, page.y + height * 0.68, marker)
        page.lines(item, _BODY, left=_LEFT + hang, width=page.width - hang)
    page.y += _BODY * _PT * 0.5


def _columns(page: _Page, rows: tuple[tuple[str, ...], ...], pad: float) -> list[float]:
    """Column widths: each column's widest cell, fitted to the page by shrinking the widest
    columns first, and stretched to the full width when there is room."""
    count = max(len(row) for row in rows)
    natural = [max(page.measure(row[i]) if i < len(row) else 0.0 for row in rows) + 2 * pad
               for i in range(count)]
    total = sum(natural)
    if total <= page.width:
        return [w + (page.width - total) * w / total for w in natural]
    widths = natural[:]
    left, open_ = page.width, list(range(count))
    while open_:
        share = left / len(open_)
        small = [i for i in open_ if natural[i] <= share]
        if not small:
            for i in open_:
                widths[i] = share
            break
        for i in small:
            widths[i] = natural[i]
            left -= natural[i]
            open_.remove(i)
    return widths


def _table(page: _Page, block: Block) -> None:
    pad = 1.6
    height = page.size(_TABLE, 1.45)
    widths = _columns(page, block.rows, pad)
    align = [*block.align, *["left"] * len(widths)]

    def row(cells: tuple[str, ...], header: bool) -> None:
        wrapped = [page.wrap((Run(cell, header),), widths[i] - 2 * pad)
                   for i, cell in enumerate(cells)]
        tall = max(len(lines) for lines in wrapped) * height + pad
        if page.y + tall > page.bottom:
            page.new_page()
            if not header:
                row(block.rows[0], True)
        x = _LEFT
        for i, lines in enumerate(wrapped):
            page.pdf.set_fill_color(235)
            page.pdf.rect(x, page.y, widths[i], tall, style="DF" if header else "D")
            for n, line in enumerate(lines):
                used = page.measure("".join(text for text, _ in line))
                at = x + widths[i] - pad - used if align[i] == "right" else x + pad
                page.draw(line, at, page.y + pad / 2 + n * height + height * 0.68)
            x += widths[i]
        page.y += tall

    page.pdf.set_line_width(0.2)
    page.pdf.set_draw_color(90)
    for number, cells in enumerate(block.rows):
        row(cells, number == 0)
    page.pdf.set_draw_color(0)
    page.y += _BODY * _PT * 0.8


def _height(page: _Page, block: Block) -> float:
    """How much of the page ``block`` takes, as the drawing functions lay it out."""
    if block.kind in _HEADINGS:
        points = _HEADINGS[block.kind]
        height = points * _PT * _LEADING
        lines = len(page.wrap(tuple(Run(r.text, True) for r in block.runs), page.width))
        page.size(points)
        before = 0.0 if block.kind == "h1" else height * 0.35
        return before + lines * height + height * (0.5 if block.kind == "h1" else 0.1)
    if block.kind == "p":
        points = _SMALL if "note" in block.classes else _BODY
        height = page.size(points)
        indent = 2 * points * _PT if "indent" in block.classes else 0.0
        return len(page.wrap(block.runs, page.width, indent)) * height + points * _PT * 0.5
    if block.kind in ("ul", "ol"):
        height = page.size(_BODY)
        lines = sum(len(page.wrap(item, page.width - 7.0)) for item in block.items)
        return lines * height + _BODY * _PT * 0.5
    if block.kind == "table" and block.rows:
        pad = 1.6
        height = page.size(_TABLE, 1.45)
        widths = _columns(page, block.rows, pad)
        return sum(max(len(page.wrap((Run(cell, n == 0),), widths[i] - 2 * pad))
                       for i, cell in enumerate(cells)) * height + pad
                   for n, cells in enumerate(block.rows)) + _BODY * _PT * 0.8
    return 0.0


def _lead(blocks: list[Block], start: int) -> int:
    """Where the run that must stay with the keep group starting at ``start`` begins: the
    body paragraph before the group (and its heading, if it directly follows one), so a
    closing that moves to a new page takes some of the letter with it."""
    lead = start
    if lead and blocks[lead - 1].kind in ("p", "ul", "ol") and not blocks[lead - 1].keep:
        lead -= 1
        if lead and blocks[lead - 1].kind in ("h2", "h3"):
            lead -= 1
    return lead


def _keep_together(page: _Page, blocks: list[Block], index: int) -> None:
    """Before the block that leads a keep group (:func:`_lead`): a new page unless the lead
    and the group fit on this one (a run taller than a page is left to break)."""
    for start in range(index, min(index + 3, len(blocks))):
        group = blocks[start].keep
        if group and not (start and blocks[start - 1].keep == group) and \
                _lead(blocks, start) == index:
            end = start
            while end < len(blocks) and blocks[end].keep == group:
                end += 1
            need = sum(_height(page, b) for b in blocks[index:end])
            if page.y + need > page.bottom and need <= page.bottom - _TOP and page.y > _TOP:
                page.new_page()
            return


def _characters(blocks: list[Block]) -> set[str]:
    found: set[str] = set("0123456789 /•.")
    for block in blocks:
        for runs in (block.runs, *block.items):
            for run in runs:
                found.update(run.text)
        for cells in block.rows:
            for cell in cells:
                found.update(cell)
    return found


def render_pdf(blocks: list[Block], *, lang: str, title: str, when: date) -> bytes:
    """The blocks as an A4 PDF. Raises :class:`InputError` (on ``--format``) when the text
    has a character the shipped font cannot show."""
    from fpdf import FPDF  # noqa: PLC0415 - fpdf2 only when a PDF is asked for

    with font_file() as path:
        pdf = FPDF(format="A4", unit="mm")
        pdf.add_font(_FAMILY, fname=str(path))
        try:
            return _draw(pdf, blocks, lang=lang, title=title, when=when)
        finally:  # fpdf2 reads the font lazily and leaves the file open
            ttfont = getattr(pdf.fonts[_FAMILY], "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def _draw(pdf: FPDF, blocks: list[Block], *, lang: str, title: str, when: date) -> bytes:
    """Lay the blocks out on ``pdf`` (its font added) and return the document."""
    cmap = pdf.fonts[_FAMILY].cmap  # type: ignore[union-attr]
    missing = sorted(c for c in _characters(blocks) if ord(c) not in cmap)
    if missing:
        raise InputError.one("--format", N_("the PDF font has no glyph for {chars}; use "
                                            "--format html or md"),
                             chars=" ".join(missing))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(_LEFT, _TOP, _RIGHT)
    pdf.set_title(title)
    pdf.set_lang("zh-CN" if lang == "zh" else "en")
    pdf.set_creator("arrears")
    pdf.set_producer("arrears")
    pdf.set_creation_date(datetime(when.year, when.month, when.day, tzinfo=UTC))
    page = _Page(pdf)
    page.new_page()
    for number, block in enumerate(blocks):
        _keep_together(page, blocks, number)
        if block.kind in _HEADINGS:
            _heading(page, block)
        elif block.kind == "p":
            _paragraph(page, block)
        elif block.kind in ("ul", "ol"):
            _list(page, block)
        elif block.kind == "table" and block.rows:
            _table(page, block)
        elif block.kind == "page" and page.y > _TOP:
            page.new_page()
    _number_pages(pdf)
    return bytes(pdf.output())


def _number_pages(pdf: FPDF) -> None:
    """``n / N`` at the foot of every page, once the number of pages is known."""
    pdf.set_font(_FAMILY, size=_SMALL)
    pdf.set_text_color(100)
    total = pdf.pages_count
    for number in range(1, total + 1):
        pdf.page = number
        label = f"{number} / {total}"
        pdf.text(pdf.w / 2 - pdf.get_string_width(label) / 2, pdf.h - 10, label)
    pdf.set_text_color(0)
