"""Affordability before borrowing (``docs/afford.md``): a loan offer against the household
budget, the debts already owed and the emergency fund.

:func:`assess` gives the offer's true APR and monthly payment, the existing debts' monthly
commitments (from the exact engine), the debt-service ratio, what is left after essentials
and all debt payments, the emergency fund in months, a stress case with income down 20 %,
and a verdict — ``affordable``, ``tight`` or ``not_affordable`` — with every reason that
applies. The thresholds are market practice, not law; each is a constant below and is
sourced in ``docs/afford.md``. :func:`afford_model` turns the result into JSON-ready data.

An offer file is a TOML ``[offer]`` table with the keys of a loan in a case file, ``start``
in place of ``disbursed``; :func:`load_offer` reports every problem at once, located as
``offer.toml: offer.rate: …``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from arrears.case import (
    Case,
    _choice,
    _Reader,
    _terms,
    _text,
    parse_case,
)
from arrears.cost import Apr, apr_of_schedule
from arrears.dates import add_months, month_of
from arrears.debt import Debt, LenderType
from arrears.errors import InputError, Problem
from arrears.i18n import N_, _
from arrears.limits import load_toml
from arrears.money import ZERO, round_money
from arrears.report import fmt_money, fmt_percent
from arrears.schedule import Installment, Schedule, build_schedule
from arrears.terms import Terms
from arrears.tracker import Tracker

__all__ = [
    "BALLOON_FACTOR",
    "DSR_LIMIT",
    "DSR_TIGHT",
    "FIRST_YEAR_MONTHS",
    "MIN_EMERGENCY_MONTHS",
    "STRESS_INCOME",
    "VERDICT_NAMES",
    "Affordability",
    "Commitment",
    "Offer",
    "Reason",
    "Verdict",
    "afford_model",
    "assess",
    "commitment",
    "income_on",
    "load_case_for_afford",
    "load_offer",
    "parse_offer",
]

# ---- thresholds: practice, not law (sources in docs/afford.md) ----------------------------

DSR_TIGHT = Decimal("0.36")
"""Debt payments above this share of income: tight (Fannie Mae's 36 % for manually
underwritten loans; the "28/36" rule of thumb)."""
DSR_LIMIT = Decimal("0.50")
"""Debt payments above this share of income: not affordable (Fannie Mae's 50 % ceiling for
automated underwriting; China's 2004 bank guideline caps all debt payments at 55 % of
income for a mortgage borrower)."""
STRESS_INCOME = Decimal("0.80")
"""The stress case: income down 20 %."""
MIN_EMERGENCY_MONTHS = Decimal(1)
"""Savings covering fewer months of essential expenses than this: tight."""
BALLOON_FACTOR = Decimal(2)
"""An instalment at least this many times the monthly payment is a balloon: tight."""
FIRST_YEAR_MONTHS = 12
"""The monthly payment is the largest instalment due within this many months."""

_RATIO = Decimal("0.0001")  # ratios are shown and judged to 4 places (0.01 %)
_MONTHS = Decimal("0.01")


class Verdict(enum.Enum):
    """How the offer fits the budget, best first."""

    AFFORDABLE = "affordable"
    TIGHT = "tight"
    NOT_AFFORDABLE = "not_affordable"


VERDICT_NAMES = {
    "affordable": N_("Affordable — the payments fit the budget with room to spare."),
    "tight": N_("Tight — the payments fit, but with little room for anything to go wrong."),
    "not_affordable": N_("Not affordable — this loan does not fit the budget."),
}

# ---- the offer file -------------------------------------------------------------------------

_OFFER = {"lender", "lender_type", "principal", "received", "method", "rate", "rate_basis",
          "day_count", "accrual", "term_months", "fee_rate", "upfront_fee", "first_due",
          "start"}


@dataclass(frozen=True, slots=True)
class Offer:
    """A loan offered: who lends, and the terms."""

    terms: Terms
    lender: str = ""
    lender_type: LenderType = LenderType.BANK
    warnings: tuple[Problem, ...] = field(default=())


def _offer_terms(r: _Reader, t: Mapping[str, Any], start_default: date) -> Terms | None:
    """The offer's terms: a loan's keys as in a case file, with ``start`` for
    ``disbursed``."""
    return _terms(r, t, "offer", len(r.problems), start_key="start",
                  start_default=start_default)


def parse_offer(data: Mapping[str, Any], source: str, start: date) -> Offer:
    """An :class:`Offer` from parsed TOML; ``start`` is the disbursement date when the file
    gives none. Every problem is raised at once, located as ``source: offer.key``."""
    r = _Reader()
    r.known(data, {"offer"}, "")
    raw = data.get("offer")
    terms: Terms | None = None
    lender, lender_type = "", LenderType.BANK
    if raw is None:
        r.bad("offer", N_("is required: the file needs an [offer] table"))
    elif not isinstance(raw, Mapping):
        r.bad("offer", N_("must be a table"))
    else:
        r.known(raw, _OFFER, "offer")
        lender = r.get(raw, "lender", "offer", _text, "")
        lender_type = r.get(raw, "lender_type", "offer", _choice(LenderType), LenderType.BANK)
        terms = _offer_terms(r, raw, start)
    if r.problems or terms is None:
        raise InputError(p.located(f"{source}: ") for p in r.problems)
    return Offer(terms=terms, lender=lender, lender_type=lender_type,
                 warnings=tuple(p.located(f"{source}: ") for p in r.warnings))


def load_offer(text: str, source: str, start: date) -> Offer:
    """Parse an offer file's text (``source`` names it in problems)."""
    data = load_toml(text, source)
    return parse_offer(data, source, start)


_PLACEHOLDER = {"id": "\x00afford-placeholder", "principal": "1", "rate": "0",
                "term_months": 1, "disbursed": date(2000, 1, 1)}


def load_case_for_afford(text: str, source: str) -> Case:
    """A case file for affordability: like :func:`arrears.case.load_case`, but a household
    with no debts yet is a case too (the most common one before a first loan)."""
    data = load_toml(text, source)
    if data.get("debts") in (None, []):
        # parse_case requires a debt; check the rest of the file against a placeholder
        # debt and take it away again.
        case = parse_case({**data, "debts": [_PLACEHOLDER]}, source)
        return replace(case, debts=())
    return parse_case(data, source)


# ---- existing debts -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Commitment:
    """What an existing debt asks for a month, as of a date (``docs/afford.md``).

    ``monthly``: for a debt not past due, the larger of the engine's due amount on
    ``next_due`` and the regular amount; for a debt past due, the regular amount alone — its
    arrears are ``past_due``, a stock to clear rather than a monthly cost (and a reason the
    offer is not affordable). The regular amount is the contractual instalment falling due on
    ``next_due`` (a card: its minimum-payment rule on the principal owed). Never more than the
    payoff on ``next_due``. ``dpd`` and ``past_due`` are on the as-of date.
    """

    debt: str
    kind: str
    next_due: date | None
    monthly: Decimal
    dpd: int
    past_due: Decimal


def _card_next_due(debt: Debt, on: date) -> date:
    card = debt.card
    assert card is not None
    first = card.balance_date.replace(day=card.statement_day)
    first = first if first >= card.balance_date else add_months(first, 1)
    gap = timedelta(days=card.payment_due_days)
    k = 0
    while add_months(first, k) + gap < on:
        k += 1
    return add_months(first, k) + gap


def _loan_next_due(debt: Debt, on: date) -> tuple[date, Decimal]:
    """The first contractual due date on or after ``on`` and its instalment; past maturity,
    ``on`` itself and nothing scheduled."""
    assert debt.terms is not None
    for row in build_schedule(debt.terms).rows:
        if row.due >= on:
            return row.due, row.payment
    return on, ZERO


def commitment(debt: Debt, as_of: date) -> Commitment:
    """The monthly commitment of ``debt`` on ``as_of`` (payments after it are left out)."""
    known = replace(debt, payments=tuple(p for p in debt.payments if p.on <= as_of))
    tracker = Tracker(known)
    if debt.card is not None:
        look = max(as_of, debt.card.balance_date)
        now = tracker.position(look)
        next_due = _card_next_due(debt, look)
        card = debt.card
        regular = max(round_money(card.min_payment_percent * now.outstanding.principal),
                      card.min_payment_floor)
    else:
        now = tracker.position(as_of)
        next_due, regular = _loan_next_due(debt, as_of)
    if not now.payoff:
        return Commitment(debt.id, debt.kind.value, None, ZERO, now.dpd, ZERO)
    then = tracker.position(next_due)
    monthly = regular if now.dpd > 0 else max(then.due_amount, regular)
    return Commitment(debt.id, debt.kind.value, next_due, min(monthly, then.payoff), now.dpd,
                      now.overdue_amount)


# ---- the assessment -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the verdict is what it is: a message id, its parameters, and the verdict it
    leads to by itself."""

    code: str
    verdict: Verdict
    message: str
    params: Mapping[str, Any]

    def render(self) -> str:
        return _(self.message).format(**self.params)


@dataclass(frozen=True, slots=True)
class Affordability:
    """Everything :func:`assess` found. Ratios are ``None`` when income is zero; months of
    cover are ``None`` when essential expenses are zero."""

    as_of: date
    offer: Offer
    schedule: Schedule
    apr: Apr
    monthly_payment: Decimal
    balloon: Installment | None
    income: Decimal
    essentials: Decimal
    commitments: tuple[Commitment, ...]
    existing_monthly: Decimal
    debt_service_ratio: Decimal | None
    left_after: Decimal
    savings: Decimal
    emergency_months: int
    emergency_target: Decimal
    months_covered: Decimal | None
    stress_income: Decimal
    stress_left_after: Decimal
    stress_debt_service_ratio: Decimal | None
    verdict: Verdict
    reasons: tuple[Reason, ...]

    @property
    def total_cost(self) -> Decimal:
        """Everything paid less the money actually received: interest and all fees."""
        paid = sum((row.payment for row in self.schedule.rows), ZERO)
        return paid - self.schedule.terms.amount_received


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole).quantize(_RATIO, rounding=ROUND_HALF_UP)


def income_on(case: Case, as_of: date) -> Decimal:
    """Monthly income in the as-of month, income changes applied."""
    household = case.household
    assert household is not None
    value = household.monthly_income
    for changed, amount in household.income_changes:
        if changed <= month_of(as_of):
            value = amount
    return value


def _monthly_payment(schedule: Schedule) -> tuple[Decimal, Installment | None]:
    """The largest instalment due within the first year, and the first instalment after it
    that is a balloon (at least :data:`BALLOON_FACTOR` times that)."""
    terms = schedule.terms
    horizon = add_months(terms.start, FIRST_YEAR_MONTHS)
    first_year = [row.payment for row in schedule.rows if row.due <= horizon]
    monthly = max(first_year, default=ZERO)
    balloon = next((row for row in schedule.rows
                    if row.due > horizon and row.payment >= BALLOON_FACTOR * monthly), None)
    return monthly, balloon


def assess(case: Case, offer: Offer, as_of: date) -> Affordability:
    """The offer against the household of ``case`` on ``as_of``."""
    household = case.household
    if household is None:
        raise InputError.one(case.source, N_("has no [household] table: affordability needs "
                                             "the monthly income, essential expenses and "
                                             "savings"))
    schedule = build_schedule(offer.terms)
    apr = apr_of_schedule(schedule)
    monthly, balloon = _monthly_payment(schedule)
    income = income_on(case, as_of)
    essentials = household.essential_expenses
    commitments = tuple(commitment(debt, as_of) for debt in case.debts)
    existing = sum((c.monthly for c in commitments), ZERO)
    payments = existing + monthly
    dsr = _ratio(payments, income)
    left = income - essentials - payments
    stress_income = round_money(income * STRESS_INCOME)
    stress_left = stress_income - essentials - payments
    stress_dsr = _ratio(payments, stress_income)
    target = essentials * household.emergency_fund_months
    covered = (None if essentials <= 0
               else (household.savings / essentials).quantize(_MONTHS, rounding=ROUND_HALF_UP))
    reasons = _reasons(commitments, income=income, dsr=dsr, left=left, stress_left=stress_left,
                       covered=covered, monthly=monthly, balloon=balloon)
    verdict = max((r.verdict for r in reasons), key=list(Verdict).index,
                  default=Verdict.AFFORDABLE)
    if verdict is Verdict.AFFORDABLE:
        reasons = [Reason("fits", Verdict.AFFORDABLE, N_(
            "Debt payments would take {ratio} of income, not above {limit}; {left} a month "
            "is left after essentials and all debt payments, and {stress} if income fell by "
            "{cut}; savings cover {months} months of essential expenses."),
            {"ratio": _pct(dsr), "limit": fmt_percent(DSR_TIGHT, 0), "left": fmt_money(left),
             "stress": fmt_money(stress_left), "cut": fmt_percent(1 - STRESS_INCOME, 0),
             "months": covered if covered is not None else "—"})]
    return Affordability(
        as_of=as_of, offer=offer, schedule=schedule, apr=apr, monthly_payment=monthly,
        balloon=balloon, income=income, essentials=essentials, commitments=commitments,
        existing_monthly=existing, debt_service_ratio=dsr, left_after=left,
        savings=household.savings, emergency_months=household.emergency_fund_months,
        emergency_target=target, months_covered=covered, stress_income=stress_income,
        stress_left_after=stress_left, stress_debt_service_ratio=stress_dsr,
        verdict=verdict, reasons=tuple(reasons))


def _pct(ratio: Decimal | None) -> str:
    return "—" if ratio is None else fmt_percent(ratio)


def _reasons(commitments: tuple[Commitment, ...], *, income: Decimal, dsr: Decimal | None,
             left: Decimal, stress_left: Decimal, covered: Decimal | None, monthly: Decimal,
             balloon: Installment | None) -> list[Reason]:
    """Every rule that applies, the ones that make the offer not affordable first."""
    no, tight = Verdict.NOT_AFFORDABLE, Verdict.TIGHT
    found: list[Reason] = []
    for c in commitments:
        if c.dpd > 0:
            found.append(Reason("past_due", no, N_(
                "{debt} is already {days} days past due ({amount} overdue): borrowing to "
                "repay is how arrears grow."),
                {"debt": c.debt, "days": c.dpd, "amount": fmt_money(c.past_due)}))
    if income <= 0:
        found.append(Reason("no_income", no, N_("There is no income to repay from."), {}))
    if left < 0:
        found.append(Reason("shortfall", no, N_(
            "After essential expenses and all debt payments {amount} a month would be "
            "missing."), {"amount": fmt_money(-left)}))
    if dsr is not None and dsr > DSR_LIMIT:
        found.append(Reason("dsr_over_limit", no, N_(
            "Debt payments would take {ratio} of income, above the {limit} lenders treat as "
            "the ceiling."), {"ratio": _pct(dsr), "limit": fmt_percent(DSR_LIMIT, 0)}))
    elif dsr is not None and dsr > DSR_TIGHT:
        found.append(Reason("dsr_high", tight, N_(
            "Debt payments would take {ratio} of income, above the {limit} lenders prefer."),
            {"ratio": _pct(dsr), "limit": fmt_percent(DSR_TIGHT, 0)}))
    if left >= 0 and stress_left < 0:
        found.append(Reason("stress_shortfall", tight, N_(
            "If income fell by {cut}, {amount} a month would be missing."),
            {"cut": fmt_percent(1 - STRESS_INCOME, 0), "amount": fmt_money(-stress_left)}))
    if covered is not None and covered < MIN_EMERGENCY_MONTHS:
        found.append(Reason("thin_savings", tight, N_(
            "Savings cover only {months} months of essential expenses (less than {least}): "
            "one surprise and a payment is missed."),
            {"months": covered, "least": MIN_EMERGENCY_MONTHS}))
    if balloon is not None:
        found.append(Reason("balloon", tight, N_(
            "Instalment {period} on {date} is {amount}, far more than the monthly payment of "
            "{monthly}: it has to be saved for or refinanced."),
            {"period": balloon.period, "date": balloon.due.isoformat(),
             "amount": fmt_money(balloon.payment), "monthly": fmt_money(monthly)}))
    return found


# ---- the report model -----------------------------------------------------------------------


def _fraction_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def afford_model(result: Affordability, currency: str = "CNY") -> dict[str, Any]:
    """JSON-ready data: money as strings with two places, ratios as fraction strings
    (``"0.4213"`` = 42.13 %), reasons rendered in the current language."""
    schedule, apr, terms = result.schedule, result.apr, result.schedule.terms
    return {
        "as_of": result.as_of.isoformat(),
        "currency": currency,
        "offer": {
            "lender": result.offer.lender,
            "lender_type": result.offer.lender_type.value,
            "principal": fmt_money(terms.principal),
            "amount_received": fmt_money(terms.amount_received),
            "term_months": terms.months,
            "start": terms.start.isoformat(),
            "apr": str(apr.apr),
            "effective_annual": str(apr.effective_annual),
            "first_payment": fmt_money(schedule.payment),
            "monthly_payment": fmt_money(result.monthly_payment),
            "total_paid": fmt_money(schedule.total_paid),
            "total_cost": fmt_money(result.total_cost),
            "balloon": None if result.balloon is None else {
                "period": result.balloon.period, "due": result.balloon.due.isoformat(),
                "amount": fmt_money(result.balloon.payment)},
        },
        "income": fmt_money(result.income),
        "essentials": fmt_money(result.essentials),
        "existing_monthly": fmt_money(result.existing_monthly),
        "existing_past_due": fmt_money(sum((c.past_due for c in result.commitments), ZERO)),
        "existing": [
            {"id": c.debt, "kind": c.kind,
             "next_due": c.next_due.isoformat() if c.next_due else None,
             "monthly": fmt_money(c.monthly), "dpd": c.dpd,
             "past_due": fmt_money(c.past_due)}
            for c in result.commitments
        ],
        "debt_service_ratio": _fraction_text(result.debt_service_ratio),
        "left_after": fmt_money(result.left_after),
        "emergency_fund": {
            "savings": fmt_money(result.savings),
            "months": result.emergency_months,
            "target": fmt_money(result.emergency_target),
            "months_covered": _fraction_text(result.months_covered),
        },
        "stress": {
            "income": fmt_money(result.stress_income),
            "left_after": fmt_money(result.stress_left_after),
            "debt_service_ratio": _fraction_text(result.stress_debt_service_ratio),
        },
        "verdict": result.verdict.value,
        "reasons": [r.render() for r in result.reasons],
        "reason_codes": [r.code for r in result.reasons],
        "thresholds": {
            "dsr_tight": str(DSR_TIGHT),
            "dsr_limit": str(DSR_LIMIT),
            "stress_income": str(STRESS_INCOME),
            "min_emergency_months": str(MIN_EMERGENCY_MONTHS),
            "balloon_factor": str(BALLOON_FACTOR),
        },
    }
