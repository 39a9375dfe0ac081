"""Issue 17: a half-fen tie in penalty or compound interest is rounded by the rule, not down.

``docs/overdue.md`` promises that penalty and compound interest are exact running sums, so
the posted total is the exact accrual rounded (half up by default) to the fen. A penalty
rate of 1.5 × 4.9 % a year is 0.0735 / 360 a day, not a terminating decimal: carried at
28 digits, the running sum lands a hair under half a fen and was rounded down. The cases
below are the issue's own, worked out on paper; the property test builds ties on purpose
(random figures almost never tie) and checks the engine and the day-by-day reference
against the exact figure.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from arrears.card import CardTerms
from arrears.dates import DayCount
from arrears.debt import Debt, DebtKind
from arrears.engine import cost_of_waiting, replay
from arrears.events import Payment
from arrears.ledger import EntryKind
from arrears.money import Rounding
from arrears.overdue import Component, OverdueTerms, Penalty, PenaltyBase
from arrears.position import Position
from arrears.rate import Rate, RateBasis
from arrears.schedule import build_schedule
from arrears.terms import Accrual, Method, Terms

from .reference_accrual import reference_replay

# One instalment: 68,200 lent on 2024-01-15 at 4.9 % a year, repaid as a bullet on
# 2024-02-15 with one month's interest, 68,200 × 0.049 / 12 = 278.4833… → 278.48.
START, DUE = date(2024, 1, 15), date(2024, 2, 15)
BULLET = Terms(principal=Decimal("68200.00"), rate=Rate(Decimal("0.049")), months=1,
               start=START, method=Method.BULLET)
# Penalty 1.5 × 4.9 % = 7.35 % a year, ACT/360: 0.0735 / 360 a day (0.000204166…).
PENALTY = OverdueTerms(penalty=Penalty(multiplier=Decimal("1.5")))
DAY_66 = DUE + timedelta(days=66)  # 2024-04-21: Feb 15 + 14 = Feb 29, + 31 = Mar 31, + 21


def checked(debt: Debt, as_of: date) -> Position:
    """The engine's position, after checking the day-by-day reference agrees with it."""
    engine, _ = replay(debt, as_of)
    assert asdict(engine) == asdict(reference_replay(debt, as_of).position)
    return engine


def posted(debt: Debt, as_of: date, component: Component) -> list[Decimal]:
    """The accrual entries of ``component``, in the order the engine posted them."""
    _, book = replay(debt, as_of)
    return [e.amount for e in book if e.kind is EntryKind.ACCRUAL and e.component is component]


def test_penalty_on_68200_for_66_days_is_919_00() -> None:
    """Overdue principal 68,200 at 0.0735 / 360 a day for 66 days:
    68,200 × 0.0735 = 5,012.70 a year; × 66 = 330,838.20; / 360 = 918.995 exactly, half a
    fen → 919.00 half up (arrears posted 918.99). Grace 0: in default on 02-16, when one day
    is posted, 5,012.70 / 360 = 13.924166… → 13.92; on 04-21 the running total 918.995
    rounds to 919.00, so the second post is 919.00 − 13.92 = 905.08 (was 905.07).
    Everything owed: 68,200 + 278.48 + 919.00 = 69,397.48."""
    debt = Debt("bullet", BULLET, PENALTY)
    late = checked(debt, DAY_66)
    assert late.dpd == 66
    assert late.outstanding.penalty_interest == Decimal("919.00")
    assert posted(debt, DAY_66, Component.PENALTY_INTEREST) == [Decimal("13.92"),
                                                                 Decimal("905.08")]
    assert late.overdue_amount == late.payoff == Decimal("69397.48")


def test_cost_of_waiting_counts_the_tie_from_the_day_before() -> None:
    """Waiting 1 day from 04-20 reaches the 66th day: the payoff then is 69,397.48, a fen
    above the 918.99 arrears used to post."""
    debt = Debt("bullet", BULLET, PENALTY)
    assert cost_of_waiting(debt, DAY_66 - timedelta(days=1), (1,)) == (
        (1, Decimal("69397.48")),)


def test_compound_interest_on_37_50_for_32_days_is_0_25() -> None:
    """Compound interest on unpaid contract interest of 37.50 at the same penalty rate for
    32 days: 37.50 × 0.0735 = 2.75625; × 32 = 88.20; / 360 = 0.245 exactly → 0.25 (arrears
    gave 0.24). The loan pays principal first (allocation order) and 68,200 + 240.98 on
    the due date: principal 0, interest 278.48 − 240.98 = 37.50 left, so the only base is
    the 37.50 bearing compound interest; 32 days later is 2024-03-18."""
    rules = OverdueTerms(penalty=Penalty(multiplier=Decimal("1.5")), compound=True,
                         allocation=(Component.PRINCIPAL, Component.INTEREST,
                                     Component.FEES, Component.LATE_FEES,
                                     Component.PENALTY_INTEREST,
                                     Component.COMPOUND_INTEREST))
    debt = Debt("bullet", BULLET, rules, (Payment(DUE, Decimal("68440.98")),))
    as_of = DUE + timedelta(days=32)
    assert as_of == date(2024, 3, 18)
    late = checked(debt, as_of)
    assert late.outstanding.principal == 0
    assert late.outstanding.interest == Decimal("37.50")
    assert late.outstanding.penalty_interest == 0
    assert late.outstanding.compound_interest == Decimal("0.25")
    assert late.payoff == Decimal("37.75")


def test_a_payment_on_the_tie_day_pays_919_00_penalty_and_81_00_interest() -> None:
    """1,000 paid on 04-21: the engine posts the running total first (919.00, as above),
    then allocates by Civil Code Art. 561 — no late fee or fee, penalty 919.00, no compound,
    then contract interest: 1,000 − 919.00 = 81.00 of the 278.48 (arrears allocated
    918.99 + 81.01). Left: principal 68,200, interest 197.48."""
    debt = Debt("bullet", BULLET, PENALTY, (Payment(DAY_66, Decimal("1000.00")),))
    paid = checked(debt, DAY_66)
    assert paid.paid.penalty_interest == Decimal("919.00")
    assert paid.paid.interest == Decimal("81.00")
    assert paid.outstanding.interest == Decimal("197.48")
    assert paid.outstanding.penalty_interest == 0
    assert paid.payoff == Decimal("68397.48")


def test_the_same_tie_with_an_absolute_penalty_rate() -> None:
    """The issue's control: "7.35%" a year written out is the same daily rate as 1.5 × 4.9 %,
    and the same 918.995 → 919.00 (this one was right before)."""
    absolute = OverdueTerms(penalty=Penalty(rate=Rate(Decimal("0.0735"))))
    late = checked(Debt("bullet", BULLET, absolute), DAY_66)
    assert late.outstanding.penalty_interest == Decimal("919.00")


def test_rate_3_675_percent_twice() -> None:
    """The issue's other tie: 3.675 % × 2 = 7.35 % a year, the same daily rate again, so 66
    days on 68,200 is 918.995 → 919.00. The bullet's interest is 68,200 × 0.03675 / 12 =
    208.8625 → 208.86; the payoff is 68,200 + 208.86 + 919.00 = 69,327.86."""
    terms = Terms(principal=Decimal("68200.00"), rate=Rate(Decimal("0.03675")), months=1,
                  start=START, method=Method.BULLET)
    debt = Debt("bullet", terms, OverdueTerms(penalty=Penalty(multiplier=Decimal("2"))))
    late = checked(debt, DAY_66)
    assert late.outstanding.penalty_interest == Decimal("919.00")
    assert late.payoff == Decimal("69327.86")


def test_beyond_exact_decimal_accrual_the_engine_refuses() -> None:
    """Yuan-days are an exact Decimal sum only below 10^26 (28 digits of fen): 10^24 overdue
    for 100 days reaches it, and the engine says so rather than post a rounded figure."""
    terms = Terms(principal=Decimal(10) ** 24, rate=Rate(Decimal("0.049")), months=1,
                  start=START, method=Method.BULLET)
    with pytest.raises(ArithmeticError, match="beyond exact decimal accrual"):
        replay(Debt("huge", terms, PENALTY), DUE + timedelta(days=100))


# -- the schedule and the card round exact figures too ---------------------------------------

def test_a_monthly_interest_tie_in_the_schedule() -> None:
    """60.00 at 4.9 % a year, interest first over 2 months: each month's interest is
    60 × 0.049 / 12 = 2.94 / 12 = 0.245 exactly → 0.25 (0.049 / 12 at 28 digits,
    0.004083…33, gave 0.2449…98 → 0.24)."""
    terms = Terms(principal=Decimal("60.00"), rate=Rate(Decimal("0.049")), months=2,
                  start=START, method=Method.INTEREST_FIRST)
    assert [row.interest for row in build_schedule(terms)] == [Decimal("0.25")] * 2


def test_a_daily_interest_tie_in_the_schedule() -> None:
    """1,500.00 at 4.9 % a year accrued daily (ACT/360), one month as a bullet from
    2024-04-15 to 05-15, 30 days: 1,500 × 0.049 × 30 / 360 = 2,205 / 360 = 6.125 → 6.13
    (0.049 / 360 at 28 digits gave 6.12)."""
    terms = Terms(principal=Decimal("1500.00"), rate=Rate(Decimal("0.049")), months=1,
                  start=date(2024, 4, 15), method=Method.BULLET, accrual=Accrual.DAILY)
    assert build_schedule(terms).rows[0].interest == Decimal("6.13")


def test_a_card_cycle_whose_interest_is_a_tie() -> None:
    """A card at 7.35 % a year (ACT/360) carrying 150,040.00 through a 30-day cycle
    (2026-09-06 to the statement of 10-05): 150,040 × 30 = 4,501,200 yuan-days;
    × 0.0735 = 330,838.20; / 360 = 918.995 → 919.00 billed on 10-05. (The card divided
    last before as well, so this was right; it guards the card's path.)"""
    terms = CardTerms(balance=Decimal("150040.00"), balance_date=date(2026, 8, 5),
                      statement_day=5, rate=Rate(Decimal("0.0735")), compound=False)
    card = Debt("card", card=terms, kind=DebtKind.CREDIT_CARD)
    _, book = replay(card, date(2026, 10, 5))
    billed = [(e.on, e.amount) for e in book
              if e.kind is EntryKind.ACCRUAL and e.component is Component.INTEREST]
    assert billed[-1] == (date(2026, 10, 5), Decimal("919.00"))


# -- ties built on purpose ------------------------------------------------------------------

_MULTIPLES = [Decimal("1.5"), Decimal("2"), Decimal("1.3"), Decimal("1.4"), Decimal("1")]


def _daily(rate: Rate, year: int) -> Fraction:
    """The daily rate as an exact fraction, from the quoted figure (docs/overdue.md)."""
    value = Fraction(rate.value)
    if rate.basis is RateBasis.DAILY:
        return value
    return value * (12 if rate.basis is RateBasis.MONTHLY else 1) / year


def _tie_base(q: Fraction, odd: int) -> int | None:
    """A base in fen whose accrual at ``q`` (per yuan) is an odd number of half fen, or
    ``None`` when no base can tie: k fen bear k × q fen, a tie when 2kq is an odd whole
    number; with q = a / b in lowest terms that takes b even, a odd and k = b / 2 × odd."""
    a, b = q.numerator, q.denominator
    if b % 2 or not a % 2:
        return None
    return b // 2 * odd


@st.composite
def tied_debts(draw: st.DrawFn) -> tuple[Debt, date, Fraction]:
    """A bullet loan never paid (or paid principal first on the due date, leaving only
    interest) whose penalty or compound interest on the as-of date is an exact tie; the
    exact accrual is returned beside it."""
    percent = draw(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("36"), places=3))
    basis = draw(st.sampled_from(list(RateBasis)))
    scale = {RateBasis.ANNUAL: 100, RateBasis.MONTHLY: 1200, RateBasis.DAILY: 36000}[basis]
    rate = Rate(percent / scale, basis)
    day_count = draw(st.sampled_from(list(DayCount)))
    multiple = draw(st.sampled_from(_MULTIPLES))
    grace = draw(st.integers(min_value=0, max_value=3))
    # In default by then; an odd count of days keeps a tie possible whenever the daily rate
    # a / b (lowest terms) has a odd and b even, as daily × days then does too.
    days = draw(st.integers(min_value=grace + 1, max_value=400)) | 1
    odd = 2 * draw(st.integers(min_value=0, max_value=20)) + 1
    daily = _daily(rate, day_count.year_days) * Fraction(multiple)
    base = _tie_base(daily * days, odd)  # k fen bear k × daily × days fen
    assume(base is not None and 0 < base <= 10**10)
    assert base is not None
    start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)))
    compound = draw(st.booleans())
    penalty = Penalty(multiplier=multiple) if multiple != 1 or draw(st.booleans()) else \
        Penalty(rate=rate)
    rounding = draw(st.sampled_from(list(Rounding)))
    if not compound:
        terms = Terms(principal=Decimal(base) / 100, rate=rate, months=1, start=start,
                      method=Method.BULLET, day_count=day_count, rounding=rounding)
        payments: tuple[Payment, ...] = ()
        if draw(st.booleans()):  # a payment on the tie day: posted first, then allocated
            paid = draw(st.integers(min_value=1, max_value=base + 10**6))
            payments = (Payment(terms.maturity + timedelta(days=days), Decimal(paid) / 100),)
        debt = Debt("tie", terms, OverdueTerms(grace_days=grace, penalty=penalty), payments)
    else:
        # Enough principal for a month's interest to exceed the base, then pay all of the
        # principal and all the interest but the base on the due date.
        principal = max(Decimal(base) * 12 / percent, Decimal(1000)).quantize(Decimal(1)) * 2
        terms = Terms(principal=principal, rate=rate, months=1, start=start,
                      method=Method.BULLET, day_count=day_count, rounding=rounding)
        interest = build_schedule(terms).rows[0].interest
        assume(interest * 100 > base)
        payments = (Payment(terms.maturity, principal + interest - Decimal(base) / 100),)
        rules = OverdueTerms(grace_days=grace, penalty=penalty, compound=True,
                             penalty_base=PenaltyBase.OVERDUE_PRINCIPAL,
                             allocation=(Component.PRINCIPAL, Component.INTEREST,
                                         Component.FEES, Component.LATE_FEES,
                                         Component.PENALTY_INTEREST,
                                         Component.COMPOUND_INTEREST))
        debt = Debt("tie", terms, rules, payments)
    assert terms.maturity is not None
    return debt, terms.maturity + timedelta(days=days), Fraction(base) * daily * days / 100


def _tie_rounded(exact: Fraction, rule: Rounding) -> Decimal:
    """A tie of whole fen + ½ by the rule: up, down (truncate), or to the even fen."""
    below = int(exact * 100)  # the fen below the tie
    up = rule is Rounding.HALF_UP or (rule is Rounding.HALF_EVEN and below % 2 == 1)
    return Decimal(below + up) / 100


@settings(max_examples=2 * settings().max_examples)
@given(tied_debts())
def test_exact_ties_round_by_the_rule(case: tuple[Debt, date, Fraction]) -> None:
    """Penalty (or compound interest) on a base that ties on the as-of date: the engine and
    the day-by-day reference agree field for field and in what they posted and allocated,
    and the total posted is the tie rounded by the loan's rule (half up unless it says
    truncate or half to even)."""
    debt, as_of, exact = case
    half_fen = exact * 200
    assert half_fen.denominator == 1  # a whole number of half fen …
    assert half_fen.numerator % 2 == 1  # … and an odd one: a tie
    component = (Component.COMPOUND_INTEREST if debt.overdue.compound
                 else Component.PENALTY_INTEREST)
    checked(debt, as_of)
    reference = reference_replay(debt, as_of)
    _, book = replay(debt, as_of)
    allocated = {e.component: -e.amount for e in book if e.kind is EntryKind.ALLOCATION}
    assert {c: v for c, v in allocated.items() if v} == {
        c: v for (_, c), v in reference.allocated.items()}
    assert debt.terms is not None
    expected = _tie_rounded(exact, debt.terms.rounding)
    assert sum(posted(debt, as_of, component)) == expected
    assert reference.posted.get((1, component), Decimal(0)) == expected


@st.composite
def tied_schedules(draw: st.DrawFn) -> tuple[Terms, Fraction]:
    """An interest-first loan whose principal × the monthly rate is a tie, and that
    interest exactly."""
    percent = draw(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("36"), places=3))
    basis = draw(st.sampled_from(list(RateBasis)))
    scale = {RateBasis.ANNUAL: 100, RateBasis.MONTHLY: 1200, RateBasis.DAILY: 36000}[basis]
    rate = Rate(percent / scale, basis)
    day_count = draw(st.sampled_from(list(DayCount)))
    monthly = _daily(rate, day_count.year_days) * day_count.year_days / 12
    base = _tie_base(monthly, 2 * draw(st.integers(min_value=0, max_value=20)) + 1)
    assume(base is not None and 0 < base <= 10**12)
    assert base is not None
    terms = Terms(principal=Decimal(base) / 100, rate=rate, months=draw(st.integers(2, 12)),
                  start=date(2024, 1, 31), method=Method.INTEREST_FIRST, day_count=day_count,
                  rounding=draw(st.sampled_from(list(Rounding))))
    return terms, Fraction(base) * monthly / 100


@given(tied_schedules())
def test_schedule_ties_round_by_the_rule(case: tuple[Terms, Fraction]) -> None:
    """Every month's interest on a principal that ties is the tie rounded by the rule."""
    terms, exact = case
    assert {row.interest for row in build_schedule(terms)} == {
        _tie_rounded(exact, terms.rounding)}
