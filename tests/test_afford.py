"""Affordability before borrowing (docs/afford.md): the verdict on hand-built households with
the arithmetic in each docstring, the thresholds at their edges, the existing debts' monthly
commitments, the shipped offer's APR against an independent computation, bad offer files,
and the ``afford`` command.

The worked loans lend at 0 % with no fees, so a loan of 12 × N is exactly N a month and
the figures depend only on the budget. Thresholds (arrears.afford): debt payments above
36 % of income are tight, above 50 % not affordable; the stress case is income × 0.8;
savings under one month of essential expenses are tight.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest

from arrears.afford import (
    DSR_LIMIT,
    DSR_TIGHT,
    STRESS_INCOME,
    Affordability,
    Verdict,
    afford_model,
    assess,
    commitment,
    load_case_for_afford,
    load_offer,
)

from .conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 6, 20)
D = Decimal


def household(income: str, essentials: str, savings: str, months: int = 3) -> str:
    return (f'[case]\nas_of = {AS_OF.isoformat()}\n\n[household]\nmonthly_income = "{income}"\n'
            f'essential_expenses = "{essentials}"\nsavings = "{savings}"\n'
            f"emergency_fund_months = {months}\n")


def loan(debt_id: str, monthly: int, paid: tuple[str, ...]) -> str:
    """A 0 % loan of ``monthly`` a month for 12 months, disbursed 2026-01-10 (due on the
    10th from February), with 1 × ``monthly`` paid on each date in ``paid``."""
    rows = "".join(f'\n[[debts.payments]]\ndate = {on}\namount = "{monthly}"\n'
                   for on in paid)
    return (f'\n[[debts]]\nid = "{debt_id}"\nprincipal = "{12 * monthly}"\nrate = "0"\n'
            f"term_months = 12\ndisbursed = 2026-01-10\n{rows}")


ON_TIME = ("2026-02-10", "2026-03-10", "2026-04-10", "2026-05-10", "2026-06-10")


def offer(monthly: int, extra: str = "") -> str:
    """A 0 % offer of 12 × ``monthly``, repaid ``monthly`` a month from the as-of date."""
    return (f'[offer]\nlender = "Lender"\nprincipal = "{12 * monthly}"\nrate = "0"\n'
            f"term_months = 12\n{extra}")


def run(case_text: str, offer_text: str) -> Affordability:
    case = load_case_for_afford(case_text, "case.toml")
    return assess(case, load_offer(offer_text, "offer.toml", AS_OF), AS_OF)


# ---- three households ---------------------------------------------------------------------


def test_affordable_household() -> None:
    """Income 10,000, essentials 4,000, savings 20,000; a loan of 1,000 a month paid on time;
    the offer is 1,000 a month.

    Debt payments 1,000 + 1,000 = 2,000 → 2,000 / 10,000 = 20 % (≤ 36 %); left after
    10,000 − 4,000 − 2,000 = 4,000. Stress: income 8,000, left 8,000 − 4,000 − 2,000 =
    2,000, ratio 2,000 / 8,000 = 25 %. Emergency fund: target 4,000 × 3 = 12,000; savings
    cover 20,000 / 4,000 = 5 months. → affordable.
    """
    result = run(household("10000", "4000", "20000") + loan("car", 1000, ON_TIME),
                 offer(1000))
    assert result.verdict is Verdict.AFFORDABLE
    assert (result.existing_monthly, result.monthly_payment) == (D("1000.00"), D("1000.00"))
    assert result.debt_service_ratio == D("0.2000")
    assert result.left_after == D("4000.00")
    assert (result.stress_income, result.stress_left_after) == (D("8000.00"), D("2000.00"))
    assert result.stress_debt_service_ratio == D("0.2500")
    assert (result.emergency_target, result.months_covered) == (D("12000.00"), D("5.00"))
    assert [r.code for r in result.reasons] == ["fits"]
    assert result.reasons[0].render() == (
        "Debt payments would take 20.00% of income, not above 36%; 4000.00 a month is left "
        "after essentials and all debt payments, and 2000.00 if income fell by 20%; savings "
        "cover 5.00 months of essential expenses.")


def test_tight_household() -> None:
    """Income 10,000, essentials 5,000, savings 3,000; a loan of 2,000 a month paid on time;
    the offer is 2,000 a month.

    Debt payments 2,000 + 2,000 = 4,000 → 40 %: above 36 %, not above 50 % (tight); left
    10,000 − 5,000 − 4,000 = 1,000 (not negative). Stress: 8,000 − 5,000 − 4,000 = −1,000
    (tight). Savings 3,000 / 5,000 = 0.6 months of essentials, under one (tight).
    → tight, for three reasons.
    """
    result = run(household("10000", "5000", "3000") + loan("car", 2000, ON_TIME),
                 offer(2000))
    assert result.verdict is Verdict.TIGHT
    assert result.debt_service_ratio == D("0.4000")
    assert result.left_after == D("1000.00")
    assert result.stress_left_after == D("-1000.00")
    assert result.stress_debt_service_ratio == D("0.5000")
    assert result.months_covered == D("0.60")
    assert [r.code for r in result.reasons] == ["dsr_high", "stress_shortfall", "thin_savings"]
    assert [r.render() for r in result.reasons] == [
        "Debt payments would take 40.00% of income, above the 36% lenders prefer.",
        "If income fell by 20%, 1000.00 a month would be missing.",
        "Savings cover only 0.60 months of essential expenses (less than 1): one surprise "
        "and a payment is missed.",
    ]


def test_not_affordable_household_already_behind() -> None:
    """The affordable household's budget, but the June 10 instalment of its loan was not paid.

    On 2026-06-20 the loan is 10 days past due with 1,000 overdue (0 %, no late fee). Its
    monthly commitment stays the regular 1,000 (arrears are a stock, not a monthly cost), so
    every ratio is as in the affordable case — 20 %, 4,000 left — yet a debt already past
    due makes the offer not affordable: borrowing to repay is how arrears grow.
    """
    result = run(household("10000", "4000", "20000") + loan("car", 1000, ON_TIME[:-1]),
                 offer(1000))
    assert result.verdict is Verdict.NOT_AFFORDABLE
    assert result.debt_service_ratio == D("0.2000")
    assert result.left_after == D("4000.00")
    (car,) = result.commitments
    assert (car.dpd, car.past_due, car.monthly) == (10, D("1000.00"), D("1000.00"))
    assert [r.code for r in result.reasons] == ["past_due"]
    assert result.reasons[0].render() == (
        "car is already 10 days past due (1000.00 overdue): borrowing to repay is how "
        "arrears grow.")


# ---- each rule at its edge ----------------------------------------------------------------


@pytest.mark.parametrize(("monthly", "ratio", "verdict", "codes"), [
    (3600, "0.3600", Verdict.AFFORDABLE, ["fits"]),  # 3,600 / 10,000: at 36 %, not above
    (3601, "0.3601", Verdict.TIGHT, ["dsr_high"]),
    (5000, "0.5000", Verdict.TIGHT, ["dsr_high"]),  # at 50 %, not above
    (5001, "0.5001", Verdict.NOT_AFFORDABLE, ["dsr_over_limit"]),
])
def test_debt_service_ratio_thresholds(monthly: int, ratio: str, verdict: Verdict,
                                       codes: list[str]) -> None:
    """No debts yet; income 10,000, essentials 1,000, savings 10,000. The offer alone is the
    debt payment: ``monthly`` / 10,000. Left ≥ 10,000 − 1,000 − 5,001 > 0; stress
    8,000 − 1,000 − 5,001 > 0; savings cover 10 months: only the ratio decides."""
    result = run(household("10000", "1000", "10000"), offer(monthly))
    assert result.commitments == ()
    assert result.debt_service_ratio == D(ratio)
    assert result.verdict is verdict
    assert [r.code for r in result.reasons] == codes
    assert [str(t) for t in (DSR_TIGHT, DSR_LIMIT, STRESS_INCOME)] == ["0.36", "0.50", "0.80"]


def test_left_over_negative_is_not_affordable() -> None:
    """Income 5,000, essentials 4,500, savings 9,000, offer 1,000: ratio 20 %, but
    5,000 − 4,500 − 1,000 = −500 a month → not affordable (the stress case, −1,500, is not
    repeated as a reason)."""
    result = run(household("5000", "4500", "9000"), offer(1000))
    assert result.left_after == D("-500.00")
    assert result.verdict is Verdict.NOT_AFFORDABLE
    assert [r.code for r in result.reasons] == ["shortfall"]
    assert result.reasons[0].render() == (
        "After essential expenses and all debt payments 500.00 a month would be missing.")


def test_no_income() -> None:
    """Income 0: no ratio can be worked out (``None``); 0 − 1,000 − 1,000 < 0."""
    result = run(household("0", "1000", "5000"), offer(1000))
    assert result.debt_service_ratio is None
    assert result.verdict is Verdict.NOT_AFFORDABLE
    assert [r.code for r in result.reasons] == ["no_income", "shortfall"]
    assert afford_model(result)["debt_service_ratio"] is None


def test_stress_alone_makes_it_tight() -> None:
    """Income 10,000, essentials 6,500, offer 3,000: 30 %, left 500; stress 8,000 − 6,500 −
    3,000 = −1,500 → tight."""
    result = run(household("10000", "6500", "20000"), offer(3000))
    assert (result.left_after, result.stress_left_after) == (D("500.00"), D("-1500.00"))
    assert [r.code for r in result.reasons] == ["stress_shortfall"]
    assert result.verdict is Verdict.TIGHT


def test_balloon_is_tight() -> None:
    """12,000 interest-first at 12 % for 24 months: 120 a month (12,000 × 1 %), then 12,120
    on the 24th instalment, more than twice the monthly payment → tight."""
    extra = 'method = "interest_first"\n'
    text = ('[offer]\nprincipal = "12000"\nrate = "12%"\nterm_months = 24\n' + extra)
    result = run(household("10000", "1000", "10000"), text)
    assert result.monthly_payment == D("120.00")
    assert result.balloon is not None
    assert (result.balloon.period, result.balloon.payment) == (24, D("12120.00"))
    assert [r.code for r in result.reasons] == ["balloon"]
    assert result.verdict is Verdict.TIGHT
    assert result.reasons[0].render() == (
        "Instalment 24 on 2028-06-20 is 12120.00, far more than the monthly payment of "
        "120.00: it has to be saved for or refinanced.")


def test_monthly_payment_is_the_largest_in_the_first_year() -> None:
    """12,000 equal principal at 12 % over 12 months: 1,000 principal + interest on the
    balance; the first instalment (1,000 + 120) is the largest, the last 1,000 + 10."""
    text = ('[offer]\nprincipal = "12000"\nrate = "12%"\nterm_months = 12\n'
            'method = "equal_principal"\n')
    result = run(household("10000", "1000", "10000"), text)
    assert result.monthly_payment == D("1120.00")
    assert result.schedule.rows[-1].payment == D("1010.00")


# ---- existing debts' commitments ----------------------------------------------------------


def test_card_commitment_is_the_minimum() -> None:
    """A card with 10,000 owed at 0 % from 2026-06-01, statements on the 5th, due 20 days
    later: the June 5 statement's minimum is 10 % × 10,000 = 1,000, due 2026-06-25."""
    card = ('\n[[debts]]\nid = "card"\nkind = "credit_card"\nbalance = "10000"\n'
            'balance_date = 2026-06-01\nstatement_day = 5\nrate = "0"\n')
    case = load_case_for_afford(household("10000", "4000", "20000") + card, "case.toml")
    c = commitment(case.debts[0], AS_OF)
    assert (c.next_due, c.monthly, c.dpd) == (date(2026, 6, 25), D("1000.00"), 0)


def test_current_loan_commitment_is_the_engine_due_amount() -> None:
    """The on-time loan's next due date after 2026-06-20 is 2026-07-10, 1,000 due then;
    payments recorded after the as-of date are left out."""
    case = load_case_for_afford(
        household("1", "1", "1") + loan("car", 1000, (*ON_TIME, "2026-07-10")), "case.toml")
    c = commitment(case.debts[0], AS_OF)
    assert (c.next_due, c.monthly, c.past_due) == (date(2026, 7, 10), D("1000.00"), D("0.00"))


def test_paid_off_debt_asks_nothing() -> None:
    """All twelve 1,000 instalments paid: nothing more is asked."""
    paid = (*(f"2026-{m:02d}-10" for m in range(2, 13)), "2027-01-10")
    case = load_case_for_afford(household("1", "1", "1") + loan("car", 1000, paid),
                                "case.toml")
    c = commitment(case.debts[0], date(2027, 2, 1))
    assert (c.next_due, c.monthly) == (None, D("0.00"))


# ---- the shipped offer --------------------------------------------------------------------


def test_shipped_offer_apr_against_numpy_financial() -> None:
    """examples/offer.toml: 20,000 at 18 % over 24 months, equal instalments, 0.15 % a month
    fee on 20,000 (30.00) and 400 deducted up front (19,600 received). Independently: the
    level payment from numpy-financial's PMT at 1.5 % a month, plus the 30.00 fee, against
    19,600 received, and numpy-financial's IRR × 12 (about 23.20 %)."""
    text = (ROOT / "examples" / "offer.toml").read_text(encoding="utf-8")
    terms = load_offer(text, "offer.toml", AS_OF).terms
    level = float(npf.pmt(0.015, 24, -20000))
    fee = 20000 * 0.0015
    rate = float(npf.irr([19600.0] + [-(level + fee)] * 24))
    result = run(household("10000", "4000", "20000"), text)
    assert terms.amount_received == D("19600.00")
    assert abs(float(result.monthly_payment) - (level + fee)) < 0.006
    assert abs(float(result.apr.apr) - rate * 12) < 1e-5
    assert abs(float(result.apr.effective_annual) - ((1 + rate) ** 12 - 1)) < 1e-5
    assert D("0.2315") < result.apr.apr < D("0.2325")


# ---- bad input ----------------------------------------------------------------------------


def _in_process(*args: str) -> tuple[int, str, str]:
    """``arrears ARGS`` in this process (the command registered by importing its module)."""
    import arrears.cli_afford  # noqa: F401 - registers ``afford``
    from arrears.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _files(tmp_path: Path, case_text: str, offer_text: str) -> tuple[str, str]:
    case_path, offer_path = tmp_path / "case.toml", tmp_path / "offer.toml"
    case_path.write_text(case_text, encoding="utf-8")
    offer_path.write_text(offer_text, encoding="utf-8")
    return str(case_path), str(offer_path)


GOOD_CASE = household("10000", "4000", "20000") + loan("car", 1000, ON_TIME)
BAD_OFFERS = [
    ('[offer]\nprincipal = "-5"\nrate = "abc"\nterm_months = 0\nmethod = "weekly"\n',
     ['offer.principal: must be more than 0, not -5.00',
      'offer.rate: "abc" is not a rate like "4.9%", "0.049", "0.05%/day" or "日利率万分之五"',
      "offer.term_months: must be a whole number from 1 to 600, not 0",
      'offer.method: "weekly" is not a repayment method; use one of equal_installment, '
      "equal_principal, interest_first, bullet, flat_fee"]),
    ('[offer]\nlender = "x"\n',
     ["offer.principal: is required", "offer.rate: is required",
      "offer.term_months: is required"]),
    ('[loan]\nprincipal = "1000"\n',
     ["offer: is required: the file needs an [offer] table"]),
    ('offer = "20000"\n', ["offer: must be a table"]),
    ('[offer]\nprincipal = "1000"\nrate = "5%"\nterm_months = 12\nstart = 2026-06-20\n'
     "first_due = 2026-06-01\nupfront_fee = \"1000\"\n",
     ["offer.upfront_fee: must be less than the principal (1000.00)",
      "offer.first_due: must be after the start date 2026-06-20"]),
    ('[offer]\nprincipal = "1000"\nrate = "5%"\nterm_months = 12\nstart = "soon"\n'
     'lender_type = "loan_shark"\n',
     ['offer.lender_type: "loan_shark" is not one of bank, consumer_finance, micro_loan, '
      "platform, card_issuer, private",
      'offer.start: "soon" is not a date like 2026-01-15']),
]


def _expected(offer_path: str, problems: list[str]) -> list[str]:
    return [f"arrears: {offer_path}: {p}" for p in problems]


@pytest.mark.parametrize(("text", "problems"), BAD_OFFERS)
def test_bad_offer_in_process(tmp_path: Path, text: str, problems: list[str]) -> None:
    case_path, offer_path = _files(tmp_path, GOOD_CASE, text)
    code, out, err = _in_process("afford", case_path, "--offer", offer_path, "--lang", "en")
    assert (code, out) == (2, "")
    assert sorted(err.splitlines()) == sorted(_expected(offer_path, problems))


def test_bad_offer_toml_and_unreadable(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, GOOD_CASE, "[offer\n")
    code, out, err = _in_process("afford", case_path, "--offer", offer_path, "--lang", "en")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"arrears: {offer_path}: is not valid TOML: ")
    missing = str(tmp_path / "nowhere.toml")
    code, out, err = _in_process("afford", case_path, "--offer", missing, "--lang", "en")
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"arrears: {missing}: cannot be read: No such file or "
                                "directory"]


def test_every_problem_of_case_as_of_and_offer_at_once(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, household("lots", "4000", "0"),
                                   '[offer]\nrate = "abc"\nprincipal = "1000"\n'
                                   "term_months = 12\n")
    code, out, err = _in_process("afford", case_path, "--offer", offer_path, "--as-of",
                                 "2026-13-01", "--lang", "en")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f'arrears: {case_path}: household.monthly_income: "lots" is not an amount like '
        '"1,234.50"',
        'arrears: --as-of: "2026-13-01" is not a date like 2026-01-15',
        f'arrears: {offer_path}: offer.rate: "abc" is not a rate like "4.9%", "0.049", '
        '"0.05%/day" or "日利率万分之五"',
    ]


def test_case_without_household(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, "[case]\n" + loan("car", 1000, ON_TIME),
                                   offer(1000))
    code, out, err = _in_process("afford", case_path, "--offer", offer_path, "--lang", "en")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"arrears: {case_path}: has no [household] table: affordability needs the monthly "
        "income, essential expenses and savings"]


def test_unknown_offer_key_is_a_warning(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, GOOD_CASE, offer(1000, 'rate_bassis = "annual"\n'))
    code, out, err = _in_process("afford", case_path, "--offer", offer_path, "--json")
    assert code == 0
    assert json.loads(out)["verdict"] == "affordable"
    assert err.splitlines() == [f'arrears: warning: {offer_path}: offer.rate_bassis: unknown '
                                'key, ignored; did you mean "rate_basis"?']


# ---- the command --------------------------------------------------------------------------


def test_json_contract_in_process(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, GOOD_CASE, offer(1000))
    code, out, err = _in_process("afford", case_path, "--offer", offer_path, "--json",
                                 "--lang", "en")
    assert code == 0, err
    data = json.loads(out)
    assert {k: data["offer"][k] for k in ("apr", "effective_annual", "monthly_payment",
                                           "total_paid", "total_cost")} == {
        "apr": "0", "effective_annual": "0", "monthly_payment": "1000.00",
        "total_paid": "12000.00", "total_cost": "0.00"}
    assert (data["income"], data["essentials"], data["existing_monthly"]) == (
        "10000.00", "4000.00", "1000.00")
    assert (data["debt_service_ratio"], data["left_after"]) == ("0.2000", "4000.00")
    assert data["emergency_fund"] == {"savings": "20000.00", "months": 3,
                                      "target": "12000.00", "months_covered": "5.00"}
    assert data["stress"] == {"income": "8000.00", "left_after": "2000.00",
                              "debt_service_ratio": "0.2500"}
    assert data["verdict"] == "affordable"
    assert data["reason_codes"] == ["fits"]
    assert len(data["reasons"]) == 1
    assert data["existing"] == [{"id": "car", "kind": "installment_loan",
                                 "next_due": "2026-07-10", "monthly": "1000.00", "dpd": 0,
                                 "past_due": "0.00"}]


def test_offer_start_defaults_to_as_of(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, GOOD_CASE, offer(1000))
    code, out, _ = _in_process("afford", case_path, "--offer", offer_path, "--json",
                               "--as-of", "2026-06-25")
    assert code == 0
    assert json.loads(out)["offer"]["start"] == "2026-06-25"


def test_terminal_in_process(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, household("10000", "5000", "3000")
                                   + loan("car", 2000, ON_TIME), offer(2000))
    code, out, _ = _in_process("afford", case_path, "--offer", offer_path, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("Tight — the payments fit, but with little room for anything to go "
                        "wrong.")
    assert "above the 36% lenders prefer" in out
    assert "40.00%" in out
    assert "Income down 20%" in out
    assert out.strip().endswith("This is information, not legal advice.")


def test_terminal_zh_ends_with_notice(tmp_path: Path) -> None:
    case_path, offer_path = _files(tmp_path, GOOD_CASE, offer(1000))
    code, out, _ = _in_process("afford", case_path, "--offer", offer_path, "--lang", "zh")
    assert code == 0
    assert out.strip().endswith("以上仅为信息，不构成法律意见。")


# Real subprocesses: these need ``import arrears.cli_afford`` in ``arrears.cli._register``.


def test_cli_demo_with_shipped_offer() -> None:
    result = run_cli("afford", str(ROOT / "examples" / "demo.toml"), "--offer",
                     str(ROOT / "examples" / "offer.toml"), "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["verdict"] == "not_affordable"
    assert data["reason_codes"][:2] == ["past_due", "past_due"]
    assert data["offer"]["monthly_payment"] == "1028.48"


@pytest.mark.parametrize(("text", "problems"), BAD_OFFERS[:2])
def test_cli_bad_offer_one_line_each_exit_2(tmp_path: Path, text: str,
                                            problems: list[str]) -> None:
    case_path, offer_path = _files(tmp_path, GOOD_CASE, text)
    result = run_cli("afford", case_path, "--offer", offer_path)
    assert result.code == 2
    assert result.out == ""
    assert "Traceback" not in result.err
    assert sorted(result.err.strip().splitlines()) == sorted(_expected(offer_path, problems))
