"""``arrears new``: a case file built from answers, checked as they are typed.

Three layers: the questions and their checks (pure, scripted answers), the file written
(read back by the case reader: every answer is in it and the status is the one the answers
imply, worked by hand), and the real command driven through a pseudo-terminal in English and
Chinese, wrong answers included.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrears.case import load_case
from arrears.casebuilder import Answers, Question, answer, case_text, run_interview
from arrears.casebuilder.checks import rate_text
from arrears.casebuilder.interview import prompt_text
from arrears.casebuilder.questions import DEBT, OVERDUE
from arrears.dates import DayCount
from arrears.errors import InputError, Problem
from arrears.i18n import render, set_language
from arrears.rate import Rate, RateBasis
from arrears.status import status_model

from .conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 3)


class Keyed:
    """Answers by question key (a list for a key asked more than once); Enter otherwise."""

    def __init__(self, answers: Mapping[str, str | list[str]]) -> None:
        self.answers = {k: list(v) if isinstance(v, list) else v for k, v in answers.items()}
        self.problems_shown: list[str] = []
        self.asked: list[str] = []

    def ask(self, question: Question, answers: Answers) -> str:
        self.asked.append(answers.where(question.location))
        value = self.answers.get(question.key, "")
        if isinstance(value, list):
            return value.pop(0) if value else ""
        return value

    def problems(self, problems: Sequence[Problem]) -> None:
        self.problems_shown += [render(p) for p in problems]
        if len(self.problems_shown) > 20:  # the same wrong answer again and again
            raise AssertionError(self.problems_shown[-1])

    def note(self, text: str) -> None:
        pass

    def section(self, title: str) -> None:
        pass


# The hand-worked loan: 12,000 lent on 2026-01-10 at 12 % a year, equal principal over 12
# months (1,000 principal a month; interest = balance x 1 %: 120, 110, 100, 90, 80 ...).
# Instalments 1-3 paid on their due dates; the report is for 2026-06-20.
LOAN: dict[str, str | list[str]] = {
    "jurisdiction": "1", "as_of": "2026-06-20", "monthly_income": "5500",
    "essential_expenses": "4300", "savings": "600", "kind": "1", "lender": "某银行",
    "principal": "12000", "disbursed": "2026-01-10", "rate_period": "1", "rate_scale": "1",
    "rate": "12", "method": "2", "term_months": "12", "paid": "2", "paid_until": "2026-04-10",
    "overdue": "2", "overdue.late_fee": "50", "more": "n",
}


def test_hand_worked_status_of_the_file_written() -> None:
    """docs/overdue.md's rules, by hand, for LOAN on 2026-06-20:

    * instalments 4 (due 05-10: 1,000 + 90) and 5 (due 06-10: 1,000 + 80) are unpaid:
      principal 12,000 - 3 x 1,000 = 9,000; interest owed 90 + 80 = 170;
    * penalty 1.5 x 12 % / 360 = 0.05 % a day on the overdue principal: 1,000 x 0.0005 x 41
      days (05-10 → 06-20) + 1,000 x 0.0005 x 10 days (06-10 → 06-20) = 20.50 + 5.00 = 25.50;
    * late fee 50 per instalment in default: 100;
    * contract interest accrued in period 6 (06-10 → 07-10, 7,000 x 1 % = 70): 70 x 10 / 30
      = 23.33;
    * overdue = 1,090 + 1,080 + 25.50 + 100 = 2,295.50; payoff = 9,000 + 170 + 25.50 + 100
      + 23.33 = 9,318.83; days past due 41 (since 05-10): M2.
    """
    answers = run_interview(Keyed(LOAN), TODAY)
    case = load_case(case_text(answers), "case.toml")
    assert case.warnings == ()
    model = status_model(case, date(2026, 6, 20))
    debt = model["debts"][0]
    assert debt["outstanding"]["principal"] == "9000.00"
    assert debt["outstanding"]["interest"] == "170.00"
    assert debt["outstanding"]["penalty_interest"] == "25.50"
    assert debt["outstanding"]["late_fees"] == "100.00"
    assert debt["accrued_interest"] == "23.33"
    assert debt["overdue_amount"] == "2295.50"
    assert debt["payoff"] == "9318.83"
    assert (debt["dpd"], debt["bucket"], debt["overdue_installments"]) == (41, "M2", 2)


def test_every_answer_is_in_the_file() -> None:
    answers = run_interview(Keyed({
        **LOAN, "more": ["y", "n"], "received": "11500", "fee_rate": "0.5",
        "secured": "y", "overdue.grace_days": "3", "overdue.penalty": "0.05%/day",
        "overdue.penalty_base": "2", "overdue.compound": "y", "overdue.late_fee": ["5%", ""],
        "overdue.late_fee_max": "200", "overdue.accelerate_after_days": "90",
        "kind": ["1", "2"], "lender": ["某银行", "某银行信用卡中心"], "id": ["", "visa"],
        "rate_period": ["1", "3"], "rate_scale": ["1", "3"], "rate": ["12", "5"],
        "paid": ["2", "2"], "date": ["2026-05-20", "", "2026-03-01", ""],
        "amount": ["300", "1800"], "balance": "18000", "balance_date": "2026-02-05",
        "statement_day": "5", "credit_limit": "20000", "min_payment": "10",
        "overdue": ["2", "2"],
    }), TODAY)
    text = case_text(answers, "mine.toml")
    data = tomllib.loads(text)
    loan, card = data["debts"]
    assert data["case"] == {"currency": "CNY", "jurisdiction": "cn", "as_of": date(2026, 6, 20)}
    assert data["household"] == {"monthly_income": "5500.00", "essential_expenses": "4300.00",
                                 "savings": "600.00", "emergency_fund_months": 3}
    assert {k: loan[k] for k in ("id", "kind", "lender", "lender_type", "principal",
                                 "received", "disbursed", "rate", "rate_basis", "method",
                                 "term_months", "first_due", "fee_rate", "secured")} == {
        "id": "loan-1", "kind": "installment_loan", "lender": "某银行", "lender_type": "bank",
        "principal": "12000.00", "received": "11500.00", "disbursed": date(2026, 1, 10),
        "rate": "12%/year", "rate_basis": "annual", "method": "equal_principal",
        "term_months": 12, "first_due": date(2026, 2, 10), "fee_rate": "0.5%",
        "secured": True}
    assert loan["overdue"] == {"grace_days": 3, "penalty": "0.05%/day",
                               "penalty_base": "overdue_installment", "compound": True,
                               "late_fee": "5%", "late_fee_max": "200.00",
                               "accelerate_after_days": 90}
    # equal principal: 1,000 + 1 % interest on the balance + 0.5 % x 12,000 = 60 fee
    assert [(p["date"], p["amount"]) for p in loan["payments"]] == [
        (date(2026, 2, 10), "1180.00"), (date(2026, 3, 10), "1170.00"),
        (date(2026, 4, 10), "1160.00"), (date(2026, 5, 20), "300.00")]
    assert "2026-04-10" in text  # "every instalment until 2026-04-10", in its comment
    assert {k: card[k] for k in ("id", "kind", "balance", "balance_date", "statement_day",
                                 "payment_due_days", "rate", "rate_basis", "min_payment",
                                 "credit_limit")} == {
        "id": "visa", "kind": "credit_card", "balance": "18000.00",
        "balance_date": date(2026, 2, 5), "statement_day": 5, "payment_due_days": 20,
        "rate": "0.05%/day", "rate_basis": "daily", "min_payment": "10%",
        "credit_limit": "20000.00"}
    # Enter took the card's common late fee, 5 % (offered as the default)
    assert card["overdue"] == {"compound": True, "late_fee": "5%", "late_fee_max": "200.00"}
    assert card["payments"] == [{"date": date(2026, 3, 1), "amount": "1800.00"}]
    case = load_case(text, "mine.toml")
    assert case.warnings == ()
    assert case.debts[1].card is not None
    assert case.debts[1].card.rate == Rate(Decimal("0.0005"), RateBasis.DAILY)


def test_common_overdue_terms_are_written_and_marked() -> None:
    answers = run_interview(Keyed({**LOAN, "overdue": "1"}), TODAY)
    text = case_text(answers)
    assert tomllib.loads(text)["debts"][0]["overdue"] == {
        "grace_days": 0, "penalty": "1.5x", "penalty_base": "overdue_principal",
        "compound": False}
    assert "the common terms, not read from the contract" in text


@pytest.mark.parametrize(("period", "scale", "number", "text", "basis"), [
    ("3", "3", "5", "0.05%/day", RateBasis.DAILY),  # 日利率万分之五
    ("3", "3", "五", "0.05%/day", RateBasis.DAILY),
    ("2", "2", "15‰", "1.5%/month", RateBasis.MONTHLY),  # 月息千分之十五
    ("1", "1", "18%", "18%/year", RateBasis.ANNUAL),
    ("1", "1", "7.2", "7.2%/year", RateBasis.ANNUAL),
])
def test_a_rate_is_read_in_the_unit_picked(period: str, scale: str, number: str, text: str,
                                           basis: RateBasis) -> None:
    answers = run_interview(Keyed({**LOAN, "rate_period": period, "rate_scale": scale,
                                   "rate": number, "rate_high": "y", "rate_low": "y"}), TODAY)
    rate = answers.debts[0]["rate"]
    assert (rate_text(rate), rate.basis) == (text, basis)
    loaded = load_case(case_text(answers), "case.toml").debts[0].terms
    assert loaded is not None
    assert loaded.rate == rate


def test_wanfenzhi_wu_picked_per_year_is_questioned_and_asked_again() -> None:
    """The trap of issue 10: 万分之五 read as 0.05 % a year. Picked so, the interview says
    how little that is; "no" goes back to the period."""
    script = Keyed({**LOAN, "rate_period": ["1", "3"], "rate_scale": ["3", "3"],
                    "rate": ["5", "5"], "rate_low": "n"})
    answers = run_interview(script, TODAY)
    assert answers.debts[0]["rate"] == Rate(Decimal("0.0005"), RateBasis.DAILY)
    assert script.asked.count("debts[0].rate") == 7  # period, unit, number, check; again


def test_a_rate_above_100_percent_a_year_is_confirmed() -> None:
    script = Keyed({**LOAN, "rate_period": "3", "rate_scale": "1", "rate": "1",
                    "rate_high": "y"})
    answers = run_interview(script, TODAY)
    assert answers.debts[0]["rate"] == Rate(Decimal("0.01"), RateBasis.DAILY)
    assert answers.debts[0]["rate_high"] is True
    assert script.asked.count("debts[0].rate") == 4  # period, unit, number, "is that right?"


def _debt_answers(**debt: Any) -> Answers:
    answers = Answers(today=TODAY, case={"as_of": date(2026, 6, 20), "jurisdiction": "cn"})
    answers.debts.append({"payments": [], **debt})
    answers.section = "debt"
    return answers


def _question(key: str, questions: Sequence[Question] = DEBT) -> Question:
    return next(q for q in questions if q.key == key)


@pytest.mark.parametrize(("key", "typed", "message"), [
    ("principal", "abc", 'debts[0].principal: "abc" is not an amount like "1,234.50"'),
    ("principal", "0", "debts[0].principal: must be more than 0, not 0.00"),
    ("principal", "1e30", 'debts[0].principal: "1e30" is not an amount like "1,234.50"'),
    ("disbursed", "2027-01-01", "debts[0].disbursed: 2027-01-01 is after the report date "
                                "2026-06-20"),
    ("disbursed", "0001-01-01", "debts[0].disbursed: 0001-01-01 is out of range: dates run "
                                "from 1900-01-01 to 2200-12-31"),
    ("disbursed", "", "debts[0].disbursed: an answer is needed"),
    ("term_months", "601", "debts[0].term_months: must be a whole number from 1 to 600, not "
                           "601"),
    ("first_due", "2026-01-10", "debts[0].first_due: must be after the start date "
                                "2026-01-10"),
    ("method", "9", 'debts[0].method: "9" is not one of the choices; type a number from 1 to '
                    "5"),
    ("rate", "18%/year", 'debts[0].rate: "18%/year" is not a number of %; type the number '
                         "only, like 18"),
    ("rate", "5‱", 'debts[0].rate: "5‱" is not a number of %; type the number only, like 18'),
    ("received", "13000", "debts[0].received: must be more than 0 and at most the principal "
                          "(12000.00)"),
    ("secured", "maybe", 'debts[0].secured: "maybe" is not yes or no; type y or n'),
])
def test_a_bad_answer_is_one_located_line(key: str, typed: str, message: str) -> None:
    set_language("en")
    answers = _debt_answers(kind="installment_loan", principal=Decimal("12000.00"),
                            disbursed=date(2026, 1, 10), rate_period="year",
                            rate_scale="percent")
    with pytest.raises(InputError) as caught:
        answer(_question(key), typed, answers)
    (problem,) = caught.value.problems
    assert render(problem) == message


def test_a_debt_id_is_unique() -> None:
    set_language("en")
    answers = _debt_answers(kind="credit_card")
    answers.debts.insert(0, {"id": "loan-1"})
    with pytest.raises(InputError) as caught:
        answer(_question("id"), "loan-1", answers)
    assert render(caught.value.problems[0]) == (
        'debts[1].id: "loan-1" is used by another debt; ids must be unique')
    assert answer(_question("id"), "", answers) == "card-1"


@pytest.mark.parametrize(("typed", "message"), [
    ("27%", 'debts[0].overdue.penalty: "27%" does not say per what period'),
    ("万分之五", 'debts[0].overdue.penalty: "万分之五" does not say per what'),
    ("lots", 'debts[0].overdue.penalty: "lots" is not a multiple like "1.5x"'),
])
def test_a_penalty_rate_must_say_its_period(typed: str, message: str) -> None:
    set_language("en")
    answers = _debt_answers(kind="installment_loan")
    with pytest.raises(InputError) as caught:
        answer(_question("overdue.penalty", OVERDUE), typed, answers)
    assert render(caught.value.problems[0]).startswith(message)
    assert answer(_question("overdue.penalty", OVERDUE), "0.05%/day", answers).rate == Rate(
        Decimal("0.0005"), RateBasis.DAILY)
    assert answer(_question("overdue.penalty", OVERDUE), "日利率万分之五", answers).rate == \
        Rate(Decimal("0.0005"), RateBasis.DAILY)


def test_paid_until_before_the_first_instalment_is_refused() -> None:
    set_language("en")
    answers = _debt_answers(kind="installment_loan", principal=Decimal(12000),
                            disbursed=date(2026, 1, 10), rate=Rate(Decimal("0.12")),
                            term_months=12, method="equal_principal",
                            first_due=date(2026, 2, 10), fee_rate=Decimal(0), paid="until")
    with pytest.raises(InputError) as caught:
        answer(_question("paid_until"), "2026-02-01", answers)
    assert render(caught.value.problems[0]) == (
        "debts[0].payments: no instalment falls due by 2026-02-01; the first is due on "
        "2026-02-10")


def test_questions_are_translated() -> None:
    answers = _debt_answers(kind="installment_loan", rate_period="day", rate_scale="permyriad")
    set_language("zh")
    assert prompt_text(_question("rate"), answers) == "每天多少 ‱？只输入数字（例如 5）"
    set_language("en")
    assert prompt_text(_question("rate"), answers) == ("How many ‱ a day? Type the number "
                                                       "only (like 5)")


# -- round trip over generated answers ------------------------------------------------------

@st.composite
def debt_answers(draw: st.DrawFn) -> dict[str, str | list[str]]:
    card = draw(st.booleans())
    start = date(2025, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    typed: dict[str, str | list[str]] = {
        "lender": draw(st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S"])
                               .filter(lambda c: unicodedata.normalize("NFKC", c).strip() == c),
                               min_size=1, max_size=12)),
        "rate_period": draw(st.sampled_from(["1", "2", "3"])),
        "rate_scale": draw(st.sampled_from(["1", "2", "3"])),
        "rate": str(draw(st.decimals("0", "3", places=4))),  # the annual rate, read below
        "rate_high": "y", "rate_low": "y",
        "paid": "1", "overdue": draw(st.sampled_from(["1", "2"])),
        "overdue.late_fee": draw(st.sampled_from(["", "50", "5%"])),
    }
    # the number typed, in the period and unit picked: up to 300 % a year
    per_year = {"1": 1, "2": 12, "3": 360}[str(typed["rate_period"])]
    scale = {"1": 100, "2": 1000, "3": 10_000}[str(typed["rate_scale"])]
    typed["rate"] = format((Decimal(str(typed["rate"])) * scale / per_year).quantize(
        Decimal("0.0001")).normalize(), "f")
    if card:
        typed |= {"kind": "2", "balance": str(draw(st.integers(1, 10**6))),
                  "balance_date": start.isoformat(), "statement_day": "5"}
        if draw(st.booleans()):
            typed |= {"paid": "2", "date": ["2026-06-01", ""], "amount": "100"}
    else:
        typed |= {"kind": draw(st.sampled_from(["1", "3"])),
                  "principal": str(draw(st.integers(100, 10**6))),
                  "disbursed": start.isoformat(),
                  "method": str(draw(st.integers(1, 5))),
                  "term_months": str(draw(st.integers(1, 36))),
                  "fee_rate": str(draw(st.decimals("0", "2", places=2)))}
        # "every instalment until": methods that fall due each month (a bullet, or interest
        # first at 0 %, has nothing due before maturity, and the interview refuses it)
        if typed["method"] in {"1", "2", "5"} and draw(st.booleans()):
            typed |= {"paid": "2", "paid_until": "2026-06-20"}
    return typed


@settings(max_examples=40)
@given(debt_answers())
def test_round_trip_over_generated_answers(typed: dict[str, str | list[str]]) -> None:
    answers = run_interview(Keyed({**LOAN, **typed, "paid_until": typed.get(
        "paid_until", "2026-06-20"), "overdue.late_fee": typed["overdue.late_fee"]}), TODAY)
    debt = answers.debts[0]
    case = load_case(case_text(answers), "case.toml")
    (loaded,) = case.debts
    # A rate the person confirmed above 100 % a year keeps the reader's "check the unit"
    # warning; nothing else warns.
    terms_rate = loaded.card.rate if loaded.card else loaded.terms.rate if loaded.terms else None
    day_count = (loaded.card.day_count if loaded.card else
                 loaded.terms.day_count if loaded.terms else DayCount.ACT_360)
    high = terms_rate is not None and terms_rate.annual(day_count) > 1
    assert [p.message for p in case.warnings] == (
        ['"{text}" is read as {annual} a year, above 100 %: check the unit'] if high else [])
    assert loaded.lender == debt["lender"]
    if loaded.card is not None:
        assert loaded.card.rate == debt["rate"]
        assert loaded.card.balance == debt["balance"]
    else:
        assert loaded.terms is not None
        assert loaded.terms.rate == debt["rate"]
        assert (loaded.terms.principal, loaded.terms.months) == (debt["principal"],
                                                                 debt["term_months"])
        assert loaded.terms.fee_rate == debt["fee_rate"]
    fee = debt.get("overdue.late_fee")
    assert (loaded.overdue.late_fee.amount, loaded.overdue.late_fee.percent) == (
        fee if fee is not None else (Decimal(0), Decimal(0)))
    status_model(case, date(2026, 6, 20))  # the file gives a status


# -- the real command, through a pseudo-terminal ----------------------------------------

def _env(lang: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update({"LANG": "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8", "NO_COLOR": "1",
                "TERM": "xterm", "COLUMNS": "100",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                            os.environ.get("PYTHONPATH")]))})
    return env


class Terminal:
    """The command on a pseudo-terminal: read until a text shows, type a line."""

    def __init__(self, args: Sequence[str], lang: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.execve(sys.executable, [sys.executable, "-m", "arrears", *args], _env(lang))
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
        self.out = b""
        self.seen = 0

    def _read(self) -> bool:
        """Read what the command wrote within a second; False once it has closed."""
        ready, _, _ = select.select([self.fd], [], [], 1.0)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the child closed the terminal
            return False
        self.out += chunk
        return bool(chunk)

    def expect(self, text: str) -> None:
        wanted = text.encode()
        deadline = time.monotonic() + 60  # a guard against a hang, not a timing check
        while wanted not in self.out[self.seen:]:
            if time.monotonic() > deadline or not self._read():
                self.close()
                raise AssertionError(f"never saw {text!r}; the screen:\n{self.text}")
        self.seen = self.out.index(wanted, self.seen) + len(wanted)

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def send(self, key: bytes) -> None:
        os.write(self.fd, key)

    def ended(self, within: float) -> bool:
        """Whether the command closed the terminal within ``within`` seconds."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if not self._read():
                return True
        return False

    def finish(self) -> int:
        deadline = time.monotonic() + 60
        while self._read():
            if time.monotonic() > deadline:
                self.close()
                raise AssertionError(f"the command did not end; the screen:\n{self.text}")
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")


def _session(term: Terminal, script: Sequence[tuple[str, str | None]]) -> None:
    """Wait for each text, then type the answer (None: type nothing, e.g. after a problem
    is shown the question comes again)."""
    for shown, typed in script:
        term.expect(shown)
        if typed is not None:
            term.expect("> ")  # the input prompt: the terminal is ready for the answer
            term.type(typed)


EN_SCRIPT: list[tuple[str, str | None]] = [
    ("Which country", "1"), ("figures are for", "2026-06-20"),
    ("income a month", "lots"), ("household.monthly_income: \"lots\" is not an amount", None),
    ("income a month", "5500"), ("Essential expenses", "4300"), ("Savings", ""),
    ("emergency fund", ""),
    ("What kind of debt", "1"), ("short name", ""), ("Who lent", "某银行"),
    ("What kind of lender", "7"), ("debts[0].lender_type: \"7\" is not one of the choices", None),
    ("What kind of lender", ""),
    ("principal in the contract", "12,000"), ("actually received", ""),
    ("paid out to you", "2026-01-10"),
    ("per what period", "1"), ("In what unit", "1"), ("How many % a year", "12%/year"),
    ("debts[0].rate: \"12%/year\" is not a number of %", None),
    ("How many % a year", "12"), ("Read as 12%/year", None),
    ("How is it repaid", "2"), ("How many monthly instalments", "12"),
    ("first due date", ""), ("A fee each month", ""), ("secured", "n"),
    ("What has been paid", "2"), ("Up to which date", "2026-01-01"),
    ("no instalment falls due by 2026-01-01", None), ("Up to which date", "2026-04-10"),
    ("3 instalments, 3330.00 in all", None), ("Payment 4: its date", ""),
    ("happens when a payment is late", "2"), ("Days of grace", ""),
    ("Penalty interest", "27%"), ("does not say per what period", None),
    ("Penalty interest", ""), ("charged on", ""), ("bear interest too", ""),
    ("A late fee", "50"), ("largest late fee", ""), ("whole loan fall due", ""),
    ("Add another debt", "n"),
]


def test_en_session_through_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    term = Terminal(["new", "-o", str(target), "--lang", "en"], "en")
    _session(term, EN_SCRIPT)
    term.expect("Payoff today")
    assert term.finish() == 0, term.text
    assert "9318.83" in term.text
    assert "Traceback" not in term.text
    case = load_case(target.read_text(encoding="utf-8"), str(target))
    assert case.debts[0].lender == "某银行"
    assert status_model(case, date(2026, 6, 20))["debts"][0]["payoff"] == "9318.83"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["case.toml"]  # no temporary file left


ZH_SCRIPT: list[tuple[str, str | None]] = [
    ("适用哪个国家", ""), ("数字以哪天为准", "2026-11-28"), ("家庭月收入", "5500"),
    ("必要支出", "4300"), ("存款", "600"), ("应急资金", ""),
    ("哪一类欠款", "2"), ("简短的名字", ""), ("谁借给你", "某银行信用卡中心"), ("哪一类出借人", ""),
    ("信用卡的欠款余额", "1万8"), ("debts[0].balance", None), ("信用卡的欠款余额", "18000"),
    ("入账的日期", "2026-08-05"), ("账单日", "31"), ("debts[0].statement_day", None),
    ("账单日", "5"), ("到还款日", ""),
    ("按什么期间计", "3"), ("什么单位", "3"), ("每天多少 ‱", "五"), ("读作 0.05%/day", None),
    ("最低还款额", ""), ("信用额度", "20000"),
    ("还了多少", "2"), ("第 1 笔还款：日期", "2026-08-24"), ("第 1 笔还款：金额", "1800"),
    ("第 2 笔还款：日期", "2026-09-24"), ("第 2 笔还款：金额", "1900"),
    ("第 3 笔还款：日期", ""),
    ("逾期了会怎样", "2"), ("也计息", ""), ("每次逾期的违约金", ""), ("违约金最低多少", "30"),
    ("违约金最高多少", ""), ("再添一笔欠款", "否"),
]


def test_zh_session_through_a_terminal(tmp_path: Path) -> None:
    """The demo's credit card, told in Chinese: the status is the demo's for that card."""
    target = tmp_path / "卡.toml"
    term = Terminal(["new", "-o", str(target)], "zh")
    _session(term, ZH_SCRIPT)
    term.expect("今天结清需还")
    assert term.finish() == 0, term.text
    demo = run_cli("status", str(ROOT / "examples" / "demo.toml"), "--json").json()
    card = next(d for d in demo["debts"] if d["id"] == "credit-card")
    mine = status_model(load_case(target.read_text(encoding="utf-8"), str(target)),
                        date(2026, 11, 28))["debts"][0]
    assert (mine["payoff"], mine["dpd"]) == (card["payoff"], card["dpd"])
    assert mine["payoff"] in term.text


def test_ctrl_c_stops_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    term = Terminal(["new", "-o", str(target), "--lang", "en"], "en")
    _session(term, EN_SCRIPT[:5])
    term.expect("Essential expenses")
    term.expect("> ")
    term.send(b"\x03")
    # CPython's readline loop can miss a SIGINT that lands in the instant before it waits
    # for a key (it polls with a timeout and checks signals only on EINTR); a person then
    # presses Ctrl-C again, and so does the test.
    for _ in range(10):
        if term.ended(within=2):
            break
        term.send(b"\x03")
    assert term.finish() == 130
    assert "arrears: interrupted; nothing was written" in term.text
    assert "Traceback" not in term.text
    assert list(tmp_path.iterdir()) == []


def test_end_of_input_stops_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    term = Terminal(["new", "-o", str(target), "--lang", "en"], "en")
    term.expect("Which country")
    term.expect("> ")
    term.send(b"\x04")
    assert term.finish() == 1
    assert "nothing was written" in term.text
    assert "Traceback" not in term.text
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_kept_unless_the_person_agrees(tmp_path: Path) -> None:
    kept = tmp_path / "case.toml"
    kept.write_text("# mine\n", encoding="utf-8")
    term = Terminal(["new", "-o", str(kept), "--lang", "en"], "en")
    _session(term, [("already exists. Replace it?", ""), ("which file instead", str(kept)),
                    ("exists too", ""), ("which file instead", str(tmp_path / "new.toml"))])
    _session(term, EN_SCRIPT)
    term.expect("Payoff today")
    assert term.finish() == 0, term.text
    assert kept.read_text(encoding="utf-8") == "# mine\n"
    assert load_case((tmp_path / "new.toml").read_text(encoding="utf-8"), "new.toml").debts


def test_replacing_an_existing_file_is_asked(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    target.write_text("# old\n", encoding="utf-8")
    term = Terminal(["new", "-o", str(target), "--lang", "en"], "en")
    _session(term, [("already exists. Replace it?", "y"), *EN_SCRIPT])
    term.expect("Payoff today")
    assert term.finish() == 0, term.text
    assert load_case(target.read_text(encoding="utf-8"), "case.toml").debts


def test_a_status_beyond_exact_arithmetic_is_one_line_after_writing(tmp_path: Path) -> None:
    """26 % a day on a card, confirmed, for 22 months: the figures outgrow Decimal. The file
    is kept (every answer was checked) and the status is refused in one line, no traceback."""
    answers = ["1", "2026-11-28", "5500", "4300", "", "", "2", "", "卡", "", "2618",
               "2025-01-01", "5", "", "3", "1", "26.29", "y", "", "", "1", "", "n"]
    target = tmp_path / "case.toml"
    result = run_cli("new", "-o", str(target), stdin="\n".join(answers) + "\n")
    assert result.code == 2, result.err
    assert result.err.strip().splitlines() == [
        f"arrears: {target}: written, but its status cannot be computed: the amounts grow "
        "beyond any real figure; check each rate and its unit"]
    assert load_case(target.read_text(encoding="utf-8"), "case.toml").debts


def test_a_missing_folder_is_refused_before_any_question(tmp_path: Path) -> None:
    result = run_cli("new", "-o", str(tmp_path / "nope" / "case.toml"))
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"arrears: -o: the folder {tmp_path / 'nope'} does not exist"]
    assert result.out == ""


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from arrears.cli_new import write_atomically

    target = tmp_path / "case.toml"
    target.write_text("# old\n", encoding="utf-8")

    def refuse(_source: str, _target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError) as caught:
        write_atomically(target, "# new\n")
    assert render(caught.value.problems[0]) == (
        f"{target}: cannot be written: No space left on device")
    assert target.read_text(encoding="utf-8") == "# old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["case.toml"]


def test_the_command_is_documented() -> None:
    assert "## `arrears new`" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "### `arrears new`" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert (ROOT / "docs" / "new.md").exists()
