"""Speed of the foundation, with ratios against named baselines measured in the same run
(these machines are noisy; compare the ratios, not the seconds).

    python benchmarks/run.py

Targets (issue #2): ``arrears --help`` under 0.15 s more than bare Python start-up; a
360-month schedule ≤ 5 ms; a single APR ≤ 1 ms. Baselines: ``python -c pass``,
numpy-financial (the same schedule's PMT/IPMT/PPMT arrays; IRR), pyxirr (IRR, XIRR).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal


def best(func: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Best time of one call, in seconds."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def wall(command: list[str], runs: int = 15) -> float:
    """Median wall time of a command, in seconds."""
    env = dict(os.environ, LANG="C.UTF-8")
    times = []
    for _ in range(runs):
        start = timeit.default_timer()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(timeit.default_timer() - start)
    return statistics.median(times)


def row(name: str, ours: float, baseline_name: str, baseline: float, target: str) -> None:
    ratio = ours / baseline if baseline else float("inf")
    print(f"{name:<34} {ours * 1000:>9.3f} ms  {baseline_name:<28} {baseline * 1000:>9.3f} ms"
          f"  ratio {ratio:>7.2f}   target {target}")


def main() -> None:
    import numpy_financial as npf
    import pyxirr

    from arrears.cost import pboc_apr, xirr
    from arrears.rate import Rate
    from arrears.schedule import build_schedule
    from arrears.terms import Terms

    print(f"python {sys.version.split()[0]}; times are best-of-7 (commands: median of 15)\n")
    bare = wall([sys.executable, "-c", "pass"])
    helped = wall([sys.executable, "-m", "arrears", "--help"])
    row("arrears --help", helped, "python -c pass", bare,
        f"extra ≤ 150 ms (extra: {(helped - bare) * 1000:.1f} ms)")

    terms = Terms(principal=Decimal(1000000), rate=Rate(Decimal("0.049")), months=360,
                  start=date(2026, 1, 15))
    ours = best(lambda: build_schedule(terms), 20)
    rate = 0.049 / 12
    periods = list(range(1, 361))
    theirs = best(lambda: (npf.pmt(rate, 360, 1e6), npf.ipmt(rate, periods, 360, 1e6),
                           npf.ppmt(rate, periods, 360, 1e6)), 20)
    row("schedule, 360 months (Decimal)", ours, "numpy-financial pmt/ipmt/ppmt", theirs,
        "≤ 5 ms")

    flows12 = [Decimal(99000)] + [Decimal("-8833.30")] * 12
    floats12 = [float(f) for f in flows12]
    row("APR, 12 payments (PBOC)", best(lambda: pboc_apr(flows12), 200), "pyxirr.irr",
        best(lambda: pyxirr.irr(floats12), 2000), "≤ 1 ms")
    row("APR, 12 payments (PBOC)", best(lambda: pboc_apr(flows12), 200), "numpy_financial.irr",
        best(lambda: npf.irr(floats12), 200), "≤ 1 ms")
    flows360 = [Decimal(1000000)] + [Decimal("-5307.27")] * 360
    floats360 = [float(f) for f in flows360]
    row("APR, 360 payments (PBOC)", best(lambda: pboc_apr(flows360), 50), "pyxirr.irr",
        best(lambda: pyxirr.irr(floats360), 500), "≤ 1 ms (12-payment target)")
    days = [date(2026, 1, 1) + timedelta(days=30 * k) for k in range(13)]
    dated = list(zip(days, flows12, strict=True))
    row("XIRR, 13 dated flows", best(lambda: xirr(dated), 200), "pyxirr.xirr",
        best(lambda: pyxirr.xirr(days, floats12), 2000), "≤ 1 ms")


if __name__ == "__main__":
    main()
