"""The closed-form engine against a day-by-day reading of ``docs/overdue.md``.

``tests/reference_accrual.py`` walks every loan one calendar day at a time; the engine jumps
from event to event. On generated loans — every repayment method, grace 0–5 days, penalty
as a multiple or an absolute rate, all three penalty bases, compound interest on and off,
late fees fixed or a percent with a floor and a cap, acceleration or not, up to 20 payments
on the days where the rules turn or at random — the two agree on every figure of the
position, to the fen, and on what was posted and allocated, instalment by instalment.
(200 loans a run in development, 400 in CI; over 10,000 when the test was written.)

The hand-worked cases below pin both to figures worked out on paper.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from hypothesis import given, settings

from arrears.debt import Debt
from arrears.engine import position, replay
from arrears.events import Payment
from arrears.ledger import EntryKind
from arrears.money import ZERO
from arrears.overdue import Component, LateFee, OverdueTerms
from arrears.position import Bucket, Position
from arrears.rate import Rate
from arrears.terms import Method, Terms

from .reference_accrual import reference_position, reference_replay
from .strategies import overdue_debts

# A day-by-day walk costs about 10 ms a loan: 2 × the profile's examples keeps this file
# near 2 s in development and doubles it in CI.
EXAMPLES = 2 * settings().max_examples

BULLET = Terms(principal=Decimal("10000.00"), rate=Rate(Decimal("0.18")), months=1,
               start=date(2024, 1, 15), method=Method.BULLET)  # falls due 2024-02-15
EQUAL_PRINCIPAL = Terms(principal=Decimal("12000.00"), rate=Rate(Decimal("0.12")), months=12,
                        start=date(2024, 1, 15), method=Method.EQUAL_PRINCIPAL)


def both(debt: Debt, as_of: date) -> Position:
    """The engine's position, after checking the reference agrees with it."""
    engine = position(debt, as_of)
    assert asdict(engine) == asdict(reference_position(debt, as_of))
    return engine


def test_thirty_days_of_penalty_on_10000_overdue_principal() -> None:
    """rules-cn-us.md §7: overdue principal 10,000 at 18 % × 1.5 = 27 % a year for 30 days
    is 10,000 × 0.27 × 30 / 360 = 225.00. The loan: 10,000 bullet over one month at 18 %
    (interest 150.00), due 2024-02-15, nothing paid; on 2024-03-16 it is 30 days past due.
    With compound interest the 150.00 of interest bears 27 % too:
    150 × 0.27 × 30 / 360 = 3.375, posted half-up as 3.38."""
    late = both(Debt("bullet", BULLET), date(2024, 3, 16))
    assert late.outstanding.penalty_interest == Decimal("225.00")
    assert late.outstanding.interest == Decimal("150.00")
    assert (late.dpd, late.bucket, late.overdue_installments) == (30, Bucket.M1, 1)
    assert late.payoff == late.overdue_amount == Decimal("10375.00")

    compound = both(Debt("bullet", BULLET, OverdueTerms(compound=True)), date(2024, 3, 16))
    assert compound.outstanding.compound_interest == Decimal("3.38")
    assert compound.payoff == Decimal("10378.38")


def test_a_payment_inside_grace_cancels_the_penalty() -> None:
    """Grace 3 days, late fee 50. The bullet loan falls due 2024-02-15; grace ends at the end
    of 02-18. Paid in full (10,150.00) on 02-18: no penalty, no late fee, nothing owed.
    Paid on 02-19 instead, it is in default first: the 50.00 late fee is charged and four
    days of penalty posted from the due date (4 × 7.50 = 30.00); the payment then goes to
    the late fee, penalty, interest and 9,920.00 of principal, and by 03-16 the 80.00 left
    has borne 26 more days of penalty: 80 × 0.00075 × 26 = 1.56."""
    grace = OverdueTerms(grace_days=3, late_fee=LateFee(amount=Decimal("50")))
    in_grace = Debt("bullet", BULLET, grace, (Payment(date(2024, 2, 18), Decimal("10150.00")),))
    paid = both(in_grace, date(2024, 3, 16))
    assert paid.outstanding.total == paid.payoff == 0
    assert (paid.paid.penalty_interest, paid.paid.late_fees, paid.dpd) == (ZERO, ZERO, 0)

    before_default = both(Debt("bullet", BULLET, grace), date(2024, 2, 18))
    assert before_default.outstanding.penalty_interest == 0  # accrued, not yet posted
    assert before_default.payoff == Decimal("10150.00")
    assert before_default.dpd == 3  # past due all the same

    one_day_late = Debt("bullet", BULLET, grace,
                        (Payment(date(2024, 2, 19), Decimal("10150.00")),))
    late = both(one_day_late, date(2024, 3, 16))
    assert late.paid.late_fees == Decimal("50.00")
    assert late.paid.penalty_interest == Decimal("30.00")
    assert late.outstanding.principal == Decimal("80.00")
    assert late.outstanding.penalty_interest == Decimal("1.56")


def test_the_acceleration_day() -> None:
    """12,000 over 12 months, equal principal (1,000 a month), 12 % a year (1 % a month),
    accelerate after 30 days; nothing paid. Instalment 1 (1,000 + 120.00) falls due
    2024-02-15, instalment 2 (1,000 + 110.00) 2024-03-15. Penalty: 0.12 / 360 × 1.5
    = 0.0005 a day, 0.50 a day on each 1,000.

    On 03-16 DPD is 30: not yet. Payoff = 12,000 + 230.00 due interest + 100 × 1 / 31
    = 3.23 accrued in period 3 + penalty 15.00 + 0.50 = 12,248.73.

    On 03-17 DPD is 31 > 30: all 10,000 principal not yet due falls due with period 3's
    interest pro rata, 100 × 2 / 31 = 6.45; later interest is cancelled. Penalty is
    15.50 + 1.00; the accelerated principal bears it from today, so nothing yet.
    Payoff 12,000 + 236.45 + 16.50 = 12,252.95. On 03-18: + 0.50 + 0.50 + 5.00.

    Acceleration comes before the day's payments: paying instalment 1 in full on 03-17
    does not stop it; paying it on 03-16 does."""
    rules = OverdueTerms(accelerate_after_days=30)
    debt = Debt("loan", EQUAL_PRINCIPAL, rules)
    eve = both(debt, date(2024, 3, 16))
    assert (eve.dpd, eve.accelerated_on, eve.payoff) == (30, None, Decimal("12248.73"))
    day = both(debt, date(2024, 3, 17))
    assert (day.dpd, day.bucket, day.accelerated_on) == (31, Bucket.M2, date(2024, 3, 17))
    assert day.outstanding.interest == Decimal("236.45")
    assert day.outstanding.penalty_interest == Decimal("16.50")
    assert day.payoff == Decimal("12252.95")
    assert day.overdue_amount == Decimal("2246.50")  # accelerated today: not yet overdue
    after = both(debt, date(2024, 3, 18))
    assert after.outstanding.penalty_interest == Decimal("22.50")
    assert after.overdue_amount == after.payoff == Decimal("12258.95")

    same_day = Debt("loan", EQUAL_PRINCIPAL, rules,
                    (Payment(date(2024, 3, 17), Decimal("1135.50")),))
    assert both(same_day, date(2024, 3, 17)).accelerated_on == date(2024, 3, 17)
    day_before = Debt("loan", EQUAL_PRINCIPAL, rules,
                      (Payment(date(2024, 3, 16), Decimal("1135.00")),))
    assert both(day_before, date(2024, 3, 17)).accelerated_on is None


def test_money_beyond_what_is_due_is_a_credit_or_pays_off() -> None:
    """On 2024-01-20, five days into the 31-day first period of the 12,000 loan, 120 × 5 / 31
    = 19.35 of interest has accrued. 500.00 paid then is held as a credit (payoff
    12,019.35 − 500 = 11,519.35) and goes to instalment 1 when it falls due on 02-15:
    120.00 interest, 380.00 principal. 12,019.35 pays the loan off; a fen less does not."""
    def paying(amount: str) -> Debt:
        return Debt("loan", EQUAL_PRINCIPAL, payments=(Payment(date(2024, 1, 20),
                                                                Decimal(amount)),))

    held = both(paying("500.00"), date(2024, 1, 20))
    assert (held.credit, held.accrued_interest) == (Decimal("500.00"), Decimal("19.35"))
    assert held.payoff == Decimal("11519.35")
    applied = both(paying("500.00"), date(2024, 2, 15))
    assert (applied.credit, applied.paid.interest) == (ZERO, Decimal("120.00"))
    assert applied.paid.principal == Decimal("380.00")
    off = both(paying("12019.35"), date(2024, 1, 20))
    assert (off.settled_on, off.payoff, off.outstanding.total) == (date(2024, 1, 20), ZERO, ZERO)
    short = both(paying("12019.34"), date(2024, 1, 20))
    assert (short.settled_on, short.payoff) == (None, Decimal("0.01"))


@settings(max_examples=EXAMPLES)
@given(overdue_debts())
def test_engine_equals_day_by_day_reference(case: tuple[Debt, date]) -> None:
    """Every figure of the position, and per instalment and component what was posted and
    what payments were applied to, equal to the fen."""
    debt, as_of = case
    engine, book = replay(debt, as_of)
    reference = reference_replay(debt, as_of)
    assert asdict(engine) == asdict(reference.position)

    posted: dict[tuple[int, Component], Decimal] = defaultdict(Decimal)
    allocated: dict[tuple[int, Component], Decimal] = defaultdict(Decimal)
    for entry in book:
        if entry.component is None:
            continue
        key = (entry.installment, entry.component)
        if entry.kind is EntryKind.ACCRUAL:
            posted[key] += entry.amount
        elif entry.kind is EntryKind.ALLOCATION:
            allocated[key] -= entry.amount
    assert {k: v for k, v in posted.items() if v} == reference.posted
    assert {k: v for k, v in allocated.items() if v} == reference.allocated
