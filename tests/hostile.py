"""Hostile input for every command: a small valid case, and ways to break it.

Used by ``tests/test_hostile.py``. A case is built as Python data, one value somewhere in it
replaced by something a fuzzer would try (a huge amount, year 1 or 9999, a float where text
is expected, a list where a table is, …), and written out as TOML by :func:`toml_text`.
Every command is then run in this process through :func:`arrears.cli.main`, with a guard
that turns a hang into a failure.
"""

from __future__ import annotations

import contextlib
import io
import math
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

HANG_SECONDS = 60


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    crash: BaseException | None


class Hang(Exception):
    """A command ran longer than :data:`HANG_SECONDS`."""


@contextlib.contextmanager
def _hang_guard(seconds: int) -> Iterator[None]:
    def alarm(*_: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(argv: Sequence[str], seconds: int = HANG_SECONDS) -> Outcome:
    """Run ``arrears ARGV`` in this process; an exception that escapes ``main`` is kept."""
    from arrears.cli import main

    out, err = io.StringIO(), io.StringIO()
    crash: BaseException | None = None
    code = -1
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            with _hang_guard(seconds):
                code = main(list(argv))
        except Hang as error:
            crash = error
        except Exception as error:
            crash = error
    return Outcome(code, out.getvalue(), err.getvalue(), crash)


# -- TOML -----------------------------------------------------------------------------------

def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_scalar(v)}' for k, v in value.items()) + "}"
    if isinstance(value, Raw):
        return value.text
    raise TypeError(type(value))


@dataclass(frozen=True)
class Raw:
    """TOML text placed as is (for nesting no writer would produce)."""

    text: str


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_text(data: dict[str, Any]) -> str:
    """``data`` as TOML: tables and arrays of tables as headers, the rest inline."""
    lines: list[str] = []

    def table(body: dict[str, Any], path: str) -> None:
        for key, value in body.items():
            if not (isinstance(value, dict) or _is_tables(value)):
                lines.append(f'"{key}" = {_scalar(value)}')
        for key, value in body.items():
            name = f'{path}."{key}"' if path else f'"{key}"'
            if isinstance(value, dict):
                lines.append(f"[{name}]")
                table(value, name)
            elif _is_tables(value):
                for item in value:
                    lines.append(f"[[{name}]]")
                    table(item, name)

    table(data, "")
    return "\n".join(lines) + "\n"


def base_case() -> dict[str, Any]:
    """A small valid case: a household, a loan three months behind, a card, two contacts."""
    return {
        "case": {"jurisdiction": "cn", "as_of": date(2026, 11, 28)},
        "household": {"monthly_income": "5500", "essential_expenses": "4300",
                      "savings": "600",
                      "income_changes": [{"month": "2027-03", "monthly_income": "7500"}]},
        "debts": [
            {"id": "loan", "lender": "某平台", "lender_type": "consumer_finance",
             "principal": "12000", "disbursed": date(2026, 1, 15), "rate": "18%",
             "term_months": 12, "fee_rate": "0.5%",
             "overdue": {"grace_days": 3, "penalty": "1.5x", "late_fee": "5%",
                         "accelerate_after_days": 90},
             "payments": [{"date": date(2026, 2, 15), "amount": "1100.12"},
                          {"date": date(2026, 3, 15), "amount": "1100.12"}]},
            {"id": "card", "kind": "credit_card", "balance": "18000",
             "balance_date": date(2026, 8, 5), "statement_day": 5, "rate": "0.05%/day",
             "overdue": {"late_fee": "5%"},
             "payments": [{"date": date(2026, 8, 24), "amount": "1800"}]},
        ],
        "contacts": [
            {"at": datetime(2026, 11, 27, 22, 40), "channel": "call", "from": "138",
             "debt": "loan", "flags": ["threat"]},
            {"at": datetime(2026, 11, 28, 9, 0), "channel": "sms", "debt": "card"},
        ],
    }


HUGE = 10**30
HOSTILE: tuple[Any, ...] = (
    HUGE, -HUGE, str(HUGE), "1e30", 1e30, float("inf"), float("nan"), -1, 0, 1.5, "",
    "0", "-5", "9" * 40, "99999999999999999.99", "1000000000000000.01",
    date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(2201, 1, 1),
    datetime(1, 1, 1, 0, 0), datetime(9999, 12, 31, 23, 59),
    "0001-01-01", "9999-12-31", True, [], [1, 2], {}, {"a": 1}, [{}], "万分之", "1e308%",
    "100000000000000000000%", "1%/day", 601, 10**6, 2**63, -(2**63),
    Raw("[" * 1000 + "]" * 1000), Raw("[" * 40 + "]" * 40), "x" * 10_000,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in ``data`` (tables and lists included)."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(paths(value, (*prefix, index)))
    return found


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy = dict(data)
        copy[head] = replaced(data[head], rest, value)
        return copy
    copy_list = list(data)
    copy_list[head] = replaced(data[head], rest, value)
    return copy_list


BOOK = {"loan_id": "L1", "lender_type": "bank", "contract_date": "2025-01-10",
        "principal": "10000", "received": "", "method": "equal_installment", "rate": "6%",
        "rate_basis": "annual", "term_months": "12", "fee_rate": "0", "upfront_fee": "0",
        "first_due": "2025-02-10", "penalty": "1.5x", "grace_days": "0"}
PAYMENTS = {"loan_id": "L1", "date": "2025-02-10", "amount": "860.66"}
HOSTILE_CELLS: tuple[str, ...] = (
    "", "nan", "NaN", "inf", "-inf", "1e30", "9" * 40, "0001-01-01", "9999-12-31", "-1",
    "0", "1.5", "x", "1e308%", "601", str(2**63), '"', "1,2",
)


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A CSV table; cells are quoted."""
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'
    return "\n".join(",".join(cell(c) for c in line) for line in (header, *rows)) + "\n"
