"""The hardship letters: a personalised instalment plan (个性化分期), a deferment and a
settlement offer.

The instalment and deferment letters propose what the recommended plan pays this lender
(:func:`arrears.plan.recommended.debt_plan`: the plan ``arrears plan`` recommends, with the
household's income month by month, ``[[household.income_changes]]`` included), so a letter
asks for a lower amount now and a step up from the month income rises, and never for longer
than the plan needs:

* ``instalment`` — the principal, contract interest and fees already due (the frozen balance
  of :func:`arrears.plan.negotiate.negotiation_scenarios`; penalties, compound interest and
  late fees waived, no new interest), repaid by the plan's payments to this debt, the last
  one reduced to what is left. Refused (one line) when the plan pays this debt nothing this
  month or next (propose a deferment), or pays less than the frozen balance within its
  horizon.
* ``deferment`` — no payments until the plan's first payment to this debt; interest at the
  contract rate on the payoff during the pause (:func:`arrears.plan.negotiate.pause_interest`),
  penalties stopped; then the plan's payments until that balance is repaid. Refused when the
  plan pays this debt this month or next (nothing to defer: propose instalments).
* ``settlement`` — the smallest settlement share (a first offer), from the first month's
  triage (:func:`arrears.plan.triage.triage`); a warning when the lump sum is more than the
  savings and one month's offer together.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from arrears.dates import month_of
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.letters.model import Context
from arrears.money import ZERO
from arrears.plan.negotiate import MAX_PLAN_MONTHS, Scenario, pause_interest
from arrears.plan.recommended import DebtPlan, debt_plan
from arrears.report import fmt_money, fmt_percent

__all__ = ["deferment", "instalment", "reservations", "settlement"]

_CURRENT = N_("this debt is being paid on time: lenders rarely agree to change a debt that is "
              "current")
_LUMP_TOO_BIG = N_("the lump sum of {amount} is more than the savings and one month's offer "
                   "together ({available})")
_NOTHING_OWED = N_('nothing is owed on "{debt}" on {date}: there is nothing to ask for')
_PLAN_PAYS_NOTHING = N_('the recommended plan pays nothing to "{debt}" within {months} months, '
                        "so there is no schedule to propose; see arrears plan")
_PLAN_STARTS_LATER = N_('the recommended plan pays nothing to "{debt}" until {month}: propose '
                        "a deferment (--kind deferment) instead")
_PLAN_STARTS_NOW = N_('the recommended plan pays "{debt}" from {month}, so there is nothing '
                      "to defer: propose an instalment plan (--kind instalment) instead")
_PLAN_TOO_SHORT = N_('the recommended plan pays "{debt}" {total} within {months} months, less '
                     "than the {balance} to repay, so no schedule that clears it can be "
                     "proposed; see arrears plan")


def _plan(context: Context) -> tuple[dict[str, Any], tuple[Scenario, ...], Decimal, Decimal]:
    """The budget model, the debt's scenarios, this lender's monthly offer and the savings."""
    from arrears.plan.negotiate import negotiation_scenarios  # noqa: PLC0415 - the plan
    from arrears.plan.report import plan_input  # noqa: PLC0415
    from arrears.plan.triage import triage  # noqa: PLC0415

    case, debt, as_of = context.case, context.debt, context.as_of
    inp = plan_input(case, as_of, MAX_PLAN_MONTHS)
    first = triage(inp)
    own = next((o for o in first.offers if o.debt == debt.id), None)
    if own is None:
        raise InputError.one("--debt", _NOTHING_OWED, debt=debt.id, date=as_of.isoformat())
    kinds = {d.id: d for d in case.debts}
    others = [{"lender_type": kinds[o.debt].lender_type.value,
               "kind": kinds[o.debt].kind.value, "secured": kinds[o.debt].secured,
               "monthly": fmt_money(o.monthly), "priority": o.priority}
              for o in first.offers if o.debt != debt.id]
    budget = inp.budget
    household = case.household
    later = [{"month": month, "income": fmt_money(income),
              "available": fmt_money(max(income - budget.essentials, ZERO))}
             for month, income in (household.income_changes if household else ())
             if month > month_of(as_of)]
    model = {
        "income": fmt_money(budget.income_in(0)),
        "essentials": fmt_money(budget.essentials),
        "available": fmt_money(max(budget.available(0), ZERO)),
        "offer": fmt_money(own.monthly),
        "offer_basis": "priority" if own.priority else "pro_rata",
        "others": others,
        "others_total": fmt_money(sum((o.monthly for o in first.offers if o.debt != debt.id),
                                      ZERO)),
        "income_changes": later,
        "savings": fmt_money(max(budget.savings, ZERO)),
    }
    scenarios = negotiation_scenarios(debt, as_of, budget, own.monthly)
    return model, scenarios, own.monthly, max(budget.savings, ZERO)


def _of_kind(scenarios: tuple[Scenario, ...], kind: str) -> list[Scenario]:
    return [s for s in scenarios if s.kind == kind]


def reservations(context: Context) -> list[dict[str, str]]:
    """The audit's cap findings with an excess on this debt: a hardship letter reserves the
    right to dispute them (without them it reserves the right in general)."""
    from arrears.audit import audit_debt  # noqa: PLC0415 - the audit, on demand
    from arrears.rules import load_pack  # noqa: PLC0415

    audit = audit_debt(context.debt, context.as_of, load_pack(context.case.jurisdiction))
    return [{"rule": f.rule.id, "title": f.rule.title(context.lang),
             "cap": str(f.params.get("cap", "")), "excess": fmt_money(f.excess)}
            for f in audit.findings
            if f.rule.kind == "cap" and f.excess is not None and f.excess > 0]


def _common(context: Context) -> list[Problem]:
    if context.status["dpd"] == 0:
        return [Problem("--debt", _CURRENT)]
    return []


def _month_index(as_of: date, on: date) -> int:
    return (on.year - as_of.year) * 12 + on.month - as_of.month


def _capped(payments: tuple[tuple[date, Decimal], ...],
            balance: Decimal) -> list[tuple[date, Decimal]]:
    """The plan's payments until ``balance`` is repaid, the last reduced to what is left."""
    chosen: list[tuple[date, Decimal]] = []
    left = balance
    for on, amount in payments:
        if left <= 0:
            break
        pay = min(amount, left)
        chosen.append((on, pay))
        left -= pay
    return chosen


def _steps(payments: list[tuple[date, Decimal]]) -> list[dict[str, Any]]:
    """Runs of equal payments: ``{"amount", "count", "first", "last"}`` in order."""
    steps: list[dict[str, Any]] = []
    for on, amount in payments:
        if steps and steps[-1]["amount"] == fmt_money(amount):
            steps[-1].update(count=steps[-1]["count"] + 1, last=on.isoformat())
        else:
            steps.append({"amount": fmt_money(amount), "count": 1, "first": on.isoformat(),
                          "last": on.isoformat()})
    return steps


def _from_plan(context: Context, plan: DebtPlan, balance: Decimal, *,
               deferment: bool) -> dict[str, Any]:
    """The proposal: the recommended plan's payments to this debt that repay ``balance``;
    refused (:class:`InputError` on ``--kind``) when the plan cannot carry the letter."""
    debt, as_of = context.debt, context.as_of
    if not plan.payments:
        raise InputError.one("--kind", _PLAN_PAYS_NOTHING, debt=debt.id,
                             months=MAX_PLAN_MONTHS)
    first = plan.payments[0][0]
    later = _month_index(as_of, first) > 1
    if later and not deferment:
        raise InputError.one("--kind", _PLAN_STARTS_LATER, debt=debt.id,
                             month=month_of(first))
    if deferment and not later:
        raise InputError.one("--kind", _PLAN_STARTS_NOW, debt=debt.id, month=month_of(first))
    if plan.total < balance:
        raise InputError.one("--kind", _PLAN_TOO_SHORT, debt=debt.id,
                             total=fmt_money(plan.total), months=MAX_PLAN_MONTHS,
                             balance=fmt_money(balance))
    chosen = _capped(plan.payments, balance)
    return {
        "strategy": plan.strategy,
        "balance": fmt_money(balance),
        "total": fmt_money(balance),
        "instalments": len(chosen),
        "first_payment": chosen[0][0].isoformat(),
        "last_payment": chosen[-1][0].isoformat(),
        "steps": _steps(chosen),
        "schedule": [{"no": number, "date": on.isoformat(), "amount": fmt_money(amount)}
                     for number, (on, amount) in enumerate(chosen, start=1)],
        "plan_months": len(plan.payments),
        "plan_total": fmt_money(plan.total),
        "cleared_at_contract": plan.cleared,
    }


def instalment(context: Context) -> tuple[dict[str, Any], list[Problem]]:
    """A personalised instalment plan: the frozen balance repaid by the plan's payments."""
    budget, scenarios, _, _ = _plan(context)
    warnings = _common(context)
    frozen = _of_kind(scenarios, "instalment_frozen")
    balance = frozen[0].balance if frozen else ZERO
    if not balance:
        raise InputError.one("--debt", _NOTHING_OWED, debt=context.debt.id,
                             date=context.as_of.isoformat())
    plan = debt_plan(context.case, context.as_of, context.debt.id, MAX_PLAN_MONTHS)
    proposal = _from_plan(context, plan, balance, deferment=False)
    proposal["waived"] = fmt_money(Decimal(context.status["payoff"]) - balance)
    return ({"budget": budget, "proposal": proposal, "reservations": reservations(context)},
            warnings)


def deferment(context: Context) -> tuple[dict[str, Any], list[Problem]]:
    """A deferment: no payments until the plan's first payment to this debt, then the
    plan's payments."""
    budget, _, _, _ = _plan(context)
    warnings = _common(context)
    debt, as_of = context.debt, context.as_of
    payoff = Decimal(context.status["payoff"])
    plan = debt_plan(context.case, as_of, debt.id, MAX_PLAN_MONTHS)
    resume = plan.payments[0][0] if plan.payments else as_of
    interest, rate = pause_interest(debt, as_of, resume, payoff)
    proposal = _from_plan(context, plan, payoff + interest, deferment=True)
    proposal.update({
        "pause": _month_index(as_of, resume),
        "resume": resume.isoformat(),
        "interest": fmt_money(interest),
        "rate": fmt_percent(rate),
        "payoff": fmt_money(payoff),
        "new_balance": fmt_money(payoff + interest),
    })
    return ({"budget": budget, "proposal": proposal, "reservations": reservations(context)},
            warnings)


def settlement(context: Context) -> tuple[dict[str, Any], list[Problem]]:
    """A settlement offer: the smallest share of the payoff, in one sum."""
    budget, scenarios, offer, savings = _plan(context)
    warnings = _common(context)
    chosen = min(_of_kind(scenarios, "settlement"), key=lambda s: s.percent or ZERO)
    proposal = {
        "lump": fmt_money(chosen.monthly),
        "percent": fmt_percent(chosen.percent or ZERO, 0),
        "balance": fmt_money(chosen.balance),
        "date": chosen.first_payment.isoformat(),
        "saving": fmt_money(chosen.balance - chosen.monthly),
        "fits": chosen.fits,
    }
    if not chosen.fits:
        warnings.append(Problem("--debt", _LUMP_TOO_BIG, {
            "amount": fmt_money(chosen.monthly), "available": fmt_money(savings + offer)}))
    return ({"budget": budget, "proposal": proposal, "reservations": reservations(context)},
            warnings)
