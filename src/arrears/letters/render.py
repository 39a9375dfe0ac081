"""A letter model → HTML (Jinja2 templates, autoescaped), Markdown or PDF.

The wording of every letter is in ``templates/<lang>/<kind>.html.j2`` (shared pieces in
``templates/<lang>/_parts.html.j2``, the page in ``templates/base.html.j2``). Markdown and
PDF are drawn from the rendered HTML (:mod:`.blocks`, :mod:`.pdf`). The filters below only
format figures the model already holds: money with thousands separators and the currency,
dates and months in the letter's language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from arrears.letters.model import Letter

__all__ = ["FORMATS", "format_day", "format_money", "render_html", "render_letter"]

FORMATS = ("md", "html", "pdf")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_CN_NUMBERS = "一二三四五六七八九十"


def format_money(value: str, lang: str, currency: str) -> str:
    """``"15111.12"`` → ``15,111.12元`` (zh) or ``CNY 15,111.12`` (en); USD with ``$``."""
    amount = Decimal(value)
    digits = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    if lang == "zh":
        unit = {"CNY": "元", "USD": "美元"}.get(currency, f" {currency}")
        return f"{sign}{digits}{unit}"
    if currency == "USD":
        return f"{sign}${digits}"
    return f"{sign}{currency} {digits}"


def format_day(value: str, lang: str, *, us: bool = False) -> str:
    """An ISO date in words: ``2026年11月28日``, ``28 November 2026`` or, in a US letter
    (``us``), ``November 28, 2026``."""
    day = date.fromisoformat(value)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    if us:
        return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _month(value: str, lang: str) -> str:
    year, month = (int(part) for part in value.split("-")[:2])
    return f"{year}年{month}月" if lang == "zh" else f"{_MONTHS[month - 1]} {year}"


def _stamp(value: str, lang: str, *, us: bool = False) -> str:
    """``2026-10-03 22:40`` → ``2026年10月3日 22:40`` or ``3 October 2026, 22:40``."""
    day, _, clock = value.partition(" ")
    if not clock:
        return format_day(day, lang, us=us) if len(day) == 10 else value
    return f"{format_day(day, lang)} {clock}" if lang == "zh" else (
        f"{format_day(day, lang, us=us)}, {clock}")


def _ordinal(number: int) -> str:
    """1 → 一 … 10 → 十 (for 附件一, 一、 …)."""
    return _CN_NUMBERS[number - 1] if 1 <= number <= len(_CN_NUMBERS) else str(number)


def _environment(lang: str, currency: str) -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined  # noqa: PLC0415 - on demand

    env = Environment(loader=PackageLoader("arrears.letters", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["money"] = lambda value: format_money(str(value), lang, currency)
    us = currency == "USD"  # a US letter: US dates ("November 28, 2026")
    env.filters["day"] = lambda value: format_day(str(value), lang, us=us)
    env.filters["month"] = lambda value: _month(str(value), lang)
    env.filters["stamp"] = lambda value: _stamp(str(value), lang, us=us)
    env.filters["ordinal"] = _ordinal
    return env


def render_html(letter: Letter) -> str:
    """The letter as a print-ready HTML page (A4, no external assets)."""
    env = _environment(letter.lang, str(letter.model["currency"]))
    template = env.get_template(f"{letter.lang}/{letter.kind}.html.j2")
    return template.render(**letter.model)


def render_letter(letter: Letter, fmt: str) -> str | bytes:
    """The letter in ``fmt``: ``md`` or ``html`` text, or ``pdf`` bytes."""
    from arrears.letters.blocks import parse_blocks, to_markdown  # noqa: PLC0415

    html = render_html(letter)
    if fmt == "html":
        return html
    blocks = parse_blocks(html)
    if fmt == "md":
        return to_markdown(blocks)
    if fmt == "pdf":
        from arrears.letters.pdf import render_pdf  # noqa: PLC0415 - fpdf2 on demand

        title = next((b.text for b in blocks if b.kind == "h1"), letter.kind)
        return render_pdf(blocks, lang=letter.lang, title=title,
                          when=date.fromisoformat(str(letter.model["date"])))
    raise ValueError(fmt)
