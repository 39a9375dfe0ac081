"""The recommended plan, one debt at a time: what it pays that lender, month by month.

The letters that propose a repayment schedule to one lender (instalment, deferment) propose
what the plan the person is recommended pays that lender — the same strategies, the same
budget month by month (income changes included), the same replay through the exact engine
as ``arrears plan`` — so the letter and the plan can never disagree. :func:`debt_plan` is
that accessor; it recomputes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from arrears.case import Case
from arrears.money import ZERO
from arrears.plan.model import payment_date
from arrears.plan.report import ALL_STRATEGIES, best_result, plan_input, run_strategies

__all__ = ["DebtPlan", "debt_plan"]


@dataclass(frozen=True, slots=True)
class DebtPlan:
    """What the recommended plan does for one debt.

    ``strategy`` is the recommended strategy's name (as ``plan --json`` names it);
    ``payments`` every payment the plan makes to the debt, on the debt's payment date in
    its month (:func:`~arrears.plan.model.payment_date`), in order; ``cleared`` the month
    (``YYYY-MM``) at whose end the plan has paid the debt off, ``None`` if it does not within
    ``months``; ``remaining`` what is still owed at the plan's end; ``months`` the horizon.
    """

    strategy: str
    payments: tuple[tuple[date, Decimal], ...]
    cleared: str | None
    remaining: Decimal
    months: int

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.payments), ZERO)


def debt_plan(case: Case, start: date, debt_id: str, months: int = 60) -> DebtPlan:
    """The recommended plan from ``start`` over ``months`` (as ``arrears plan CASE --months
    MONTHS`` recommends it), read for debt ``debt_id``."""
    inp = plan_input(case, start, months)
    debt = next(d for d in inp.debts if d.id == debt_id)
    result = best_result(run_strategies(inp, ALL_STRATEGIES))
    payments = tuple((payment_date(debt, start, number), month.payments[debt_id])
                     for number, month in enumerate(result.months)
                     if month.payments.get(debt_id, ZERO) > 0)
    cleared = next((m.month for m in result.months if not m.payoff.get(debt_id, ZERO)), None)
    remaining = result.months[-1].payoff.get(debt_id, ZERO) if result.months else ZERO
    return DebtPlan(result.name, payments, cleared, remaining, months)
