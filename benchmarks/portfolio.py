"""Speed of portfolio mode, with ratios against baselines measured in the same run.

    python benchmarks/portfolio.py                    # 1M loans (and 100k)
    python benchmarks/portfolio.py --big 10000000     # also 10M through Dask, out of core

Targets (issue: portfolio mode):

* Contract APR of 1,000,000 loans × 36 monthly flows: at least 40 × the throughput of a
  Python loop over ``pyxirr.irr``, and within 4 × of one read pass over the same cash-flow
  matrix (the memory-bandwidth floor). The numpy path (no numba) is shown beside it.
* Full audit (APR + cap + excess + DPD + ageing) of 1M loans from Parquet with their
  payments: ≤ 10 s on 2 cores, peak memory ≤ 4 GB; how the cost grows from 100k to 1M
  (and 10M through Dask partitions with ``--big``).
* Dask on two local workers against one process on the same data: the overhead.

Each audit runs in a child process so its peak memory (ru_maxrss) is its own; a small
audit first fills numba's on-disk cache, so no timing includes compiling. Books are written
once to ``--work`` (default: a folder under the system temp) and reused.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2025, 6, 30)


def best(func: Any, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def apr_benchmark(loans: int) -> None:
    import numpy as np
    import pyxirr

    from arrears.portfolio import jit
    from arrears.portfolio.kernels import apr

    rng = np.random.default_rng(0)
    principal = np.round(rng.lognormal(np.log(20_000), 0.8, loans), 2)
    monthly = rng.choice([0.0435, 0.12, 0.18, 0.24, 0.36], loans) / 12
    growth = (1 + monthly) ** 36
    payment = np.round(principal * monthly * growth / (growth - 1), 2)
    received = principal * rng.choice([1.0, 0.95, 0.9], loans)
    flows = np.repeat(payment[:, None], 36, axis=1) * 100  # fen, as the kernels take them
    got = received * 100
    odd = np.zeros(loans)
    print(f"Contract APR: {loans:,} loans × 36 monthly flows")

    floor = best(lambda: flows.sum(axis=1), repeat=7)
    numpy_time = best(lambda: apr(flows, got, odd, use_jit=False), repeat=2)
    jit_time = None
    if jit.available():
        apr(flows, got, odd)  # compile (or load the cache) and warm the threads first
        jit_time = best(lambda: apr(flows, got, odd, use_jit=True), repeat=7)
    # The baseline gets its flows ready as Python lists, one per loan.
    rows = [[-r, *[f] * 36] for r, f in zip(received.tolist(), payment.tolist(),
                                              strict=True)]

    def loop() -> None:
        for row in rows:
            pyxirr.irr(row)

    loop_time = best(loop, repeat=1)
    ours = apr(flows[:1000], got[:1000], odd[:1000])
    theirs = [12 * float(pyxirr.irr([-float(received[i]), *[float(payment[i])] * 36]) or 0)
              for i in range(1000)]
    worst = max(abs(a - b) for a, b in zip(ours.tolist(), theirs, strict=True))
    print(f"  one read pass over the matrix (floor)   {floor:8.3f} s")
    print(f"  Python loop over pyxirr.irr             {loop_time:8.3f} s")
    print(f"  numpy, blocked Newton (no numba)        {numpy_time:8.3f} s"
          f"   {loop_time / numpy_time:6.1f} × the loop")
    if jit_time is not None:
        print(f"  numba, parallel Newton                  {jit_time:8.3f} s"
              f"   {loop_time / jit_time:6.1f} × the loop (target ≥ 40), "
              f"{jit_time / floor:4.1f} × the read pass (target ≤ 4)")
    else:
        print("  numba is not installed: the numpy path is what runs")
    print(f"  largest difference from pyxirr on 1,000 loans: {worst:.1e}\n")


def ensure_book(work: Path, loans: int) -> tuple[Path, Path]:
    from arrears.portfolio.synth import write_synth

    book, pay = work / f"book-{loans}.parquet", work / f"pay-{loans}.parquet"
    if not (book.exists() and pay.exists()):
        start = time.perf_counter()
        stats = write_synth(book, loans, as_of=AS_OF, seed=1, payments=pay)
        print(f"  (wrote {loans:,} loans and {stats.payments:,} payments in "
              f"{time.perf_counter() - start:.1f} s)")
    return book, pay


def child(book: str, pay: str, out: str, workers: int, partition: int) -> None:
    """Audit in this process (a child of the benchmark) and print seconds and peak RSS."""
    import logging

    from arrears.portfolio.run import Options, audit_book

    options = Options(as_of=AS_OF, partition_rows=partition)
    start = time.perf_counter()
    if workers:
        import distributed

        cluster_type: Any = distributed.LocalCluster
        client_type: Any = distributed.Client
        with cluster_type(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                client_type(cluster) as client:
            ready = time.perf_counter()
            result = audit_book(Path(book), options=options, payments=Path(pay),
                                out=Path(out), client=client)
            memory = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    else:
        ready = start
        result = audit_book(Path(book), options=options, payments=Path(pay), out=Path(out))
        memory = {}
    done = time.perf_counter()
    print(json.dumps({
        "seconds": done - ready, "startup": ready - start, "loans": result.summary["loans"],
        "payments": result.summary["payments"],
        "rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
        "worker_rss_gb": [v / 1e6 for v in memory.values()],
    }))


def audit(book: Path, pay: Path, out: Path, workers: int = 0,
          partition: int = 250_000) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(book), str(pay), str(out), str(workers),
         str(partition)], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=0, help="also this many loans via Dask")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir())
                        / "arrears-portfolio-bench")
    parser.add_argument("--child", nargs=5)
    args = parser.parse_args()
    if args.child:
        book, pay, out, workers, partition = args.child
        child(book, pay, out, int(workers), int(partition))
        return
    sys.path.insert(0, str(ROOT / "src"))
    args.work.mkdir(parents=True, exist_ok=True)
    import os

    print(f"python {sys.version.split()[0]}; {os.cpu_count()} cores\n")
    apr_benchmark(args.loans)

    print("Full audit from Parquet (APR, cap, excess, DPD, ageing), with payments")
    book, pay = ensure_book(args.work, 2000)
    audit(book, pay, args.work / "out.parquet")  # compiles the numba kernels into the cache
    sizes = sorted({max(args.loans // 10, 1), args.loans})
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        book, pay = ensure_book(args.work, size)
        results[size] = audit(book, pay, args.work / "out.parquet")
        r = results[size]
        print(f"  {size:>11,} loans, {r['payments']:>11,} payments: {r['seconds']:7.2f} s, "
              f"peak {r['rss_gb']:.2f} GB  ({size / r['seconds']:,.0f} loans/s)")
    small, large = sizes[0], sizes[-1]
    if small != large:
        ratio = results[large]["seconds"] / results[small]["seconds"]
        print(f"  {large // small} × the loans: {ratio:.1f} × the time")
    target = results[large]
    if large >= 1_000_000:
        print(f"  target for 1M: ≤ 10 s and ≤ 4 GB: {target['seconds']:.2f} s, "
              f"{target['rss_gb']:.2f} GB\n")

    print("Dask, two local worker processes, against one process (same book)")
    book, pay = ensure_book(args.work, large)
    dask = audit(book, pay, args.work / "out-dask.parquet", workers=2)
    print(f"  one process  {target['seconds']:7.2f} s")
    print(f"  Dask, 2      {dask['seconds']:7.2f} s (+ {dask['startup']:.1f} s to start the "
          f"cluster); overhead {dask['seconds'] / target['seconds'] - 1:+.0%}; client peak "
          f"{dask['rss_gb']:.2f} GB, workers {', '.join(f'{m:.2f}' for m in dask['worker_rss_gb'])}"
          " GB")
    if args.big:
        print(f"\n{args.big:,} loans through Dask partitions (2 workers, out of core)")
        book, pay = ensure_book(args.work, args.big)
        big = audit(book, pay, args.work / "out-big.parquet", workers=2)
        print(f"  {args.big:,} loans, {big['payments']:,} payments: {big['seconds']:.1f} s; "
              f"{args.big / big['seconds']:,.0f} loans/s "
              f"({big['seconds'] / dask['seconds'] * large / args.big:.2f} × the cost per loan "
              f"of {large:,} on the same cluster); client peak {big['rss_gb']:.2f} GB, workers "
              f"{', '.join(f'{m:.2f}' for m in big['worker_rss_gb'])} GB")


if __name__ == "__main__":
    main()
