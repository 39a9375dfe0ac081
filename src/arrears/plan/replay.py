"""A plan month by month through the exact engine: every figure a plan shows comes from
here, whatever decided the payments (a strategy's order or the optimiser's schedule).

Each month: the household's money for the month (income − essentials) joins its cash; each
debt is looked at on its payment date (:func:`~arrears.plan.model.payment_date`); the
decider says what to pay; each payment is capped at the debt's exact payoff that day and
at the cash there is; the debts are looked at again on the last day of the month.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from arrears.dates import add_months, month_of
from arrears.debt import Debt
from arrears.money import ZERO
from arrears.plan.model import PlanInput, payment_date
from arrears.position import Position
from arrears.tracker import Tracker

__all__ = ["DebtNow", "MonthResult", "PlanResult", "run_plan"]


@dataclass(frozen=True, slots=True)
class DebtNow:
    """A debt as a decider sees it on its payment date this month."""

    debt: Debt
    on: date
    position: Position


@dataclass(frozen=True, slots=True)
class MonthResult:
    month: str
    payments: Mapping[str, Decimal]
    payoff: Mapping[str, Decimal]  # at the month's end
    in_arrears: bool  # any debt past due at the month's end
    cash: Decimal


@dataclass(frozen=True, slots=True)
class PlanResult:
    """A plan replayed through the exact engine."""

    name: str
    months: tuple[MonthResult, ...]
    start_principal: Decimal
    total_paid: Decimal
    remaining: Decimal  # payoff left at the end of the horizon
    basis: str = ""  # for the optimal plan: "lp", or the rule that replayed cheaper

    @property
    def feasible(self) -> bool:
        """Every debt cleared within the horizon."""
        return self.remaining == 0

    @property
    def total_interest_and_fees(self) -> Decimal:
        """Paid plus still owed, less the principal owed at the start."""
        return self.total_paid + self.remaining - self.start_principal

    @property
    def debt_free(self) -> str | None:
        for month in self.months:
            if not any(month.payoff.values()):
                return month.month
        return None

    @property
    def months_in_arrears(self) -> int:
        return sum(1 for m in self.months if m.in_arrears)


Decider = Callable[[int, Decimal, list[DebtNow]], Mapping[str, Decimal]]
"""Given the month, the cash there is, and each debt now: what to pay each debt."""


def run_plan(inp: PlanInput, name: str, decide: Decider) -> PlanResult:
    """Replay a plan decided month by month."""
    trackers = {debt.id: Tracker(debt) for debt in inp.debts}
    first = {debt.id: trackers[debt.id].position(inp.start) for debt in inp.debts}
    start_principal = sum((p.outstanding.principal for p in first.values()), ZERO)
    cash = inp.budget.savings
    months: list[MonthResult] = []
    total = ZERO
    for month in range(inp.months):
        cash += inp.budget.available(month)
        now = []
        for debt in inp.debts:
            on = payment_date(debt, inp.start, month)
            now.append(DebtNow(debt, on, trackers[debt.id].position(on)))
        wanted = decide(month, max(cash, ZERO), now)
        paid: dict[str, Decimal] = {}
        for item in now:
            amount = min(wanted.get(item.debt.id, ZERO), item.position.payoff, max(cash, ZERO))
            if amount > 0:
                trackers[item.debt.id].pay(item.on, amount)
                cash -= amount
                total += amount
                paid[item.debt.id] = amount
        end = add_months(inp.start.replace(day=1), month + 1) - timedelta(days=1)
        closing = {d.id: trackers[d.id].position(end) for d in inp.debts}
        months.append(MonthResult(
            month=month_of(end), payments=paid,
            payoff={k: p.payoff for k, p in closing.items()},
            in_arrears=any(p.dpd > 0 for p in closing.values()), cash=cash,
        ))
    remaining = sum(months[-1].payoff.values(), ZERO) if months else sum(
        (p.payoff for p in first.values()), ZERO)
    return PlanResult(name, tuple(months), start_principal, total, remaining)
