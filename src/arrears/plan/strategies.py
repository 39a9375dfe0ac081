"""Repayment strategies, each a rule for who gets the money, replayed exactly.

Every month, first the minimums: what each debt needs to be current that day
(``Position.due_amount``), in triage order (:mod:`arrears.plan.triage`) while cash lasts
— minimums may use savings down to nothing, because missing them costs penalties and the
credit record. Then the extra — cash above the floor the household keeps — goes to one
debt at a time in the strategy's order, each up to its payoff:

* ``overdue_first``: debts past due first (most days past due first), to stop penalties
  and the credit record from getting worse; then by cost;
* ``avalanche``: the highest true cost first (the contract APR by IRR; a card's rate);
* ``snowball``: the smallest payoff first;
* ``custom``: the household's own order (``[plan] priority`` in the case file), then by cost.

The optimal plan (:mod:`arrears.plan.optimal`) decides by linear programming instead; all
of them are replayed the same way (:mod:`arrears.plan.replay`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache

from arrears.cost import apr_of_schedule
from arrears.debt import Debt
from arrears.money import ZERO
from arrears.plan.model import PlanInput
from arrears.plan.replay import DebtNow, PlanResult, run_plan
from arrears.plan.triage import priority_key
from arrears.schedule import build_schedule

__all__ = ["STRATEGIES", "simulate", "true_cost"]

STRATEGIES = ("overdue_first", "avalanche", "snowball", "custom")


@cache
def _loan_cost(debt: Debt) -> Decimal:
    if debt.terms is None:
        return ZERO
    return apr_of_schedule(build_schedule(debt.terms)).apr


def true_cost(debt: Debt) -> Decimal:
    """The annual cost used to rank debts: a loan's contract APR by IRR, a card's rate."""
    if debt.card is not None:
        return debt.card.rate.annual(debt.card.day_count)
    return _loan_cost(debt)


def _order(name: str, inp: PlanInput) -> Callable[[DebtNow], tuple[object, ...]]:
    custom = {debt_id: i for i, debt_id in enumerate(inp.priority)}
    if name == "overdue_first":
        return lambda d: (d.position.dpd == 0, -d.position.dpd, -true_cost(d.debt))
    if name == "snowball":
        return lambda d: (d.position.payoff, -true_cost(d.debt))
    if name == "custom":
        return lambda d: (custom.get(d.debt.id, len(custom)), -true_cost(d.debt))
    return lambda d: (-true_cost(d.debt), d.position.payoff)


def _decider(name: str, inp: PlanInput) -> Callable[[int, Decimal, list[DebtNow]],
                                                     Mapping[str, Decimal]]:
    order = _order(name, inp)
    floor = inp.budget.floor

    def decide(month: int, cash: Decimal, now: list[DebtNow]) -> Mapping[str, Decimal]:
        pay: dict[str, Decimal] = {}
        left = cash
        for item in sorted(now, key=priority_key):
            need = min(item.position.due_amount, item.position.payoff, left)
            if need > 0:
                pay[item.debt.id] = need
                left -= need
        extra = left - floor
        for item in sorted(now, key=order):
            if extra <= 0:
                break
            room = item.position.payoff - pay.get(item.debt.id, ZERO)
            more = min(room, extra)
            if more > 0:
                pay[item.debt.id] = pay.get(item.debt.id, ZERO) + more
                extra -= more
        return pay

    return decide


def simulate(inp: PlanInput, name: str) -> PlanResult:
    """A strategy's plan, replayed through the exact engine."""
    if name not in STRATEGIES:
        raise ValueError(name)
    return run_plan(inp, name, _decider(name, inp))
