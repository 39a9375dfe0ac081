"""The hardship letters: a personalised instalment plan (个性化分期), a deferment and a
settlement offer. Their figures come from the plan: the first month's triage (the monthly
amount the household can offer this lender: :func:`arrears.plan.triage.triage`) and the
debt's negotiation scenarios replayed through the engine
(:func:`arrears.plan.negotiate.negotiation_scenarios`).

Which scenario a letter proposes:

* ``instalment`` — the frozen plan (principal, interest and fees already due, no new
  interest, penalties waived) when it fits the offer, else the plan at the contract rate
  when that fits, else the frozen plan anyway, with a warning. Up to 60 months.
* ``deferment`` — the deferment scenario (3 months without payments, then equal
  instalments); a warning when its instalment is more than the offer.
* ``settlement`` — the smallest settlement share (a first offer); a warning when the lump
  sum is more than the savings and one month's offer together.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from arrears.dates import add_months, month_of
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.letters.model import Context
from arrears.money import ZERO
from arrears.plan.negotiate import DEFAULT_DEFER_MONTHS, MAX_PLAN_MONTHS, Scenario
from arrears.report import fmt_money, fmt_percent

__all__ = ["deferment", "instalment", "reservations", "settlement"]

_OVER_OFFER = N_("the proposed {monthly} a month is more than the {offer} a month the budget "
                 "leaves for this debt")
_CURRENT = N_("this debt is being paid on time: lenders rarely agree to change a debt that is "
              "current")
_LUMP_TOO_BIG = N_("the lump sum of {amount} is more than the savings and one month's offer "
                   "together ({available})")
_NOTHING_OWED = N_('nothing is owed on "{debt}" on {date}: there is nothing to ask for')


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
    later = [{"month": month, "income": fmt_money(income)}
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
    }
    scenarios = negotiation_scenarios(debt, as_of, budget, own.monthly)
    return model, scenarios, own.monthly, max(budget.savings, ZERO)


def _scenario(scenario: Scenario) -> dict[str, Any]:
    payments = scenario.payments
    return {
        "kind": scenario.kind,
        "months": scenario.months,
        "instalments": len(payments),
        "monthly": fmt_money(scenario.monthly),
        "total": fmt_money(scenario.total_paid),
        "balance": fmt_money(scenario.balance),
        "rate": fmt_percent(scenario.rate) if scenario.rate is not None else None,
        "interest_free": scenario.rate is not None and not scenario.rate,
        "first_payment": scenario.first_payment.isoformat(),
        "last_payment": payments[-1][0].isoformat() if payments else None,
        "last_amount": fmt_money(payments[-1][1]) if payments else None,
        "fits": scenario.fits,
        "schedule": [{"no": number, "date": on.isoformat(), "amount": fmt_money(amount)}
                     for number, (on, amount) in enumerate(payments, start=1)],
    }


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


def instalment(context: Context) -> tuple[dict[str, Any], list[Problem]]:
    """A personalised instalment plan: the frozen plan if it fits, else with interest."""
    budget, scenarios, offer, _ = _plan(context)
    warnings = _common(context)
    frozen = _of_kind(scenarios, "instalment_frozen")
    interest = _of_kind(scenarios, "instalment_interest")
    candidates = [s for s in (*frozen, *interest) if s.payments]
    chosen = next((s for s in candidates if s.fits), candidates[0] if candidates else None)
    if chosen is None:  # pragma: no cover - a debt with a payoff has an instalment plan
        raise InputError.one("--debt", _NOTHING_OWED, debt=context.debt.id,
                             date=context.as_of.isoformat())
    if not chosen.fits:
        warnings.append(Problem("--debt", _OVER_OFFER, {"monthly": fmt_money(chosen.monthly),
                                                        "offer": fmt_money(offer)}))
    proposal = _scenario(chosen)
    proposal["waived"] = fmt_money(Decimal(context.status["payoff"]) - chosen.balance)
    return ({"budget": budget, "proposal": proposal, "reservations": reservations(context)},
            warnings)


def deferment(context: Context) -> tuple[dict[str, Any], list[Problem]]:
    """A deferment: no payments for 3 months, then equal instalments."""
    budget, scenarios, offer, _ = _plan(context)
    warnings = _common(context)
    chosen = _of_kind(scenarios, "deferment")[0]
    interest = next((str(n.params["interest"]) for n in chosen.notes if "interest" in n.params),
                    "0.00")
    proposal = _scenario(chosen)
    proposal.update({
        "pause": DEFAULT_DEFER_MONTHS,
        "resume": add_months(context.as_of, DEFAULT_DEFER_MONTHS).isoformat(),
        "interest": interest,
        "new_balance": fmt_money(chosen.balance + Decimal(interest)),
    })
    if not chosen.fits:
        warnings.append(Problem("--debt", _OVER_OFFER, {"monthly": fmt_money(chosen.monthly),
                                                        "offer": fmt_money(offer)}))
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
