"""A day-by-day reading of ``docs/overdue.md`` for instalment loans, to check the engine by.

Deliberately naive and independent of :mod:`arrears.engine`: it walks one calendar day at a
time from disbursement to the as-of date. Each day it first accrues the previous day's
penalty and compound interest on the bases as they stood at the end of that day (so an
instalment due today is not yet past due), posts the rounded running sums of instalments in
default, then applies the day's events in the order the doc implies: instalments falling
due; grace-end default checks (paid "by the end of due + grace", so a payment the day after
is too late); acceleration ("on the day DPD first exceeds N", so a payment that day does not
stop it); payments, in the order they were made.

Where the doc leaves a choice open it reads it so: a credit held joins the next payment
(the payoff is "outstanding + accrued − credit", so paying it must settle the loan); paying
off or accelerating cancels the current period's fee too (neither rule asks for it); the
payoff is never below zero.

Sums are exact: the penalty daily rate is a ``Fraction`` worked out here from the quoted
rate (the doc: "converted with the day count's year"), each day's accrual is added as a
``Fraction``, and a running sum is rounded to the fen by this module's own :func:`to_fen`
under the loan's rounding rule — half up by default, so a sum of exactly half a fen is
posted as the fen above (issue 17); truncated (截位) or half to even when the contract says.

It shares only vocabulary with the engine: the contractual schedule, the ``Rate`` figure
and basis, and the ``Position`` record it fills in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from arrears.debt import Debt
from arrears.overdue import Component, PenaltyBase
from arrears.position import Bucket, Components, Position
from arrears.rate import Rate, RateBasis
from arrears.schedule import build_schedule

__all__ = ["Reference", "daily_rate", "reference_position", "reference_replay", "to_fen"]

P, INT, F = Component.PRINCIPAL, Component.INTEREST, Component.FEES
PEN, CMP, LATE = Component.PENALTY_INTEREST, Component.COMPOUND_INTEREST, Component.LATE_FEES
ONE_DAY = timedelta(days=1)
ZERO = Decimal("0.00")


def to_fen(value: Fraction, rule: str = "half_up") -> Decimal:
    """An exact amount rounded to the fen: ``half_up`` (half a fen away from zero),
    ``truncate`` (toward zero) or ``half_even`` (half a fen to the even fen)."""
    fen_count = abs(value) * 100
    whole = int(fen_count)  # the floor: fen_count is not negative
    rest = fen_count - whole
    if rule == "truncate":
        pass
    elif rest > Fraction(1, 2) or (rest == Fraction(1, 2)
                                   and (rule == "half_up" or whole % 2 == 1)):
        whole += 1
    return Decimal(whole if value >= 0 else -whole).scaleb(-2)


def daily_rate(rate: Rate, year_days: int) -> Fraction:
    """A rate per day, exactly: an annual rate / the days in the day count's year, a
    monthly rate × 12 / those days, a daily rate as it is."""
    value = Fraction(rate.value)
    if rate.basis is RateBasis.ANNUAL:
        return value / year_days
    if rate.basis is RateBasis.MONTHLY:
        return value * 12 / year_days
    return value


def _zeros() -> dict[Component, Decimal]:
    return dict.fromkeys(Component, ZERO)


def _exact_zeros() -> dict[Component, Fraction]:
    return {PEN: Fraction(0), CMP: Fraction(0)}


@dataclass
class _Instalment:
    number: int
    original_due: date
    period_start: date
    scheduled: dict[Component, Decimal]  # principal, interest, fee still to fall due
    fell_due: date | None = None  # the day it fell due (acceleration or payoff: earlier)
    owed: dict[Component, Decimal] = field(default_factory=_zeros)
    exact: dict[Component, Fraction] = field(default_factory=_exact_zeros)  # penalty, compound
    posted: dict[Component, Decimal] = field(default_factory=_zeros)
    paid: dict[Component, Decimal] = field(default_factory=_zeros)
    in_default: bool = False

    def contract_owed(self) -> Decimal:
        return self.owed[P] + self.owed[INT] + self.owed[F]

    def total_owed(self) -> Decimal:
        return sum(self.owed.values(), ZERO)


class _Reference:
    def __init__(self, debt: Debt) -> None:
        if debt.terms is None:
            raise ValueError(f"debt {debt.id!r} is not an instalment loan")
        terms, self.rules = debt.terms, debt.overdue
        self.rule = terms.rounding.value
        self.payments = debt.payments
        penalty = self.rules.penalty
        year = terms.day_count.year_days
        if penalty.rate is not None:
            self.daily = daily_rate(penalty.rate, year)
        else:
            self.daily = daily_rate(terms.rate, year) * Fraction(penalty.multiplier or 1)
        self.items: list[_Instalment] = []
        start = terms.start
        for row in build_schedule(terms).rows:
            scheduled = {P: row.principal, INT: row.interest, F: row.fee}
            self.items.append(_Instalment(row.period, row.due, start, scheduled))
            start = row.due
        self.start = terms.start
        self.credit = ZERO
        self.accelerated_on: date | None = None
        self.settled_on: date | None = None

    # -- reading the state ---------------------------------------------------------------

    def due_items(self) -> list[_Instalment]:
        """Instalments that have fallen due, oldest first."""
        due = [i for i in self.items if i.fell_due is not None]
        return sorted(due, key=lambda i: (i.fell_due or i.original_due, i.number))

    def not_due(self) -> list[_Instalment]:
        return [i for i in self.items if i.fell_due is None]

    def oldest_unpaid(self) -> _Instalment | None:
        return next((i for i in self.due_items() if i.total_owed() > 0), None)

    def interest_to(self, day: date) -> Decimal:
        """Contract interest of the current period accrued by ``day``, pro rata by days."""
        future = self.not_due()
        if not future or self.settled_on is not None:
            return ZERO
        current = future[0]
        length = (current.original_due - current.period_start).days
        elapsed = min(max((day - current.period_start).days, 0), length)
        return to_fen(Fraction(current.scheduled[INT]) * elapsed / length, self.rule)

    # -- one day -------------------------------------------------------------------------

    def accrue_one_day(self) -> None:
        oldest = self.oldest_unpaid()
        not_due_principal = sum((i.scheduled[P] for i in self.not_due()), ZERO)
        kind = self.rules.penalty_base
        for item in self.due_items():
            if kind is PenaltyBase.OVERDUE_INSTALLMENT:
                base = item.contract_owed()
            else:
                base = item.owed[P]
                if kind is PenaltyBase.OUTSTANDING_PRINCIPAL and item is oldest:
                    base += not_due_principal
            item.exact[PEN] += Fraction(base) * self.daily
            if self.rules.compound and kind is not PenaltyBase.OVERDUE_INSTALLMENT:
                item.exact[CMP] += Fraction(item.owed[INT]) * self.daily
        for item in self.items:
            if item.in_default:
                self.post(item)

    def post(self, item: _Instalment) -> None:
        for component in (PEN, CMP):
            rounded = to_fen(item.exact[component], self.rule)
            item.owed[component] += rounded - item.posted[component]
            item.posted[component] = rounded

    def fall_due(self, item: _Instalment, day: date) -> None:
        item.fell_due = day
        for component in (P, INT, F):
            item.owed[component] += item.scheduled[component]
            item.scheduled[component] = ZERO
        if self.credit:  # a credit is applied when the next instalment falls due
            self.credit = self.allocate(self.credit)

    def check_default(self, item: _Instalment) -> None:
        if item.in_default:
            return
        if item.contract_owed() == 0:  # paid in full within grace: no penalty, no late fee
            item.exact[PEN] = item.exact[CMP] = Fraction(0)
            return
        item.in_default = True
        fee_terms = self.rules.late_fee
        fee = fee_terms.amount + fee_terms.percent * item.contract_owed()
        if fee > 0:
            fee = max(fee, fee_terms.minimum)
            if fee_terms.maximum is not None:
                fee = min(fee, fee_terms.maximum)
            item.owed[LATE] += to_fen(Fraction(fee), self.rule)
        self.post(item)

    def accelerate_if_late(self, day: date) -> None:
        after = self.rules.accelerate_after_days
        oldest = self.oldest_unpaid()
        future = self.not_due()
        if (after is None or self.accelerated_on is not None or self.settled_on is not None
                or oldest is None or not future or (day - (oldest.fell_due or day)).days <= after):
            return
        self.accelerated_on = day
        self.bring_forward(day)
        for item in future:
            item.in_default = True  # accelerated: in default at once, no grace, no late fee

    def bring_forward(self, day: date) -> None:
        """Everything not yet due falls due on ``day``: its principal, the current period's
        interest pro rata to ``day``; later interest and all fees not yet due cancelled."""
        future = self.not_due()
        current_interest = self.interest_to(day)
        for index, item in enumerate(future):
            item.scheduled[INT] = current_interest if index == 0 else ZERO
            item.scheduled[F] = ZERO
            self.fall_due(item, day)

    def pay(self, day: date, amount: Decimal) -> None:
        money, self.credit = amount + self.credit, ZERO
        money = self.allocate(money)
        future = self.not_due()
        if money and future and self.settled_on is None:
            needed = sum((i.scheduled[P] for i in future), ZERO) + self.interest_to(day)
            if money >= needed:  # enough to pay the loan off
                self.bring_forward(day)
                self.settled_on = day
                money = self.allocate(money)
        self.credit = money

    def allocate(self, money: Decimal) -> Decimal:
        for item in self.due_items():
            for component in self.rules.allocation:
                part = min(money, item.owed[component])
                item.owed[component] -= part
                item.paid[component] += part
                money -= part
        return money

    # -- the walk ------------------------------------------------------------------------

    def run(self, as_of: date) -> None:
        grace = timedelta(days=self.rules.grace_days)
        day = self.start
        while day <= as_of:
            if day > self.start:
                self.accrue_one_day()
            for item in self.items:
                if item.original_due == day and item.fell_due is None:
                    self.fall_due(item, day)
            for item in self.items:
                if item.original_due + grace + ONE_DAY == day:
                    self.check_default(item)
            self.accelerate_if_late(day)
            for payment in self.payments:
                if payment.on == day:
                    self.pay(day, payment.amount)
            day += ONE_DAY

    def position(self, as_of: date) -> Position:
        owed, paid = _zeros(), _zeros()
        for item in self.items:
            owed[P] += item.scheduled[P]
            for component in Component:
                owed[component] += item.owed[component]
                paid[component] += item.paid[component]
        oldest = self.oldest_unpaid()
        dpd = (as_of - (oldest.fell_due or as_of)).days if oldest else 0
        buckets = list(Bucket)  # M0 current, M1 1–30 … M6 151–180, M7+ over 180
        bucket = buckets[0] if dpd == 0 else buckets[min((dpd + 29) // 30, 7)]
        late = [i for i in self.due_items() if (i.fell_due or as_of) < as_of and i.total_owed()]
        accrued = self.interest_to(as_of)
        return Position(
            as_of=as_of, dpd=dpd, bucket=bucket,
            overdue_installments=sum(1 for i in late if i.original_due < as_of),
            outstanding=Components.of(owed),
            overdue_amount=sum((i.total_owed() for i in late), ZERO),
            accrued_interest=accrued,
            payoff=max(sum(owed.values(), ZERO) + accrued - self.credit, ZERO),
            paid=Components.of(paid), credit=self.credit,
            accelerated_on=self.accelerated_on, settled_on=self.settled_on,
            due_amount=sum((i.total_owed() for i in self.due_items()), ZERO),
        )


@dataclass(frozen=True)
class Reference:
    """The day-by-day result: the position, and per instalment and component what was
    posted (penalty and compound interest) and what payments were applied to."""

    position: Position
    posted: dict[tuple[int, Component], Decimal]
    allocated: dict[tuple[int, Component], Decimal]


def reference_replay(debt: Debt, as_of: date) -> Reference:
    """Walk ``debt`` one day at a time from disbursement to ``as_of``."""
    walk = _Reference(debt)
    walk.run(as_of)
    posted = {(i.number, c): i.posted[c] for i in walk.items for c in (PEN, CMP) if i.posted[c]}
    allocated = {(i.number, c): i.paid[c] for i in walk.items for c in Component if i.paid[c]}
    return Reference(walk.position(as_of), posted, allocated)


def reference_position(debt: Debt, as_of: date) -> Position:
    """Where ``debt`` stands on ``as_of``, worked out one day at a time."""
    return reference_replay(debt, as_of).position
