"""Repayment strategies replayed through the exact engine, triage and offers — including
the traps other planners shipped (../shared/domain/what-users-ask.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from arrears.debt import Debt, LenderType
from arrears.events import Payment
from arrears.overdue import LateFee, OverdueTerms, Penalty
from arrears.plan.model import Budget, PlanInput, payment_date
from arrears.plan.strategies import STRATEGIES, simulate
from arrears.plan.triage import triage
from arrears.rate import Rate
from arrears.schedule import build_schedule
from arrears.terms import Terms

START = date(2026, 12, 1)


def loan(debt_id: str, principal: str, rate: str, months: int = 24,
         start: date = date(2026, 11, 10), paid_to_date: bool = True,
         penalty: bool = False) -> Debt:
    terms = Terms(principal=Decimal(principal), rate=Rate(Decimal(rate)), months=months,
                  start=start)
    overdue = (OverdueTerms(penalty=Penalty(multiplier=Decimal("1.5")), compound=True,
                            late_fee=LateFee(percent=Decimal("0.05")))
               if penalty else OverdueTerms(penalty=Penalty(multiplier=Decimal(1))))
    payments: tuple[Payment, ...] = ()
    if paid_to_date:
        payments = tuple(Payment(r.due, r.payment) for r in build_schedule(terms).rows
                         if r.due < START)
    return Debt(debt_id, terms, overdue, payments, lender_type=LenderType.BANK)


def plan_input(debts: tuple[Debt, ...], income: str, months: int = 36,
               savings: str = "0") -> PlanInput:
    budget = Budget(income=(Decimal(income),), essentials=Decimal(3000),
                    savings=Decimal(savings), floor=Decimal(0))
    return PlanInput(start=START, months=months, debts=debts, budget=budget,
                     priority=tuple(d.id for d in reversed(debts)))


def test_minimums_are_never_pooled_onto_the_target() -> None:
    """FinSight-AI #1486/#1494: minimums were pooled and poured onto the target debt, so the
    other debts missed their own. Here every debt starts current and the budget covers all
    minimums plus extra: no strategy ever leaves a debt in arrears."""
    debts = (loan("a", "20000", "0.18"), loan("b", "8000", "0.06"), loan("c", "3000", "0.24"))
    inp = plan_input(debts, "6000")
    for name in STRATEGIES:
        result = simulate(inp, name)
        assert result.months_in_arrears == 0, name
        assert result.feasible, name


def test_avalanche_beats_snowball_on_cost() -> None:
    """app-fire-calculator PR #50 charged interest twice a month and inverted the
    recommendation. Replayed exactly, paying the dearest debt first never costs more than
    paying the smallest first."""
    debts = (loan("dear", "20000", "0.24"), loan("small", "3000", "0.04"))
    inp = plan_input(debts, "5000")
    avalanche, snowball = simulate(inp, "avalanche"), simulate(inp, "snowball")
    assert avalanche.total_interest_and_fees < snowball.total_interest_and_fees
    first_extra = avalanche.months[1].payments
    assert first_extra["dear"] > first_extra["small"]


def test_a_budget_below_the_minimums() -> None:
    """Every planner but this one assumes the minimums are affordable. With 300 a month for
    three debts asking far more: a plan still comes out, the shortfall is stated, and the
    offers share exactly what can be paid each month."""
    debts = (loan("a", "20000", "0.18", penalty=True), loan("b", "8000", "0.06", penalty=True),
             loan("c", "3000", "0.24", penalty=True))
    inp = plan_input(debts, "3300")
    first = triage(inp)
    assert first.shortfall > 0
    assert sum((o.monthly for o in first.offers), Decimal(0)) == Decimal(300)
    for offer in first.offers:
        assert not offer.priority
    for name in STRATEGIES:
        result = simulate(inp, name)
        assert not result.feasible
        assert result.months_in_arrears > 0
        for month in result.months:
            assert sum(month.payments.values(), Decimal(0)) <= Decimal(300)


def test_secured_debt_keeps_its_payment_in_the_offers() -> None:
    car = Debt("car", loan("car", "12000", "0.072").terms, secured=True,
               payments=loan("car", "12000", "0.072").payments)
    debts = (loan("a", "20000", "0.18"), car)
    first = triage(plan_input(debts, "3600"))
    offers = {o.debt: o for o in first.offers}
    assert offers["car"].priority
    assert offers["car"].monthly == build_schedule(car.terms).rows[1].payment  # type: ignore[arg-type]


@pytest.mark.parametrize("case", ["no_income", "one_debt", "zero_rate", "already_paid"])
def test_degenerate_inputs_give_a_plan(case: str) -> None:
    if case == "no_income":
        inp = plan_input((loan("a", "5000", "0.1"),), "0")
    elif case == "one_debt":
        inp = plan_input((loan("a", "5000", "0.1"),), "5000")
    elif case == "zero_rate":
        inp = plan_input((loan("a", "5000", "0"), loan("b", "1000", "0")), "4000")
    else:
        done = loan("a", "5000", "0.1", months=3, start=date(2026, 1, 10))
        inp = plan_input((done,), "4000")
    for name in STRATEGIES:
        result = simulate(inp, name)
        assert len(result.months) == inp.months
        if case in ("one_debt", "zero_rate", "already_paid"):
            assert result.feasible
        if case == "zero_rate":
            assert result.total_interest_and_fees == 0
        if case == "no_income":
            assert result.total_paid == 0


def test_payment_dates_follow_due_days() -> None:
    debt = loan("a", "5000", "0.1")
    assert [payment_date(debt, START, m) for m in range(3)] == [
        date(2026, 12, 10), date(2027, 1, 10), date(2027, 2, 10)]
    assert payment_date(debt, date(2026, 12, 20), 0) == date(2026, 12, 20)


def test_pro_rata_adds_up_to_the_fen() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from arrears.plan.triage import pro_rata

    @given(st.decimals(min_value=0, max_value=100000, places=2),
           st.lists(st.decimals(min_value=0, max_value=10**6, places=2), min_size=1,
                    max_size=8))
    def check(amount: Decimal, owed: list[Decimal]) -> None:
        shares = pro_rata(amount, owed)
        if sum(owed, Decimal(0)) > 0:
            assert sum(shares, Decimal(0)) == amount
            for share, debt in zip(shares, owed, strict=True):
                exact = amount * debt / sum(owed, Decimal(0))
                assert abs(share - exact) < Decimal("0.01")
        else:
            assert not any(shares)

    check()
