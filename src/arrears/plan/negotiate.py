"""Negotiation scenarios for one debt: what each outcome a lender might agree to would cost,
replayed through the exact engine (:class:`~arrears.tracker.Tracker`) so every figure is
to the fen.

:func:`negotiation_scenarios` starts from the debt's exact position on the as-of date
(payments dated after it are left out) and returns, in this order:

``status_quo``
    The contract as written, from now on: in each month (0 = the as-of month, at most 60)
    the debt is paid, on its payment date (:func:`~arrears.plan.model.payment_date`: a
    loan's instalment day, a card's statement date + due days, the as-of date when that day
    has passed in month 0), exactly what is due that day (``Position.due_amount``: arrears
    with their penalties and late fees, then each instalment; a card: its unmet minimums)
    until nothing is owed. An accelerated or matured loan is therefore paid off on its first
    payment date. ``monthly`` is the largest of these payments (usually the first, arrears
    included); ``remaining`` is what would still be owed after 60 months (a card paid at the
    minimum may not be clear by then).

``deferment`` (延期还款, 展期)
    No payments for ``defer_months`` (default 3) months from the as-of date. The payoff on
    the as-of date (penalties to date included) becomes a new loan: interest runs at the
    contract rate, simple (payoff × daily rate × days under the contract's day count, rounded
    half up), and is added to the balance when the pause ends; penalties, compound interest
    and late fees stop. The balance is then repaid in equal monthly instalments (等额本息,
    interest = balance × annual rate / 12) at the contract rate, the first one month after the
    pause ends, over the loan's remaining term — the instalments of the original schedule due
    after the as-of date, at least 1. A card has no term: it gets the shortest term that fits
    the offer, as an instalment plan does. Deferment is contractual: the lender may agree or
    refuse, and there is no legal right to one (apart from time-limited policy relief).

``instalment_frozen`` and ``instalment_interest`` (个性化分期)
    The debt restructured into equal monthly instalments, a new loan starting on the as-of
    date with the first instalment one month later:

    * *frozen* — what people ask for as "停息挂账": the principal, contract interest and
      contract fees already due (less any credit held), with penalty interest, compound
      interest and late fees waived and no new interest (0 %). Its total is exactly that
      balance (0, with no payments, when only penalties and late fees are owed).
    * *with interest* — the whole payoff on the as-of date (penalties to date included) at
      the contract rate (a card: its rate a year, e.g. 0.05 %/day × 360 = 18 %); no fees.

    The term is the shortest n ≤ 60 months in which every instalment fits the offer:
    ``monthly_offer``, or if it is ``None`` the household's money in the first month
    (``budget.available(0)``), never below 0. If even 60 months do not fit, the plan is 60
    months and flagged (``fits`` false). A real offer usually lies between the two. A plan is
    at the lender's discretion: for credit cards, Art. 70 of the 2011 card rules lets the
    bank agree one of up to 5 years, and whether interest and fees run during it is
    negotiated, not waived by law. The last instalment absorbs the rounding and may differ
    from the others by a few fen.

``settlement`` (one per percent: 60 %, 70 %, 80 % by default)
    A lump sum of that percent of the payoff on the as-of date (rounded half up to the fen),
    paid 30 days after the as-of date; ``total_paid`` is the lump. A settlement is usually
    reported as settled, not paid in full, and may affect the credit record.

For every scenario ``total_paid`` is what would be paid, ``remaining`` what would still be
owed at its end (0 except an unfinished status quo), ``cost`` their sum, and ``saving`` the
status quo's cost less this scenario's (negative: it costs more). ``monthly`` is the amount
to propose: a plan's first instalment (for a deferment, the first after the pause), a
settlement's lump, the status quo's largest payment. ``fits`` says whether the household
can pay it: every payment within the offer (a settlement: the lump within savings plus one
month's offer). ``first_payment`` is the date of the first payment (the as-of date when
there is none); ``months`` the scenario's length in months: the status quo from the as-of
month to the month of its last payment, both counted (60 if it does not clear the debt), a
deferment the pause plus its instalments, a plan its instalments, a settlement 1.
``payments`` lists every dated payment replayed. ``notes`` are message ids with their
parameters (already formatted as text), rendered in the reader's language. A debt with
nothing owed gets only a status quo of zeros.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from arrears.dates import DayCount, add_months, day_count_days
from arrears.debt import Debt, DebtKind
from arrears.i18n import N_
from arrears.money import ZERO, round_money
from arrears.overdue import OverdueTerms
from arrears.plan.model import Budget, payment_date
from arrears.position import Position
from arrears.rate import Rate
from arrears.report import fmt_money, fmt_percent
from arrears.schedule import build_schedule
from arrears.terms import Method, Terms
from arrears.tracker import Tracker

__all__ = [
    "DEFAULT_DEFER_MONTHS",
    "DEFAULT_SETTLEMENT_PERCENTS",
    "KINDS",
    "MAX_PLAN_MONTHS",
    "SETTLEMENT_DAYS",
    "Note",
    "Scenario",
    "negotiation_scenarios",
    "pause_interest",
]

MAX_PLAN_MONTHS = 60  # Art. 70 of the 2011 card rules: up to 5 years
DEFAULT_DEFER_MONTHS = 3
DEFAULT_SETTLEMENT_PERCENTS = (Decimal("0.60"), Decimal("0.70"), Decimal("0.80"))
SETTLEMENT_DAYS = 30
KINDS = ("status_quo", "deferment", "instalment_frozen", "instalment_interest", "settlement")

Payments = tuple[tuple[date, Decimal], ...]


@dataclass(frozen=True, slots=True)
class Note:
    """A message id (marked with ``N_``) and the parameters it is formatted with."""

    message: str
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def _note(message: str, **params: str) -> Note:
    return Note(message, MappingProxyType(params))


@dataclass(frozen=True, slots=True)
class Scenario:
    """One negotiated outcome for a debt, replayed (semantics in the module docstring).

    ``balance`` is what the scenario starts from (the payoff on the as-of date; for the
    frozen plan, the principal, interest and fees already due); ``rate`` the annual rate a
    new loan bears (``None`` when there is none); ``percent`` a settlement's share of the
    payoff; ``fits`` whether the household can pay it; ``payments`` every dated payment
    replayed.
    """

    kind: str
    months: int
    monthly: Decimal
    total_paid: Decimal
    saving: Decimal
    first_payment: date
    notes: tuple[Note, ...] = ()
    balance: Decimal = ZERO
    remaining: Decimal = ZERO
    fits: bool = True
    rate: Decimal | None = None
    percent: Decimal | None = None
    payments: Payments = ()

    @property
    def cost(self) -> Decimal:
        """What the scenario costs in all: paid, plus still owed at its end."""
        return self.total_paid + self.remaining


# -- notes -----------------------------------------------------------------------------

_NOTHING_OWED = N_("Nothing is owed on {date}.")
_CONTRACT = N_("What the contract asks: what is overdue now, then each payment on its due "
               "date.")
_CURRENT = N_("This debt is being paid on time: lenders rarely agree to change a debt that "
              "is current.")
_NOT_CLEARED = N_("Paying only what falls due still leaves {remaining} owed after {months} "
                  "months.")
_OVER_OFFER = N_("{amount} in one month is more than the {offer} a month on offer.")
_DEFER_DISCRETION = N_("A deferment is contractual: the lender may agree or refuse, and there "
                       "is no legal right to one.")
_DEFER_TERMS = N_("No payments for {months} months: {interest} of interest at the contract "
                  "rate is added to the balance, and penalties stop.")
_PLAN_DISCRETION = N_("A personalised instalment plan (个性化分期) is at the lender's "
                      "discretion; for credit cards Art. 70 of the 2011 card rules allows up "
                      "to 5 years, and whether interest and fees run during the plan is "
                      "negotiated.")
_FROZEN = N_("No new interest, and penalties, compound interest and late fees waived: what "
             "people ask for as \"停息挂账\", which is not a legal term; the lender need not "
             "agree.")
_WITH_INTEREST = N_("The whole payoff, penalties included, at the contract rate of {rate} a "
                    "year: the most a plan is likely to cost.")
_PLAN_TOO_BIG = N_("Even over {months} months the instalment of {monthly} is more than the "
                   "{offer} a month on offer.")
_CARD_PLAN = N_("While a card plan runs you promise not to apply for a credit card at any "
                "bank; once it is signed, collection must stop (Art. 70).")
_RECORD_STAYS = N_("Late payments already on the credit record stay there for 5 years after "
                   "the default ends; a plan does not remove them.")
_SETTLEMENT = N_("{percent} of the payoff of {payoff}, paid in one sum by {date}; get the "
                 "agreement in writing before paying.")
_SETTLED_NOT_PAID = N_("A settlement is usually reported as settled, not paid in full, and "
                       "may affect the credit record.")


# -- the scenarios ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Start:
    """What every scenario starts from."""

    debt: Debt  # payments after the as-of date left out
    as_of: date
    now: Position
    offer: Decimal
    savings: Decimal
    rate: Rate
    day_count: DayCount


def negotiation_scenarios(
    debt: Debt, as_of: date, budget: Budget, monthly_offer: Decimal | None = None, *,
    defer_months: int = DEFAULT_DEFER_MONTHS,
    settlement_percents: tuple[Decimal, ...] = DEFAULT_SETTLEMENT_PERCENTS,
    settlement_days: int = SETTLEMENT_DAYS,
) -> tuple[Scenario, ...]:
    """What each negotiated outcome for ``debt`` would cost from ``as_of``: the status quo,
    a deferment, a frozen and an interest-bearing instalment plan, and settlements — see
    the module docstring for exactly how each is built."""
    known = replace(debt, payments=tuple(p for p in debt.payments if p.on <= as_of))
    now = Tracker(known).position(as_of)
    offer = max(budget.available(0) if monthly_offer is None else monthly_offer, ZERO)
    rate, day_count = _contract_rate(known)
    start = _Start(known, as_of, now, offer, max(budget.savings, ZERO), rate, day_count)
    status = _status_quo(start)
    if not now.payoff:
        return (status,)
    found = [_deferment(start, defer_months), _frozen(start), _with_interest(start)]
    found += [_settlement(start, share, settlement_days) for share in settlement_percents]
    return (status, *(replace(s, saving=status.cost - s.cost) for s in found))


def _contract_rate(debt: Debt) -> tuple[Rate, DayCount]:
    """The contract rate and day count; a card's rate as an annual rate (ACT/360)."""
    if debt.card is not None:
        return Rate(debt.card.rate.annual(debt.card.day_count)), debt.card.day_count
    if debt.terms is None:  # pragma: no cover - a debt is a loan or a card
        raise ValueError(f"debt {debt.id!r} has neither loan terms nor card terms")
    return debt.terms.rate, debt.terms.day_count


def pause_interest(debt: Debt, start: date, until: date, payoff: Decimal) -> tuple[Decimal,
                                                                                   Decimal]:
    """The interest a deferment adds to ``payoff`` from ``start`` to ``until``, as the
    deferment scenario counts it (simple, at the contract rate under its day count, rounded
    half up), and that rate a year."""
    rate, day_count = _contract_rate(debt)
    interest = round_money(payoff * rate.daily(day_count)
                           * day_count_days(start, until, day_count))
    return interest, rate.annual(day_count)


def _status_quo(start: _Start) -> Scenario:
    debt, as_of, now = start.debt, start.as_of, start.now
    if not now.payoff:
        return Scenario("status_quo", 0, ZERO, ZERO, ZERO, as_of,
                        (_note(_NOTHING_OWED, date=as_of.isoformat()),))
    tracker = Tracker(debt)
    payments: list[tuple[date, Decimal]] = []
    remaining = now.payoff
    last_month = MAX_PLAN_MONTHS - 1
    for month in range(MAX_PLAN_MONTHS):
        on = payment_date(debt, as_of, month)
        position = tracker.position(_look_on(debt, on))
        amount = min(position.due_amount, position.payoff)
        if amount > 0:
            tracker.pay(on, amount)
            payments.append((on, amount))
        remaining = tracker.position(on).payoff
        if not remaining:
            last_month = month
            break
    peak = max((amount for _, amount in payments), default=ZERO)
    notes = [_note(_CONTRACT)]
    if now.dpd == 0:
        notes.append(_note(_CURRENT))
    if remaining:
        notes.append(_note(_NOT_CLEARED, remaining=fmt_money(remaining),
                           months=str(MAX_PLAN_MONTHS)))
    if peak > start.offer:
        notes.append(_note(_OVER_OFFER, amount=fmt_money(peak), offer=fmt_money(start.offer)))
    return Scenario(
        "status_quo", last_month + 1, peak, tracker.paid, ZERO,
        payments[0][0] if payments else as_of, tuple(notes), balance=now.payoff,
        remaining=remaining, fits=peak <= start.offer, payments=tuple(payments),
    )


def _look_on(debt: Debt, on: date) -> date:
    """The day to read what is due before paying on ``on``: ``on`` itself, except for a card
    when ``on`` is a statement day — the card engine cuts the statement at the end of that
    day once it has looked at it, so a payment that day (which comes before the cut) must
    be decided from the day before."""
    card = debt.card
    if card is not None and on.day == card.statement_day and on > card.balance_date:
        return on - timedelta(days=1)
    return on


def _terms(start: _Start, balance: Decimal, rate: Rate, begin: date, months: int) -> Terms:
    return Terms(principal=balance, rate=rate, months=months, start=begin,
                 method=Method.EQUAL_INSTALLMENT, day_count=start.day_count)


def _largest(terms: Terms) -> Decimal:
    return max(row.payment for row in build_schedule(terms).rows)


def _fit(start: _Start, balance: Decimal, rate: Rate, begin: date) -> tuple[Terms, bool]:
    """The shortest term of at most 60 months in which every instalment is within the
    offer, and whether there is one (if not: 60 months)."""
    for months in range(1, MAX_PLAN_MONTHS + 1):
        terms = _terms(start, balance, rate, begin, months)
        if _largest(terms) <= start.offer:
            return terms, True
    return terms, False


def _plan(kind: str, start: _Start, terms: Terms, notes: list[Note], *, balance: Decimal,
          pause: int = 0) -> Scenario:
    """Each instalment of ``terms`` paid on its due date through the engine."""
    loan = Debt(start.debt.id, terms=terms, overdue=OverdueTerms(), lender=start.debt.lender,
                lender_type=start.debt.lender_type, kind=DebtKind.INSTALLMENT_LOAN)
    tracker = Tracker(loan)
    payments = tuple((row.due, row.payment) for row in build_schedule(terms).rows)
    for on, amount in payments:
        tracker.pay(on, amount)
    remaining = tracker.position(terms.maturity).payoff
    return Scenario(kind, pause + terms.months, payments[0][1], tracker.paid, ZERO,
                    payments[0][0], tuple(notes), balance=balance, remaining=remaining,
                    rate=terms.rate.annual(terms.day_count), payments=payments)


def _remaining_term(start: _Start) -> int | None:
    """Instalments of the original schedule due after the as-of date (at least 1);
    ``None`` for a card."""
    if start.debt.terms is None:
        return None
    rows = build_schedule(start.debt.terms).rows
    return max(sum(1 for row in rows if row.due > start.as_of), 1)


def _deferment(start: _Start, defer_months: int) -> Scenario:
    as_of, payoff, rate = start.as_of, start.now.payoff, start.rate
    resume = add_months(as_of, defer_months)
    interest = round_money(payoff * rate.daily(start.day_count)
                           * day_count_days(as_of, resume, start.day_count))
    balance = payoff + interest
    term = _remaining_term(start)
    if term is None:
        terms, fits = _fit(start, balance, rate, resume)
    else:
        terms = _terms(start, balance, rate, resume, term)
        fits = _largest(terms) <= start.offer
    notes = [_note(_DEFER_DISCRETION),
             _note(_DEFER_TERMS, months=str(defer_months), interest=fmt_money(interest))]
    if not fits:
        notes.append(_note(_OVER_OFFER, amount=fmt_money(_largest(terms)),
                           offer=fmt_money(start.offer)))
    scenario = _plan("deferment", start, terms, notes, balance=payoff, pause=defer_months)
    return replace(scenario, fits=fits)


def _plan_notes(start: _Start, first: Note) -> list[Note]:
    notes = [_note(_PLAN_DISCRETION), first]
    if start.debt.card is not None:
        notes.append(_note(_CARD_PLAN))
    if start.now.dpd > 0:
        notes.append(_note(_RECORD_STAYS))
    return notes


def _instalments(kind: str, start: _Start, balance: Decimal, rate: Rate,
                 notes: list[Note]) -> Scenario:
    terms, fits = _fit(start, balance, rate, start.as_of)
    if not fits:
        notes.append(_note(_PLAN_TOO_BIG, months=str(terms.months),
                           monthly=fmt_money(_largest(terms)), offer=fmt_money(start.offer)))
    return replace(_plan(kind, start, terms, notes, balance=balance), fits=fits)


def _frozen(start: _Start) -> Scenario:
    owed = start.now.outstanding
    balance = max(owed.principal + owed.interest + owed.fees - start.now.credit, ZERO)
    notes = _plan_notes(start, _note(_FROZEN))
    if not balance:  # only penalties and late fees were owed: all waived
        return Scenario("instalment_frozen", 0, ZERO, ZERO, ZERO, start.as_of, tuple(notes),
                        rate=ZERO)
    return _instalments("instalment_frozen", start, balance, Rate(ZERO), notes)


def _with_interest(start: _Start) -> Scenario:
    annual = start.rate.annual(start.day_count)
    notes = _plan_notes(start, _note(_WITH_INTEREST, rate=fmt_percent(annual)))
    return _instalments("instalment_interest", start, start.now.payoff, start.rate, notes)


def _settlement(start: _Start, share: Decimal, days: int) -> Scenario:
    payoff = start.now.payoff
    lump = round_money(payoff * share)
    on = start.as_of + timedelta(days=days)
    notes = (_note(_SETTLEMENT, percent=fmt_percent(share, 0), payoff=fmt_money(payoff),
                   date=on.isoformat()),
             _note(_SETTLED_NOT_PAID))
    return Scenario("settlement", 1, lump, lump, ZERO, on, notes, balance=payoff,
                    fits=lump <= start.savings + start.offer, percent=share,
                    payments=((on, lump),))
