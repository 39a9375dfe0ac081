"""One figure, one meaning (issue 10 item 3): an amount two commands show for the same thing
is the same amount. Every command is run with ``--json`` on the bundled case and on
generated cases, and the figures they share are compared with ``arrears status``'s:

* payoff, overdue amount and days past due of each debt, on the report date: ``status``,
  the plan's opening (``plan.opening``), its offers' ``owed``, the letters' ``debt``;
* the plan's "due now" (``triage.due``) is the status's total overdue amount; what falls due
  later in the month is apart (``triage.falling_due``, by ``triage.due_by``);
* days past due in the credit report and in ``afford``, and afford's past-due amounts;
* ``demo --json`` is the same report as each command on the bundled case;
* a letter's monthly offer is the plan's offer to that lender.

The trap: ``arrears plan`` opened with each debt's payoff on its next payment date and a
"due now" that added what fell due later in the month, unlabelled. On the bundled case as of
2026-11-05 (before the month's due dates), ``arrears status examples/demo.toml --as-of
2026-11-05`` shows online-loan's payoff 14888.05 and 11147.31 overdue in all; the plan
showed 14977.45 and 18442.71.

The letters are built by another part of the work on issue 10: their JSON is compared where
it carries ``debt.claimed`` / ``debt.overdue`` / ``debt.dpd`` / ``budget.offer``."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).parent.parent
DEMO = ROOT / "examples" / "demo.toml"
OFFER = ROOT / "examples" / "offer.toml"
MONTHS = "12"


def _run(*args: str) -> tuple[int, str]:
    """``arrears ARGS`` in this process: the exit code and what was printed."""
    from arrears.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue()


def _json(*args: str) -> dict[str, Any]:
    code, out = _run(*args, "--json", "--lang", "en")
    assert code == 0, (args, out)
    data: dict[str, Any] = json.loads(out)
    return data


def _by_id(items: list[dict[str, Any]], key: str = "id") -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


def check_figures(case: Path, as_of: str | None = None) -> dict[str, Any]:
    """Run every command on ``case`` and compare the figures they share; returns the
    status."""
    when = ("--as-of", as_of) if as_of else ()
    status = _json("status", str(case), *when)
    debts = _by_id(status["debts"])

    plan = _json("plan", str(case), *when, "--months", MONTHS, "--strategy", "overdue_first")
    opening = plan["opening"]
    assert opening["date"] == status["as_of"] == plan["start"]
    assert opening["total_payoff"] == status["total_payoff"]
    assert opening["total_overdue"] == status["total_overdue"]
    for row in opening["debts"]:
        debt = debts[row["debt"]]
        assert (row["payoff"], row["overdue_amount"], row["dpd"]) == (
            debt["payoff"], debt["overdue_amount"], debt["dpd"]), row["debt"]
    triage = plan["triage"]
    assert triage["due"] == status["total_overdue"]
    for offer in triage["offers"]:
        assert offer["owed"] == debts[offer["debt"]]["payoff"], offer["debt"]

    credit = _json("credit", str(case), *when)
    for report in credit["debts"]:
        assert report["dpd"] == debts[report["id"]]["dpd"], report["id"]

    afford = _json("afford", str(case), "--offer", str(OFFER), *when)
    for row in afford["existing"]:
        debt = debts[row["id"]]
        assert (row["dpd"], row["past_due"]) == (debt["dpd"], debt["overdue_amount"]), row["id"]

    audit = _json("audit", str(case), *when)
    assert audit["as_of"] == status["as_of"]
    assert set(_by_id(audit["debts"])) == set(debts)

    code, _out = _run("contacts", str(case), "--json")
    assert code == 0

    offers = {o["debt"]: o["monthly"] for o in triage["offers"]}
    for debt_id, debt in debts.items():
        code, out = _run("letter", str(case), "--debt", debt_id, "--kind", "instalment",
                         *when, "--json", "--lang", "en")
        if code != 0:  # a letter refused (nothing owed, say) has no figures to compare
            continue
        letter = json.loads(out)
        quoted = letter.get("debt", {})
        for key, figure in (("claimed", "payoff"), ("overdue", "overdue_amount"),
                            ("dpd", "dpd")):
            if key in quoted:
                assert quoted[key] == debt[figure], (debt_id, key)
        if "offer" in letter.get("budget", {}):
            assert letter["budget"]["offer"] == offers[debt_id], debt_id
    return status


def test_every_command_agrees_on_the_bundled_case() -> None:
    check_figures(DEMO)


def test_the_plan_opens_with_the_status_before_the_months_due_dates() -> None:
    """The trap, on the bundled case as of 2026-11-05: figures from ``arrears status
    examples/demo.toml --as-of 2026-11-05``; the plan used to show 14977.45 and 18442.71."""
    status = check_figures(DEMO, "2026-11-05")
    assert _by_id(status["debts"])["online-loan"]["payoff"] == "14888.05"
    assert status["total_overdue"] == "11147.31"
    plan = _json("plan", str(DEMO), "--as-of", "2026-11-05", "--months", MONTHS,
                 "--strategy", "overdue_first")
    assert _by_id(plan["opening"]["debts"], "debt")["online-loan"]["payoff"] == "14888.05"
    assert plan["triage"]["due"] == "11147.31"
    # The instalments and card minimums that fall due later in November are shown apart,
    # dated; the shortfall counts both.
    assert plan["triage"]["due_by"] == "2026-11-25"
    falling = plan["triage"]["falling_due"]
    assert float(falling) > 0
    from decimal import Decimal

    assert Decimal(plan["triage"]["shortfall"]) == (
        Decimal("11147.31") + Decimal(falling) - Decimal(plan["triage"]["available"]))


def test_demo_is_the_same_report_as_each_command() -> None:
    demo = _json("demo")
    for command in ("status", "audit", "credit"):
        alone = _json(command, str(DEMO))
        # Each command carries the case's warnings; the demo carries them once, at its top.
        assert alone.pop("warnings") == demo["warnings"]
        assert demo[command] == alone
    assert demo["plan"]["opening"]["total_payoff"] == demo["status"]["total_payoff"]
    assert demo["plan"]["triage"]["due"] == demo["status"]["total_overdue"]


def test_plan_text_labels_its_opening_with_the_date() -> None:
    code, out = _run("plan", str(DEMO), "--as-of", "2026-11-05", "--months", MONTHS,
                     "--strategy", "overdue_first", "--lang", "en")
    assert code == 0
    assert "Owed on 2026-11-05: 34220.94, of which overdue 11147.31" in out
    assert "Overdue on 2026-11-05: 11147.31; falling due by 2026-11-25:" in out


# ---- generated cases ---------------------------------------------------------------------


def _month(day: date, months: int) -> date:
    from arrears.dates import add_months

    return add_months(day, months)


@st.composite
def case_files(draw: st.DrawFn) -> str:
    """A household with one to three loans and cards, some paid on time, some behind."""
    as_of = date(2026, 6, 1) + timedelta(days=draw(st.integers(0, 200)))
    parts = [f'[case]\ncurrency = "CNY"\njurisdiction = "cn"\nas_of = {as_of}\n',
             '[household]\nmonthly_income = "{}"\nessential_expenses = "{}"\nsavings = "{}"\n'
             .format(draw(st.sampled_from(["4000", "6000", "9000"])),
                     draw(st.sampled_from(["2500", "3500"])),
                     draw(st.sampled_from(["0", "500", "5000"])))]
    for number in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            start = as_of - timedelta(days=draw(st.integers(40, 500)))
            term = draw(st.integers(6, 24))
            principal = draw(st.integers(2, 60)) * 1000
            paid = draw(st.integers(0, term))
            rate = draw(st.sampled_from(["7.2%", "18%", "24%", "35%"]))
            lines = [
                "[[debts]]", f'id = "loan-{number}"', 'lender_type = "consumer_finance"',
                'kind = "installment_loan"', f'principal = "{principal}"',
                f"disbursed = {start}", 'method = "equal_installment"',
                f'rate = "{rate}"', 'rate_basis = "annual"', f"term_months = {term}",
                f"first_due = {_month(start, 1)}",
                "[debts.overdue]", 'penalty = "1.5x"', 'late_fee = "5%"',
                "accelerate_after_days = 90",
            ]
            monthly = round(principal / term * 1.1, 2)
            for k in range(1, paid + 1):
                due = _month(start, k)
                if due <= as_of:
                    lines += ["[[debts.payments]]", f"date = {due}", f'amount = "{monthly}"']
        else:
            start = as_of - timedelta(days=draw(st.integers(20, 200)))
            balance = draw(st.integers(1, 45)) * 1000
            lines = [
                "[[debts]]", f'id = "card-{number}"', 'lender_type = "card_issuer"',
                'kind = "credit_card"', f'balance = "{balance}"', f"balance_date = {start}",
                f"statement_day = {start.day if start.day <= 28 else 28}",
                "payment_due_days = 20", 'rate = "0.05%/day"', 'min_payment = "10%"',
                'min_payment_floor = "100"', "[debts.overdue]", 'late_fee = "5%"',
            ]
            if draw(st.booleans()):
                lines += ["[[debts.payments]]", f"date = {start + timedelta(days=19)}",
                          f'amount = "{balance // 10}"']
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=case_files(), day=st.integers(0, 27))
def test_every_command_agrees_on_generated_cases(tmp_path: Path, text: str, day: int) -> None:
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    status = check_figures(path)
    # and on another day of the same month, before or after the due dates
    as_of = date.fromisoformat(status["as_of"])
    other = as_of.replace(day=1) + timedelta(days=day)
    code, _out = _run("status", str(path), "--as-of", other.isoformat(), "--json")
    if code == 0:  # a date before a debt started is refused, and not compared
        check_figures(path, other.isoformat())
