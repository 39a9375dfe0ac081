"""Case files: the issue's format loads; every problem in a bad file is reported at once as
``file: key.path: what is wrong``, with exit code 2 and no traceback."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from arrears.case import load_case
from arrears.debt import DebtKind, LenderType
from arrears.errors import InputError
from arrears.i18n import render
from arrears.overdue import PenaltyBase

from .conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent

ISSUE_EXAMPLE = """
[case]
currency = "CNY"
jurisdiction = "cn"
as_of = 2026-11-28

[household]
monthly_income = "5500"
essential_expenses = "4300"
savings = "600"
emergency_fund_months = 3

[[debts]]
id = "online-loan"
lender = "某消费金融平台"
lender_type = "consumer_finance"
kind = "installment_loan"
principal = "30000"
received = "30000"
disbursed = 2025-12-15
method = "equal_installment"
rate = "18%"
rate_basis = "annual"
day_count = "ACT/360"
term_months = 12
first_due = 2026-01-15
fee_rate = "0.5%"
upfront_fee = "0"

[debts.overdue]
grace_days = 3
penalty = "1.5x"
penalty_base = "overdue_principal"
compound = true
late_fee = "5%"
late_fee_min = "0"
late_fee_max = "200"
accelerate_after_days = 90

[[debts.payments]]
date = 2026-01-15
amount = "2750.40"
"""


def test_the_issue_example_loads() -> None:
    case = load_case(ISSUE_EXAMPLE, "case.toml")
    assert case.as_of == date(2026, 11, 28)
    assert case.household is not None
    assert case.household.monthly_income == Decimal(5500)
    (debt,) = case.debts
    assert debt.lender_type is LenderType.CONSUMER_FINANCE
    assert debt.kind is DebtKind.INSTALLMENT_LOAN
    assert debt.terms is not None
    assert debt.terms.fee_rate == Decimal("0.005")
    assert debt.overdue.penalty.multiplier == Decimal("1.5")
    assert debt.overdue.penalty_base is PenaltyBase.OVERDUE_PRINCIPAL
    assert debt.overdue.late_fee.maximum == Decimal(200)
    assert debt.payments[0].amount == Decimal("2750.40")
    assert not case.warnings


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_case(text, "case.toml")
    return [render(p) for p in caught.value.problems]


def test_every_problem_at_once() -> None:
    bad = (ISSUE_EXAMPLE.replace('penalty = "1.5x"', 'penalty = "1.5"')
           .replace('principal = "30000"', 'principal = "-1"')
           .replace("term_months = 12", "term_months = 0")
           .replace('amount = "2750.40"', 'amount = "abc"'))
    lines = _problems(bad)
    assert ('case.toml: debts[0].overdue.penalty: "1.5" is not a multiple like "1.5x" or a '
            'rate like "0.05%/day"') in lines
    assert "case.toml: debts[0].principal: must be more than 0, not -1.00" in lines
    assert any(line.startswith("case.toml: debts[0].term_months: ") for line in lines)
    assert any(line.startswith("case.toml: debts[0].payments[0].amount: ") for line in lines)
    assert len(lines) == 4


def test_second_debt_is_debts_1() -> None:
    second = ISSUE_EXAMPLE.split("[[debts]]", 1)[1].replace('"online-loan"', '"other"')
    second = second.replace('penalty = "1.5x"', 'penalty = "1.5"')
    lines = _problems(ISSUE_EXAMPLE + "\n[[debts]]" + second)
    assert lines == ['case.toml: debts[1].overdue.penalty: "1.5" is not a multiple like "1.5x"'
                     ' or a rate like "0.05%/day"']


def test_missing_and_duplicate() -> None:
    text = '[[debts]]\nid = "a"\nrate = "5%"\n[[debts]]\nid = "a"\nprincipal = "100"\n' \
           'rate = "5%"\nterm_months = 3\ndisbursed = 2026-01-01\n'
    lines = _problems(text)
    assert "case.toml: debts[0].principal: is required" in lines
    assert "case.toml: debts[0].disbursed: is required" in lines
    assert 'case.toml: debts[1].id: "a" is used by another debt; ids must be unique' in lines


def test_typos_are_warnings_with_a_suggestion() -> None:
    case = load_case(ISSUE_EXAMPLE.replace("grace_days = 3", "grace_dayz = 3"), "case.toml")
    assert [render(w) for w in case.warnings] == [
        'case.toml: debts[0].overdue.grace_dayz: unknown key, ignored; did you mean '
        '"grace_days"?']


def test_not_toml() -> None:
    (line,) = _problems("[case\n")
    assert line.startswith("case.toml: is not valid TOML: ")


def test_payment_before_disbursement() -> None:
    lines = _problems(ISSUE_EXAMPLE.replace("date = 2026-01-15", "date = 2025-01-15"))
    assert lines == ["case.toml: debts[0].payments[0].date: 2025-01-15 is before the debt "
                     "started (2025-12-15)"]


def test_cli_bad_case_file_exit_2(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(ISSUE_EXAMPLE.replace('penalty = "1.5x"', 'penalty = "1.5"'),
                    encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    result = run_cli("status", str(case), "--json")
    assert result.code == 2
    assert result.out == ""
    assert "Traceback" not in result.err
    assert result.err.strip() == (f'arrears: {case}: debts[0].overdue.penalty: "1.5" is not '
                                  'a multiple like "1.5x" or a rate like "0.05%/day"')
    assert sorted(tmp_path.iterdir()) == before  # nothing written


def test_cli_unknown_debt_and_missing_file(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(ISSUE_EXAMPLE, encoding="utf-8")
    result = run_cli("ledger", str(case), "--debt", "nope")
    assert result.code == 2
    assert result.err.strip() == ('arrears: --debt: no debt has the id "nope"; the case has '
                                  "online-loan")
    missing = run_cli("status", str(tmp_path / "missing.toml"))
    assert missing.code == 2
    assert "missing.toml: cannot be read" in missing.err


def test_example_file_is_the_bundled_one() -> None:
    bundled = ROOT / "src" / "arrears" / "examples" / "demo.toml"
    assert (ROOT / "examples" / "demo.toml").read_text(encoding="utf-8") == bundled.read_text(
        encoding="utf-8")
