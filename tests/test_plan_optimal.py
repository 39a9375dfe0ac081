"""The least-cost plan (arrears.plan.optimal): a linear programme on a monthly model, solved
with HiGHS, whose schedule is replayed through the exact engine.

The households are small enough to check by eye: loans from the 10th of November 2026, paid
to date, a plan starting on the 1st of December; 3,000 a month of essentials.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from arrears.card import CardTerms
from arrears.debt import Debt, DebtKind
from arrears.events import Payment
from arrears.money import ZERO
from arrears.plan.model import Budget, PlanInput, Schedule
from arrears.plan.optimal import OptimalResult, decider, optimal_schedule
from arrears.plan.replay import PlanResult, run_plan
from arrears.plan.strategies import STRATEGIES, simulate
from arrears.rate import Rate
from arrears.schedule import build_schedule
from arrears.terms import Terms

pytest.importorskip("highspy")

from .test_plan import START, loan

ESSENTIALS = Decimal(3000)


def card(debt_id: str, balance: str, statement_day: int = 5) -> Debt:
    """A card with 0.05 %/day, a 10 % minimum (at least 100) and a 5 % 违约金."""
    return Debt(debt_id, kind=DebtKind.CREDIT_CARD,
                card=CardTerms(balance=Decimal(balance), balance_date=date(2026, 10, 5),
                               statement_day=statement_day))


def household(debts: tuple[Debt, ...], income: str | None, months: int = 36,
              savings: str = "0", floor: str = "0") -> PlanInput:
    budget = Budget(income=(Decimal(income),) if income is not None else (),
                    essentials=ESSENTIALS, savings=Decimal(savings), floor=Decimal(floor))
    return PlanInput(start=START, months=months, debts=debts, budget=budget)


def instalment(debt: Debt) -> Decimal:
    assert debt.terms is not None
    return build_schedule(debt.terms).rows[0].payment


def replayed(inp: PlanInput, result: OptimalResult) -> PlanResult:
    return run_plan(inp, "optimal", decider(result))


def assert_well_formed(inp: PlanInput, result: OptimalResult) -> None:
    """Every month names every debt, with an amount in whole fen, never negative, and the
    month's total never above the cash there is (counted as the replay counts it)."""
    assert isinstance(result.status, str)
    assert result.status
    assert result.build_seconds >= 0
    assert result.solve_seconds >= 0
    assert len(result.schedule) == max(inp.months, 0)
    cash = inp.budget.savings
    for month, amounts in enumerate(result.schedule):
        assert set(amounts) == {d.id for d in inp.debts}
        for amount in amounts.values():
            assert amount >= 0
            assert amount == amount.quantize(Decimal("0.01"))
        cash += inp.budget.available(month)
        total = sum(amounts.values(), ZERO)
        assert total <= max(cash, ZERO), month
        cash -= total


def totals(schedule: Schedule, debt_id: str) -> list[Decimal]:
    return [month[debt_id] for month in schedule]


# --- the order of extra payments --------------------------------------------------------


def test_extra_goes_to_the_dearer_loan_first() -> None:
    """Two current loans, no penalties, money to spare: what the plan pays beyond a loan's
    instalment goes to the 24 % loan until it is paid off, and only then to the 4 % one
    (avalanche order) — pure cost may even leave the cheap loan's instalments for later,
    since here being late costs nothing more; a weight on arrears above the 2 % a month the
    dear loan costs keeps the cheap one current."""
    dear, cheap = loan("dear", "20000", "0.24"), loan("cheap", "3000", "0.04")
    inp = household((dear, cheap), "5000")
    for weight in (ZERO, Decimal("0.03")):
        result = optimal_schedule(inp, arrears_weight=weight)
        assert result.status == "Optimal"
        assert_well_formed(inp, result)
        cleared = result.clears["dear"]
        assert 8 <= cleared <= result.clears["cheap"]
        for month in range(cleared):
            paid = result.schedule[month]
            assert paid["dear"] > instalment(dear), (weight, month)
            assert paid["cheap"] <= instalment(cheap), (weight, month)
            if weight:
                assert paid["cheap"] == instalment(cheap), month
        assert result.schedule[cleared]["cheap"] > instalment(cheap)
        assert all(month["dear"] == 0 for month in result.schedule[cleared + 1:])


def test_weighing_arrears_keeps_every_debt_current() -> None:
    """With a weight on arrears the replayed plan is never behind, like the strategies,
    and costs no more than the cheapest of them (to the yuan)."""
    debts = (loan("a", "20000", "0.18", penalty=True), loan("b", "8000", "0.06", penalty=True),
             loan("c", "3000", "0.24", penalty=True))
    inp = household(debts, "6000")
    plan = replayed(inp, optimal_schedule(inp, arrears_weight=Decimal("0.05")))
    assert plan.feasible
    assert plan.months_in_arrears == 0
    best = min(simulate(inp, name).total_interest_and_fees for name in STRATEGIES)
    assert plan.total_interest_and_fees <= best + 1


# --- a budget that cannot cover the minimums ----------------------------------------------


def test_a_budget_below_the_minimums() -> None:
    """300 a month for three penalty-bearing loans asking over 1,700: no crash, a status,
    every month within the cash there is — and, replayed exactly, less left owing at the
    end than any strategy leaves."""
    debts = (loan("a", "20000", "0.18", penalty=True), loan("b", "8000", "0.06", penalty=True),
             loan("c", "3000", "0.24", penalty=True))
    inp = household(debts, "3300")
    result = optimal_schedule(inp)
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    assert all(sum(month.values(), ZERO) <= 300 for month in result.schedule)
    plan = replayed(inp, result)
    assert not plan.feasible
    assert plan.total_paid == 300 * 36
    assert plan.remaining < min(simulate(inp, name).remaining for name in STRATEGIES)


def test_money_beyond_the_minimums_waits_for_the_floor() -> None:
    """Minimums may use savings down to nothing; extra only comes from cash above the
    floor. With 2,000 a month to spare, a 5,000 floor and nothing saved, the first months
    pay just the instalment and the cash builds up to the floor before any extra goes."""
    only = loan("only", "20000", "0.24")
    inp = household((only,), "5000", floor="5000")
    result = optimal_schedule(inp)
    assert_well_formed(inp, result)
    due = instalment(only)
    cash = ZERO
    for month, amounts in enumerate(result.schedule[:12]):
        cash += inp.budget.available(month) - amounts["only"]
        if amounts["only"] > due:
            assert cash >= 5000 - Decimal("0.01"), month
    assert result.schedule[0]["only"] == due
    assert any(m["only"] > due for m in result.schedule[:12])


# --- degenerate households ---------------------------------------------------------------


def test_no_income() -> None:
    """Income below essentials and nothing saved: nothing can be paid without going short
    of essentials, so the plan pays nothing — and says so with a status."""
    debts = (loan("a", "20000", "0.18", penalty=True), card("card", "8000"))
    inp = household(debts, None, months=12)
    result = optimal_schedule(inp)
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    assert all(amount == 0 for month in result.schedule for amount in month.values())
    assert result.clears == {}


def test_savings_but_no_income() -> None:
    """With savings and no income, the essentials of the whole horizon come first: the plan
    pays debts only from what the savings hold beyond them."""
    debts = (loan("a", "20000", "0.18", penalty=True),)
    inp = household(debts, None, months=12, savings="50000")
    result = optimal_schedule(inp)
    assert_well_formed(inp, result)
    paid = sum((sum(m.values(), ZERO) for m in result.schedule), ZERO)
    assert 0 < paid <= 50000 - 12 * ESSENTIALS


def test_one_debt() -> None:
    only = loan("only", "8000", "0.12")
    inp = household((only,), "6000", months=12)
    result = optimal_schedule(inp)
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    plan = replayed(inp, result)
    assert plan.feasible
    assert plan.months_in_arrears == 0


def test_zero_rate_debts() -> None:
    """An interest-free loan (GnuCash bug 769746: 0 % loans broke its loan assistant) and a
    dear one: nothing is paid on the free loan beyond what it costs, which is its principal."""
    free, dear = loan("free", "6000", "0"), loan("dear", "6000", "0.24")
    inp = household((free, dear), "5000", months=24)
    result = optimal_schedule(inp, arrears_weight=Decimal("0.01"))
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    assert result.clears["dear"] < result.clears["free"]
    plan = replayed(inp, result)
    assert plan.feasible
    assert sum((m.payments.get("free", ZERO) for m in plan.months), ZERO) == 6000


def test_a_debt_already_paid_off() -> None:
    """A loan paid in full before the start has no variables: it is paid nothing, and the
    others are planned as if it were not there."""
    terms = Terms(principal=Decimal(5000), rate=Rate(Decimal("0.12")), months=6,
                  start=date(2026, 1, 10))
    done = Debt("done", terms, payments=tuple(Payment(r.due, r.payment)
                                              for r in build_schedule(terms).rows))
    other = loan("other", "8000", "0.12")
    with_done = optimal_schedule(household((done, other), "6000", months=12))
    alone = optimal_schedule(household((other,), "6000", months=12))
    assert all(month["done"] == 0 for month in with_done.schedule)
    assert totals(with_done.schedule, "other") == totals(alone.schedule, "other")
    nothing = optimal_schedule(household((done,), "6000", months=12))
    assert nothing.status == "Empty"
    assert all(month["done"] == 0 for month in nothing.schedule)
    assert_well_formed(household((done,), "6000", months=12), nothing)


def test_no_debts_and_no_months() -> None:
    assert optimal_schedule(household((), "6000")).schedule == tuple({} for _ in range(36))
    empty = optimal_schedule(household((loan("a", "8000", "0.12"),), "6000", months=0))
    assert empty.schedule == ()
    assert empty.status == "Empty"


def test_a_loan_long_past_maturity() -> None:
    """A loan that matured unpaid a year before the start: everything is overdue (no
    contract path left), penalty runs on all of it, and the plan pays it off first."""
    old = loan("old", "5000", "0.18", months=6, start=date(2025, 6, 10), paid_to_date=False,
               penalty=True)
    newer = loan("newer", "8000", "0.24")
    inp = household((old, newer), "7000", months=24)
    result = optimal_schedule(inp)
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    assert result.clears["old"] <= result.clears["newer"]
    assert replayed(inp, result).feasible


def test_cards_and_loans_together() -> None:
    debts = (card("card", "12000"), loan("loan", "20000", "0.15", penalty=True),
             card("store", "3000", statement_day=20))
    inp = household(debts, "8000")
    result = optimal_schedule(inp, arrears_weight=Decimal("0.01"))
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    plan = replayed(inp, result)
    assert plan.feasible
    assert plan.total_interest_and_fees <= min(
        simulate(inp, name).total_interest_and_fees for name in STRATEGIES) + 1


# --- size --------------------------------------------------------------------------------


def many(count: int, months: int, income: int | None = None) -> PlanInput:
    """``count`` debts, every fourth a card, the rest loans of 12–59 months at 4–33 %, half
    with penalties; by default an income that clears them well within the horizon."""
    debts: list[Debt] = []
    for i in range(count):
        if i % 4 == 3:
            debts.append(card(f"card{i}", str(5000 + 1000 * i), statement_day=1 + i % 28))
        else:
            debts.append(loan(f"loan{i}", str(3000 + 1500 * i), f"0.{4 + (i * 7) % 30:02d}",
                              months=12 + (i * 5) % 48, penalty=i % 2 == 0))
    monthly = income if income is not None else 3000 + 1200 * count
    return household(tuple(debts), str(monthly), months=months, savings="2000", floor="1000")


def test_twenty_debts_over_ten_years() -> None:
    inp = many(20, 120)
    result = optimal_schedule(inp)
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    assert set(result.clears) == {d.id for d in inp.debts}


def test_fifty_debts_over_thirty_years() -> None:
    inp = many(50, 360)
    result = optimal_schedule(inp)
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    assert set(result.clears) == {d.id for d in inp.debts}


@pytest.mark.slow
def test_fifty_debts_over_thirty_years_short_of_money() -> None:
    """The same debts on a third less income: not all of them can be cleared, balances grow
    for decades, and the solve takes longest (about 5 s)."""
    inp = many(50, 360, income=20000)
    result = optimal_schedule(inp)
    assert result.status == "Optimal"
    assert_well_formed(inp, result)
    assert 0 < len(result.clears) < 50


def test_highspy_loads_only_when_the_optimiser_runs() -> None:
    """The CLI must start fast: importing the module does not import HiGHS."""
    code = "import sys, arrears.plan.optimal; print('highspy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_the_solver_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    """HiGHS logs to the C stdout unless told not to; ``arrears plan --json`` prints JSON."""
    optimal_schedule(household((loan("a", "8000", "0.12"),), "6000", months=6))
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""
