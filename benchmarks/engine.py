"""Speed of the overdue engine, with ratios against baselines measured in the same run.

    python benchmarks/engine.py

Targets (issue #3): the position of a 5-year loan with 60 events as of any date ≤ 5 ms,
against the day-by-day reference accrual in ``tests/reference_accrual.py`` (print the
ratio); ``arrears demo`` end to end ≤ 0.5 s, against ``python -c pass``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import timeit
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def wall(command: list[str], runs: int = 9) -> float:
    env = dict(os.environ, LANG="C.UTF-8", COLUMNS="100")
    times = []
    for _ in range(runs):
        start = timeit.default_timer()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(timeit.default_timer() - start)
    return statistics.median(times)


def main() -> None:
    from tests.reference_accrual import reference_position

    from arrears.dates import add_months
    from arrears.debt import Debt
    from arrears.engine import position
    from arrears.events import Payment
    from arrears.overdue import LateFee, OverdueTerms, Penalty
    from arrears.rate import Rate
    from arrears.terms import Terms

    terms = Terms(principal=Decimal(100000), rate=Rate(Decimal("0.18")), months=60,
                  start=date(2022, 1, 15), fee_rate=Decimal("0.003"))
    overdue = OverdueTerms(grace_days=3, penalty=Penalty(multiplier=Decimal("1.5")),
                           compound=True, late_fee=LateFee(percent=Decimal("0.05"),
                                                           maximum=Decimal(200)))
    # 60 events: a payment every month, always short, so the loan slides into arrears.
    payments = tuple(Payment(add_months(date(2022, 2, 20), k), Decimal(2000))
                     for k in range(60))
    debt = Debt("bench", terms, overdue, payments)
    print(f"python {sys.version.split()[0]}; best of 5 runs\n")
    for as_of in (date(2024, 6, 30), date(2027, 3, 1)):
        def ours_call(day: date = as_of) -> object:
            return position(debt, day)

        def theirs_call(day: date = as_of) -> object:
            return reference_position(debt, day)

        ours = min(timeit.repeat(ours_call, number=10, repeat=5)) / 10
        theirs = min(timeit.repeat(theirs_call, number=1, repeat=3))
        assert position(debt, as_of) == reference_position(debt, as_of)
        print(f"position as of {as_of}: {ours * 1000:8.3f} ms   day-by-day reference "
              f"{theirs * 1000:9.3f} ms   ratio {theirs / ours:6.1f}x faster   target ≤ 5 ms")
    bare = wall([sys.executable, "-c", "pass"])
    demo = wall([sys.executable, "-m", "arrears", "demo"])
    print(f"arrears demo end to end: {demo * 1000:8.1f} ms   python -c pass {bare * 1000:6.1f} "
          f"ms   ratio {demo / bare:5.1f}   target ≤ 500 ms")


if __name__ == "__main__":
    main()
