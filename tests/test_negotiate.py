"""Negotiation scenarios (status quo, deferment, instalment plans, settlement) replayed through
the exact engine, with hand-worked figures.

The main case is the demo's online loan (``src/arrears/examples/demo.toml``): 30,000 at 18 %
a year (1.5 % a month, ACT/360) with a 0.5 % monthly fee, seven instalments paid, nothing
since July. On 2026-11-28 it is four instalments behind and was accelerated on 2026-11-14
(the oldest unpaid due date 2026-08-15 + 90 days + 1). The engine's position that day:

=================  =========
principal          13,154.18
interest              554.57
fees                  450.00
penalty interest      488.16
compound interest      29.15
late fees             435.06
payoff             15,111.12
=================  =========

The household has 5,500 − 4,300 = 1,200 a month and 600 of savings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib.resources import files

import pytest

from arrears.card import CardTerms
from arrears.case import load_case
from arrears.debt import Debt, DebtKind
from arrears.events import Payment
from arrears.plan.model import Budget
from arrears.plan.negotiate import (
    KINDS,
    Scenario,
    negotiation_scenarios,
)
from arrears.rate import Rate
from arrears.schedule import build_schedule, level_payment
from arrears.terms import Terms

AS_OF = date(2026, 11, 28)
BUDGET = Budget(income=(Decimal(5500),), essentials=Decimal(4300), savings=Decimal(600))
NO_INCOME = Budget(income=(), essentials=Decimal(4300))


def demo_debt(debt_id: str) -> Debt:
    text = (files("arrears") / "examples" / "demo.toml").read_text(encoding="utf-8")
    case = load_case(text, "demo.toml")
    return next(d for d in case.debts if d.id == debt_id)


def by_kind(scenarios: tuple[Scenario, ...]) -> dict[str, Scenario]:
    """The scenarios by kind; settlements as ``settlement-60`` etc."""
    out = {}
    for s in scenarios:
        key = s.kind if s.percent is None else f"{s.kind}-{int(s.percent * 100)}"
        out[key] = s
    return out


@pytest.fixture(scope="module")
def loan() -> dict[str, Scenario]:
    return by_kind(negotiation_scenarios(demo_debt("online-loan"), AS_OF, BUDGET))


def test_kinds_in_order(loan: dict[str, Scenario]) -> None:
    assert list(loan) == ["status_quo", "deferment", "instalment_frozen",
                          "instalment_interest", "settlement-60", "settlement-70",
                          "settlement-80"]
    assert {s.kind for s in loan.values()} == set(KINDS)


def test_status_quo_of_an_accelerated_loan(loan: dict[str, Scenario]) -> None:
    """Accelerated, everything is due now: the contract asks for the whole payoff on the
    as-of date (the 15th has passed in November), one payment of 15,111.12 — far beyond the
    1,200 a month."""
    s = loan["status_quo"]
    assert s.payments == ((AS_OF, Decimal("15111.12")),)
    assert (s.months, s.monthly, s.total_paid, s.remaining, s.saving) == (
        1, Decimal("15111.12"), Decimal("15111.12"), Decimal("0.00"), Decimal("0.00"))
    assert s.first_payment == AS_OF
    assert not s.fits


def test_frozen_instalments_total_the_restructured_balance(loan: dict[str, Scenario]) -> None:
    """Frozen: 13,154.18 + 554.57 + 450.00 = 14,158.75, penalties (488.16 + 29.15) and late
    fees (435.06) waived, 0 %. 11 months: 14,158.75 / 11 = 1,287.159… → 1,287.16 > 1,200;
    12 months: 1,179.896… → 1,179.90 ≤ 1,200, so 12. The last instalment absorbs the
    rounding: 14,158.75 − 11 × 1,179.90 = 1,179.85. Total exactly 14,158.75, saving
    15,111.12 − 14,158.75 = 952.37 on the status quo."""
    s = loan["instalment_frozen"]
    assert s.balance == Decimal("14158.75")
    assert s.months == 12
    assert s.monthly == Decimal("1179.90")
    assert [a for _, a in s.payments] == [Decimal("1179.90")] * 11 + [Decimal("1179.85")]
    assert s.total_paid == Decimal("14158.75") == s.balance
    assert s.remaining == 0
    assert s.saving == Decimal("952.37")
    assert s.first_payment == date(2026, 12, 28)
    assert s.payments[-1][0] == date(2027, 11, 28)
    assert s.rate == 0
    assert s.fits


def test_with_interest_costs_more_than_frozen(loan: dict[str, Scenario]) -> None:
    """With interest: the payoff 15,111.12 at 1.5 % a month. PMT over 14 months:
    15,111.12 × 0.015 × 1.015¹⁴ / (1.015¹⁴ − 1) = 1,204.71 > 1,200; over 15: 1,132.49, so
    15 months. The replay pays exactly the schedule's total, more than the frozen plan and
    more than paying the payoff now."""
    s = loan["instalment_interest"]
    monthly = Decimal("0.18") / 12
    assert level_payment(Decimal("15111.12"), monthly, 14) == Decimal("1204.71")
    assert level_payment(Decimal("15111.12"), monthly, 15) == Decimal("1132.49")
    assert (s.months, s.monthly, s.balance) == (15, Decimal("1132.49"), Decimal("15111.12"))
    terms = Terms(principal=Decimal("15111.12"), rate=Rate(Decimal("0.18")), months=15,
                  start=AS_OF)
    assert s.total_paid == build_schedule(terms).total_paid
    assert s.total_paid > loan["instalment_frozen"].total_paid
    assert s.saving == Decimal("15111.12") - s.total_paid < 0
    assert s.rate == Decimal("0.18")
    assert s.remaining == 0


def test_deferment_hand_worked(loan: dict[str, Scenario]) -> None:
    """Three months' pause, 2026-11-28 → 2027-02-28 = 92 days: 15,111.12 × 0.0005 × 92 =
    695.1115 → 695.11 added, 15,806.23. The original schedule has one instalment left after
    the as-of date (2026-12-15), so one instalment a month after the pause, on 2027-03-28:
    15,806.23 + 15,806.23 × 0.015 (237.09) = 16,043.32. It costs 932.20 more than paying now."""
    s = loan["deferment"]
    assert s.payments == ((date(2027, 3, 28), Decimal("16043.32")),)
    assert (s.months, s.monthly, s.total_paid) == (4, Decimal("16043.32"), Decimal("16043.32"))
    assert s.saving == Decimal("-932.20")
    assert not s.fits
    assert s.notes[1].params == {"months": "3", "interest": "695.11"}


def test_settlement_arithmetic(loan: dict[str, Scenario]) -> None:
    """60 % of 15,111.12 = 9,066.672 → 9,066.67; 70 % = 10,577.784 → 10,577.78; 80 % =
    12,088.896 → 12,088.90; each paid on 2026-12-28 (as-of + 30 days). Saving at 60 %:
    15,111.12 − 9,066.67 = 6,044.45. None fits 600 of savings + 1,200."""
    expected = {"60": "9066.67", "70": "10577.78", "80": "12088.90"}
    for percent, lump in expected.items():
        s = loan[f"settlement-{percent}"]
        assert s.total_paid == s.monthly == Decimal(lump)
        assert s.payments == ((date(2026, 12, 28), Decimal(lump)),)
        assert s.first_payment == date(2026, 12, 28)
        assert s.months == 1
        assert s.saving == Decimal("15111.12") - Decimal(lump)
        assert not s.fits
        assert s.notes[0].params["percent"] == f"{percent}%"
    assert loan["settlement-60"].saving == Decimal("6044.45")
    assert any("settled, not paid in full" in n.message for n in loan["settlement-60"].notes)


def test_saving_is_against_the_status_quo(loan: dict[str, Scenario]) -> None:
    status = loan["status_quo"]
    for s in loan.values():
        assert s.saving == status.cost - s.cost
        assert s.total_paid == sum((a for _, a in s.payments), Decimal(0))


@pytest.mark.parametrize(("offer", "months"), [
    ("14158.75", 1), ("7079.38", 2), ("7079.37", 3), ("1287.16", 11), ("1287.15", 12),
    ("1179.90", 12), ("1179.89", 13), ("235.98", 60),
])
def test_term_is_the_shortest_that_fits(offer: str, months: int) -> None:
    """Frozen 14,158.75: 2 months need 7,079.375 → 7,079.38; 11 need 1,287.16; 12 need
    1,179.90; 60 need 235.979… → 235.98 (the last one 14,158.75 − 59 × 235.98 = 235.93)."""
    s = by_kind(negotiation_scenarios(demo_debt("online-loan"), AS_OF, BUDGET,
                                      Decimal(offer)))["instalment_frozen"]
    assert s.months == months
    assert s.fits
    assert s.total_paid == Decimal("14158.75")


@pytest.mark.parametrize("offer", ["500", "1000", "1200", "3000", "9000"])
def test_no_shorter_term_fits(offer: str) -> None:
    """For both plans: every instalment is within the offer, and one month fewer is not."""
    debt = demo_debt("online-loan")
    found = by_kind(negotiation_scenarios(debt, AS_OF, BUDGET, Decimal(offer)))
    for kind, rate in (("instalment_frozen", "0"), ("instalment_interest", "0.18")):
        s = found[kind]
        assert max(a for _, a in s.payments) <= Decimal(offer)
        if s.months > 1:
            shorter = Terms(principal=s.balance, rate=Rate(Decimal(rate)), months=s.months - 1,
                            start=AS_OF)
            assert max(r.payment for r in build_schedule(shorter).rows) > Decimal(offer)


def test_sixty_month_cap() -> None:
    """100 a month cannot carry 14,158.75 even over 60 months (235.98): the plans are 60
    months and flagged, the frozen total still exactly the balance."""
    found = by_kind(negotiation_scenarios(demo_debt("online-loan"), AS_OF, BUDGET,
                                          Decimal(100)))
    frozen = found["instalment_frozen"]
    assert (frozen.months, frozen.monthly, frozen.fits) == (60, Decimal("235.98"), False)
    assert frozen.total_paid == Decimal("14158.75")
    assert frozen.payments[-1] == (date(2031, 11, 28), Decimal("235.93"))
    too_big = [n for n in frozen.notes if "Even over" in n.message]
    assert too_big[0].params == {"months": "60", "monthly": "235.98", "offer": "100.00"}
    interest = found["instalment_interest"]
    assert (interest.months, interest.fits) == (60, False)
    assert interest.monthly == level_payment(Decimal("15111.12"), Decimal("0.015"), 60)


def test_a_credit_card() -> None:
    """The demo card on 2026-11-28: principal 14,576.30, interest 459.19, compound 6.14,
    违约金 173.26, payoff 15,380.35 (165.46 accrued since the statement included); 3,465.26
    of minimums unmet.

    * frozen: 14,576.30 + 459.19 = 15,035.49; / 12 = 1,252.96 > 1,200, / 13 = 1,156.58:
      13 months, total exactly 15,035.49;
    * with interest at 0.05 %/day × 360 = 18 %: 15,380.35 over 14 months 1,226.17 > 1,200,
      over 15 months 1,152.67;
    * deferment: 92 days' interest 15,380.35 × 0.0005 × 92 = 707.4961 → 707.50, balance
      16,087.85; a card has no term, so the shortest that fits: 15 months 1,205.69 > 1,200,
      16 months 1,138.46 — 3 + 16 = 19 months;
    * status quo: the unmet minimums now, then each minimum on its due date (the 25th); paid
      at the minimum the card is clear within 60 months.
    """
    debt = demo_debt("credit-card")
    found = by_kind(negotiation_scenarios(debt, AS_OF, BUDGET))
    frozen = found["instalment_frozen"]
    assert (frozen.balance, frozen.months, frozen.monthly) == (
        Decimal("15035.49"), 13, Decimal("1156.58"))
    assert frozen.total_paid == Decimal("15035.49")
    assert any("credit card at any bank" in n.message for n in frozen.notes)
    interest = found["instalment_interest"]
    assert level_payment(Decimal("15380.35"), Decimal("0.015"), 14) == Decimal("1226.17")
    assert (interest.months, interest.monthly, interest.rate) == (
        15, Decimal("1152.67"), Decimal("0.18"))
    assert interest.total_paid > frozen.total_paid
    deferment = found["deferment"]
    assert level_payment(Decimal("16087.85"), Decimal("0.015"), 15) == Decimal("1205.69")
    assert (deferment.months, deferment.monthly) == (19, Decimal("1138.46"))
    assert deferment.first_payment == date(2027, 3, 28)
    assert deferment.fits
    status = found["status_quo"]
    assert status.payments[0] == (AS_OF, Decimal("3465.26"))
    assert all(on.day == 25 for on, _ in status.payments[1:])
    assert status.remaining == 0
    assert status.months <= 60
    assert not status.fits  # 3,465.26 at once


def test_card_due_on_its_statement_day() -> None:
    """A card due 30 days after a statement on the 5th: after a 30-day month the due date is
    the next statement day (Apr 5 + 30 = May 5), which the card engine cuts at the end of the
    day — the status quo decides the payment from the day before and pays before the cut,
    without error; also when the as-of date is itself a statement day."""
    card = CardTerms(balance=Decimal(10000), balance_date=date(2026, 8, 5), statement_day=5,
                     payment_due_days=30)
    debt = Debt("card", card=card, kind=DebtKind.CREDIT_CARD)
    for as_of in (AS_OF, date(2026, 12, 5)):
        status = negotiation_scenarios(debt, as_of, BUDGET)[0]
        assert status.remaining == 0
        assert any(on == date(2027, 5, 5) for on, _ in status.payments)
        assert status.payments[0][0] == as_of


def test_a_paid_debt_gives_only_a_status_quo_of_zeros() -> None:
    terms = Terms(principal=Decimal(1200), rate=Rate(Decimal(0)), months=2,
                  start=date(2026, 1, 10))
    paid = Debt("paid", terms=terms, payments=tuple(
        Payment(r.due, r.payment) for r in build_schedule(terms).rows))
    empty_card = Debt("card", card=CardTerms(balance=Decimal(0), balance_date=date(2026, 1, 1),
                                              statement_day=5), kind=DebtKind.CREDIT_CARD)
    for debt in (paid, empty_card):
        (s,) = negotiation_scenarios(debt, AS_OF, BUDGET)
        assert s.kind == "status_quo"
        assert s.months == 0
        assert s.monthly == s.total_paid == s.saving == s.remaining == Decimal(0)
        assert s.first_payment == AS_OF
        assert s.notes[0].params == {"date": "2026-11-28"}


@pytest.mark.parametrize(("budget", "offer"), [(NO_INCOME, None), (BUDGET, Decimal(0)),
                                                (BUDGET, Decimal(-50))])
def test_no_money_flags_everything(budget: Budget, offer: Decimal | None) -> None:
    """No income (available −4,300 → an offer of 0) or an offer of 0: nothing fits, the plans
    run 60 months, nothing crashes."""
    found = by_kind(negotiation_scenarios(demo_debt("online-loan"), AS_OF, budget, offer))
    assert not any(s.fits for s in found.values())
    assert found["instalment_frozen"].months == found["instalment_interest"].months == 60
    assert found["instalment_frozen"].total_paid == Decimal("14158.75")
    offers = {n.params["offer"] for s in found.values() for n in s.notes if "offer" in n.params}
    assert offers == {"0.00"}


def test_a_current_debt() -> None:
    """The demo car loan is current: the status quo pays the seven remaining instalments of
    538.36 (the last 538.37) from 2026-12-10 to 2027-06-10, November to June = 8 months, and
    says lenders rarely change a current debt."""
    found = by_kind(negotiation_scenarios(demo_debt("car-loan"), AS_OF, BUDGET))
    status = found["status_quo"]
    assert [a for _, a in status.payments] == [Decimal("538.36")] * 6 + [Decimal("538.37")]
    assert status.payments[0][0] == date(2026, 12, 10)
    assert status.payments[-1][0] == date(2027, 6, 10)
    assert status.months == 8
    assert status.fits
    assert any("paid on time" in n.message for n in status.notes)
    assert not any("credit record" in n.message for n in found["instalment_frozen"].notes)


def test_payments_after_the_as_of_date_are_left_out(loan: dict[str, Scenario]) -> None:
    debt = demo_debt("online-loan")
    later = replace(debt, payments=(*debt.payments, Payment(date(2027, 1, 5), Decimal(5000))))
    assert by_kind(negotiation_scenarios(later, AS_OF, BUDGET)) == loan


def test_every_note_renders(loan: dict[str, Scenario]) -> None:
    """Each note's message formats with its own parameters (none missing, none extra)."""
    debts = [demo_debt(d) for d in ("online-loan", "credit-card", "car-loan")]
    for debt in debts:
        for offer in (None, Decimal(0)):
            for s in negotiation_scenarios(debt, AS_OF, BUDGET, offer):
                for note in s.notes:
                    text = note.message.format(**note.params)
                    assert "{" not in text
                    assert all(isinstance(v, str) for v in note.params.values())
