"""Never a traceback, never a hang (issue 10, item 9): every command fed hostile case files,
options and books exits 0 or 2, and a refusal is located lines only.

The generated inputs come from :mod:`tests.hostile`; each trap the fuzzing harness found is
also a regression test of its own below."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import hostile
from .hostile import Outcome, run

LETTERS = ("instalment", "deferment", "settlement", "dispute-charges", "complaint")


def _commands(case: Path, out: Path, offer: Path) -> list[list[str]]:
    c = str(case)
    return [
        ["status", c], ["status", c, "--json"], ["ledger", c, "--debt", "loan"],
        ["ledger", c, "--debt", "card", "--json"], ["audit", c], ["audit", c, "--json"],
        ["credit", c, "--json"], ["credit", c], ["plan", c, "--months", "24", "--json"],
        ["afford", c, "--offer", str(offer), "--json"], ["contacts", "check", c],
        ["contacts", "report", c, "-o", str(out / "evidence.html")],
        *(["letter", c, "--debt", debt, "--kind", kind, "-o", str(out / "letter.md")]
          for debt in ("loan", "card") for kind in LETTERS),
    ]


def check(result: Outcome, argv: list[str]) -> None:
    """Exit 0 or 2, no traceback; a refusal prints only lines ``arrears: where: what``."""
    assert result.crash is None, (argv, repr(result.crash))
    assert result.code in (0, 2), (argv, result.code, result.err)
    assert "Traceback" not in result.err, (argv, result.err)
    if result.code == 2:
        lines = result.err.strip().splitlines()
        assert lines, argv
        assert all(line.startswith("arrears: ") for line in lines), (argv, result.err)
        assert ": " in lines[0][len("arrears: "):], (argv, result.err)


@st.composite
def _hostile_case(draw: Any) -> dict[str, Any]:
    data = hostile.base_case()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(hostile.paths(data)))
        data = hostile.replaced(data, path, draw(st.sampled_from(hostile.HOSTILE)))
    return data


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=_hostile_case(), pick=st.integers(0, 10**6))
def test_hostile_case_files(tmp_path: Path, data: dict[str, Any], pick: int) -> None:
    case = tmp_path / "case.toml"
    case.write_text(hostile.toml_text(data), encoding="utf-8")
    offer = tmp_path / "offer.toml"
    offer.write_text('[offer]\nprincipal = "20000"\nrate = "18%"\nterm_months = 24\n',
                     encoding="utf-8")
    commands = _commands(case, tmp_path, offer)
    argv = commands[pick % len(commands)]
    check(run(argv), argv)


_OPTIONS = st.sampled_from(("0", "-1", "1e30", "9" * 40, "1000000000000001", "nan", "inf",
                            "0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "",
                            "100000000000000000000%", "1%/day", "万分之五", "abc", "1.5"))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(_OPTIONS, min_size=4, max_size=4), count=st.integers(-5, 10**8),
       months=st.integers(-5, 10**6))
def test_hostile_options(tmp_path: Path, values: list[str], count: int, months: int) -> None:
    a, b, c, d = values
    flows = tmp_path / "flows.csv"
    flows.write_text(f"date,amount\n{c},{a}\n{d},-{b}\n", encoding="utf-8")
    for argv in (
        ["schedule", "--principal", a, "--rate", b, "--months", str(months), "--start", c,
         "--first-due", d, "--json"],
        ["apr", "--received", a, "--payment", b, "--count", str(count), "--json"],
        ["apr", "--principal", a, "--fee-rate", b, "--count", str(count), "--json"],
        ["apr", "--flows", str(flows), "--method", "xirr", "--json"],
        ["status", str(_demo(tmp_path)), "--as-of", c, "--json"],
        ["credit", str(_demo(tmp_path)), "--as-of", d, "--if-paid-on", c, "--json"],
        ["plan", str(_demo(tmp_path)), "--months", str(months % 400), "--as-of", c,
         "--json"],
    ):
        check(run(argv), argv)


def _demo(folder: Path) -> Path:
    path = folder / "demo.toml"
    if not path.exists():
        path.write_text(hostile.toml_text(hostile.base_case()), encoding="utf-8")
    return path


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(sorted(hostile.BOOK)), cell=st.sampled_from(hostile.HOSTILE_CELLS),
       pay_column=st.sampled_from(sorted(hostile.PAYMENTS)),
       pay_cell=st.sampled_from(hostile.HOSTILE_CELLS), rows=st.integers(0, 2),
       duplicate=st.booleans())
def test_hostile_books(tmp_path: Path, column: str, cell: str, pay_column: str, pay_cell: str,
                       rows: int, duplicate: bool) -> None:
    header = list(hostile.BOOK)
    row = [cell if name == column else value for name, value in hostile.BOOK.items()]
    if duplicate:
        header.append(header[0])
        row.append(row[0])
    book = tmp_path / "book.csv"
    book.write_text(hostile.csv_text(header, [row] * rows), encoding="utf-8")
    pay = tmp_path / "pay.csv"
    pay_row = [pay_cell if n == pay_column else v for n, v in hostile.PAYMENTS.items()]
    pay.write_text(hostile.csv_text(list(hostile.PAYMENTS), [pay_row]), encoding="utf-8")
    out = tmp_path / "out.parquet"
    for argv in (["portfolio", "audit", str(book), "-o", str(out), "--as-of", "2025-06-30",
                  "--json"],
                 ["portfolio", "audit", str(book), "--payments", str(pay), "-o", str(out),
                  "--as-of", "2025-06-30", "--on-bad-rows", "skip", "--json"]):
        result = run(argv)
        check(result, argv)
        assert "Warning" not in result.err, result.err
        if result.code == 0:
            assert out.exists(), (argv, result.err)  # exit 0 means the output is there
            out.unlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.csv", "pay.csv"]


# -- each trap the fuzzing harness found, by hand -------------------------------------------

def _case(tmp_path: Path, **changes: Any) -> Path:
    data = hostile.base_case()
    for dotted, value in changes.items():
        path = tuple(int(p) if p.isdigit() else p for p in dotted.split("__"))
        data = hostile.replaced(data, path, value)
    case = tmp_path / "case.toml"
    case.write_text(hostile.toml_text(data), encoding="utf-8")
    return case


def _refused(argv: list[str]) -> list[str]:
    result = run(argv)
    check(result, argv)
    assert result.code == 2, (argv, result.out)
    # The case's own warnings (printed when it is read) are not the refusal.
    return [line for line in result.err.strip().splitlines()
            if not line.startswith("arrears: warning:")]


def test_huge_amount_is_a_located_refusal(tmp_path: Path) -> None:
    """``principal = 10**30`` raised decimal.InvalidOperation; now out of range (10^15)."""
    case = _case(tmp_path, debts__0__principal=10**30)
    lines = _refused(["status", str(case)])
    assert lines == [f"arrears: {case}: debts[0].principal: \"{10**30}\" is out of range: an "
                     "amount is at most 10^15 either way"]
    assert _refused(["schedule", "--principal", "1e30", "--months", "12"])
    assert _refused(["schedule", "--principal", "1000000000000001", "--months", "12"])[0] \
        .startswith("arrears: --principal: ")


def test_largest_amount_is_accepted() -> None:
    """10^15 itself is inside the range (the boundary belongs to it)."""
    result = run(["schedule", "--principal", "1000000000000000", "--months", "600",
                  "--rate", "4.9%", "--start", "2026-01-15", "--json"])
    check(result, [])
    assert result.code == 0


@pytest.mark.parametrize("key", ["debts__0__disbursed", "case__as_of",
                                 "debts__0__payments__0__date", "debts__1__balance_date",
                                 "contacts__0__at"])
@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31),
                                 date(2201, 1, 1)])
def test_dates_outside_the_range(tmp_path: Path, key: str, day: date) -> None:
    """Year 1 or 9999 as start, as-of, payment or contact time overflowed month arithmetic;
    every date must be 1900-01-01 … 2200-12-31."""
    value: Any = day
    if key.startswith("contacts"):
        value = datetime(day.year, day.month, day.day, 10, 0)
    case = _case(tmp_path, **{key: value})
    commands = (("contacts",) if key.startswith("contacts")
                else ("status", "credit", "audit", "plan"))
    for command in commands:
        lines = _refused([command, str(case)])
        assert any("out of range: dates run from 1900-01-01 to 2200-12-31" in line
                   for line in lines), lines


def test_as_of_option_outside_the_range(tmp_path: Path) -> None:
    """``credit --as-of 9999-12-31`` ran for over a minute; now refused at once."""
    case = _case(tmp_path)
    assert _refused(["credit", str(case), "--as-of", "9999-12-31"]) == [
        "arrears: --as-of: 9999-12-31 is out of range: dates run from 1900-01-01 to "
        "2200-12-31"]


def test_a_number_where_tables_are_expected(tmp_path: Path) -> None:
    """``debts = 1.5`` made ``contacts`` raise TypeError."""
    case = _case(tmp_path, debts=1.5)
    for command in ("status", "contacts"):
        lines = _refused([command, str(case)])
        assert lines, command


def test_toml_nested_a_thousand_deep(tmp_path: Path) -> None:
    """RecursionError in the TOML parser; now one located line (and 40 deep too)."""
    for depth in (1000, 40):
        case = tmp_path / "case.toml"
        case.write_text("x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
        for command in ("status", "contacts", "afford"):
            argv = [command, str(case)]
            if command == "afford":
                argv += ["--offer", str(case)]
            lines = _refused(argv)
            assert lines[0] == f"arrears: {case}: nests tables or arrays more than 32 deep"


def test_csv_book_with_a_duplicate_header(tmp_path: Path) -> None:
    header = [*hostile.BOOK, "loan_id"]
    book = tmp_path / "book.csv"
    book.write_text(hostile.csv_text(header, [[*hostile.BOOK.values(), "L1"]]),
                    encoding="utf-8")
    assert _refused(["portfolio", "audit", str(book), "-o", str(tmp_path / "o.parquet")]) == [
        "arrears: book.csv: loan_id: the header names this column more than once"]


@pytest.mark.parametrize("with_payments", [False, True])
def test_csv_book_with_a_header_and_no_rows(tmp_path: Path, with_payments: bool) -> None:
    """With payments: IndexError; without: exit 0 and no ``-o`` file. Now refused."""
    book = tmp_path / "book.csv"
    book.write_text(hostile.csv_text(list(hostile.BOOK), []), encoding="utf-8")
    pay = tmp_path / "pay.csv"
    pay.write_text(hostile.csv_text(list(hostile.PAYMENTS), [list(hostile.PAYMENTS.values())]),
                   encoding="utf-8")
    argv = ["portfolio", "audit", str(book), "-o", str(tmp_path / "o.parquet")]
    if with_payments:
        argv += ["--payments", str(pay)]
    assert _refused(argv) == [
        f"arrears: {book}: has no loans: the table has a header and no rows"]


def test_rate_beyond_any_lender_is_refused(tmp_path: Path) -> None:
    """``rate = "100000000000000000000%"`` ended in an unlocated "no rate … balance"."""
    case = _case(tmp_path, debts__0__rate="100000000000000000000%")
    lines = _refused(["audit", str(case)])
    assert lines == [f"arrears: {case}: debts[0].rate: \"100000000000000000000%\" is out of "
                     "range: a rate is at most 10,000% a year"]
