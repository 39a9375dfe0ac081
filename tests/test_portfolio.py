"""Portfolio mode: the vectorised kernels agree with the exact engine loan by loan (to the
fen on amounts, 1e-9 on rates), a Dask run on a real two-process LocalCluster equals the
single-process run, and bad rows are reported one line each with their row and column."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from arrears.audit import audit_debt, lawful_balance  # noqa: E402
from arrears.cost import MONTH, apr_of_schedule, unit_periods  # noqa: E402
from arrears.debt import Debt, LenderType  # noqa: E402
from arrears.engine import position  # noqa: E402
from arrears.events import Payment  # noqa: E402
from arrears.overdue import LateFee, OverdueTerms, Penalty  # noqa: E402
from arrears.portfolio import dates as vd  # noqa: E402
from arrears.portfolio.kernels import apr, blocks, build_block, terms_of  # noqa: E402
from arrears.portfolio.run import Options, audit_book  # noqa: E402
from arrears.portfolio.schema import parse_book  # noqa: E402
from arrears.portfolio.synth import book_batch, write_synth  # noqa: E402
from arrears.rate import Rate  # noqa: E402
from arrears.rules import load_pack  # noqa: E402
from arrears.schedule import build_schedule  # noqa: E402

AS_OF = date(2025, 6, 30)
ROLL_FROM = date(2025, 3, 31)
LOANS = 20_000
REQUIRED_OUT = {"loan_id", "contract_apr", "cap_rate", "excess", "dpd", "bucket"}
NO_PENALTY = OverdueTerms(penalty=Penalty(rate=Rate(Decimal(0))), late_fee=LateFee())


@dataclass(frozen=True)
class Book:
    book: Path
    payments: Path
    out: Path
    summary: dict[str, Any]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    """A synthetic book of 20k loans with its payments, audited in one process."""
    folder = tmp_path_factory.mktemp("portfolio")
    path, pay, out = folder / "book.parquet", folder / "pay.parquet", folder / "out.parquet"
    write_synth(path, LOANS, as_of=AS_OF, seed=11, payments=pay, row_group=4096)
    result = audit_book(path, options=Options(as_of=AS_OF, roll_from=ROLL_FROM,
                                              partition_rows=6000),
                        payments=pay, out=out)
    assert result.written
    assert not result.bad_book
    assert not result.bad_payments
    return Book(path, pay, out, result.summary)


def _fen(value: Decimal) -> int:
    return int(value * 100)


def _close(ours: float, theirs: Decimal) -> bool:
    """1e-9 on rates; relative above 100 % (the engine keeps 12 significant digits)."""
    return abs(ours - float(theirs)) <= 1e-9 * max(1.0, abs(float(theirs)))


def _adversarial(count: int, seed: int) -> Any:
    """Loans made to hit every branch: all five methods, rates whose monthly or daily rate
    is not a finite decimal (a tie at half a fen is still a tie: both sides are exact),
    fen principals up to 10^8, broken first periods, daily accrual, every day count."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(2000))
        basis = rng.choice(["annual", "monthly", "daily"])
        rate = rng.choice(["10%", "0.1", "4.9%", "3.85%", "0.0435", "7%", "35.9%", "0",
                           "18%", "12.345%", "年化24%"])
        if basis != "annual":
            rate = rng.choice(["1%", "1.3%", "0.05%", "0.0333%", "日万分之五"])
        rows.append({
            "loan_id": f"A{i}", "lender_type": rng.choice(["bank", "private", "platform"]),
            "contract_date": start.isoformat(),
            "principal": str(Decimal(rng.randrange(1, 10 ** rng.choice([4, 6, 8, 10])))
                             / 100),
            "received": None,
            "method": rng.choice(["equal_installment", "equal_principal", "interest_first",
                                  "bullet", "flat_fee", "等额本息"]),
            "rate": rate, "rate_basis": basis,
            "term_months": str(rng.choice([1, 2, 3, 5, 7, 12, 13, 36, 61])),
            "fee_rate": rng.choice(["0", "0.6%", "0.0123", "0.005%"]), "upfront_fee": "0",
            "first_due": ((start + timedelta(days=rng.randrange(1, 70))).isoformat()
                          if rng.random() < 0.3 else None),
            "day_count": rng.choice(["ACT/360", "ACT/365", "30/360"]),
            "accrual": rng.choice(["monthly", "daily"]),
        })
    return pa.Table.from_pylist(rows)


def _engine_rows(terms: Any, n: int) -> Any:
    schedule = build_schedule(terms)
    expected = np.zeros(n, dtype=np.int64)
    columns = [n - 1] if len(schedule.rows) == 1 and n > 1 else range(n)
    for column, row in zip(columns, schedule.rows, strict=True):
        expected[column] = _fen(row.payment)
    return schedule, expected


# -- kernels against the exact engine ---------------------------------------------------------

def test_schedules_and_apr_match_the_engine_on_every_loan() -> None:
    """Every instalment to the fen and every APR to 1e-9, on 4,000 loans built to hit the
    rounding ties, all five methods, broken periods and daily accrual."""
    loans, bad = parse_book(_adversarial(4000, seed=5), "adversarial")
    assert not bad
    cache: dict[str, Any] = {}
    methods = set()
    for index in blocks(loans):
        block = build_block(loans, index, cache)
        rates = apr(block.payment, loans.received[block.index], block.odd)
        for j, i in enumerate(block.index.tolist()):
            terms = terms_of(loans, i)
            schedule, expected = _engine_rows(terms, block.n)
            assert block.payment[j].tolist() == expected.tolist(), terms
            assert _close(rates[j], apr_of_schedule(schedule).apr), terms
            methods.add(terms.method)
    assert len(methods) == 5


def test_synthetic_book_schedules_match_the_engine() -> None:
    loans, bad = parse_book(book_batch(0, 3000, AS_OF, seed=2), "book")
    assert not bad
    rng = random.Random(4)
    cache: dict[str, Any] = {}
    for index in blocks(loans):
        block = build_block(loans, index, cache)
        rates = apr(block.payment, loans.received[block.index], block.odd)
        for j in rng.sample(range(len(block)), min(len(block), 150)):
            terms = terms_of(loans, int(block.index[j]))
            schedule, expected = _engine_rows(terms, block.n)
            assert block.payment[j].tolist() == expected.tolist(), terms
            assert _close(rates[j], apr_of_schedule(schedule).apr), terms


def test_numpy_path_equals_numba_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The numpy fallback (no numba, or ARREARS_NO_JIT=1) gives the same rates."""
    loans, _ = parse_book(book_batch(0, 2000, AS_OF, seed=3), "book")
    cache: dict[str, Any] = {}
    for index in blocks(loans)[:6]:
        block = build_block(loans, index, cache)
        received = loans.received[block.index]
        default = apr(block.payment, received, block.odd)
        monkeypatch.setenv("ARREARS_NO_JIT", "1")
        plain = apr(block.payment, received, block.odd)
        monkeypatch.delenv("ARREARS_NO_JIT")
        assert np.allclose(default, plain, rtol=1e-12, atol=1e-12)


def test_integer_half_up_equals_decimal() -> None:
    """balance × num / den rounded half-up in int64 equals Decimal ROUND_HALF_UP, ties
    included (den = 1200 makes every 1 in 1200 products a tie)."""
    from arrears.portfolio.kernels import _round_product

    rng = np.random.default_rng(1)
    base = rng.integers(0, 10**10, size=50_000)
    base[:5000] = (rng.integers(0, 10**6, size=5000) * 1200 + 600) // 18  # many ties
    num, den = np.full(len(base), 18), np.full(len(base), 1200)
    got = _round_product(base, num, den, mult=1)
    for b, g in zip(base[:8000].tolist(), got[:8000].tolist(), strict=True):
        want = (Decimal(b) * Decimal("0.015")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        assert g == int(want)


def test_vectorised_dates_match_the_engine() -> None:
    from arrears.dates import DayCount, add_months, day_count_days

    rng = random.Random(9)
    starts = [date(1990, 1, 1) + timedelta(days=rng.randrange(20_000)) for _ in range(5000)]
    ends = [s + timedelta(days=rng.randrange(0, 1200)) for s in starts]
    steps = [rng.randrange(0, 400) for _ in starts]
    s = np.array([vd.to_day(d) for d in starts])
    e = np.array([vd.to_day(d) for d in ends])
    moved = vd.add_months(s, np.array(steps))
    assert [vd.from_day(d) for d in moved.tolist()] == [
        add_months(a, k) for a, k in zip(starts, steps, strict=True)]
    for code, convention in enumerate(DayCount):
        assert vd.day_count_days(s, e, code).tolist() == [
            day_count_days(a, b, convention) for a, b in zip(starts, ends, strict=True)]
    whole, odd = vd.month_fraction(s, e)
    for a, b, w, o in zip(starts, ends, whole.tolist(), odd.tolist(), strict=True):
        assert unit_periods(a, b, MONTH) == (w, Decimal(o) / 30)


# -- the audit against the exact engine -------------------------------------------------------

def _payments_by_loan(path: Path) -> dict[str, list[Payment]]:
    table = pq.read_table(path)
    found: dict[str, list[Payment]] = {}
    for loan, day, amount in zip(table["loan_id"].to_pylist(), table["date"].to_pylist(),
                                 table["amount"].to_pylist(), strict=True):
        found.setdefault(loan, []).append(Payment(day, amount))
    return found


def _contract_excess(terms: Any, cap: Decimal) -> Decimal:
    """The contract excess with every instalment on its due date. A bullet's one payment
    is at maturity (audit_debt puts it at month 1: see docs/portfolio.md)."""
    schedule = build_schedule(terms)
    odd = Decimal(0)
    if terms.broken_first_period:
        whole, fraction = unit_periods(terms.start, terms.anchor, MONTH)
        odd = whole + fraction - 1
    if terms.method.value == "bullet":
        flows = [(terms.months + odd, schedule.rows[0].payment)]
    else:
        flows = [(row.period + odd, row.payment) for row in schedule.rows]
    return max(-lawful_balance(terms.amount_received, flows, flows[-1][0], cap), Decimal(0))


def test_audit_agrees_with_the_engine_on_a_random_sample(book: Book) -> None:
    """400 loans of the run, each replayed by the exact engine with its payments (penalty
    interest and late fees set to zero: the portfolio's documented simplification)."""
    out = pq.read_table(book.out).to_pylist()
    loans, _ = parse_book(pq.read_table(book.book), "book")
    paid = _payments_by_loan(book.payments)
    pack = load_pack("cn")
    rng = random.Random(7)
    sample = rng.sample(range(len(out)), 400)
    seen = {"late": 0, "excess": 0, "bullet": 0}
    for i in sample:
        row = out[i]
        assert row["loan_id"] == loans.loan_id[i].as_py()
        terms = terms_of(loans, i)
        debt = Debt(row["loan_id"], terms, NO_PENALTY, tuple(paid.get(row["loan_id"], [])),
                    lender_type=LenderType(row["lender_type"]))
        result = audit_debt(debt, AS_OF, pack)
        state = position(debt, AS_OF)
        assert result.contract_apr is not None
        assert _close(row["contract_apr"], result.contract_apr.apr), terms
        cap = result.cap
        assert cap is not None
        assert row["cap_rate"] == pytest.approx(float(cap.rate), abs=1e-15)
        assert row["contract_excess"] == _contract_excess(terms, cap.rate), terms
        if terms.method.value != "bullet":
            assert row["contract_excess"] == cap.contract_excess
        assert row["excess"] == cap.excess, terms
        assert row["dpd"] == state.dpd
        assert row["bucket"] == state.bucket.value
        assert row["balance"] == state.outstanding.principal
        assert row["payoff"] == state.payoff
        assert row["overdue"] == state.overdue_amount
        seen["late"] += state.dpd > 0
        seen["excess"] += cap.excess > 0
        seen["bullet"] += terms.method.value == "bullet"
    assert min(seen.values()) > 5, seen


def test_excess_without_payments_is_the_contract_excess(book: Book, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    result = audit_book(book.book, options=Options(as_of=AS_OF), out=out)
    table = pq.read_table(out)
    assert table["excess"].equals(table["contract_excess"])
    assert set(table["bucket"].to_pylist()) == {"M0"}  # paid as agreed without payments
    assert result.summary["payments_given"] is False


# -- the summary --------------------------------------------------------------------------

def test_output_columns_and_ageing_sums(book: Book) -> None:
    table = pq.read_table(book.out)
    assert set(table.column_names) >= REQUIRED_OUT
    assert table.num_rows == LOANS
    rows = table.to_pylist()
    for line in book.summary["by_bucket"]:
        mine = [r for r in rows if r["bucket"] == line["bucket"]]
        assert line["count"] == len(mine)
        assert Decimal(line["balance"]) == sum((r["balance"] for r in mine), Decimal(0))
        assert Decimal(line["excess"]) == sum((r["excess"] for r in mine), Decimal(0))
    for line in book.summary["by_lender_type"]:
        mine = [r for r in rows if r["lender_type"] == line["lender_type"]]
        assert line["count"] == len(mine)
        assert Decimal(line["excess"]) == sum((r["excess"] for r in mine), Decimal(0))
    assert sum(line["count"] for line in book.summary["by_bucket"]) == LOANS
    buckets = {line["bucket"]: line["count"] for line in book.summary["by_bucket"]}
    assert buckets["M0"] < LOANS
    assert buckets["M7+"] > 0


def test_roll_rates(book: Book) -> None:
    roll = book.summary["roll_rates"]
    rows = pq.read_table(book.out).to_pylist()
    counts = np.zeros((8, 8), dtype=int)
    names = roll["buckets"]
    for r in rows:
        if r["contract_date"] <= ROLL_FROM:
            counts[names.index(r["bucket_from"]), names.index(r["bucket"])] += 1
    assert counts.tolist() == roll["counts"]
    for line, rates in zip(roll["counts"], roll["rates"], strict=True):
        if sum(line):
            assert sum(rates) == pytest.approx(1.0, abs=1e-5)


# -- Dask ----------------------------------------------------------------------------------

def test_dask_local_cluster_equals_single_process(book: Book, tmp_path: Path) -> None:
    """A real LocalCluster with two worker processes: the same rows, the same summary."""
    distributed = pytest.importorskip("distributed")
    import logging

    out = tmp_path / "dask.parquet"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR
                                  ) as cluster, distributed.Client(cluster) as client:
        result = audit_book(book.book, options=Options(as_of=AS_OF, roll_from=ROLL_FROM,
                                                       partition_rows=6000),
                            payments=book.payments, out=out, client=client)
    assert result.summary["run"]["workers"] == 2
    assert pq.read_table(out).equals(pq.read_table(book.out))
    for key in ("totals", "by_bucket", "by_lender_type", "roll_rates", "loans"):
        assert result.summary[key] == book.summary[key]


# -- inputs: CSV, bad rows, the command ---------------------------------------------------

def test_csv_book_gives_the_same_rows(book: Book, tmp_path: Path) -> None:
    import pyarrow.csv as pcsv

    subset = pq.read_table(book.book).slice(0, 3000)
    csv_path, out_csv, out_pq = tmp_path / "b.csv", tmp_path / "o.csv", tmp_path / "o.parquet"
    pcsv.write_csv(pa.table({n: c.cast(c.type.value_type) if pa.types.is_dictionary(c.type)
                             else c for n, c in zip(subset.column_names, subset.columns,
                                                    strict=True)}), csv_path)
    pq.write_table(subset, tmp_path / "b.parquet")
    audit_book(csv_path, options=Options(as_of=AS_OF), out=out_csv)
    audit_book(tmp_path / "b.parquet", options=Options(as_of=AS_OF), out=out_pq)
    from_csv = pcsv.read_csv(out_csv).to_pylist()
    from_pq = pq.read_table(out_pq).to_pylist()
    assert len(from_csv) == len(from_pq) == 3000
    for a, b in zip(from_csv[:500], from_pq[:500], strict=True):
        assert a["loan_id"] == b["loan_id"]
        assert Decimal(str(a["excess"])) == b["excess"]
        assert a["dpd"] == b["dpd"]
        assert a["contract_apr"] == pytest.approx(b["contract_apr"], abs=1e-12)


def _cli(*args: str) -> tuple[int, str, str]:
    """Run the command in this process (importing the module registers ``portfolio``)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    import arrears.cli_portfolio  # noqa: F401 - registers the sub-app
    from arrears.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def bad_book(tmp_path: Path) -> tuple[Path, Path]:
    table = book_batch(0, 50, AS_OF, seed=1)
    rows = table.to_pylist()
    for row in rows:
        for key in ("contract_date", "first_due"):
            row[key] = row[key].isoformat() if row[key] else None
        for key in ("principal", "received", "upfront_fee", "late_fee_min", "late_fee_max"):
            row[key] = str(row[key]) if row[key] is not None else None
    rows[1]["rate"] = "abc"
    rows[2]["principal"] = "-5"
    rows[3]["method"] = "monthly_pay"
    rows[4]["loan_id"] = rows[0]["loan_id"]
    rows[5]["contract_date"] = "2023-02-30"
    rows[6]["term_months"] = 0
    rows[7]["lender_type"] = "loan_shark"
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    pay = tmp_path / "pay.csv"
    pay.write_text("loan_id,date,amount\nL000000009,2025-06-01,100\nNOPE,2025-06-01,5\n"
                   "L000000009,2025-02-30,5\nL000000009,2025-06-02,-1\n", encoding="utf-8")
    return path, pay


def test_bad_rows_rejected_one_line_each(bad_book: tuple[Path, Path], tmp_path: Path) -> None:
    path, pay = bad_book
    out = tmp_path / "out.parquet"
    code, stdout, stderr = _cli("portfolio", "audit", str(path), "--payments", str(pay),
                                "--as-of", "2025-06-30", "-o", str(out))
    assert code == 2
    assert stdout == ""
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert all(line.startswith("arrears: ") for line in lines)
    expected = ["bad.parquet: row 2: rate:", "bad.parquet: row 3: principal:",
                "bad.parquet: row 4: method:", "bad.parquet: row 5: loan_id: duplicate",
                "bad.parquet: row 6: contract_date:", "bad.parquet: row 7: term_months:",
                "bad.parquet: row 8: lender_type:", "pay.csv: row 2: loan_id:",
                "pay.csv: row 3: date:", "pay.csv: row 4: amount:"]
    for line, prefix in zip(lines, expected, strict=False):
        assert line.startswith("arrears: " + prefix), (line, prefix)
    assert len(lines) == len(expected) + 1
    assert "10 bad rows" in lines[-1]
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_bad_rows_skipped(bad_book: tuple[Path, Path], tmp_path: Path) -> None:
    path, pay = bad_book
    out = tmp_path / "out.parquet"
    code, stdout, stderr = _cli("portfolio", "audit", str(path), "--payments", str(pay),
                                "--as-of", "2025-06-30", "-o", str(out), "--on-bad-rows",
                                "skip", "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert summary["loans"] == 43
    assert summary["bad_rows"] == 7
    assert summary["bad_payment_rows"] == 3
    assert "10 bad rows were skipped" in stderr
    ids = pq.read_table(out)["loan_id"].to_pylist()
    assert len(ids) == 43
    assert "L000000001" not in ids


def test_cli_synth_and_audit_json(tmp_path: Path) -> None:
    book, pay, out = tmp_path / "b.parquet", tmp_path / "p.parquet", tmp_path / "o.parquet"
    code, stdout, _ = _cli("portfolio", "synth", "--loans", "2000", "-o", str(book),
                           "--payments", str(pay), "--as-of", "2025-06-30", "--seed", "4")
    assert code == 0
    assert "2000" in stdout
    code, stdout, stderr = _cli("portfolio", "audit", str(book), "--payments", str(pay),
                                "--as-of", "2025-06-30", "-o", str(out), "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert summary["loans"] == 2000
    assert [b["bucket"] for b in summary["by_bucket"]] == ["M0", "M1", "M2", "M3", "M4",
                                                          "M5", "M6", "M7+"]
    assert {"count", "balance", "excess"} <= set(summary["by_bucket"][0])
    assert {line["lender_type"] for line in summary["by_lender_type"]} <= {
        t.value for t in LenderType}
    assert summary["output"] == str(out)
    code, stdout, _ = _cli("portfolio", "audit", str(book), "--as-of", "2025-06-30", "-o",
                           str(out))
    assert code == 0
    assert "M7+" in stdout


def test_cli_rejects_bad_options(tmp_path: Path) -> None:
    code, _, stderr = _cli("portfolio", "audit", str(tmp_path / "none.parquet"), "-o",
                           str(tmp_path / "o.parquet"), "--on-bad-rows", "drop",
                           "--local-workers", "0")
    assert code == 2
    for text in ("--on-bad-rows", "--local-workers", "no such file"):
        assert text in stderr


def test_missing_column_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "b.parquet"
    pq.write_table(book_batch(0, 10, AS_OF, seed=1).drop_columns(["rate"]), path)
    code, _, stderr = _cli("portfolio", "audit", str(path), "-o", str(tmp_path / "o.parquet"))
    assert code == 2
    assert "rate" in stderr
    assert "Traceback" not in stderr


def test_synth_is_reproducible() -> None:
    assert book_batch(0, 500, AS_OF, seed=8).equals(book_batch(0, 500, AS_OF, seed=8))
    assert not book_batch(0, 500, AS_OF, seed=8).equals(book_batch(0, 500, AS_OF, seed=9))


def test_importing_the_command_does_not_import_numpy() -> None:
    code = ("import sys, arrears.cli_portfolio, arrears.portfolio.run; "
            "assert not {'numpy', 'pyarrow', 'dask', 'numba'} & set(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)
