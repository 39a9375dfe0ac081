"""Interest rates as people quote them: per year, month or day, in percent or Chinese.

A :class:`Rate` keeps the figure as quoted (``Decimal`` fraction per unit) and its basis;
conversions to an annual, monthly or daily rate take the day count, because a daily rate
of 0.05 % is 18 % a year under ACT/360 and 18.25 % under ACT/365.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from arrears.dates import DayCount
from arrears.errors import InputError, Problem
from arrears.i18n import N_

__all__ = ["UNIT_ERROR", "UNIT_WARNING", "Rate", "RateBasis", "parse_rate", "parse_share",
           "percent_text", "quoted_rate", "unit_problems"]

UNIT_WARNING = Decimal(1)
"""A rate above this a year (100 %) is read, with a warning to check its unit."""
UNIT_ERROR = Decimal(10)
"""A rate above this a year (1,000 %) is refused unless its period was written out."""


class RateBasis(enum.Enum):
    """The unit of time a quoted rate is per."""

    ANNUAL = "annual"
    MONTHLY = "monthly"
    DAILY = "daily"


@dataclass(frozen=True, slots=True)
class Rate:
    """A simple (nominal) interest rate: ``value`` per ``basis`` (0.049 = 4.9 %)."""

    value: Decimal
    basis: RateBasis = RateBasis.ANNUAL

    def __post_init__(self) -> None:
        if not isinstance(self.value, Decimal):
            raise TypeError("Rate.value must be a Decimal")

    def annual(self, day_count: DayCount = DayCount.ACT_360) -> Decimal:
        """The nominal annual rate (a monthly rate × 12; a daily rate × days in year)."""
        if self.basis is RateBasis.ANNUAL:
            return self.value
        if self.basis is RateBasis.MONTHLY:
            return self.value * 12
        return self.value * day_count.year_days

    def monthly(self, day_count: DayCount = DayCount.ACT_360) -> Decimal:
        """The monthly rate: the annual rate / 12 (a quoted monthly rate as it is)."""
        if self.basis is RateBasis.MONTHLY:
            return self.value
        return self.annual(day_count) / 12

    def daily(self, day_count: DayCount = DayCount.ACT_360) -> Decimal:
        """The daily rate: the annual rate / days in the day count's year."""
        if self.basis is RateBasis.DAILY:
            return self.value
        return self.annual(day_count) / day_count.year_days

    def monthly_exact(self, day_count: DayCount = DayCount.ACT_360) -> Fraction:
        """:meth:`monthly` as an exact fraction (0.049 / 12 is not a terminating decimal)."""
        value = Fraction(self.value)
        if self.basis is RateBasis.MONTHLY:
            return value
        if self.basis is RateBasis.DAILY:
            value *= day_count.year_days
        return value / 12

    def daily_exact(self, day_count: DayCount = DayCount.ACT_360) -> Fraction:
        """:meth:`daily` as an exact fraction (0.049 / 360 is not a terminating decimal)."""
        value = Fraction(self.value)
        if self.basis is RateBasis.DAILY:
            return value
        if self.basis is RateBasis.MONTHLY:
            value *= 12
        return value / day_count.year_days

    def scaled(self, factor: Decimal) -> Rate:
        """This rate times ``factor`` (a penalty rate of 1.5 × the contract rate)."""
        return Rate(self.value * factor, self.basis)


_BASIS_WORDS: tuple[tuple[str, RateBasis], ...] = (
    ("perannum", RateBasis.ANNUAL),
    ("p.a.", RateBasis.ANNUAL),
    ("/year", RateBasis.ANNUAL),
    ("/yr", RateBasis.ANNUAL),
    ("/y", RateBasis.ANNUAL),
    ("/年", RateBasis.ANNUAL),
    ("peryear", RateBasis.ANNUAL),
    ("/month", RateBasis.MONTHLY),
    ("/mo", RateBasis.MONTHLY),
    ("/m", RateBasis.MONTHLY),
    ("/月", RateBasis.MONTHLY),
    ("permonth", RateBasis.MONTHLY),
    ("/day", RateBasis.DAILY),
    ("/d", RateBasis.DAILY),
    ("/日", RateBasis.DAILY),
    ("/天", RateBasis.DAILY),
    ("perday", RateBasis.DAILY),
)
_PREFIXES: tuple[tuple[str, RateBasis], ...] = (
    ("年化利率", RateBasis.ANNUAL),
    ("年利率", RateBasis.ANNUAL),
    ("年化", RateBasis.ANNUAL),
    ("年息", RateBasis.ANNUAL),
    ("年", RateBasis.ANNUAL),
    ("月利率", RateBasis.MONTHLY),
    ("月息", RateBasis.MONTHLY),
    ("月", RateBasis.MONTHLY),
    ("日利率", RateBasis.DAILY),
    ("日息", RateBasis.DAILY),
    ("日", RateBasis.DAILY),
)
_FRACTIONS = {"百分之": Decimal(100), "千分之": Decimal(1000), "万分之": Decimal(10_000)}
_SYMBOLS = {"%": Decimal(100), "‰": Decimal(1000), "‱": Decimal(10_000)}
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_NUMBER = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")


def _chinese_number(text: str) -> Decimal | None:
    """``五`` → 5, ``十八`` → 18, ``三点五`` → 3.5, ``3.5`` → 3.5; ``None`` if not a number."""
    if _NUMBER.match(text):
        return Decimal(text)
    whole, _, frac = text.partition("点")
    value = 0
    if not whole:
        return None
    if "十" in whole:
        tens, _, ones = whole.partition("十")
        if (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
            return None
        value = (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    else:
        if any(ch not in _DIGITS for ch in whole):
            return None
        for ch in whole:
            value = value * 10 + _DIGITS[ch]
    if frac:
        if any(ch not in _DIGITS for ch in frac):
            return None
        return Decimal(f"{value}.{''.join(str(_DIGITS[ch]) for ch in frac)}")
    return Decimal(value)


def parse_rate(text: str, basis: RateBasis = RateBasis.ANNUAL, where: str = "") -> Rate:
    """Parse a rate as a person writes it.

    ``"4.9%"`` and ``"0.049"`` are 4.9 % per ``basis``; ``"0.05%/day"``, ``"1.5%/month"``,
    ``"18% p.a."``, ``"日利率0.05%"``, ``"月息1.5%"``, ``"日利率万分之五"`` (5 per ten
    thousand a day), ``"月千分之三"``, ``"0.5‰/day"`` are understood too; a unit in the text
    overrides ``basis``. A bare number above 1 is refused as ambiguous (write ``18%`` or
    ``0.18``), and so is a negative rate, and so is a rate in 万分之 / 千分之 / ‰ / ‱ that
    names no period (``万分之五`` is quoted a day as often as a year: write which).
    """
    return quoted_rate(text, basis, where)[0]


def quoted_rate(text: str, basis: RateBasis = RateBasis.ANNUAL,
                where: str = "") -> tuple[Rate, bool]:
    """:func:`parse_rate`, and whether the text named its period (``/day``, ``月息`` …)."""
    return _read(text, basis, where, periodic=True)


def parse_share(text: str, where: str = "") -> Decimal:
    """A share or a fee per period, not an interest rate: ``"10%"``, ``"0.006"``,
    ``"千分之五"`` (0.005) — a period is not asked for."""
    return _read(text, RateBasis.MONTHLY, where, periodic=False)[0].value


def _read(text: str, basis: RateBasis, where: str, *,
          periodic: bool) -> tuple[Rate, bool]:
    raw = unicodedata.normalize("NFKC", str(text))
    body = raw.strip().lower().replace(" ", "").replace("每", "/")
    chosen, explicit = basis, False
    for word, word_basis in _BASIS_WORDS:
        if body.endswith(word):
            body, chosen, explicit = body[: -len(word)], word_basis, True
            break
    for word, word_basis in _PREFIXES:
        if body.startswith(word) and len(body) > len(word):
            body, chosen, explicit = body[len(word):], word_basis, True
            break
    value = _parse_fraction(body)
    plain = _plain_number(body)
    if value is None and plain is not None and plain > 1:
        raise InputError.one(
            where,
            N_('"{text}" is ambiguous: write "{text}%" for a percentage or a fraction like "0.18"'),
            text=text,
        )
    if value is None:
        raise InputError.one(
            where,
            N_('"{text}" is not a rate like "4.9%", "0.049", "0.05%/day" or "日利率万分之五"'),
            text=text,
        )
    if value < 0:
        raise InputError.one(where, N_('"{text}" is negative; a rate must be 0 or more'), text=text)
    if periodic and not explicit and _per_mille(body):
        raise InputError.one(
            where,
            N_('"{text}" does not say per what: 万分之, 千分之, ‰ and ‱ are quoted a day as '
               'often as a year; write "{daily}" or "{percent}/day" for a day\'s rate (月 or '
               '年 in front of it for a month\'s or a year\'s)'),
            text=text, daily="日利率" + str(text).strip(), percent=percent_text(value))
    from arrears.limits import check_rate  # noqa: PLC0415

    # With no period written the basis is only a default: the range is checked on the
    # mildest reading here, and on the debt's own reading by unit_problems.
    check_rate(value, chosen.value if explicit else RateBasis.ANNUAL.value, where, text)
    return Rate(value, chosen), explicit


def percent_text(value: Decimal) -> str:
    """A fraction as a percentage as short as it is exact: 0.0005 → ``0.05%``."""
    shown = format((value * 100).normalize(), "f")
    return f"{shown}%"


def unit_problems(rate: Rate, day_count: DayCount, *, explicit: bool, text: str,
                  where: str) -> tuple[list[Problem], list[Problem]]:
    """Problems and warnings of a rate as read: above :data:`UNIT_ERROR` a year with no
    period written is refused; above :data:`UNIT_WARNING` a year it is read with a warning
    to check the unit (illegal lenders exist: a written period is always accepted)."""
    from arrears.limits import check_rate  # noqa: PLC0415

    annual = rate.annual(day_count)
    try:
        check_rate(annual, RateBasis.ANNUAL.value, where, text)
    except InputError as error:
        return list(error.problems), []
    shown = (annual * 100).quantize(Decimal("0.01")).normalize()
    params = {"text": text, "annual": f"{shown:,f}%"}
    if annual > UNIT_ERROR and not explicit:
        return [Problem(where, N_(
            '"{text}" would be {annual} a year: above 1,000 % with no period written, this '
            'is refused; write its period ("/day", "/month", "/year", or set rate_basis)'),
            params)], []
    if annual > UNIT_WARNING:
        return [], [Problem(where, N_('"{text}" is read as {annual} a year, above 100 %: '
                                      'check the unit'), params)]
    return [], []


def _per_mille(body: str) -> bool:
    """Whether a rate's text is in 万分之 / 千分之 / ‰ / ‱ (quoted a day as often as not)."""
    return body.startswith(("千分之", "万分之")) or body.endswith(("‰", "‱"))


def _parse_fraction(body: str) -> Decimal | None:
    for word, divisor in _FRACTIONS.items():
        if body.startswith(word):
            number = _chinese_number(body[len(word):])
            return None if number is None else number / divisor
    for symbol, divisor in _SYMBOLS.items():
        if body.endswith(symbol):
            number = _plain_number(body[: -len(symbol)])
            return None if number is None else number / divisor
    number = _plain_number(body)
    if number is None or number > 1:
        return None
    return number


def _plain_number(body: str) -> Decimal | None:
    sign = -1 if body.startswith("-") else 1
    digits = body.lstrip("+-")
    if not _NUMBER.match(digits):
        return None
    try:
        return Decimal(digits) * sign
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numerals
        return None
