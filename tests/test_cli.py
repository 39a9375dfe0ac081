"""The ``arrears`` command as a person runs it: a real subprocess, JSON contracts, and
bad input as one line per problem with exit code 2 and no traceback."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import Run, run_cli


def _clean_error(result: Run) -> list[str]:
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert all(line.startswith("arrears: ") for line in lines)
    return lines


def test_schedule_json_contract() -> None:
    """The issue's example: 1,000,000 at 4.9 % over 360 months pays 5,307.27 a month (the
    figure Chinese bank calculators print for 100万, 30 years, 4.90 %)."""
    result = run_cli("schedule", "--principal", "1000000", "--rate", "4.9%", "--months",
                     "360", "--method", "equal-installment", "--start", "2026-01-15", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["payment"] == "5307.27"
    assert len(data["rows"]) == 360
    first = data["rows"][0]
    assert set(first) >= {"period", "due", "payment", "principal", "interest", "fee", "balance"}
    assert first == {"period": 1, "due": "2026-02-15", "payment": "5307.27",
                     "principal": "1223.94", "interest": "4083.33", "fee": "0.00",
                     "balance": "998776.06"}
    assert data["rows"][-1]["balance"] == "0.00"
    total = sum(Decimal(r["payment"]) for r in data["rows"])
    assert Decimal(data["total_paid"]) == total
    assert Decimal(data["total_interest"]) == total - Decimal(1000000)
    assert data["total_fees"] == "0.00"


@pytest.mark.parametrize("method", ["equal-installment", "equal-principal", "interest-first",
                                    "bullet", "flat-fee"])
def test_schedule_every_method(method: str) -> None:
    result = run_cli("schedule", "--principal", "12000", "--rate", "12%", "--months", "12",
                     "--method", method, "--fee-rate", "0.5%", "--start", "2026-01-31",
                     "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert sum(Decimal(r["principal"]) for r in data["rows"]) == Decimal(12000)
    expected_first_due = "2027-01-31" if method == "bullet" else "2026-02-28"
    assert data["rows"][0]["due"] == expected_first_due


def test_schedule_table_in_both_languages() -> None:
    args = ("schedule", "--principal", "3万", "--rate", "18%", "--months", "3",
            "--start", "2026-01-15")
    english = run_cli(*args)
    assert english.code == 0
    assert "Repayment schedule" in english.out
    assert "10,000.00" not in english.out  # amounts are plain, two places
    chinese = run_cli(*args, "--lang", "zh")
    assert "还款计划" in chinese.out
    assert run_cli(*args, lang="zh").out == chinese.out  # the locale picks the default


def test_apr_json_contract_pboc_example() -> None:
    result = run_cli("apr", "--received", "99000", "--payment", "8833.30", "--count", "12",
                     "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == {"method", "periodic_rate", "periods_per_year", "apr",
                         "effective_annual"}
    assert data["method"] == "pboc"
    assert data["periods_per_year"] == 12
    assert Decimal(data["apr"]).quantize(Decimal("0.0001")) == Decimal("0.1280")
    assert Decimal(data["effective_annual"]).quantize(Decimal("0.0001")) == Decimal("0.1358")
    assert len(Decimal(data["apr"]).as_tuple().digits) >= 10


def test_apr_flat_fee() -> None:
    """Tsinghua PBCSF: a 0.6 % monthly fee over 12 instalments costs about 13.03 % a year."""
    result = run_cli("apr", "--principal", "10000", "--fee-rate", "0.6%", "--count", "12",
                     "--json")
    assert result.code == 0, result.err
    assert Decimal(result.json()["apr"]).quantize(Decimal("0.0001")) == Decimal("0.1303")


def test_apr_from_flows_file(tmp_path: Path) -> None:
    """Excel's XIRR documentation example, from a CSV with a header."""
    flows = tmp_path / "flows.csv"
    flows.write_text("date,amount\n2008-01-01,-10000\n2008-03-01,2750\n2008-10-30,4250\n"
                     "2009-02-15,3250\n2009-04-01,2750\n", encoding="utf-8")
    result = run_cli("apr", "--flows", str(flows), "--method", "xirr", "--json")
    assert result.code == 0, result.err
    assert abs(Decimal(result.json()["apr"]) - Decimal("0.373362535")) < Decimal("1e-8")
    regz = run_cli("apr", "--flows", str(flows), "--method", "regz", "--unit-period", "month")
    assert regz.code == 0, regz.err
    assert "Regulation Z" in regz.out


def test_bad_principal_and_rate_all_reported() -> None:
    lines = _clean_error(run_cli("schedule", "--principal", "-5", "--rate", "abc",
                                 "--months", "12", "--start", "2026-01-15"))
    assert any(line.startswith("arrears: --rate: ") and '"abc"' in line for line in lines)
    lines = _clean_error(run_cli("schedule", "--principal", "0", "--rate", "5%",
                                 "--months", "0", "--start", "2026-01-15"))
    assert any(line.startswith("arrears: --principal: must be more than 0") for line in lines)
    assert any(line.startswith("arrears: --months: ") for line in lines)


def test_bad_date_in_csv_names_the_line(tmp_path: Path) -> None:
    flows = tmp_path / "flows.csv"
    rows = ["date,amount", "2026-01-01,10000"] + [f"2026-0{m}-15,-1800" for m in range(2, 6)]
    rows.insert(6, "2026-13-40,-1800")  # line 7
    flows.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = _clean_error(run_cli("apr", "--flows", str(flows)))
    assert lines == [f'arrears: {flows}:7: "2026-13-40" is not a date like 2026-01-15']


def test_flows_with_no_sign_change(tmp_path: Path) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text("2026-01-01,-100\n2026-02-01,-100\n", encoding="utf-8")
    lines = _clean_error(run_cli("apr", "--flows", str(flows)))
    assert len(lines) == 1
    assert "never change sign" in lines[0]


def test_missing_file_and_usage_errors_are_one_line(tmp_path: Path) -> None:
    lines = _clean_error(run_cli("apr", "--flows", str(tmp_path / "nope.csv")))
    assert len(lines) == 1
    assert "nope.csv" in lines[0]
    lines = _clean_error(run_cli("schedule", "--rate", "5%"))
    assert len(lines) == 1
    assert "--principal" in lines[0]
    lines = _clean_error(run_cli("schedule", "--principal", "100", "--months", "x"))
    assert len(lines) == 1
    assert "--months" in lines[0]
    lines = _clean_error(run_cli("schedule", "--principal", "100", "--months", "3",
                                 "--lang", "fr"))
    assert lines == ['arrears: --lang: "fr" is not a language; use zh or en']


def test_errors_in_chinese() -> None:
    lines = _clean_error(run_cli("schedule", "--principal", "abc", "--months", "3",
                                 "--lang", "zh"))
    assert lines == ['arrears: --principal: "abc" 不是 "1,234.50" 这样的金额']


def test_help_has_an_example() -> None:
    for command in ("schedule", "apr"):
        result = run_cli(command, "--help")
        assert result.code == 0
        assert "arrears " + command in result.out
