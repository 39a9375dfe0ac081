"""The credit report (docs/credit.md): hand-built histories with the codes worked out in each
docstring, the retention dates of both packs, the what-if, and the ``credit`` command.

The worked loans lend 0 % interest with no late fee, so every instalment is exactly 1,000.00
and a missed one owes exactly 1,000.00 however late: the codes depend only on the dates.
A month's status is read at the close of its reporting date (the instalment's due date, or
the card's statement date): an instalment unpaid at the close of its due date is 1 day past
due, so DPD at the close of due date *r* for a run that began at due date *b* is r − b + 1.
Codes: N for 0, 1 for 1–30, 2 for 31–60 … 7 above 180.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from arrears.case import Case, load_case
from arrears.credit import code_of, credit_timeline, debt_history, worst_code
from arrears.engine import position

from .conftest import run_cli

D = date


def loan(*, disbursed: str, months: int = 12, grace: int = 0,
         payments: tuple[tuple[str, str], ...] = ()) -> str:
    """A 0 % loan of 1,000.00 a month; the first instalment one month after ``disbursed``."""
    rows = "".join(f'\n[[debts.payments]]\ndate = {on}\namount = "{amount}"\n'
                   for on, amount in payments)
    return (f'[[debts]]\nid = "loan"\nkind = "installment_loan"\nprincipal = "{months}000"\n'
            f'rate = "0"\nterm_months = {months}\ndisbursed = {disbursed}\n'
            f"[debts.overdue]\ngrace_days = {grace}\n{rows}")


def case_of(*debts: str, jurisdiction: str = "cn") -> Case:
    head = f'[case]\njurisdiction = "{jurisdiction}"\n\n'
    return load_case(head + "\n".join(debts), "case.toml")


def monthly(first: str, count: int, *, skip: tuple[str, ...] = ()) -> tuple[tuple[str, str],
                                                                          ...]:
    """1,000.00 paid on the 10th of ``count`` months from ``first`` (YYYY-MM), but not in
    the months listed in ``skip``."""
    year, month = int(first[:4]), int(first[5:])
    out = []
    for _ in range(count):
        key = f"{year:04d}-{month:02d}"
        if key not in skip:
            out.append((f"{key}-10", "1000"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(out)


def codes(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m["month"], m["code"]) for m in report["months"]]


def grid(report: dict[str, Any]) -> str:
    return " ".join(cell["code"] or "-" for cell in report["grid"])


def only(case: Case, as_of: date, if_paid_on: date | None = None) -> dict[str, Any]:
    model = credit_timeline(case, as_of, if_paid_on)
    assert len(model["debts"]) == 1
    debt: dict[str, Any] = model["debts"][0]
    return debt


# ---- codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("dpd", "code"), [(0, "N"), (1, "1"), (30, "1"), (31, "2"),
                                           (60, "2"), (61, "3"), (150, "5"), (151, "6"),
                                           (180, "6"), (181, "7"), (2000, "7")])
def test_code_of_days_past_due(dpd: int, code: str) -> None:
    assert code_of(dpd) == code


def test_worst_code_ranks_7_worst_then_1_then_n() -> None:
    assert worst_code(["N", "1", "C", "3", "2"]) == "3"
    assert worst_code(["N", "C", "*"]) == "N"
    assert worst_code(["C"]) == "C"
    assert worst_code(["7", "1"]) == "7"
    assert worst_code([]) is None


# ---- loans -------------------------------------------------------------------------------


def test_paid_on_time_is_all_n() -> None:
    """Disbursed 2026-03-10, six instalments due on the 10th, April to September, each paid
    on its due date. On 2026-08-20: April–August are N (DPD 0 at every close); March, the
    month the loan opened with nothing due, is *; earlier months are /. Nothing negative, so
    no default end and no deletion date."""
    case = case_of(loan(disbursed="2026-03-10", months=6,
                        payments=monthly("2026-04", 5)))
    debt = only(case, D(2026, 8, 20))
    assert codes(debt) == [("2026-04", "N"), ("2026-05", "N"), ("2026-06", "N"),
                           ("2026-07", "N"), ("2026-08", "N")]
    assert debt["worst"] == "N"
    assert (debt["default_ends"], debt["clean_on"], debt["dpd"]) == (None, None, 0)
    assert debt["months_overdue"] == 0
    assert len(debt["grid"]) == 24
    assert debt["grid"][0]["month"] == "2024-09"
    assert debt["grid"][-1] == {"month": "2026-08", "code": "N"}
    assert grid(debt) == " ".join(["/"] * 18 + ["*", "N", "N", "N", "N", "N"])


def test_the_last_instalment_paid_shows_c() -> None:
    """The same loan with its sixth instalment paid on 2026-09-10: everything is paid and no
    instalment is left, so September — the month it was paid off — is C, not N, and the grid
    has no entry after it."""
    case = case_of(loan(disbursed="2026-03-10", months=6,
                        payments=monthly("2026-04", 6)))
    debt = only(case, D(2026, 11, 30))
    assert codes(debt)[-2:] == [("2026-08", "N"), ("2026-09", "C")]
    assert debt["settled_on"] == "2026-09-10"
    assert grid(debt).endswith("* N N N N N C - -")
    assert debt["worst"] == "N"
    assert debt["clean_on"] is None


def test_the_as_of_month_counts_only_once_its_reporting_date_has_passed() -> None:
    """On 2026-08-05 the August instalment (due 08-10) has not been reported: the months end
    in July and the grid's last cell, August, has no entry."""
    case = case_of(loan(disbursed="2026-03-10", months=6,
                        payments=monthly("2026-04", 4)))
    debt = only(case, D(2026, 8, 5))
    assert codes(debt)[-1] == ("2026-07", "N")
    assert debt["grid"][-1] == {"month": "2026-08", "code": ""}
    on_the_day = only(case, D(2026, 8, 10))
    assert codes(on_the_day)[-1] == ("2026-08", "1")  # due that day, unpaid at its close


def test_one_month_late_then_cured() -> None:
    """The May instalment (due 2026-05-10) is paid on 2026-06-05, 26 days late; June's is
    paid on time. May's close finds it unpaid: DPD 1, code 1. By June's close it is paid: N.
    The default ended on the payment that brought DPD back to 0, 2026-06-05, and the record
    is deleted 5 years later, 2031-06-05 (Art. 16)."""
    payments = (("2026-04-10", "1000"), ("2026-06-05", "1000"), ("2026-06-10", "1000"),
                ("2026-07-10", "1000"))
    case = case_of(loan(disbursed="2026-03-10", months=6, payments=payments))
    debt = only(case, D(2026, 7, 31))
    assert codes(debt) == [("2026-04", "N"), ("2026-05", "1"), ("2026-06", "N"),
                           ("2026-07", "N")]
    assert [m["dpd"] for m in debt["months"]] == [0, 1, 0, 0]
    assert debt["worst"] == "1"
    assert debt["default_ends"] == "2026-06-05"
    assert debt["clean_on"] == "2031-06-05"
    assert (debt["rule"], debt["months_overdue"]) == ("cn.credit.retention", 1)


def test_four_months_late_is_1_2_3_4_and_still_in_default() -> None:
    """Disbursed 2026-05-10, due on the 10th from June; June is paid, nothing after. The run
    begins at the July due date; at the close of each later due date DPD is
    07-10 → 1 (code 1), 08-10 → 32 (2), 09-10 → 63 (3), 10-10 → 93 (4). On 2026-10-31 DPD is
    113: still in default, so neither the default's end nor the deletion date is known."""
    case = case_of(loan(disbursed="2026-05-10", payments=(("2026-06-10", "1000"),)))
    debt = only(case, D(2026, 10, 31))
    assert codes(debt) == [("2026-06", "N"), ("2026-07", "1"), ("2026-08", "2"),
                           ("2026-09", "3"), ("2026-10", "4")]
    assert [m["dpd"] for m in debt["months"]] == [0, 1, 32, 63, 93]
    assert (debt["worst"], debt["dpd"], debt["in_default"]) == ("4", 113, True)
    assert (debt["default_ends"], debt["clean_on"]) == (None, None)
    assert (debt["months_overdue"], debt["months_over_90_days"]) == (4, 1)


def test_codes_follow_days_not_missed_months() -> None:
    """Codes are read from days past due, so a short February can hold a code back: due on
    the 31st (Feb 28 in 2026) and nothing paid, the closes find DPD 1 (Jan 31, code 1),
    29 (Feb 28, still 1), 60 (Mar 31, 2) and 90 (Apr 30, 3)."""
    case = case_of(loan(disbursed="2025-12-31"))
    debt = only(case, D(2026, 4, 30))
    assert codes(debt) == [("2026-01", "1"), ("2026-02", "1"), ("2026-03", "2"),
                           ("2026-04", "3")]


def test_paid_within_grace_is_not_reported() -> None:
    """With 3 grace days the lender reports at the close of the grace period (due date + 3).
    May's instalment paid on 05-12 is not late; June's paid on 06-14 is 1 day past grace:
    DPD at the close of 06-13 is 4, code 1, and that default ended on 06-14."""
    payments = (("2026-04-10", "1000"), ("2026-05-12", "1000"), ("2026-06-14", "1000"))
    case = case_of(loan(disbursed="2026-03-10", months=6, grace=3, payments=payments))
    debt = only(case, D(2026, 6, 30))
    assert codes(debt) == [("2026-04", "N"), ("2026-05", "N"), ("2026-06", "1")]
    assert debt["months"][-1]["dpd"] == 4
    assert (debt["default_ends"], debt["clean_on"]) == ("2026-06-14", "2031-06-14")


def test_settled_early_shows_c_then_nothing() -> None:
    """April's instalment is paid on time; on 2026-05-03 a payment of 5,000.00 covers all
    principal not yet due (0 % interest, so nothing accrued): the loan is settled that day.
    May is C, and nothing is reported after it, though the report is on 2026-08-31."""
    payments = (("2026-04-10", "1000"), ("2026-05-03", "5000"))
    case = case_of(loan(disbursed="2026-03-10", months=6, payments=payments))
    debt = only(case, D(2026, 8, 31))
    assert codes(debt) == [("2026-04", "N"), ("2026-05", "C")]
    assert debt["months"][-1]["reported_on"] == "2026-05-03"
    assert debt["settled_on"] == "2026-05-03"
    assert grid(debt).endswith("/ * N C - - -")
    assert (debt["worst"], debt["default_ends"], debt["clean_on"]) == ("N", None, None)


def test_after_maturity_the_same_day_of_each_month_is_reported() -> None:
    """A 3-month loan (due 04-10, 05-10, 06-10) with nothing paid keeps being reported on the
    10th after maturity: 1, 2 (32), 3 (62), then 07-10 → 92 (4) and 08-10 → 123 (5)."""
    case = case_of(loan(disbursed="2026-03-10", months=3))
    debt = only(case, D(2026, 8, 15))
    assert codes(debt) == [("2026-04", "1"), ("2026-05", "2"), ("2026-06", "3"),
                           ("2026-07", "4"), ("2026-08", "5")]
    assert debt["months"][-1]["reported_on"] == "2026-08-10"


# ---- cards -------------------------------------------------------------------------------


def card(*payments: tuple[str, str]) -> str:
    rows = "".join(f'\n[[debts.payments]]\ndate = {on}\namount = "{amount}"\n'
                   for on, amount in payments)
    return ('[[debts]]\nid = "card"\nkind = "credit_card"\nbalance = "10000"\n'
            "balance_date = 2026-03-05\nstatement_day = 5\npayment_due_days = 20\n" + rows)


def test_card_one_then_two_months_behind_by_statement_date() -> None:
    """10,000 posted on 2026-03-05, statements on the 5th, due on the 25th. March's
    minimum (1,000: 10 % of the principal, no interest billed yet) is met by 2,000 on
    03-20; nothing after. The report reads each statement date: 03-05 and 04-05 N (nothing
    past due); April's minimum was due 04-25, so at the close of 05-05 DPD is 11 (code 1)
    and at the close of 06-05 it is 42 (code 2)."""
    case = case_of(card(("2026-03-20", "2000")))
    debt = only(case, D(2026, 6, 10))
    assert codes(debt) == [("2026-03", "N"), ("2026-04", "N"), ("2026-05", "1"),
                           ("2026-06", "2")]
    assert [m["dpd"] for m in debt["months"]] == [0, 0, 11, 42]
    assert [m["reported_on"] for m in debt["months"]] == ["2026-03-05", "2026-04-05",
                                                         "2026-05-05", "2026-06-05"]
    assert (debt["worst"], debt["dpd"], debt["default_ends"]) == ("2", 46, None)
    assert debt["first_reported"] == "2026-03-05"
    assert grid(debt).endswith("/ N N 1 2")


def test_card_paid_off_is_c() -> None:
    """The whole balance paid on 2026-03-20, before the first due date (interest waived):
    the card is settled, so March is C."""
    case = case_of(card(("2026-03-20", "10000")))
    debt = only(case, D(2026, 5, 31))
    assert codes(debt) == [("2026-03", "C")]
    assert debt["settled_on"] == "2026-03-20"


# ---- the US pack -------------------------------------------------------------------------


def test_us_pack_dates_run_from_the_start_of_the_delinquency() -> None:
    """The four-months-late loan under the US pack, with July's instalment paid late on
    08-20: DPD falls to 10 (August's is still unpaid) but never to 0, so the delinquency
    that began at the first missed due date, 2026-07-10, goes on. FCRA: reportable until
    180 days after it (2027-01-06) plus 7 years, 2034-01-06 — known while still in default,
    and that is clean_on."""
    payments = (("2026-06-10", "1000"), ("2026-08-20", "1000"))
    case = case_of(loan(disbursed="2026-05-10", payments=payments), jurisdiction="us")
    model = credit_timeline(case, D(2026, 10, 31))
    debt = model["debts"][0]
    assert codes(debt) == [("2026-06", "N"), ("2026-07", "1"), ("2026-08", "2"),
                           ("2026-09", "2"), ("2026-10", "3")]
    assert debt["delinquency_began"] == "2026-07-10"
    assert debt["reportable_until"] == "2034-01-06"
    assert debt["clean_on"] == "2034-01-06"
    assert debt["default_ends"] is None
    assert debt["rule"] == "us.credit.fcra_7y"
    assert model["jurisdiction"] == "us"
    assert model["notices"] == []  # the US pack has no Art. 15/17/25 equivalents


def test_us_pack_cured_delinquency() -> None:
    """The one-month-late loan under the US pack: the delinquency began 2026-05-10 and
    ended 2026-06-05; reportable until 2026-05-10 + 180 days (2026-11-06) + 7 years."""
    payments = (("2026-04-10", "1000"), ("2026-06-05", "1000"), ("2026-06-10", "1000"))
    case = case_of(loan(disbursed="2026-03-10", months=6, payments=payments),
                   jurisdiction="us")
    debt = only(case, D(2026, 6, 30))
    assert (debt["delinquency_began"], debt["default_ends"]) == ("2026-05-10", "2026-06-05")
    assert debt["clean_on"] == debt["reportable_until"] == "2033-11-06"


def test_cn_pack_has_no_fcra_fields_and_lists_its_notices() -> None:
    case = case_of(loan(disbursed="2026-03-10", months=6))
    model = credit_timeline(case, D(2026, 6, 30))
    assert "delinquency_began" not in model["debts"][0]
    assert [n["rule"] for n in model["notices"]] == ["cn.credit.notice", "cn.credit.dispute",
                                                     "cn.credit.free_reports"]
    assert model["retention"]["years"] == 5
    chinese = credit_timeline(case, D(2026, 6, 30), lang="zh")
    assert "第十六条" in chinese["debts"][0]["source"]


# ---- what if -----------------------------------------------------------------------------


def test_what_if_the_overdue_amount_is_paid() -> None:
    """The four-months-late loan on 2026-10-31, if the overdue amount on 11-05 were paid
    that day: four instalments (July–October), 4,000.00. DPD is 0 after it, so the default
    ends 2026-11-05 and the record goes 2031-11-05. November's instalment (due 11-10) is not
    reported by 11-05; the months already reported do not change."""
    case = case_of(loan(disbursed="2026-05-10", payments=(("2026-06-10", "1000"),)))
    debt = only(case, D(2026, 10, 31), D(2026, 11, 5))
    what_if = debt["what_if"]
    assert what_if["amount"] == "4000.00"
    assert (what_if["paid_on"], what_if["as_of"]) == ("2026-11-05", "2026-11-05")
    assert codes(what_if) == codes(debt)
    assert what_if["worst"] == "4"
    assert (what_if["default_ends"], what_if["clean_on"]) == ("2026-11-05", "2031-11-05")
    assert what_if["grid"][-1] == {"month": "2026-11", "code": ""}
    assert (debt["default_ends"], debt["clean_on"]) == (None, None)  # unchanged


def test_what_if_on_a_card_pays_the_unmet_minimums() -> None:
    """The card two months behind, if the overdue amount — April's and May's unmet
    minimums — were paid on 06-15: DPD back to 0 that day."""
    case = case_of(card(("2026-03-20", "2000")))
    debt = only(case, D(2026, 6, 10), D(2026, 6, 15))
    known = case.debts[0]
    assert Decimal(debt["what_if"]["amount"]) == position(known, D(2026, 6, 15)).overdue_amount
    assert codes(debt["what_if"]) == codes(debt)
    assert debt["what_if"]["default_ends"] == "2026-06-15"
    assert debt["what_if"]["clean_on"] == "2031-06-15"


def test_what_if_with_nothing_overdue_pays_nothing() -> None:
    case = case_of(loan(disbursed="2026-03-10", months=6, payments=monthly("2026-04", 3)))
    debt = only(case, D(2026, 6, 20), D(2026, 6, 20))
    assert debt["what_if"]["amount"] == "0.00"
    assert codes(debt["what_if"]) == codes(debt)


# ---- the bundled demo --------------------------------------------------------------------


def demo() -> Case:
    text = files("arrears").joinpath("examples", "demo.toml").read_text(encoding="utf-8")
    return load_case(text, "demo.toml")


def test_demo_smoke() -> None:
    """The demo on its as-of date, 2026-11-28. The online loan (3 grace days) was paid to
    July and missed 08-15: its closes (due + 3) find DPD 4, 35, 65, 96 → 1 2 3 4; it was
    accelerated after 90 days, so the what-if pays the whole payoff and it is C in December.
    The card's October minimum (due 10-25) is unmet at the 11-05 statement: DPD 12, code 1.
    The car loan is N throughout."""
    model = credit_timeline(demo(), D(2026, 11, 28), D(2026, 12, 1))
    loan_, card_, car = model["debts"]
    assert [m["code"] for m in loan_["months"]][-5:] == ["N", "1", "2", "3", "4"]
    assert [m["dpd"] for m in loan_["months"]][-4:] == [4, 35, 65, 96]
    assert loan_["worst"] == "4"
    assert loan_["in_default"] is True
    assert loan_["clean_on"] is None
    payoff = position(demo().debts[0], D(2026, 12, 1)).payoff
    assert Decimal(loan_["what_if"]["amount"]) == payoff
    assert codes(loan_["what_if"])[-1] == ("2026-12", "C")
    assert loan_["what_if"]["clean_on"] == "2031-12-01"
    assert codes(card_)[-1] == ("2026-11", "1")
    assert card_["months"][-1]["dpd"] == 12
    assert car["worst"] == "N"
    assert {m["code"] for m in car["months"]} == {"N"}
    history = debt_history(demo().debts[2], D(2026, 11, 28))
    assert history.first_reported == D(2025, 7, 10)


# ---- the command -------------------------------------------------------------------------


def _in_process(*args: str) -> tuple[int, str, str]:
    """``arrears ARGS`` in this process (the command registered by importing its module)."""
    import arrears.cli_credit  # noqa: F401 - registers ``credit``
    from arrears.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path: Path, case_text: str) -> str:
    path = tmp_path / "case.toml"
    path.write_text(case_text, encoding="utf-8")
    return str(path)


FOUR_LATE = ('[case]\njurisdiction = "cn"\nas_of = 2026-10-31\n\n'
             + loan(disbursed="2026-05-10", payments=(("2026-06-10", "1000"),)))


def test_command_json_in_process(tmp_path: Path) -> None:
    code, out, err = _in_process("credit", _write(tmp_path, FOUR_LATE), "--json",
                                 "--if-paid-on", "2026-11-05", "--lang", "en")
    assert code == 0, err
    data = json.loads(out)
    debt = data["debts"][0]
    assert set(debt) >= {"id", "months", "worst", "default_ends", "clean_on", "grid",
                         "what_if", "rule", "source"}
    assert debt["what_if"]["default_ends"] == "2026-11-05"


def test_command_terminal_in_process(tmp_path: Path) -> None:
    code, out, _ = _in_process("credit", _write(tmp_path, FOUR_LATE), "--if-paid-on",
                               "2026-11-05", "--lang", "en")
    assert code == 0
    assert "/ * N 1 2 3 4" in out
    assert "cn.credit.notice" in out
    assert "cn.credit.dispute" in out
    assert "cn.credit.free_reports" in out
    assert "4000.00" in out
    assert out.strip().endswith("This is information, not legal advice.")


@pytest.mark.parametrize("option", ["--if-paid-on", "--as-of"])
def test_command_bad_date_in_process(tmp_path: Path, option: str) -> None:
    code, out, err = _in_process("credit", _write(tmp_path, FOUR_LATE), option, "soon",
                                 "--lang", "en")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [f'arrears: {option}: "soon" is not a date like 2026-01-15']


# Real subprocesses: these need ``import arrears.cli_credit`` in ``arrears.cli._register``.


def test_cli_json_contract(tmp_path: Path) -> None:
    result = run_cli("credit", _write(tmp_path, FOUR_LATE), "--json", "--if-paid-on",
                     "2026-11-05")
    assert result.code == 0, result.err
    data = result.json()
    debt = data["debts"][0]
    assert debt["id"] == "loan"
    assert debt["months"][:2] == [
        {"month": "2026-06", "code": "N", "reported_on": "2026-06-10", "dpd": 0},
        {"month": "2026-07", "code": "1", "reported_on": "2026-07-10", "dpd": 1},
    ]
    assert (debt["worst"], debt["default_ends"], debt["clean_on"]) == ("4", None, None)
    assert len(debt["grid"]) == 24
    assert set(debt["what_if"]) >= {"paid_on", "amount", "months", "worst", "default_ends",
                                    "clean_on"}
    assert debt["what_if"]["clean_on"] == "2031-11-05"


def test_cli_bad_if_paid_on_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("credit", _write(tmp_path, FOUR_LATE), "--if-paid-on", "2026-02-30")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.strip().splitlines() == [
        'arrears: --if-paid-on: "2026-02-30" is not a date like 2026-01-15']


def test_cli_demo_terminal() -> None:
    demo_path = str(files("arrears").joinpath("examples", "demo.toml"))
    result = run_cli("credit", demo_path)
    assert result.code == 0, result.err
    assert "online-loan" in result.out
    assert "This is information, not legal advice." in result.out
