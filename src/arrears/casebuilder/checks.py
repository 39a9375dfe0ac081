"""The checks behind each answer of ``arrears new``: the project's parsers (amounts, dates,
rates, penalties, late fees) plus what only makes sense while asking (a date after the
report date, an id used twice, "every instalment up to" a date before the first one).

Every check takes ``(text, where, answers)`` and returns the value, or raises
:class:`~arrears.errors.InputError` at ``where``, the case-file key the answer goes to.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from arrears.casebuilder.answers import Answers, scheduled_paid
from arrears.cashflows import parse_date
from arrears.dates import DayCount
from arrears.errors import InputError
from arrears.i18n import N_, _
from arrears.money import parse_amount
from arrears.overdue import Penalty, parse_late_fee, parse_penalty
from arrears.rate import Rate, RateBasis, parse_rate
from arrears.report import fmt_money, fmt_percent

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_AMOUNT",
    "PERIOD_WORDS",
    "SYMBOLS",
    "Parse",
    "a_date",
    "amount",
    "annual_of",
    "as_of",
    "clean",
    "debt_id",
    "first_due",
    "late_fee",
    "late_fee_max",
    "line",
    "paid_note",
    "paid_until",
    "payment_date",
    "penalty",
    "percent",
    "rate_note",
    "rate_number",
    "rate_params",
    "rate_text",
    "received",
    "started",
    "whole",
    "yes_no",
]

Parse = Callable[[str, str, Answers], Any]
MAX_AMOUNT = Decimal(10) ** 15
FIRST_YEAR, LAST_YEAR = 1900, 2200


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def amount(positive: bool) -> Parse:
    def parse(text: str, where: str, _answers: Answers) -> Decimal:
        value = parse_amount(text, where)
        if value < 0 or (positive and value == 0):
            raise InputError.one(where, N_("must be more than 0, not {value}") if positive
                                 else N_("must be 0 or more, not {value}"), value=value)
        if value > MAX_AMOUNT:
            raise InputError.one(where, N_("must be at most {most}, not {value}"),
                                 most="1,000,000,000,000,000", value=value)
        return value
    return parse


def whole(low: int, high: int) -> Parse:
    def parse(text: str, where: str, _answers: Answers) -> int:
        raw = clean(text)
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise InputError.one(where, N_("must be a whole number from {low} to {high}, not "
                                           "{value}"), low=low, high=high, value=text.strip())
        return int(raw)
    return parse


def percent(text: str, where: str, _answers: Answers) -> Decimal:
    """A number of percent (``0.5``, ``0.5%``) → the fraction 0.005."""
    raw = clean(text).removesuffix("%").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise InputError.one(where, N_('"{text}" is not a percent from 0 to 100, like 0.5'),
                             text=text.strip())
    return value / 100


def line(text: str, where: str, _answers: Answers) -> str:
    value = clean(text)
    if len(value) > 100 or any(unicodedata.category(ch).startswith("C") for ch in value):
        raise InputError.one(where, N_("must be a line of at most 100 characters"))
    if not value:
        raise InputError.one(where, N_("an answer is needed"))
    return value


def debt_id(text: str, where: str, answers: Answers) -> str:
    value = line(text, where, answers)
    if any(ch.isspace() for ch in value) or len(value) > 40:
        raise InputError.one(where, N_('"{text}" must be one word of at most 40 characters, '
                                       'like card-1'), text=value)
    if value in {d.get("id") for d in answers.debts[:-1]}:
        raise InputError.one(where, N_('"{text}" is used by another debt; ids must be unique'),
                             text=value)
    return value


def a_date(text: str, where: str) -> date:
    value = parse_date(clean(text), where)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InputError.one(where, N_("must be a date from {first} to {last}, not {value}"),
                             first=FIRST_YEAR, last=LAST_YEAR, value=value)
    return value


def as_of(text: str, where: str, _answers: Answers) -> date:
    return a_date(text, where)


def started(text: str, where: str, answers: Answers) -> date:
    """The day a debt started: not after the report date."""
    value = a_date(text, where)
    as_of = answers.case["as_of"]
    if value > as_of:
        raise InputError.one(where, N_("{value} is after the report date {as_of}"),
                             value=value, as_of=as_of)
    return value


def first_due(text: str, where: str, answers: Answers) -> date:
    value = a_date(text, where)
    start = answers.debt["disbursed"]
    if value <= start:
        raise InputError.one(where, N_("must be after the start date {start}"), start=start)
    return value


def received(text: str, where: str, answers: Answers) -> Decimal:
    value: Decimal = amount(True)(text, where, answers)
    principal = answers.debt["principal"]
    if value > principal:
        raise InputError.one(where, N_("must be more than 0 and at most the principal "
                                       "({principal})"), principal=principal)
    return value


def yes_no(text: str, where: str, _answers: Answers) -> bool:
    key = clean(text).lower()
    if key in {"y", "yes", "是", "是的", "对", "好", "要", "有"}:
        return True
    if key in {"n", "no", "否", "不", "不是", "不对", "没有", "无"}:
        return False
    raise InputError.one(where, N_('"{text}" is not yes or no; type y or n'), text=text.strip())


# -- rates: the period and the unit are picked from lists, the number is typed -------------

_BASES = {"year": RateBasis.ANNUAL, "month": RateBasis.MONTHLY, "day": RateBasis.DAILY}
_SUFFIX = {RateBasis.ANNUAL: "year", RateBasis.MONTHLY: "month", RateBasis.DAILY: "day"}
_SCALE_WORDS = {"percent": ("百分之", "%"), "permille": ("千分之", "‰"),
                "permyriad": ("万分之", "‱")}
SYMBOLS = {scale: symbol for scale, (_word, symbol) in _SCALE_WORDS.items()}
_EXAMPLES = {("percent", "year"): "18", ("percent", "month"): "1.5",
             ("percent", "day"): "0.05", ("permille", "year"): "180",
             ("permille", "month"): "15", ("permille", "day"): "0.5",
             ("permyriad", "year"): "1800", ("permyriad", "month"): "150",
             ("permyriad", "day"): "5"}
PERIOD_WORDS = {"year": N_("a year"), "month": N_("a month"), "day": N_("a day")}


def rate_text(rate: Rate) -> str:
    """A rate as the case file gets it: percent with its period, ``"0.05%/day"``."""
    percent = format((rate.value * 100).normalize(), "f")
    return f"{percent}%/{_SUFFIX[rate.basis]}"


def rate_params(answers: Answers) -> dict[str, str]:
    debt = answers.debt
    scale, period = debt.get("rate_scale", "percent"), debt.get("rate_period", "year")
    params = {"symbol": _SCALE_WORDS[scale][1], "period": _(PERIOD_WORDS[period]),
              "example": _EXAMPLES[scale, period]}
    rate = debt.get("rate")
    if isinstance(rate, Rate):
        params["annual"] = fmt_percent(rate.annual(DayCount.ACT_360))
    return params


def rate_number(text: str, where: str, answers: Answers) -> Rate:
    """The number typed, read in the period and unit picked from the lists."""
    scale, period = answers.debt["rate_scale"], answers.debt["rate_period"]
    word, symbol = _SCALE_WORDS[scale]
    body = clean(text).replace(" ", "").removesuffix(symbol)
    body = body.removeprefix(word)
    basis = _BASES[period]
    wrong = InputError.one(where, N_('"{text}" is not a number of {symbol}; type the number '
                                     'only, like {example}'), text=text.strip(),
                           symbol=symbol, example=_EXAMPLES[scale, period])
    if not body:
        raise wrong
    try:
        return parse_rate(f"{word}{body}/{_SUFFIX[basis]}", basis, where)
    except InputError:
        raise wrong from None


def rate_note(value: Any, answers: Answers) -> str | None:
    if not isinstance(value, Rate):
        return None
    return _("Read as {rate}, about {annual} a year.").format(
        rate=rate_text(value), annual=fmt_percent(value.annual(DayCount.ACT_360)))


def annual_of(answers: Answers) -> Decimal:
    rate = answers.debt.get("rate")
    return rate.annual(DayCount.ACT_360) if isinstance(rate, Rate) else Decimal(0)


def penalty(text: str, where: str, answers: Answers) -> Penalty:
    """``1.5x`` or a rate with its period: a rate with none is refused, not guessed."""
    penalty = parse_penalty(clean(text), where)
    if penalty.rate is not None:
        other = parse_rate(clean(text), RateBasis.DAILY, where)
        if other.basis is not penalty.rate.basis:
            raise InputError.one(where, N_('"{text}" does not say per what period; write '
                                           '"{text}/year", "{text}/month" or "{text}/day", '
                                           'or a multiple like "1.5x"'), text=text.strip())
    return penalty


def late_fee_max(text: str, where: str, answers: Answers) -> Decimal:
    value: Decimal = amount(True)(text, where, answers)
    least = answers.debt.get("overdue.late_fee_min")
    if least is not None and value < least:
        raise InputError.one(where, N_("must not be below late_fee_min ({value})"), value=least)
    return value


def late_fee(text: str, where: str, _answers: Answers) -> tuple[Decimal, Decimal]:
    fixed, percent = parse_late_fee(clean(text), where)
    if fixed < 0 or percent < 0:
        raise InputError.one(where, N_("must be 0 or more, not {value}"), value=text.strip())
    return fixed, percent


# -- what has been paid -------------------------------------------------------------------

def paid_until(text: str, where: str, answers: Answers) -> date:
    value = started(text, where, answers)
    if not scheduled_paid(answers.debt, value):
        first = scheduled_paid(answers.debt, date.max)[0].due  # a bullet's is at maturity
        raise InputError.one(where, N_("no instalment falls due by {value}; the first is due "
                                       "on {first}"), value=value, first=first)
    return value


def paid_note(value: Any, answers: Answers) -> str | None:
    if not isinstance(value, date):
        return None
    rows = scheduled_paid(answers.debt, value)
    total = sum((row.payment for row in rows), Decimal(0))
    return _("{count} instalments, {total} in all, each on its due date.").format(
        count=len(rows), total=fmt_money(total))


def payment_date(text: str, where: str, answers: Answers) -> date:
    value = started(text, where, answers)
    start = answers.debt_start()
    if value < start:
        raise InputError.one(where, N_("{value} is before the debt started ({start})"),
                             value=value, start=start)
    return value
