"""No silent unit (issue 10, items 1 and 2): every trap seen by new users, worked by hand.

* A US card's ``rate = "27.99%"`` with ``rate_basis = "annual"`` was read as 27.99 % a day
  (payoff $31,852,674.27 on a $4,850 card); ``day_count`` on a card was ignored.
* ``rate = "万分之五"`` on a loan was read as 0.05 % a year (a payoff 2,182 yuan too low),
  while the payments recorded (1,833.60) did not match the schedule (1,667.12).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from arrears.card import replay as card_replay
from arrears.case import load_case
from arrears.contract_check import payment_warnings
from arrears.dates import DayCount
from arrears.errors import InputError
from arrears.i18n import render
from arrears.ledger import EntryKind
from arrears.overdue import Component
from arrears.rate import RateBasis, parse_rate
from tests.conftest import run_cli

D = Decimal


def _in_process(*args: str) -> tuple[int, str, str]:
    """``arrears ARGS`` in this process, as a person would run it."""
    from arrears.cli import _register, main

    _register()
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--lang", "en", *args])
    return code, out.getvalue(), err.getvalue()


# ---- the US card -------------------------------------------------------------------------

def us_card(rate: str = '"27.99%"', extra: str = 'rate_basis = "annual"\n',
            jurisdiction: str = "us") -> str:
    """4,730 posted 2026-01-05, statements on the 5th, due 20 days later, nothing paid."""
    return (f'[case]\njurisdiction = "{jurisdiction}"\ncurrency = "USD"\n\n'
            '[[debts]]\nid = "visa"\nkind = "credit_card"\nbalance = "4730"\n'
            f"balance_date = 2026-01-05\nstatement_day = 5\nrate = {rate}\n{extra}")


def _statement_interest(text: str) -> Decimal:
    """Interest billed on the 2026-02-05 statement."""
    debt = load_case(text, "case.toml").debts[0]
    ledger = card_replay(debt, date(2026, 2, 10))[1]
    return sum((e.amount for e in ledger.entries
                if e.kind is EntryKind.ACCRUAL and e.on == date(2026, 2, 5)
                and e.component is Component.INTEREST), D(0))


def test_us_card_daily_periodic_rate_is_apr_over_365() -> None:
    """4,730 posted 2026-01-05 is billed on the 01-05 statement, unpaid by its due date
    (01-25), so with full-balance interest it bears interest from 01-05 through the 02-05
    statement day: 32 days. A US issuer's daily periodic rate is APR / 365:
    4,730 × 27.99 % / 365 × 32 = 151,360 × 0.2799 / 365 = 42,365.664 / 365 = 116.0703
    → 116.07 (issue 10 and issue 11; ACT/360 gave 117.68)."""
    case = load_case(us_card(), "case.toml")
    card = case.debts[0].card
    assert card is not None
    assert card.rate == parse_rate("27.99%/year")
    assert card.day_count is DayCount.ACT_365
    assert _statement_interest(us_card()) == D("116.07")
    # day_count on a card is honoured, no longer ignored: 42,365.664 / 360 = 117.68
    assert _statement_interest(us_card(extra='rate_basis = "annual"\nday_count = "ACT/360"\n')
                               ) == D("117.68")


def test_the_27_99_percent_card_is_not_read_as_a_day() -> None:
    """The trap: the card ignored rate_basis and read 27.99 % a day; the payoff on
    2026-03-01 was in the millions. Read as a year it is 4,730 + interest + fees: the
    principal, 116.07 billed on 02-05 (above), 1 day on 01-05's statement never
    (held apart, then part of the 32), and at most a few late fees — under 5,000."""
    case = load_case(us_card(), "case.toml")
    position = card_replay(case.debts[0], date(2026, 3, 1))[0]
    assert D(4730) < position.payoff < D(5000)
    assert not case.warnings


def test_a_bare_card_rate_is_an_error_offering_both_readings() -> None:
    with pytest.raises(InputError) as caught:
        load_case(us_card(extra=""), "case.toml")
    (problem,) = caught.value.problems
    assert problem.where == "case.toml: debts[0].rate"
    assert render(problem) == (
        'case.toml: debts[0].rate: "27.99%" does not say per what: a card\'s rate is quoted a '
        'day or a year; write "27.99%/day" or "27.99%/year", or set rate_basis')
    # a period in the text, or a zero rate, needs no rate_basis
    assert load_case(us_card('"27.99%/year"', ""), "c").debts[0].card is not None
    assert load_case(us_card('"0"', ""), "c").debts[0].card is not None


def test_cn_card_keeps_act_360_and_honours_act_365() -> None:
    """Under cn the default stays ACT/360: 18 % a year on 4,730 for 32 days is
    151,360 × 0.18 / 360 = 75.68; with day_count = "ACT/365" it is 27,244.8 / 365 = 74.64."""
    cn = us_card('"18%/year"', "", jurisdiction="cn")
    assert _statement_interest(cn) == D("75.68")
    assert _statement_interest(cn + 'day_count = "ACT/365"\n') == D("74.64")
    # a daily rate is used as it is, whatever the day count: 151,360 × 0.0005 = 75.68
    daily = us_card('"0.05%/day"', 'day_count = "ACT/365"\n', jurisdiction="cn")
    assert _statement_interest(daily) == D("75.68")


def test_card_trap_at_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "card.toml"
    path.write_text(us_card(extra=""), encoding="utf-8")
    result = run_cli("status", str(path), "--as-of", "2026-03-01")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        f'arrears: {path}: debts[0].rate: "27.99%" does not say per what: a card\'s rate is '
        'quoted a day or a year; write "27.99%/day" or "27.99%/year", or set rate_basis']


# ---- 万分之五 on a loan -------------------------------------------------------------------

def loan(rate: str, *payments: str) -> str:
    """20,000 lent 2026-01-10 over 12 equal instalments."""
    rows = "".join(f'\n[[debts.payments]]\ndate = 2026-0{n + 2}-10\namount = "{amount}"\n'
                   for n, amount in enumerate(payments))
    return ('[case]\nas_of = 2026-04-20\n\n[household]\nmonthly_income = "9000"\n'
            'essential_expenses = "4000"\nsavings = "2000"\n\n'
            '[[debts]]\nid = "loan"\nprincipal = "20000"\n'
            f'disbursed = 2026-01-10\nterm_months = 12\nrate = "{rate}"\n' + rows)


def test_wan_fen_zhi_wu_without_a_period_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        load_case(loan("万分之五"), "case.toml")
    (problem,) = caught.value.problems
    assert render(problem) == (
        'case.toml: debts[0].rate: "万分之五" does not say per what: 万分之, 千分之, ‰ and ‱ are '
        'quoted a day as often as a year; write "日利率万分之五" or "0.05%/day" for a day\'s '
        "rate (月 or 年 in front of it for a month's or a year's)")
    # even with a rate_basis: the period word belongs in the text
    with pytest.raises(InputError):
        load_case(loan("万分之五") + 'rate_basis = "daily"\n', "case.toml")


def test_the_spellings_offered_are_read_as_a_day() -> None:
    """日利率万分之五 = 0.05 % a day = 18 % a year (ACT/360) = 1.5 % a month; 12 equal
    instalments on 20,000: 20,000 × 0.015 / (1 − 1.015⁻¹²) = 1,833.60 — the payments the
    person recorded, so no warning."""
    from arrears.schedule import build_schedule

    for spelling in ("日利率万分之五", "0.05%/day", "万分之五/日"):
        case = load_case(loan(spelling, "1833.60", "1833.60"), "case.toml")
        terms = case.debts[0].terms
        assert terms is not None
        assert terms.rate.annual(terms.day_count) == D("0.18")
        assert build_schedule(terms).rows[0].payment == D("1833.60")
        assert case.warnings == ()


def test_payments_that_contradict_the_schedule_warn() -> None:
    """The trap read as 0.05 % a year: 20,000 × (0.0005/12) / (1 − (1 + 0.0005/12)⁻¹²)
    = 1,667.12 an instalment, while 1,833.60 was paid twice: 166.48 apart, more than 1 %
    (16.67) and more than 1 yuan. One warning naming the debt, both amounts and what to
    check."""
    case = load_case(loan("0.05%", "1833.60", "1833.60"), "case.toml")
    (warning,) = case.warnings
    assert render(warning) == (
        "case.toml: debts[0].payments: loan: 2 payments of 1,833.60 are recorded, but the "
        "contract as read asks 1,667.12 an instalment; if 1,833.60 is what the lender asked "
        "for, check the rate and its unit, the method, the term and the fees")


@pytest.mark.parametrize(("payments", "warned"), [
    (("1833.60",), False),  # once is not a pattern
    (("1667.12", "1667.12"), False),  # the instalment itself
    (("1683.00", "1683.00"), False),  # 15.88 away: within 1 % (16.67)
    (("1684.00", "1684.00"), True),  # 16.88 away: more than 1 % and more than 1 yuan
    (("1833.60", "1500.00"), False),  # two amounts, each once
])
def test_the_one_percent_and_one_yuan_threshold(payments: tuple[str, ...],
                                               warned: bool) -> None:
    case = load_case(loan("0.05%", *payments), "case.toml")
    assert bool(case.warnings) is warned


def test_one_yuan_matters_on_a_small_loan() -> None:
    """100 over 2 months at 0: instalments of 50.00. 50.90 twice is 1.8 % away but under
    1 yuan: no warning; 51.10 twice is 2.2 % and 1.10 away: a warning."""
    text = ('[[debts]]\nid = "small"\nprincipal = "100"\ndisbursed = 2026-01-10\n'
            'term_months = 2\nrate = "0"\n')
    for amount, warned in (("50.90", False), ("51.10", True)):
        rows = "".join(f'[[debts.payments]]\ndate = 2026-0{m}-10\namount = "{amount}"\n'
                       for m in (2, 3))
        debt = load_case(text + rows, "c").debts[0]
        assert bool(payment_warnings(debt, "debts[0].payments")) is warned


# ---- every report shows the warnings, and they never change a figure --------------------

COMMANDS = (
    ("status",), ("audit",), ("credit",), ("plan", "--months", "12"),
    ("ledger", "--debt", "loan"), ("letter", "--debt", "loan", "--kind", "instalment"),
    ("contacts", "check"),
)


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_prints_the_case_warnings_once(tmp_path: Path,
                                                     command: tuple[str, ...]) -> None:
    path = tmp_path / "case.toml"
    path.write_text(loan("0.05%", "1833.60", "1833.60"), encoding="utf-8")
    code, out, err = _in_process(command[0], *command[1:2] if command[0] == "contacts" else (),
                                 str(path), *command[1:] if command[0] != "contacts" else (),
                                 "--json")
    assert code == 0, err
    line = (f"arrears: warning: {path}: debts[0].payments: loan: 2 payments of 1,833.60 are "
            "recorded")
    assert [x for x in err.splitlines() if x.startswith(line)] == [err.splitlines()[0]]
    assert len(err.splitlines()) == 1
    model = json.loads(out)
    assert [w for w in model["warnings"] if "1,833.60" in w] == [err.splitlines()[0]
                                                                .removeprefix("arrears: warning: ")]


def test_a_warning_never_changes_a_figure(tmp_path: Path) -> None:
    """The same loan with the payments that draw the warning and, recorded a fen apart
    each, payments that do not: every figure of status is the same to within those fens,
    and the warned file's figures equal the engine's for it."""
    from arrears.engine import replay

    path = tmp_path / "case.toml"
    text = loan("0.05%", "1833.60", "1833.60")
    path.write_text(text, encoding="utf-8")
    code, out, _ = _in_process("status", str(path), "--json")
    assert code == 0
    debt = load_case(text, "c").debts[0]
    position = replay(debt, date(2026, 4, 20))[0]
    (row,) = [d for d in json.loads(out)["debts"] if d["id"] == "loan"]
    assert D(row["payoff"]) == position.payoff


def test_warnings_are_translated(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(loan("0.05%", "1833.60", "1833.60"), encoding="utf-8")
    result = run_cli("status", str(path), lang="zh")
    assert result.code == 0
    assert result.err.splitlines() == [
        f"arrears：警告：{path}: debts[0].payments: loan：记录了 2 笔 1,833.60 的还款，但按读到的"
        "合同条款每期应还 1,667.12；如果 1,833.60 是出借人要求的金额，请核对利率及其单位、"
        "还款方式、期数和费用"]


def test_the_demo_reads_without_a_warning() -> None:
    code, out, err = _in_process("demo", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["warnings"] == []


# ---- keys another kind of debt uses ------------------------------------------------------

def test_a_card_key_on_a_loan_and_a_loan_key_on_a_card_are_named() -> None:
    text = (loan("18%") + 'statement_day = 5\n\n' + us_card('"0.05%/day"', "", "cn")
            .split("\n\n", 1)[1].replace('"visa"', '"card"')
            + 'term_months = 12\nfee_rate = "1%"\n\n[debts.overdue]\npenalty = "1.5x"\n'
            'late_fee = "5%"\n')
    case = load_case(text, "case.toml")
    assert [render(w) for w in case.warnings] == [
        "case.toml: debts[0].statement_day: is not used by a debt of kind installment_loan; "
        "ignored",
        "case.toml: debts[1].term_months: is not used by a debt of kind credit_card; ignored",
        "case.toml: debts[1].fee_rate: is not used by a debt of kind credit_card; ignored",
        "case.toml: debts[1].overdue.penalty: is not used by a debt of kind credit_card; "
        "ignored",
    ]


def test_a_key_no_kind_uses_is_still_an_unknown_key() -> None:
    case = load_case(loan("18%") + 'rate_basiss = "annual"\n', "case.toml")
    assert [render(w) for w in case.warnings] == [
        'case.toml: debts[0].rate_basiss: unknown key, ignored; did you mean "rate_basis"?']


# ---- above 100 % and above 1,000 % a year ------------------------------------------------

def test_above_100_percent_a_year_warns_and_keeps_the_figure() -> None:
    """1 % a day is 360 % a year under ACT/360: read as written (illegal lenders exist),
    with a warning to check the unit."""
    case = load_case(loan("1%/day"), "case.toml")
    terms = case.debts[0].terms
    assert terms is not None
    assert terms.rate == parse_rate("1%/day")
    assert [render(w) for w in case.warnings] == [
        'case.toml: debts[0].rate: "1%/day" is read as 360% a year, above 100 %: check the '
        "unit"]


def test_above_1000_percent_a_year_needs_its_period() -> None:
    with pytest.raises(InputError) as caught:
        load_case(loan("1500%"), "case.toml")
    assert [p.where for p in caught.value.problems] == ["case.toml: debts[0].rate"]
    for explicit in (loan("1500%/year"), loan("1500%") + 'rate_basis = "annual"\n'):
        case = load_case(explicit, "case.toml")
        assert len(case.warnings) == 1


def test_options_refuse_and_warn_alike() -> None:
    code, out, err = _in_process("schedule", "--principal", "20000", "--months", "12",
                                 "--rate", "万分之五", "--start", "2026-01-10")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        'arrears: --rate: "万分之五" does not say per what: 万分之, 千分之, ‰ and ‱ are quoted a '
        'day as often as a year; write "日利率万分之五" or "0.05%/day" for a day\'s rate (月 or '
        "年 in front of it for a month's or a year's)"]
    code, out, err = _in_process("schedule", "--principal", "20000", "--months", "12",
                                 "--rate", "日利率万分之五", "--start", "2026-01-10", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["rows"][0]["payment"] == "1833.60"
    code, out, err = _in_process("schedule", "--principal", "1000", "--months", "1",
                                 "--rate", "2%/day", "--start", "2026-01-10", "--json")
    assert code == 0
    assert err == ('arrears: warning: --rate: "2%/day" is read as 720% a year, above 100 %: '
                   "check the unit\n")
    assert json.loads(out)["warnings"] == [err.removeprefix("arrears: warning: ").strip()]


def test_offers_refuse_alike(tmp_path: Path) -> None:
    case, offer = tmp_path / "case.toml", tmp_path / "offer.toml"
    case.write_text("[household]\nmonthly_income = \"8000\"\n", encoding="utf-8")
    offer.write_text('[offer]\nprincipal = "20000"\nrate = "千分之三"\nterm_months = 12\n',
                     encoding="utf-8")
    code, out, err = _in_process("afford", str(case), "--offer", str(offer),
                                 "--as-of", "2026-01-10")
    assert (code, out) == (2, "")
    assert err.startswith(f'arrears: {offer}: offer.rate: "千分之三" does not say per what')
    assert len(err.splitlines()) == 1


# ---- properties ----------------------------------------------------------------------------

_PER_MILLE = st.one_of(
    st.integers(1, 99).map(lambda n: f"万分之{n}"),
    st.integers(1, 99).map(lambda n: f"千分之{n}"),
    st.decimals(min_value=D("0.1"), max_value=D(99), places=1).map(lambda d: f"{d}‰"),
    st.decimals(min_value=D("0.1"), max_value=D(99), places=1).map(lambda d: f"{d}‱"),
)


@given(_PER_MILLE, st.sampled_from(list(RateBasis)))
def test_per_mille_is_refused_without_a_period_and_read_with_one(text: str,
                                                                 basis: RateBasis) -> None:
    with pytest.raises(InputError) as caught:
        parse_rate(text, basis, "rate")
    offered = caught.value.problems[0].params
    day = parse_rate(offered["daily"])
    assert day.basis is RateBasis.DAILY
    assert day == parse_rate(f"{offered['percent']}/day")
    for word, period in (("日", RateBasis.DAILY), ("月", RateBasis.MONTHLY),
                         ("年", RateBasis.ANNUAL)):
        assert parse_rate(word + text, basis).basis is period
        assert parse_rate(word + text, basis).value == day.value


@given(st.decimals(min_value=D("0.01"), max_value=D(99), places=2),
       st.sampled_from(["/day", "/month", "/year"]))
def test_an_explicit_unit_is_always_accepted(value: Decimal, period: str) -> None:
    """Whatever it comes to a year up to the range's ceiling of 10,000 % (docs/case-file.md,
    Ranges) — a daily 27 % is 9,720 % — a rate with its period written is read (with a
    warning above 100 %), never refused for its unit."""
    per_year = {"/day": 365, "/month": 12, "/year": 1}[period]  # the ceiling's reading
    assume(value * per_year <= 10_000)
    case = load_case(loan(f"{value}%{period}"), "case.toml")
    terms = case.debts[0].terms
    assert terms is not None
    assert terms.rate == parse_rate(f"{value}%{period}")
    assert bool(case.warnings) is (terms.rate.annual(terms.day_count) > 1)


def test_an_explicit_daily_rate_on_a_card_is_read_with_a_warning() -> None:
    """What the trap did silently, written out (at a figure inside the 10,000 % ceiling):
    19.99 % a day is 0.1999 × 365 = 72.9635 a year under the us ACT/365, 7,296.35 %: read as
    written, with the warning. (27.99 % a day, 10,216.35 % a year, is out of range.)"""
    case = load_case(us_card('"19.99%/day"', ""), "case.toml")
    assert [render(w) for w in case.warnings] == [
        'case.toml: debts[0].rate: "19.99%/day" is read as 7,296.35% a year, above 100 %: '
        "check the unit"]
    with pytest.raises(InputError, match="out of range"):
        load_case(us_card('"27.99%/day"', ""), "case.toml")
