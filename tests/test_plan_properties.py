"""The least-cost plan against the rule-based strategies, replayed exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from arrears.plan.report import run_strategies
from arrears.plan.strategies import STRATEGIES

from .test_plan import loan, plan_input

NAMES = (*STRATEGIES, "optimal")


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=30),
                          st.sampled_from(["0", "0.06", "0.12", "0.18", "0.24"]),
                          st.booleans(), st.booleans()),
                min_size=1, max_size=4),
       st.integers(min_value=3000, max_value=9000))
def test_optimal_is_never_dearer_than_any_strategy(
    debts: list[tuple[int, str, bool, bool]], income: int
) -> None:
    """Generated households: loans of 1,000–30,000 at 0–24 %, some already behind, some with
    penalties; with cost alone as the aim (arrears weight 0) the optimal plan's replayed
    total is never above any other strategy's."""
    book = tuple(loan(f"d{i}", str(k * 1000), rate, paid_to_date=current, penalty=penalty)
                 for i, (k, rate, current, penalty) in enumerate(debts))
    inp = plan_input(book, str(income), months=24)
    results = {r.name: r for r in run_strategies(inp, NAMES, Decimal(0))}
    best = results["optimal"]
    for name in STRATEGIES:
        other = results[name]
        assert (best.remaining, best.total_interest_and_fees) <= (
            other.remaining, other.total_interest_and_fees), name


def test_avalanche_and_optimal_agree_where_avalanche_is_optimal() -> None:
    """No penalties, every debt current, minimums affordable, no fees: paying the highest
    rate first is optimal, and the least-cost plan (keeping minimums, the default) agrees
    with it to the fen — the LP's own plan, not a fallback."""
    book = (loan("a", "20000", "0.24"), loan("b", "12000", "0.12"), loan("c", "6000", "0.06"))
    inp = plan_input(book, "7000", months=36)
    results = {r.name: r for r in run_strategies(inp, ("avalanche", "optimal"))}
    assert results["optimal"].total_interest_and_fees == results[
        "avalanche"].total_interest_and_fees
    assert results["optimal"].total_paid == results["avalanche"].total_paid
    assert results["avalanche"].total_interest_and_fees > Decimal(0)
    assert results["optimal"].basis == "lp"
