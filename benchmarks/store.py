"""Speed of the store, with ratios against reading the same case file in the same run (these
machines are noisy; compare the ratios, not the seconds).

    python benchmarks/store.py [--postgres URL]

Target (issue #13): a case with 10,000 payments imports in ≤ 2 s (checked by the readers,
then written in one transaction). Also shown: reading it back as ``@ID`` (the stored case
written out as TOML and read by the same reader), and the demo case. PostgreSQL is measured
when ``--postgres`` names a server (a database is created and dropped for the run).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DEMO = Path(__file__).parent.parent / "examples" / "demo.toml"


def big_case(payments: int) -> str:
    """A card paid every day for ``payments`` days, as a case file."""
    start = date(1999, 1, 1)
    lines = ['[case]\nas_of = 2026-12-01\n', '[[debts]]\nid = "card"\nkind = "credit_card"\n'
             'balance = "900000"\nbalance_date = 1999-01-01\nstatement_day = 5\n'
             'rate = "0.05%/day"\n']
    for day in range(payments):
        lines.append(f'[[debts.payments]]\ndate = {start + timedelta(days=day)}\n'
                     f'amount = "{1 + day % 97}.{day % 100:02d}"\n')
    return "\n".join(lines)


def timed(func: Callable[[], Any], runs: int = 3) -> float:
    """The median time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(label: str, url: str, text: str) -> None:
    from arrears.case import load_case
    from arrears.store.database import open_store
    from arrears.store.ref import export_text

    data = tomllib.loads(text)
    read = timed(lambda: load_case(text, "case.toml"))
    with open_store(url) as repository:
        ids: list[str] = []
        imported = timed(lambda: ids.append(repository.add_case(
            tomllib.loads(text), source="case.toml", actor="bench")))
        again = timed(lambda: load_case(export_text(repository.get(ids[-1])), f"@{ids[-1]}"))
        assert repository.get(ids[-1]).data["debts"][0]["id"] == data["debts"][0]["id"]
    print(f"  {label:<34} read file {read * 1000:8.1f} ms | import {imported * 1000:8.1f} ms "
          f"({imported / read:5.1f}× reading) | read @ID {again * 1000:8.1f} ms "
          f"({again / read:5.1f}× reading)")
    if "10000" in label:
        verdict = "OK" if imported <= 2.0 else "MISSED"
        print(f"  → 10,000-payment import {imported:.2f} s, target ≤ 2 s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL server URL to measure as well")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}")
    cases = {"demo (3 debts, 26 payments)": DEMO.read_text(encoding="utf-8"),
             "10000 payments": big_case(10_000)}
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite")
        for label, text in cases.items():
            measure(label, f"sqlite:///{Path(folder) / 'bench.sqlite3'}", text)
    if args.postgres:
        import psycopg
        from sqlalchemy.engine import make_url

        server = make_url(args.postgres)
        admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
        name = f"arrears_bench_{secrets.token_hex(4)}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            from arrears.store.database import engine_for, upgrade

            url = server.set(database=name).render_as_string(hide_password=False)
            engine = engine_for(url)
            upgrade(engine)
            engine.dispose()
            print("PostgreSQL")
            for label, text in cases.items():
                measure(label, url, text)
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
