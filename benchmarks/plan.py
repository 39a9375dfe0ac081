"""Speed of planning, with ratios against a baseline measured in the same run.

    python benchmarks/plan.py

Targets (issue #5): a plan for 20 debts × 120 months ≤ 0.5 s and for 50 × 360 ≤ 3 s end
to end (model build, solve and the replay through the exact engine), against a
month-by-month avalanche simulation of the same case (itself replayed exactly).
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from decimal import Decimal


def case(debts: int, months: int) -> object:
    from arrears.dates import add_months
    from arrears.debt import Debt
    from arrears.events import Payment
    from arrears.overdue import LateFee, OverdueTerms, Penalty
    from arrears.plan.model import Budget, PlanInput
    from arrears.rate import Rate
    from arrears.schedule import build_schedule
    from arrears.terms import Terms

    rng = random.Random(7)
    start = date(2026, 12, 1)
    book = []
    for k in range(debts):
        term = rng.choice([12, 24, 36, 60])
        disbursed = add_months(date(2026, 1, 10 + k % 15), -rng.randint(0, 10))
        terms = Terms(principal=Decimal(rng.randint(2, 60) * 1000),
                      rate=Rate(Decimal(rng.choice(["0.06", "0.12", "0.18", "0.24"]))),
                      months=term, start=disbursed)
        rows = build_schedule(terms).rows
        behind = rng.choice([0, 0, 1, 3])
        paid = [Payment(r.due, r.payment) for r in rows if r.due < start][: max(
            0, sum(1 for r in rows if r.due < start) - behind)]
        overdue = OverdueTerms(penalty=Penalty(multiplier=Decimal("1.5")), compound=True,
                               late_fee=LateFee(percent=Decimal("0.05"),
                                                maximum=Decimal(200)))
        book.append(Debt(f"d{k}", terms, overdue, tuple(paid)))
    monthly = sum((build_schedule(d.terms).rows[0].payment for d in book if d.terms),
                  Decimal(0))
    budget = Budget(income=(monthly * Decimal("1.2") + 4000,), essentials=Decimal(4000),
                    savings=Decimal(2000), floor=Decimal(1000))
    return PlanInput(start=start, months=months, debts=tuple(book), budget=budget)


def main() -> None:
    from arrears.plan.optimal import optimal_schedule
    from arrears.plan.report import optimal_plan
    from arrears.plan.strategies import simulate

    print(f"python {sys.version.split()[0]}")
    for debts, months, target in ((20, 120, 0.5), (50, 360, 3.0)):
        inp = case(debts, months)
        t0 = time.perf_counter()
        avalanche = simulate(inp, "avalanche")  # type: ignore[arg-type]
        t1 = time.perf_counter()
        solved = optimal_schedule(inp)  # type: ignore[arg-type]
        t2 = time.perf_counter()
        optimal = optimal_plan(inp)  # type: ignore[arg-type]
        t3 = time.perf_counter()
        print(f"{debts} debts × {months} months: avalanche (exact) {t1 - t0:6.3f} s | "
              f"optimal: build {solved.build_seconds:6.3f} s, solve {solved.solve_seconds:6.3f} "
              f"s, end to end with replay {t3 - t2:6.3f} s (target ≤ {target} s) | ratio "
              f"{(t3 - t2) / (t1 - t0):5.2f} × avalanche | interest and fees, LP's plan replayed "
              f"{optimal.total_interest_and_fees}, avalanche {avalanche.total_interest_and_fees}")


if __name__ == "__main__":
    main()
