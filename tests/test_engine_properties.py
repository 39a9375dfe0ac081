"""Properties of the overdue engine on generated loans and payment histories: money is
conserved through the ledger, paying the payoff clears the loan, paying never makes the
debt bigger, DPD and bucket agree, and waiting never makes it smaller."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from arrears.debt import Debt
from arrears.engine import DEFAULT_WAITS, cost_of_waiting, position, replay
from arrears.events import Payment
from arrears.ledger import EntryKind
from arrears.money import CENT
from arrears.overdue import Component, LateFee, OverdueTerms, Penalty
from arrears.position import Bucket
from arrears.rate import Rate, RateBasis
from arrears.terms import Method, Terms

from .strategies import overdue_debts


def terms_of(debt: Debt) -> Terms:
    assert debt.terms is not None
    return debt.terms


def paid_by(debt: Debt, as_of: date) -> Debt:
    """``debt`` with only the payments made on or before ``as_of``."""
    return replace(debt, payments=tuple(p for p in debt.payments if p.on <= as_of))


def with_payment(debt: Debt, payment: Payment) -> Debt:
    """``debt`` with one more payment, after any others made the same day."""
    payments = sorted((*debt.payments, payment), key=lambda p: p.on)
    return replace(debt, payments=tuple(payments))


@given(overdue_debts())
def test_ledger_conserves_money(case: tuple[Debt, date]) -> None:
    """Payments = − allocations + credit held, to the fen; for each component, outstanding
    = due + accrued + charged + allocations (principal: plus principal not yet due)."""
    debt, as_of = case
    now, book = replay(debt, as_of)
    for entry in book:
        assert entry.amount == entry.amount.quantize(CENT)
        assert entry.on <= as_of
    payments = book.total(EntryKind.PAYMENT)
    assert payments == sum((p.amount for p in debt.payments if p.on <= as_of), Decimal(0))
    assert payments == -book.total(EntryKind.ALLOCATION) + now.credit
    assert book.total(EntryKind.CREDIT) == now.credit
    not_yet_due = terms_of(debt).principal - book.total(EntryKind.DUE, Component.PRINCIPAL)
    for component in Component:
        expected = book.outstanding(component)
        if component is Component.PRINCIPAL:
            expected += not_yet_due
        assert now.outstanding.get(component) == expected, component
        assert now.paid.get(component) == -book.total(EntryKind.ALLOCATION, component)


@given(overdue_debts())
def test_paying_the_payoff_clears_the_loan(case: tuple[Debt, date]) -> None:
    """The payoff paid on the as-of date leaves nothing owed, no credit, and nothing owed
    later either (penalties still in grace are cancelled by paying in full)."""
    debt, as_of = case
    debt = paid_by(debt, as_of)
    payoff = position(debt, as_of).payoff
    assume(payoff > 0)
    cleared = with_payment(debt, Payment(as_of, payoff))
    now = position(cleared, as_of)
    assert now.outstanding.total == now.payoff == now.credit == now.overdue_amount == 0
    assert (now.dpd, now.bucket, now.overdue_installments) == (0, Bucket.M0, 0)
    later = position(cleared, as_of + timedelta(days=400))
    assert later.outstanding.total == later.payoff == 0


@st.composite
def debts_and_one_more_payment(draw: st.DrawFn) -> tuple[Debt, date, Payment]:
    debt, as_of = draw(overdue_debts())
    on = draw(st.dates(min_value=terms_of(debt).start, max_value=as_of))
    most = terms_of(debt).principal * Decimal("1.2")
    amount = draw(st.one_of(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1.00"), places=2),
        st.decimals(min_value=Decimal("0.01"), max_value=most, places=2),
    ))
    return debt, as_of, Payment(on, amount)


@given(debts_and_one_more_payment())
def test_a_payment_never_increases_the_payoff(case: tuple[Debt, date, Payment]) -> None:
    """Any extra payment, on any day up to the as-of date, leaves the payoff the same or
    smaller — for contracts without acceleration; see the next test for why."""
    debt, as_of, payment = case
    debt = replace(debt, overdue=replace(debt.overdue, accelerate_after_days=None))
    assert position(with_payment(debt, payment), as_of).payoff <= position(debt, as_of).payoff


INTEREST_FIRST = Terms(principal=Decimal("100000.00"), rate=Rate(Decimal("0.24")), months=12,
                       start=date(2024, 1, 10), method=Method.INTEREST_FIRST)  # 2,000 a month
BALLOON = Terms(principal=Decimal("100000.00"), rate=Rate(Decimal("0.012")), months=3,
                start=date(2024, 1, 10), method=Method.INTEREST_FIRST)  # 100 a month


@pytest.mark.xfail(strict=True, reason=(
    "docs/overdue.md: acceleration cancels later interest and fees and accelerated "
    "instalments bear no late fee, so a payment that postpones acceleration can raise the "
    "payoff"))
@pytest.mark.parametrize(("debt", "payment", "as_of"), [
    pytest.param(
        Debt("loan", INTEREST_FIRST,
             OverdueTerms(penalty=Penalty(rate=Rate(Decimal("0.0003"), RateBasis.DAILY)),
                          accelerate_after_days=30),
             (Payment(date(2024, 2, 10), Decimal("1999.99")),)),
        Payment(date(2024, 2, 10), Decimal("0.01")), date(2024, 4, 10),
        id="later-interest-not-cancelled"),
    pytest.param(
        Debt("loan", BALLOON,
             OverdueTerms(late_fee=LateFee(percent=Decimal("0.05")), accelerate_after_days=30)),
        Payment(date(2024, 2, 10), Decimal("100.00")), date(2024, 5, 10),
        id="late-fee-on-the-balloon"),
])
def test_a_payment_that_postpones_acceleration_never_increases_the_payoff(
    debt: Debt, payment: Payment, as_of: date
) -> None:
    """later-interest-not-cancelled: 100,000 interest first at 24 % (2,000 a month),
    penalty 0.03 %/day (30.00 a day) on overdue principal, acceleration after 30 days.
    Instalment 1 is paid one fen short on its due date, 02-10: that fen keeps it unpaid, the
    loan accelerates on 03-12, interest stops and 30.00 a day of penalty runs instead:
    payoff on 04-10 102,999.04. Paying the fen too puts acceleration off to 04-10, after
    instalment 3's 2,000 interest has fallen due: payoff 104,000.00, 1,000.96 more.

    late-fee-on-the-balloon: 100,000 interest first over 3 months at 1.2 % (100.00 a
    month, principal due 04-10), late fee 5 %, acceleration after 30 days. Nothing paid:
    the principal falls due accelerated on 03-12, without a late fee; payoff on 05-10
    100,511.45. Instalment 1 paid on time: acceleration would come on 04-10, but the last
    instalment falls due that day first, in full, and its default on 04-11 charges 5 % of
    100,100.00 = 5,005.00: payoff 105,360.00, 4,848.55 more for 100.00 paid."""
    assert position(with_payment(debt, payment), as_of).payoff <= position(debt, as_of).payoff


@given(overdue_debts())
def test_dpd_and_bucket_agree(case: tuple[Debt, date]) -> None:
    """M0 iff DPD is 0, M7+ iff DPD is over 180, Mk for DPD in (30(k−1), 30k]; something
    is overdue iff DPD is positive."""
    debt, as_of = case
    now = position(debt, as_of)
    assert now.dpd >= 0
    assert (now.bucket is Bucket.M0) == (now.dpd == 0)
    assert (now.bucket is Bucket.M7) == (now.dpd > 180)
    if 0 < now.dpd <= 180:
        assert now.bucket.value == f"M{(now.dpd + 29) // 30}"
    assert (now.overdue_amount > 0) == (now.dpd > 0)
    assert now.overdue_amount <= now.outstanding.total


@given(overdue_debts())
def test_waiting_never_makes_the_payoff_smaller(case: tuple[Debt, date]) -> None:
    """With something overdue, the payoff 30, 60, 90 and 180 days on never falls: the
    cost of waiting assumes nothing more is paid, even when later payments are on record."""
    debt, as_of = case
    now = position(debt, as_of)
    assume(now.overdue_amount > 0)
    waits = cost_of_waiting(debt, as_of)
    assert [days for days, _ in waits] == list(DEFAULT_WAITS)
    payoffs = [now.payoff, *(payoff for _, payoff in waits)]
    assert payoffs == sorted(payoffs)


def test_cost_of_waiting_assumes_nothing_more_is_paid() -> None:
    """10,000 bullet at 18 %, due 2024-02-15, unpaid; 5,000 paid on 03-20. As of 03-16 the
    payoff 30 days on, paying nothing more, is 10,000 + 150 + 60 days × 7.50 = 10,600.00,
    not what the 5,000 paid on 03-20 leaves."""
    terms = Terms(principal=Decimal("10000.00"), rate=Rate(Decimal("0.18")), months=1,
                  start=date(2024, 1, 15), method=Method.BULLET)
    debt = Debt("bullet", terms, payments=(Payment(date(2024, 3, 20), Decimal("5000.00")),))
    waits = dict(cost_of_waiting(debt, date(2024, 3, 16)))
    assert waits[30] == Decimal("10600.00")


@given(overdue_debts())
def test_payments_after_the_as_of_date_are_ignored(case: tuple[Debt, date]) -> None:
    debt, as_of = case
    assert position(debt, as_of) == position(paid_by(debt, as_of), as_of)
