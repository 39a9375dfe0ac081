"""What a plan starts from: the debts, the household budget month by month, and the day in
each month each debt is paid."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from arrears.dates import add_months, month_of
from arrears.debt import Debt
from arrears.money import ZERO

__all__ = ["Budget", "PlanInput", "Schedule", "month_start", "payment_date"]

Schedule = tuple[Mapping[str, Decimal], ...]
"""A plan: for each month (0 = the month of the start date), debt id → amount paid."""


@dataclass(frozen=True, slots=True)
class Budget:
    """The household's monthly money.

    ``income`` is by month from the start month; the last value holds after it (a job found
    in month 4: ``(5500, 5500, 5500, 8000)``). ``floor`` is the cash kept before any extra
    repayment: money left after the minimums first builds savings up to it. The emergency
    fund target is ``essentials × emergency_months``; once every debt is paid, money goes
    there.
    """

    income: tuple[Decimal, ...]
    essentials: Decimal
    savings: Decimal = ZERO
    emergency_months: int = 3
    floor: Decimal = ZERO

    def income_in(self, month: int) -> Decimal:
        if not self.income:
            return ZERO
        return self.income[min(month, len(self.income) - 1)]

    def available(self, month: int) -> Decimal:
        """Income less essentials in ``month`` (may be negative)."""
        return self.income_in(month) - self.essentials

    @property
    def emergency_target(self) -> Decimal:
        return self.essentials * self.emergency_months


@dataclass(frozen=True, slots=True)
class PlanInput:
    """Everything a strategy or the optimiser needs."""

    start: date
    months: int
    debts: tuple[Debt, ...]
    budget: Budget
    priority: tuple[str, ...] = field(default=())  # the user's own order of debt ids


def month_start(start: date, month: int) -> date:
    """The first day of plan month ``month`` (month 0 starts on ``start``)."""
    return start if month == 0 else add_months(start.replace(day=1), month)


def _clamp(year: int, month: int, day: int) -> date:
    return add_months(date(year, month, 1), 0).replace(
        day=min(day, calendar.monthrange(year, month)[1]))


def payment_date(debt: Debt, start: date, month: int) -> date:
    """The day ``debt`` is paid in plan month ``month`` (0 = the start month): its due date
    in that month — a loan's instalment day, a card's statement date + due days — or the
    start date when that day has already passed in month 0."""
    base = add_months(start.replace(day=1), month)
    if debt.card is not None:
        gap = timedelta(days=debt.card.payment_due_days)
        this = _clamp(base.year, base.month, debt.card.statement_day) + gap
        before = add_months(_clamp(base.year, base.month, debt.card.statement_day), -1) + gap
        due = before if month_of(before) == month_of(base) else this
        if month_of(due) != month_of(base):
            due = add_months(base, 1) - timedelta(days=1)
    elif debt.terms is not None:
        due = _clamp(base.year, base.month, debt.terms.anchor.day)
    else:  # pragma: no cover - a debt is a loan or a card
        due = base
    return max(due, start)
