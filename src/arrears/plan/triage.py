"""When the budget cannot cover what is due: who is paid first, and what to offer the rest.

Priority (docs/plan.md), worst consequences first:

1. a credit card whose unpaid principal is near the "malicious overdraft" amount (80 % of
   the rule pack's 50,000): non-payment can become a crime (Criminal Law Art. 196);
2. a debt about to be accelerated (within 30 days of its ``accelerate_after_days``) or
   already more than 90 days past due (lawsuits and outsourced collection start around
   M3–M4 in practice);
3. secured debts (``secured = true``: the collateral can be taken);
4. then by cost, highest first.

In the offers, debts of classes 1 and 3 (criminal risk, collateral) keep their regular
monthly payment; the rest share what is left **pro rata**, each creditor's share in
proportion to what is owed to it, as debt-advice agencies offer (the monthly amount each
lender is asked to accept).

The figures a person compares with ``arrears status`` are the status's own, on the plan's
start date: ``due`` is the overdue amount then (``Position.overdue_amount``, the status's
"Overdue"), and each offer's ``owed`` is the payoff then (the status's "Payoff today"); the
pro-rata shares are in proportion to those payoffs. What falls due later in the start month
(on each debt's payment date, penalties to then included) is ``falling_due``, apart, by
``due_by`` (the last of those dates); the shortfall is measured against both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from arrears.money import CENT, ZERO, round_money
from arrears.plan.model import PlanInput, payment_date
from arrears.plan.replay import DebtNow
from arrears.schedule import build_schedule
from arrears.tracker import Tracker

__all__ = ["Offer", "Triage", "priority_key", "triage"]

NEAR_OVERDRAFT = Decimal(40000)  # 80 % of the 50,000 malicious-overdraft amount
ACCELERATION_WINDOW = 30
LAWSUIT_DPD = 90


def _rank(item: DebtNow) -> int:
    debt, position = item.debt, item.position
    if debt.card is not None and position.outstanding.principal >= NEAR_OVERDRAFT:
        return 0
    after = debt.overdue.accelerate_after_days
    if position.dpd > LAWSUIT_DPD or (
        after is not None and position.dpd > 0 and after - position.dpd <= ACCELERATION_WINDOW
        and position.accelerated_on is None
    ):
        return 1
    if debt.secured:
        return 2
    return 3


def _cost(item: DebtNow) -> Decimal:
    debt = item.debt
    if debt.card is not None:
        return debt.card.rate.annual(debt.card.day_count)
    if debt.terms is not None:
        return debt.terms.rate.annual(debt.terms.day_count)
    return ZERO


def priority_key(item: DebtNow) -> tuple[int, Decimal]:
    """Sort key: consequence class, then cost (highest first)."""
    return _rank(item), -_cost(item)


@dataclass(frozen=True, slots=True)
class Offer:
    debt: str
    owed: Decimal
    monthly: Decimal
    priority: bool


@dataclass(frozen=True, slots=True)
class Triage:
    """The first month: what is due, what there is, and the offers."""

    due: Decimal  # overdue on the start date: the status's overdue amount
    available: Decimal
    shortfall: Decimal
    offers: tuple[Offer, ...]
    falling_due: Decimal = ZERO  # what falls due later in the start month
    due_by: date | None = None  # the last payment date in the start month


def regular_monthly(item: DebtNow) -> Decimal:
    """What the debt asks for in a normal month: the next scheduled instalment (a card:
    its minimum-payment rule on the principal owed)."""
    debt, position = item.debt, item.position
    card = debt.card
    if card is not None:
        return max(round_money(card.min_payment_percent * position.outstanding.principal),
                   card.min_payment_floor)
    if debt.terms is not None:
        for row in build_schedule(debt.terms).rows:
            if row.due >= item.on:
                return row.payment
    return position.due_amount


def pro_rata(amount: Decimal, owed: list[Decimal]) -> list[Decimal]:
    """``amount`` shared in proportion to ``owed``, in whole fen that add up exactly (the
    fen left by rounding down go to the largest remainders)."""
    total = sum(owed, ZERO)
    if total <= 0 or amount <= 0:
        return [ZERO for _ in owed]
    exact = [amount * o / total for o in owed]
    shares = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((amount - sum(shares, ZERO)) / CENT)
    for index in sorted(range(len(owed)), key=lambda i: shares[i] - exact[i])[:left]:
        shares[index] += CENT
    return shares


def triage(inp: PlanInput) -> Triage:
    """Who is paid first in the first month, and a pro-rata offer for the rest."""
    now = []
    opening = {}
    for debt in inp.debts:
        tracker = Tracker(debt)
        opening[debt.id] = tracker.position(inp.start)
        on = payment_date(debt, inp.start, 0)
        now.append(DebtNow(debt, on, tracker.position(on)))
    due = sum((p.overdue_amount for p in opening.values()), ZERO)
    by_payment_date = sum((min(d.position.due_amount, d.position.payoff) for d in now), ZERO)
    falling_due = max(by_payment_date - due, ZERO)
    monthly = max(inp.budget.available(0), ZERO)
    available = monthly + inp.budget.savings
    shortfall = max(due + falling_due - available, ZERO)
    offers: list[Offer] = []
    left = monthly
    rest = []
    for item in sorted(now, key=priority_key):
        owed = opening[item.debt.id].payoff
        if not item.position.payoff and not owed:
            continue
        if _rank(item) in (0, 2):  # criminal risk or collateral: keep paying as agreed
            pay = min(regular_monthly(item), item.position.payoff, left)
            offers.append(Offer(item.debt.id, owed, pay, True))
            left -= pay
        else:
            rest.append(item)
    shares = pro_rata(left, [opening[i.debt.id].payoff for i in rest])
    for item, share in zip(rest, shares, strict=True):
        offers.append(Offer(item.debt.id, opening[item.debt.id].payoff, share, False))
    due_by = max((d.on for d in now), default=None)
    return Triage(due, available, shortfall, tuple(offers), falling_due,
                  due_by if falling_due else None)
