"""US conventions under the us pack (issue 11, item 3): the Reg Z late-fee ceiling instead of
the Civil Code test, the statuses a US credit report shows, US dates in letters and findings,
and no Chinese in any English output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from arrears.audit import audit_case
from arrears.case import load_case
from arrears.credit import credit_timeline, us_status

from .conftest import run_cli

# $500 posted 2026-01-05, statements on the 5th, due 25 days later. The first statement's
# minimum is 2 % of 500 = 10.00, below the 25.00 floor, so 25.00 (hand-worked); nothing is
# paid, so on 2026-01-31 the fixed late fee of 30.00 is charged: 5.00 above that minimum,
# which 12 CFR 1026.52(b)(2)(i)(A) forbids. The next minimum (2026-02-05) carries the fee and
# the first unmet minimum, so the 30.00 charged on 2026-03-03 is not above it.
CARD = """
[case]
jurisdiction = "us"
currency = "USD"
timezone = "America/New_York"
as_of = 2026-03-10

[[debts]]
id = "card"
kind = "credit_card"
lender = "Big Bank"
balance = "500"
balance_date = 2026-01-05
statement_day = 5
payment_due_days = 25
rate = "24%/year"
min_payment = "2%"
min_payment_floor = "25"

[debts.overdue]
late_fee = "{fee}"
"""

COLLECTOR = """
[debts.collector]
name = "ABC Collections"
since = 2026-03-01

[[contacts]]
at = "2026-03-02 22:30"
channel = "call"
debt = "card"
flags = ["threat"]
"""

HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _findings(fee: str) -> list[tuple[str, str | None]]:
    case = load_case(CARD.format(fee=fee), "c.toml")
    assert case.as_of is not None
    (audit,) = audit_case(case, case.as_of)
    return [(f.rule.id, str(f.excess) if f.excess is not None else None)
            for f in audit.findings]


def test_a_late_fee_above_the_minimum_due_is_a_reg_z_finding() -> None:
    assert _findings("30") == [("us.card.late_fee_ceiling", "5.00")]


def test_a_late_fee_within_the_minimum_due_is_no_finding() -> None:
    assert _findings("25") == []
    assert _findings("20") == []


def test_the_civil_code_test_is_not_applied_under_the_us_pack(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(CARD.format(fee="30"), encoding="utf-8")
    run = run_cli("audit", str(path), "--json")
    assert run.code == 0, run.err
    text = run.out
    assert "30%" not in text
    assert "违约金" not in text
    assert "actual loss" not in text
    assert "12 CFR 1026.52(b)(1), (b)(2)(i)(A)" in text


@pytest.mark.parametrize(("dpd", "card", "collected", "expected"), [
    (0, True, False, "current"), (29, True, False, "current"), (30, True, False, "30"),
    (59, False, False, "30"), (60, False, False, "60"), (90, False, False, "90"),
    (120, False, False, "120"), (150, False, False, "150"), (179, False, False, "150"),
    (180, False, False, "180"), (400, False, False, "180"), (180, True, False, "charge-off"),
    (45, True, True, "collection"), (10, True, True, "current"),
])
def test_us_statuses(dpd: int, card: bool, collected: bool, expected: str) -> None:
    code = "N" if dpd == 0 else str(min((dpd - 1) // 30 + 1, 7))
    assert us_status(code, dpd, card=card, collected=collected) == expected


def test_not_open_or_settled_months_keep_their_code() -> None:
    for code in ("/", "*", "C"):
        assert us_status(code, 0, card=True, collected=False) is None


def test_the_credit_report_shows_collection_from_the_month_the_collector_took_over() -> None:
    case = load_case(CARD.format(fee="30") + COLLECTOR, "c.toml")
    assert case.as_of is not None
    (debt,) = credit_timeline(case, case.as_of)["debts"]
    shown = {cell["month"]: cell["us_status"] for cell in debt["grid"]}
    assert shown["2026-01"] == "current"  # due 2026-01-30: not a day late at the month's end
    assert shown["2026-02"] == "current"  # 29 days late at the close of February
    assert shown["2026-03"] == "collection"
    assert debt["us_worst"] == "collection"


@pytest.mark.parametrize("command", [
    ("status",), ("audit",), ("credit",), ("contacts",),
    ("letter", "--debt", "card", "--kind", "validation"),
    ("letter", "--debt", "card", "--kind", "stop-contact"),
])
def test_no_chinese_in_english_output_under_the_us_pack(command: tuple[str, ...],
                                                        tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(CARD.format(fee="30") + COLLECTOR, encoding="utf-8")
    run = run_cli(command[0], str(path), *command[1:])
    assert run.code == 0, run.err
    assert not HAN.findall(run.out + run.err), command
    json_run = run_cli(command[0], str(path), *command[1:], "--json")
    if json_run.code == 0:
        assert not HAN.findall(json.dumps(json.loads(json_run.out), ensure_ascii=False))


def test_a_us_letter_is_dated_as_americans_write_dates(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(CARD.format(fee="30") + COLLECTOR, encoding="utf-8")
    run = run_cli("letter", str(path), "--debt", "card", "--kind", "stop-contact")
    assert run.code == 0, run.err
    assert "March 10, 2026" in run.out
    assert "10 March 2026" not in run.out
