"""Invariants of every contractual schedule, over generated loans (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import numpy_financial as npf
from hypothesis import assume, given
from hypothesis import strategies as st

from arrears.cost import apr_of_schedule
from arrears.money import CENT, ZERO
from arrears.schedule import build_schedule, level_payment
from arrears.terms import Accrual, Method, Terms

from .strategies import amounts, loan_terms


@given(loan_terms())
def test_principal_repaid_equals_principal_lent(terms: Terms) -> None:
    schedule = build_schedule(terms)
    assert schedule.total_principal == terms.principal
    assert schedule.rows[-1].balance == ZERO


@given(loan_terms())
def test_balance_never_negative_and_never_rises(terms: Terms) -> None:
    balance = terms.principal
    for row in build_schedule(terms):
        assert row.principal >= 0
        assert row.interest >= 0
        assert row.balance >= 0
        assert row.balance == balance - row.principal
        balance = row.balance


@given(loan_terms())
def test_payment_splits_exactly(terms: Terms) -> None:
    schedule = build_schedule(terms)
    for row in schedule:
        assert row.payment - row.principal == row.interest + row.fee
        for amount in (row.payment, row.principal, row.interest, row.fee, row.balance):
            assert amount == amount.quantize(CENT)
    paid = sum((r.payment for r in schedule), ZERO)
    assert paid - schedule.total_principal == schedule.total_interest + (
        schedule.total_fees - terms.upfront_fee
    )


@given(loan_terms(methods=(Method.EQUAL_INSTALLMENT,)))
def test_equal_installment_is_level_but_the_last(terms: Terms) -> None:
    # A tiny loan over many months (100 yuan over 176 months) pays off early in fen steps.
    assume(terms.principal / terms.months >= 10)
    # At high rates over decades the half-fen rounding of the level payment compounds into
    # more than an instalment (6,230.53 at 34.28 % over 273 months), so the loan is repaid
    # early in fen steps: that is what the rounded schedule really does.
    assume((1 + terms.rate.monthly(terms.day_count)) ** terms.months < 50)
    schedule = build_schedule(terms)
    if terms.accrual is Accrual.MONTHLY and not terms.broken_first_period:
        payments = {r.payment for r in schedule.rows[:-1]}
        assert len(payments) <= 1


@given(amounts, st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.05"),
                            places=6), st.integers(min_value=1, max_value=480))
def test_level_payment_agrees_with_numpy_financial(
    principal: Decimal, rate: Decimal, count: int
) -> None:
    """numpy-financial's pmt is an independent implementation of the spreadsheet PMT."""
    expected = -npf.pmt(float(rate), count, float(principal))
    assert abs(level_payment(principal, rate, count) - Decimal(str(float(expected)))) <= CENT


@given(loan_terms(methods=(Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL,
                           Method.INTEREST_FIRST)))
def test_irr_of_schedule_gives_back_its_rate(terms: Terms) -> None:
    """A schedule built at monthly rate r with no fees has an IRR of r per month, up to
    the fen rounding of each instalment."""
    if terms.fee_rate or terms.accrual is Accrual.DAILY or terms.broken_first_period:
        terms = Terms(principal=terms.principal, rate=terms.rate, months=terms.months,
                      start=terms.start, method=terms.method, day_count=terms.day_count)
    apr = apr_of_schedule(build_schedule(terms))
    monthly = terms.rate.monthly(terms.day_count)
    tolerance = Decimal("0.01") * terms.months / terms.principal + Decimal("1e-10")
    assert abs(apr.periodic_rate - monthly) <= tolerance
