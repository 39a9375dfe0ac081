"""Issue 15, item 1: how a lender rounds (``rounding``) and where an equal-instalment loan's
rounding residue goes (``last_payment``), as case-file keys and ``arrears schedule``
options, against the figures the issue quotes from outside sources."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.case import load_case
from arrears.engine import position, replay
from arrears.errors import InputError
from arrears.i18n import render
from arrears.ledger import EntryKind
from arrears.money import Rounding, parse_rounding, round_fen, round_money, round_product
from arrears.overdue import Component
from arrears.rate import Rate
from arrears.schedule import build_schedule
from arrears.terms import LastPayment, Method, Terms

from .conftest import run_cli

# -- a lender that truncates (截位) -----------------------------------------------------------

TRUNCATING = """
[[debts]]
id = "loan"
principal = "2500"
disbursed = 2026-01-10
method = "bullet"
rate = "4.9%"
day_count = "ACT/365"
term_months = 1
{rounding}

[debts.overdue]
penalty = "1.3x"
"""


@pytest.mark.parametrize(("line", "penalty", "interest"), [
    ('rounding = "truncate"', "0.43", "10.20"),
    ('rounding = "截位"', "0.43", "10.20"),
    ('rounding = "half_up"', "0.44", "10.21"),
    ("", "0.44", "10.21"),
    ('rounding = "half_even"', "0.44", "10.21"),
])
def test_a_lender_that_truncates(line: str, penalty: str, interest: str) -> None:
    """Issue 15 quotes a lender's published penalty example that truncates to the fen (截位):
    2,500 × 4.9 % × 130 % / 365 × 1 day = 159.25 / 365 = 0.43630… published as 0.43, where
    half up gives 0.44. Here 2,500 is lent as a one-month bullet from 2026-01-10, due
    02-10, never paid: on 02-11 one day of penalty is posted. The lender truncates the
    month's interest too: 2,500 × 0.049 / 12 = 10.2083… → 10.20 (half up 10.21)."""
    case = load_case(TRUNCATING.format(rounding=line), "case.toml")
    debt = case.debts[0]
    assert debt.terms is not None
    assert build_schedule(debt.terms).rows[0].interest == Decimal(interest)
    late = position(debt, date(2026, 2, 11))
    assert late.dpd == 1
    assert late.outstanding.penalty_interest == Decimal(penalty)


def test_status_of_a_truncating_lender(tmp_path: Path) -> None:
    """The same loan through ``arrears status --json``: the posted penalty is 0.43."""
    path = tmp_path / "case.toml"
    path.write_text(TRUNCATING.format(rounding='rounding = "truncate"'), encoding="utf-8")
    result = run_cli("status", str(path), "--as-of", "2026-02-11", "--json")
    assert result.code == 0, result.err
    debt = result.json()["debts"][0]
    assert debt["outstanding"]["penalty_interest"] == "0.43"
    assert debt["payoff"] == "2510.63"  # 2,500 + 10.20 + 0.43


# -- 等额本息 with every payment equal ----------------------------------------------------------

LEVEL = Terms(principal=Decimal("20000"), rate=Rate(Decimal("0.36")), months=6,
              start=date(2024, 1, 15))


def test_equal_last_payment_gives_the_calculators_total_interest() -> None:
    """Issue 15 quotes calculators that keep every 等额本息 payment equal and let the last
    one's interest absorb the residue: total interest 2,151.70 on 20,000 at 36 % over 6
    months. 3 % a month: PMT = 20,000 × 0.03 × 1.03⁶ / (1.03⁶ − 1) = 3,691.95 (3,691.9509…).
    The principal left before the last payment is 3,584.41 (the absorbing schedule's rows),
    so the last interest is 3,691.95 − 3,584.41 = 107.54, and the total
    6 × 3,691.95 − 20,000 = 2,151.70. Absorbing instead, the last payment is 3,584.41 +
    3,584.41 × 0.03 (107.5323 → 107.53) = 3,691.94 and the total 2,151.69."""
    absorb = build_schedule(LEVEL)
    equal = build_schedule(Terms(principal=LEVEL.principal, rate=LEVEL.rate, months=6,
                                 start=LEVEL.start, last_payment=LastPayment.EQUAL))
    assert absorb.total_interest == Decimal("2151.69")
    assert absorb.rows[-1].payment == Decimal("3691.94")
    assert equal.total_interest == Decimal("2151.70")
    assert {row.payment for row in equal.rows} == {Decimal("3691.95")}
    last = equal.rows[-1]
    assert (last.principal, last.interest, last.balance) == (
        Decimal("3584.41"), Decimal("107.54"), Decimal("0.00"))
    assert equal.rows[:-1] == absorb.rows[:-1]


def test_schedule_options() -> None:
    """``arrears schedule --last-payment equal`` prints the calculators' figure;
    ``--rounding truncate`` truncates every instalment."""
    args = ["schedule", "--principal", "20000", "--rate", "36%", "--months", "6",
            "--start", "2024-01-15", "--json"]
    equal = run_cli(*args, "--last-payment", "equal")
    assert equal.code == 0, equal.err
    assert equal.json()["total_interest"] == "2151.70"
    assert run_cli(*args).json()["total_interest"] == "2151.69"
    truncated = run_cli("schedule", "--principal", "2500", "--rate", "4.9%", "--months", "1",
                        "--method", "bullet", "--start", "2026-01-10", "--rounding",
                        "truncate", "--json")
    assert truncated.json()["total_interest"] == "10.20"


def test_a_case_file_with_equal_last_payment() -> None:
    text = """
[[debts]]
id = "loan"
principal = "20000"
disbursed = 2024-01-15
rate = "36%"
term_months = 6
last_payment = "equal"
"""
    debt = load_case(text, "case.toml").debts[0]
    assert debt.terms is not None
    assert build_schedule(debt.terms).total_interest == Decimal("2151.70")


@pytest.mark.parametrize(("rule", "interest"), [("truncate", "160.00"), ("half_up", "160.01")])
def test_a_card_rounds_by_its_rule(rule: str, interest: str) -> None:
    """10,000.50 posted on the statement date 2026-08-05 at 0.05 %/day, never paid: the
    first statement is not paid in full by 08-25, so its interest-free period is lost and
    the statement of 09-05 bills every day from 08-05 through 09-05, 32 days:
    10,000.50 × 32 × 0.0005 = 160.008 → 160.01 half up, 160.00 truncated. (The 违约金 on
    08-26 is 5 % of the unmet minimum 1,000.05 = 50.0025 → 50.00 either way.)"""
    text = """
[[debts]]
id = "card"
kind = "credit_card"
balance = "10000.50"
balance_date = 2026-08-05
statement_day = 5
rate = "0.05%/day"
rounding = "RULE"
""".replace("RULE", rule)
    debt = load_case(text, "case.toml").debts[0]
    _, book = replay(debt, date(2026, 9, 5))
    assert [(e.on, e.component, e.amount) for e in book if e.kind is not EntryKind.DUE] == [
        (date(2026, 8, 26), Component.LATE_FEES, Decimal("50.00")),
        (date(2026, 9, 5), Component.INTEREST, Decimal(interest))]


# -- bad input --------------------------------------------------------------------------------

def test_bad_rounding_and_last_payment_are_located() -> None:
    text = """
[[debts]]
id = "loan"
principal = "1000"
disbursed = 2024-01-15
rate = "5%"
term_months = 6
method = "equal_principal"
rounding = "round"
last_payment = "equal"

[[debts]]
id = "other"
principal = "1000"
disbursed = 2024-01-15
rate = "5%"
term_months = 6
last_payment = "level"
"""
    with pytest.raises(InputError) as caught:
        load_case(text, "case.toml")
    lines = [render(p) for p in caught.value.problems]
    assert lines == [
        'case.toml: debts[0].rounding: "round" is not a rounding rule; use one of half_up, '
        "truncate, half_even",
        'case.toml: debts[1].last_payment: "level" is not one of absorb, equal',
    ]
    fixed = text.replace('rounding = "round"', 'rounding = "half_even"').replace(
        'last_payment = "level"', "")
    with pytest.raises(InputError) as caught:
        load_case(fixed, "case.toml")
    assert [render(p) for p in caught.value.problems] == [
        'case.toml: debts[0].last_payment: "equal" applies only to equal_installment (等额本息) '
        "loans"]


def test_bad_schedule_options_name_the_option() -> None:
    result = run_cli("schedule", "--principal", "1000", "--months", "3", "--rate", "5%",
                     "--rounding", "ceiling", "--last-payment", "level")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.strip().splitlines() == [
        'arrears: --rounding: "ceiling" is not a rounding rule; use one of half_up, truncate, '
        "half_even",
        'arrears: --last-payment: "level" is not one of absorb, equal',
    ]


# -- the rounding functions --------------------------------------------------------------------

_MODES = {Rounding.HALF_UP: ROUND_HALF_UP, Rounding.TRUNCATE: ROUND_DOWN,
          Rounding.HALF_EVEN: ROUND_HALF_EVEN}


@given(st.integers(min_value=-(10**15), max_value=10**15),
       st.sampled_from([1, 2, 4, 5, 8, 10, 20, 40, 1000]), st.sampled_from(list(Rounding)))
def test_round_fen_equals_decimal_rounding(numerator: int, denominator: int,
                                           rule: Rounding) -> None:
    """On values a Decimal holds exactly (denominators dividing a power of ten — ties
    included), integer rounding equals Decimal's own ROUND_HALF_UP, ROUND_DOWN and
    ROUND_HALF_EVEN."""
    exact = Decimal(numerator) / denominator
    assert round_fen(numerator, denominator, rule) == int(
        exact.quantize(Decimal(1), rounding=_MODES[rule]))


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2),
       st.fractions(min_value=0, max_value=1, max_denominator=10**6),
       st.sampled_from(list(Rounding)))
def test_round_product_is_the_exact_product_rounded(amount: Decimal, factor: Fraction,
                                                    rule: Rounding) -> None:
    exact = Fraction(amount) * factor
    assert round_product(amount, factor, rule) == round_money(exact, rule)
    assert abs(Fraction(round_money(exact, rule)) - exact) < Fraction(1, 100)


def test_half_even_and_truncate_on_ties() -> None:
    """60.00 at 4.9 % a year is 0.245 a month exactly: half up 0.25, truncated 0.24, half to
    even 0.24 (24 is even); 918.995 to even is 919.00."""
    assert [round_product(Decimal("60.00"), Fraction(49, 12000), rule) for rule in Rounding] == [
        Decimal("0.25"), Decimal("0.24"), Decimal("0.24")]
    assert round_money(Fraction(918995, 1000), Rounding.HALF_EVEN) == Decimal("919.00")
    assert round_money(Decimal("-2.345"), Rounding.TRUNCATE) == Decimal("-2.34")
    assert parse_rounding(" Half-Even ") is Rounding.HALF_EVEN
    terms = Terms(principal=Decimal("60.00"), rate=Rate(Decimal("0.049")), months=2,
                  start=date(2024, 1, 31), method=Method.INTEREST_FIRST,
                  rounding=Rounding.HALF_EVEN)
    assert [row.interest for row in build_schedule(terms)] == [Decimal("0.24")] * 2
