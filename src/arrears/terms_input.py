"""Loan terms from text, as the CLI and case files give them, with every problem found.

Problems are located by term name (``principal``, ``rate`` …); the caller adds its own
prefix (``--`` for options, ``case.toml: debts[0].`` for case files).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from arrears.cashflows import parse_date
from arrears.dates import DayCount
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.money import ZERO, Rounding, parse_amount, parse_rounding
from arrears.rate import Rate, RateBasis, parse_share, quoted_rate, unit_problems
from arrears.terms import (
    Accrual,
    LastPayment,
    Method,
    Terms,
    parse_day_count,
    parse_last_payment,
    parse_method,
)

__all__ = ["Collector", "parse_accrual", "parse_basis", "terms_from_options"]

T = TypeVar("T")


class Collector:
    """Runs parsers, keeping every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def take(self, parse: Callable[[], T], fallback: T) -> T:
        try:
            return parse()
        except InputError as error:
            self.problems.extend(error.problems)
            return fallback

    def check(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def parse_basis(text: str, where: str = "rate_basis") -> RateBasis:
    key = str(text).strip().lower()
    key = {"year": "annual", "yearly": "annual", "month": "monthly", "day": "daily",
           "年": "annual", "月": "monthly", "日": "daily"}.get(key, key)
    for basis in RateBasis:
        if basis.value == key:
            return basis
    raise InputError.one(where, N_('"{text}" is not a rate basis; use annual, monthly or daily'),
                         text=text)


def parse_accrual(text: str, where: str = "accrual") -> Accrual:
    key = str(text).strip().lower()
    for accrual in Accrual:
        if accrual.value == key:
            return accrual
    raise InputError.one(where, N_('"{text}" is not an accrual; use monthly or daily'),
                         text=text)


def parse_fraction(text: str, where: str) -> Decimal:
    """A fee rate such as ``0.6%`` or ``0.006`` as a ``Decimal`` fraction."""
    return parse_share(text, where)


def terms_from_options(
    *, principal: str, rate: str, rate_basis: str | None, months: int, method: str,
    fee_rate: str, upfront_fee: str, received: str | None, start: str,
    first_due: str | None, day_count: str, accrual: str,
    warnings: list[Problem] | None = None, rounding: str = "half_up",
    last_payment: str = "absorb",
) -> Terms:
    """:class:`Terms` from the text of each option; every problem reported at once.

    ``rate_basis`` ``None`` reads a bare rate as annual without counting as a period
    written; a rate above 100 % a year adds a warning to ``warnings`` (see
    :func:`arrears.rate.unit_problems`)."""
    c = Collector()
    basis = (c.take(lambda: parse_basis(rate_basis), RateBasis.ANNUAL)
             if rate_basis is not None else RateBasis.ANNUAL)
    terms_principal = c.take(lambda: parse_amount(principal, "principal"), Decimal(1))
    terms_rate, explicit = c.take(lambda: quoted_rate(rate, basis, "rate"),
                                  (Rate(ZERO, basis), True))
    terms_method = c.take(lambda: parse_method(method), Method.EQUAL_INSTALLMENT)
    terms_fee = c.take(lambda: parse_fraction(fee_rate, "fee_rate"), ZERO)
    terms_upfront = c.take(lambda: parse_amount(upfront_fee, "upfront_fee"), ZERO)
    terms_received = (c.take(lambda: parse_amount(received, "received"), None)
                      if received is not None else None)
    terms_start = c.take(lambda: parse_date(start, "start"), date(2000, 1, 1))
    terms_first = (c.take(lambda: parse_date(first_due, "first_due"), None)
                   if first_due is not None else None)
    terms_days = c.take(lambda: parse_day_count(day_count), DayCount.ACT_360)
    terms_accrual = c.take(lambda: parse_accrual(accrual), Accrual.MONTHLY)
    errors, cautions = unit_problems(terms_rate, terms_days, text=rate, where="rate",
                                     explicit=explicit or rate_basis is not None)
    c.problems.extend(errors)
    terms_rounding = c.take(lambda: parse_rounding(rounding), Rounding.HALF_UP)
    terms_last = c.take(lambda: parse_last_payment(last_payment), LastPayment.ABSORB)
    c.check()
    if warnings is not None:
        warnings.extend(cautions)
    return Terms(
        principal=terms_principal, rate=terms_rate, months=months, start=terms_start,
        method=terms_method, first_due=terms_first, day_count=terms_days,
        accrual=terms_accrual, fee_rate=terms_fee, upfront_fee=terms_upfront,
        received=terms_received, rounding=terms_rounding, last_payment=terms_last,
    )
