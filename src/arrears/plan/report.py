"""The plan report model: strategies side by side, the recommendation, triage and offers —
all figures from the replay through the exact engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from arrears.case import Case
from arrears.dates import month_of
from arrears.errors import InputError
from arrears.i18n import N_, _
from arrears.money import ZERO
from arrears.plan.model import Budget, PlanInput
from arrears.plan.negotiate import Scenario, negotiation_scenarios
from arrears.plan.replay import PlanResult, run_plan
from arrears.plan.strategies import STRATEGIES, simulate
from arrears.plan.triage import triage
from arrears.report import fmt_money
from arrears.tracker import Tracker

__all__ = ["ALL_STRATEGIES", "DEFAULT_ARREARS_WEIGHT", "best_result", "budget_of", "opening_model",
           "plan_input",
           "plan_model"]

DEFAULT_ARREARS_WEIGHT = Decimal("0.05")
"""Per yuan in arrears per month: above any monthly rate gap (a 36 % loan's penalty at 1.5 ×
is 4.5 % a month), so by default the least-cost plan keeps every debt current whenever the
budget allows — contractual minimums first — and only then minimises cost."""

ALL_STRATEGIES = (*STRATEGIES, "optimal")


def budget_of(case: Case, start: date, months: int) -> Budget:
    """The household's budget by month from the case (income changes applied)."""
    household = case.household
    if household is None:
        raise InputError.one(case.source, N_("has no [household] table: a plan needs the "
                                             "monthly income and essential expenses"))
    income = []
    for month in range(months):
        label = month_of(date(start.year + (start.month - 1 + month) // 12,
                              (start.month - 1 + month) % 12 + 1, 1))
        value = household.monthly_income
        for changed, amount in household.income_changes:
            if changed <= label:
                value = amount
        income.append(value)
    floor = (household.floor if household.floor is not None
             else household.essential_expenses)
    return Budget(income=tuple(income), essentials=household.essential_expenses,
                  savings=household.savings, emergency_months=household.emergency_fund_months,
                  floor=floor)


def plan_input(case: Case, start: date, months: int) -> PlanInput:
    """What a plan from ``start`` starts from: each debt as ``arrears status`` sees it on
    that date (payments recorded after it left out, as the status leaves them out)."""
    debts = tuple(replace(debt, payments=tuple(p for p in debt.payments if p.on <= start))
                  for debt in case.debts)
    return PlanInput(start=start, months=months, debts=debts,
                     budget=budget_of(case, start, months), priority=case.priority)


def opening_model(inp: PlanInput) -> dict[str, Any]:
    """What each debt owes on the plan's start date: the figures of ``arrears status`` on
    that date (payoff, overdue amount, days past due)."""
    positions = {debt.id: Tracker(debt).position(inp.start) for debt in inp.debts}
    return {
        "date": inp.start.isoformat(),
        "debts": [{"debt": debt_id, "payoff": fmt_money(p.payoff),
                   "overdue_amount": fmt_money(p.overdue_amount), "dpd": p.dpd}
                  for debt_id, p in positions.items()],
        "total_payoff": fmt_money(sum((p.payoff for p in positions.values()), ZERO)),
        "total_overdue": fmt_money(sum((p.overdue_amount for p in positions.values()),
                                       ZERO)),
    }


def _result(result: PlanResult) -> dict[str, Any]:
    return {
        "name": result.name,
        "basis": result.basis or result.name,
        "feasible": result.feasible,
        "total_paid": fmt_money(result.total_paid),
        "total_interest_and_fees": fmt_money(result.total_interest_and_fees),
        "remaining": fmt_money(result.remaining),
        "debt_free": result.debt_free,
        "months_in_arrears": result.months_in_arrears,
        "schedule": [{"month": m.month,
                      "payments": {k: fmt_money(v) for k, v in m.payments.items()},
                      "owed": {k: fmt_money(v) for k, v in m.payoff.items()}}
                     for m in result.months],
        "balances": [fmt_money(sum(m.payoff.values(), ZERO)) for m in result.months],
    }


def _best(results: list[PlanResult]) -> PlanResult:
    return min(results, key=lambda r: (not r.feasible, r.remaining,
                                       r.total_interest_and_fees, r.months_in_arrears,
                                       r.name != "optimal"))


def best_result(results: list[PlanResult]) -> PlanResult:
    """The plan ``plan_model`` recommends among ``results`` (its ``recommended``)."""
    return _best(results)


def optimal_plan(inp: PlanInput, arrears_weight: Decimal = DEFAULT_ARREARS_WEIGHT,
                 candidates: Sequence[PlanResult] = ()) -> PlanResult:
    """The least-cost plan. The linear programme (:mod:`arrears.plan.optimal`) works on a
    linear monthly model; its plan is replayed exactly, and so are the rule-based
    ``candidates``: the cheapest replay is the optimal plan (its ``basis`` says which). The
    LP's approximations — money paid ahead on a loan is only a credit in the engine,
    linearised fees and minimums — can cost a little once replayed, so a rule can win."""
    from arrears.plan.optimal import decider, optimal_schedule  # noqa: PLC0415 - on demand

    result = optimal_schedule(inp, arrears_weight=arrears_weight)
    lp = replace(run_plan(inp, "optimal", decider(result)), basis="lp")

    def key(plan: PlanResult) -> tuple[object, ...]:
        if arrears_weight:
            return (plan.remaining, plan.months_in_arrears, plan.total_interest_and_fees,
                    plan.basis != "lp")
        return (plan.remaining, plan.total_interest_and_fees, plan.months_in_arrears,
                plan.basis != "lp")

    pool = [lp, *(replace(c, name="optimal", basis=c.name) for c in candidates)]
    return min(pool, key=key)


def run_strategies(inp: PlanInput, names: tuple[str, ...],
                   arrears_weight: Decimal = DEFAULT_ARREARS_WEIGHT) -> list[PlanResult]:
    """Each named strategy's plan, replayed (the optimal plan is never dearer than the
    rules, which it is compared with)."""
    rules = {name: simulate(inp, name) for name in STRATEGIES
             if name in names or "optimal" in names}
    return [optimal_plan(inp, arrears_weight, tuple(rules.values())) if name == "optimal"
            else rules[name] for name in names]


def plan_model(case: Case, start: date, months: int,
               names: tuple[str, ...] = ALL_STRATEGIES,
               arrears_weight: Decimal = DEFAULT_ARREARS_WEIGHT,
               *, negotiate: bool = True) -> dict[str, Any]:
    """Every strategy replayed, the recommendation, and the triage of the first month."""
    inp = plan_input(case, start, months)
    results = run_strategies(inp, names, arrears_weight)
    first = triage(inp)
    offers = {o.debt: o.monthly for o in first.offers}
    negotiation = {
        debt.id: [_scenario(s) for s in negotiation_scenarios(
            debt, start, inp.budget, offers.get(debt.id))]
        for debt in case.debts
    } if negotiate else {}
    return {
        "start": start.isoformat(),
        "months": months,
        "opening": opening_model(inp),
        "strategies": [_result(r) for r in results],
        "recommended": _best(results).name,
        "triage": {
            "due": fmt_money(first.due),
            "falling_due": fmt_money(first.falling_due),
            "due_by": first.due_by.isoformat() if first.due_by else None,
            "available": fmt_money(first.available),
            "shortfall": fmt_money(first.shortfall),
            "offers": [{"debt": o.debt, "owed": fmt_money(o.owed), "monthly": fmt_money(o.monthly),
                        "priority": o.priority} for o in first.offers],
        },
        "negotiation": negotiation,
    }


def _scenario(scenario: Scenario) -> dict[str, Any]:
    return {
        "kind": scenario.kind,
        "percent": str(scenario.percent) if scenario.percent is not None else None,
        "months": scenario.months,
        "monthly": fmt_money(scenario.monthly),
        "total_paid": fmt_money(scenario.total_paid),
        "remaining": fmt_money(scenario.remaining),
        "saving": fmt_money(scenario.saving),
        "fits": scenario.fits,
        "first_payment": scenario.first_payment.isoformat(),
        "notes": [_(n.message).format(**n.params) for n in scenario.notes],
    }

