"""Hypothesis strategies for loans."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from arrears.dates import DayCount
from arrears.debt import Debt
from arrears.events import Payment
from arrears.money import ZERO, Rounding, round_money
from arrears.overdue import (
    ART_561_ORDER,
    Component,
    LateFee,
    OverdueTerms,
    Penalty,
    PenaltyBase,
)
from arrears.rate import Rate, RateBasis
from arrears.schedule import build_schedule
from arrears.terms import Accrual, LastPayment, Method, Terms

amounts = st.decimals(min_value=Decimal("100"), max_value=Decimal("5000000"), places=2)
annual_rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.36"), places=4)


@st.composite
def loan_terms(draw: st.DrawFn, methods: tuple[Method, ...] = tuple(Method)) -> Terms:
    principal = draw(amounts)
    method = draw(st.sampled_from(methods))
    months = draw(st.integers(min_value=1, max_value=360 if method is not Method.FLAT_FEE
                              else 60))
    start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)))
    fee_rate = draw(st.sampled_from([Decimal(0), Decimal("0.003"), Decimal("0.006")]))
    return Terms(
        principal=principal,
        rate=Rate(draw(annual_rates), RateBasis.ANNUAL),
        months=months,
        start=start,
        method=method,
        day_count=draw(st.sampled_from(list(DayCount))),
        accrual=draw(st.sampled_from(list(Accrual))),
        fee_rate=fee_rate,
    )


# -- overdue loans: contracts with overdue clauses, payment histories and as-of dates ------

_MULTIPLES = [Decimal("1.5"), Decimal("1.3"), Decimal("2"), Decimal("1")]
_ABSOLUTE = [Rate(Decimal("0.0005"), RateBasis.DAILY), Rate(Decimal("0.27"), RateBasis.ANNUAL),
             Rate(Decimal("0.0003"), RateBasis.DAILY), Rate(Decimal("0.2437"), RateBasis.ANNUAL)]


@st.composite
def late_fees(draw: st.DrawFn) -> LateFee:
    """None, a fixed amount, or a percent of the missed instalment, with or without a
    minimum and a cap."""
    kind = draw(st.sampled_from(["none", "fixed", "percent"]))
    if kind == "none":
        return LateFee()
    minimum = draw(st.sampled_from([ZERO, Decimal("30"), Decimal("5.55")]))
    maximum = draw(st.sampled_from([None, Decimal("100"), Decimal("500"), Decimal("40")]))
    if maximum is not None and maximum < minimum:
        maximum = None
    if kind == "fixed":
        amount = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200"), places=2))
        return LateFee(amount=amount, minimum=minimum, maximum=maximum)
    percent = draw(st.sampled_from([Decimal("0.05"), Decimal("0.06"), Decimal("0.0333")]))
    return LateFee(percent=percent, minimum=minimum, maximum=maximum)


@st.composite
def overdue_terms(draw: st.DrawFn) -> OverdueTerms:
    """Overdue clauses: grace 0–5 days, a penalty multiple or absolute rate, any base,
    compound on or off, any late fee, acceleration after 30–120 days or never, Art. 561 or
    any other allocation order."""
    if draw(st.booleans()):
        penalty = Penalty(multiplier=draw(st.sampled_from(_MULTIPLES)))
    else:
        penalty = Penalty(rate=draw(st.sampled_from(_ABSOLUTE)))
    allocation = draw(st.one_of(st.just(ART_561_ORDER),
                                st.permutations(list(Component)).map(tuple)))
    return OverdueTerms(
        grace_days=draw(st.integers(min_value=0, max_value=5)),
        penalty=penalty,
        penalty_base=draw(st.sampled_from(list(PenaltyBase))),
        compound=draw(st.booleans()),
        late_fee=draw(late_fees()),
        accelerate_after_days=draw(st.one_of(st.none(), st.integers(min_value=30,
                                                                     max_value=120))),
        allocation=allocation,
    )


@st.composite
def short_loan_terms(draw: st.DrawFn, max_months: int = 24) -> Terms:
    """Loans short enough to walk day by day; sometimes with a broken first period; any
    rounding rule, and for equal instalments either last payment."""
    method = draw(st.sampled_from(list(Method)))
    start = draw(st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)))
    first_due = None
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        first_due = start + timedelta(days=draw(st.integers(min_value=10, max_value=50)))
    return Terms(
        principal=draw(st.decimals(min_value=Decimal("100"), max_value=Decimal("2000000"),
                                   places=2)),
        rate=Rate(draw(annual_rates), RateBasis.ANNUAL),
        months=draw(st.integers(min_value=1, max_value=max_months)),
        start=start,
        method=method,
        first_due=first_due,
        day_count=draw(st.sampled_from(list(DayCount))),
        accrual=draw(st.sampled_from(list(Accrual))),
        fee_rate=draw(st.sampled_from([Decimal(0), Decimal("0.003"), Decimal("0.006")])),
        rounding=draw(st.sampled_from(list(Rounding))),
        last_payment=(draw(st.sampled_from(list(LastPayment)))
                      if method is Method.EQUAL_INSTALLMENT else LastPayment.ABSORB),
    )


def _edges(overdue: OverdueTerms) -> list[int]:
    """Days after a due date where the rules turn: the last day of grace, the day after it
    (default), and the days around acceleration."""
    grace = overdue.grace_days
    edges = [0, grace, grace + 1]
    if overdue.accelerate_after_days is not None:
        edges += [overdue.accelerate_after_days + k for k in (0, 1, 2)]
    return edges


@st.composite
def payment_histories(draw: st.DrawFn, terms: Terms, overdue: OverdueTerms,
                      last: date) -> tuple[Payment, ...]:
    """0–20 payments up to ``last``: whole instalments on their due dates or on a day where
    the rules turn, random amounts on random dates, now and then something near the
    balance."""
    rows = build_schedule(terms).rows
    payments = []
    for _ in range(draw(st.integers(min_value=0, max_value=20))):
        row = draw(st.sampled_from(rows))
        kind = draw(st.sampled_from(["on time", "late", "random", "large"]))
        if kind == "on time":
            on, amount = row.due, row.payment
        elif kind == "late":
            days = draw(st.sampled_from(_edges(overdue)) | st.integers(1, 40))
            on, amount = row.due + timedelta(days=days), row.payment
        else:
            on = draw(st.dates(min_value=terms.start, max_value=last))
            most = row.payment * 2 if kind == "random" else terms.principal * Decimal("1.2")
            amount = draw(st.decimals(min_value=Decimal("0.01"),
                                      max_value=max(round_money(most), Decimal(1)), places=2))
        if amount > 0:
            payments.append(Payment(on, amount))
    return tuple(sorted(payments, key=lambda p: p.on))


@st.composite
def overdue_debts(draw: st.DrawFn, max_months: int = 24) -> tuple[Debt, date]:
    """An instalment loan with overdue clauses and a payment history, and an as-of date
    from disbursement to 400 days past maturity, now and then a day where the rules turn
    (some payments may come after it)."""
    terms = draw(short_loan_terms(max_months))
    overdue = draw(overdue_terms())
    last = terms.maturity + timedelta(days=400)
    debt = Debt(id="loan", terms=terms, overdue=overdue,
                payments=draw(payment_histories(terms, overdue, last)))
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        due = draw(st.sampled_from(terms.due_dates()))
        return debt, due + timedelta(days=draw(st.sampled_from(_edges(overdue))))
    return debt, draw(st.dates(min_value=terms.start, max_value=last))
