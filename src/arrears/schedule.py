"""Contractual repayment schedules for the five methods.

Each instalment is rounded to the fen the way the lender does (``terms.rounding``: half up
by default, or truncated, or half to even); the last instalment absorbs the rounding
residue, so the principal repaid equals the principal lent exactly — for an equal-instalment
loan with ``last_payment = "equal"`` the last payment stays level and its interest absorbs
the residue instead. Interest for a whole period is the balance × the monthly rate
(or × the daily rate × days with ``Accrual.DAILY``); a broken first period accrues daily.
Every figure is rounded from its exact value: the rates are exact fractions (4.9 % / 12 is
not a terminating decimal), so 60.00 × 4.9 % / 12 = 0.245 is a tie and posts as 0.25.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from arrears.dates import day_count_days
from arrears.money import ZERO, Rounding, round_money, round_product
from arrears.terms import Accrual, LastPayment, Method, Terms

__all__ = ["Installment", "Schedule", "build_schedule", "level_payment"]


@dataclass(frozen=True, slots=True)
class Installment:
    """One contractual instalment. ``payment = principal + interest + fee``."""

    period: int
    due: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    fee: Decimal
    balance: Decimal  # principal outstanding after this instalment


@dataclass(frozen=True, slots=True)
class Schedule:
    """A loan's contractual schedule."""

    terms: Terms
    rows: tuple[Installment, ...]

    def __iter__(self) -> Iterator[Installment]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def payment(self) -> Decimal:
        """The first instalment (what a person is quoted as "the monthly payment")."""
        return self.rows[0].payment

    @property
    def total_principal(self) -> Decimal:
        return sum((r.principal for r in self.rows), ZERO)

    @property
    def total_interest(self) -> Decimal:
        return sum((r.interest for r in self.rows), ZERO)

    @property
    def total_fees(self) -> Decimal:
        """Per-period fees plus any upfront fee."""
        return sum((r.fee for r in self.rows), ZERO) + self.terms.upfront_fee

    @property
    def total_paid(self) -> Decimal:
        """All instalments plus any upfront fee."""
        return sum((r.payment for r in self.rows), ZERO) + self.terms.upfront_fee

    def flows(self) -> tuple[tuple[date, Decimal], ...]:
        """Dated cash flows from the borrower's side: the amount actually received on
        the start date (positive), every instalment (negative)."""
        first = (self.terms.start, self.terms.amount_received)
        return (first, *((r.due, -r.payment) for r in self.rows))


def level_payment(principal: Decimal, rate: Decimal | Fraction, count: int,
                  rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """The level payment (PMT) repaying ``principal`` in ``count`` periods at ``rate``
    per period, worked out exactly and rounded to the fen (half up unless ``rounding``
    says otherwise). A zero rate gives principal / count."""
    exact = Fraction(principal)
    if rate == 0:
        return round_money(exact / count, rounding)
    rate = Fraction(rate)
    growth = (1 + rate) ** count
    return round_money(exact * rate * growth / (growth - 1), rounding)


def _period_interest(  # noqa: PLR0917 - a period and the loan's exact rates
    terms: Terms, balance: Decimal, start: date, due: date, first: bool,
    monthly: Fraction, daily: Fraction,
) -> Decimal:
    if terms.accrual is Accrual.DAILY or (first and terms.broken_first_period):
        days = day_count_days(start, due, terms.day_count)
        return round_product(balance, daily * days, terms.rounding)
    return round_product(balance, monthly, terms.rounding)


def build_schedule(terms: Terms) -> Schedule:
    """The contractual schedule for ``terms``."""
    if terms.method is Method.BULLET:
        return Schedule(terms, (_bullet(terms),))
    n, rounding = terms.months, terms.rounding
    fee = round_money(terms.principal * terms.fee_rate, rounding)
    monthly = terms.rate.monthly_exact(terms.day_count)
    daily = terms.rate.daily_exact(terms.day_count)
    level = level_payment(terms.principal, monthly, n, rounding)
    even_principal = round_money(Fraction(terms.principal) / n, rounding)
    keep_level = (terms.method is Method.EQUAL_INSTALLMENT
                  and terms.last_payment is LastPayment.EQUAL)
    balance = terms.principal
    previous = terms.start
    rows: list[Installment] = []
    for period, due in enumerate(terms.due_dates(), start=1):
        interest = _period_interest(terms, balance, previous, due, period == 1, monthly, daily)
        last = period == n
        if last:
            principal = balance
            if keep_level and ZERO < balance <= level:
                interest = level - balance  # the level payment; its interest takes the rest
        elif terms.method is Method.EQUAL_INSTALLMENT:
            principal = min(balance, max(ZERO, level - interest))
        elif terms.method is Method.INTEREST_FIRST:
            principal = ZERO
        else:  # equal principal and flat fee: the same principal each period
            principal = min(balance, even_principal)
        balance -= principal
        rows.append(
            Installment(period, due, principal + interest + fee, principal, interest, fee, balance)
        )
        previous = due
    return Schedule(terms, tuple(rows))


def _bullet(terms: Terms) -> Installment:
    """Everything at maturity: simple interest over the term, fees for every period."""
    maturity = terms.maturity
    if terms.accrual is Accrual.DAILY or terms.broken_first_period:
        days = day_count_days(terms.start, maturity, terms.day_count)
        interest = round_product(terms.principal,
                                 terms.rate.daily_exact(terms.day_count) * days,
                                 terms.rounding)
    else:
        interest = round_product(terms.principal,
                                 terms.rate.monthly_exact(terms.day_count) * terms.months,
                                 terms.rounding)
    fee = round_money(terms.principal * terms.fee_rate, terms.rounding) * terms.months
    return Installment(
        1, maturity, terms.principal + interest + fee, terms.principal, interest, fee, ZERO
    )
