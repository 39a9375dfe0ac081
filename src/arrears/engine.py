"""The overdue engine for instalment loans: the exact position of a loan on any date.

Accrual is closed form between events — base × daily rate × days — never a loop over days;
``tests/test_engine_reference.py`` holds a separate day-by-day accrual and proves the two
equal to the fen. Every amount that falls due, accrues, is charged or paid becomes a ledger
entry. The rules are written out in ``docs/overdue.md``; in short:

* instalment *i* falls due on its due date; unpaid after ``grace_days`` it is in default:
  a late fee is charged once and penalty interest is posted from the due date;
* penalty interest runs on the base the contract names (overdue principal, the overdue
  instalment, or all outstanding principal) at the penalty rate; with ``compound`` overdue
  contract interest bears the penalty rate too; both are cumulative exact sums rounded to
  the fen when posted, so rounding never drifts. Exact means exact: what accrues is kept
  as yuan-days (base × days, an exact ``Decimal`` sum of whole fen-days) and multiplied by
  the daily rate — an exact fraction, 0.0735 / 360 is not a terminating decimal — only
  when posted, in integers (:func:`arrears.money.round_fen`); so a sum of exactly half a fen
  is a tie and is rounded by the debt's rule, never a hair under it;
* payments go to the oldest instalment first, within it in the allocation order
  (Civil Code Art. 561 by default); money beyond what is due pays the loan off if it is
  enough, and is otherwise held as a credit against the next instalments;
* on the day the loan is more than ``accelerate_after_days`` past due, all principal falls
  due and contract interest for later periods stops.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from arrears.debt import Debt
from arrears.ledger import Entry, EntryKind, Ledger
from arrears.money import ZERO, Rounding, fen, round_fen, round_money
from arrears.overdue import Component, PenaltyBase
from arrears.position import Components, Position, bucket_of
from arrears.schedule import build_schedule

__all__ = ["DEFAULT_WAITS", "LoanRun", "cost_of_waiting", "ledger", "position", "replay"]

# Component names as plain strings: the hot loops hash these many times (str hashes are
# cached; Enum hashes are not).
P, INT, F = "principal", "interest", "fees"
PEN, CMP, LATE = "penalty_interest", "compound_interest", "late_fees"
_COMPONENTS = {c.value: c for c in Component}
_CONTRACT = (P, INT, F)
_ACCRUED = (PEN, CMP)
DEFAULT_WAITS = (30, 60, 90, 180)

_DUE, _DEFAULT, _ACCELERATE, _PAYMENT = 0, 1, 2, 3


def _zero() -> dict[str, Decimal]:
    return dict.fromkeys(_COMPONENTS, ZERO)


def _sums() -> dict[str, int]:
    return {PEN: 0, CMP: 0}


def _days() -> dict[str, Decimal]:
    return {PEN: ZERO, CMP: ZERO}


# A Decimal sum of whole fen below 10**26 yuan has at most 28 digits, so every addition and
# product that made it was exact (the terms are never negative, so no partial sum is larger).
_EXACT_BELOW = Decimal(10) ** 26


@dataclass
class _Installment:
    number: int
    due: date  # when it falls (or fell) due; acceleration moves it earlier
    original_due: date
    period_start: date
    grace_end: date
    pending: dict[str, Decimal]  # not yet due: principal, interest, fees
    rate_num: int  # the penalty rate a day, exactly: rate_num / rate_den
    rate_den: int
    rounding: Rounding
    owed: dict[str, Decimal] = field(default_factory=_zero)
    yuan_days: dict[str, Decimal] = field(default_factory=_days)  # exact, cumulative
    posted: dict[str, int] = field(default_factory=_sums)  # rounded, cumulative, fen
    is_due: bool = False
    defaulted: bool = False
    last: dict[str, tuple[Decimal, int]] = field(default_factory=dict)  # rounded(), cached
    posted_on: dict[str, Decimal] = field(default_factory=dict)  # yuan-days last posted

    def rounded(self, component: str) -> int:
        """Penalty (or compound) interest accrued so far, exactly yuan-days × the daily
        rate, rounded to whole fen by the rule."""
        days = self.yuan_days[component]
        if not days:
            return 0
        last = self.last.get(component)
        if last is not None and last[0] is days:
            return last[1]
        if days >= _EXACT_BELOW:
            raise ArithmeticError(f"instalment {self.number}: {days} yuan-days is beyond "
                                  "exact decimal accrual")
        num, den = days.as_integer_ratio()
        rounded = round_fen(num * 100 * self.rate_num, den * self.rate_den, self.rounding)
        self.last[component] = (days, rounded)
        return rounded

    def contract_owed(self) -> Decimal:
        return self.owed[P] + self.owed[INT] + self.owed[F]

    def total_owed(self) -> Decimal:
        """Owed now, counting penalty accrued but not yet posted (it is owed all the same
        once the instalment is in default)."""
        owed = self.owed
        total = owed[P] + owed[INT] + owed[F] + owed[PEN] + owed[CMP] + owed[LATE]
        if self.defaulted and not total:
            unposted = (self.rounded(PEN) - self.posted[PEN]
                        + self.rounded(CMP) - self.posted[CMP])
            if unposted:
                total += fen(unposted)
        return total


class LoanRun:
    """One pass over a debt's history up to a date."""

    def __init__(self, debt: Debt) -> None:
        self.debt = debt
        if debt.terms is None:
            raise ValueError(f"debt {debt.id!r} has no loan terms")
        terms = debt.terms
        self.overdue = debt.overdue
        daily = self.overdue.penalty.daily_exact(terms.rate, terms.day_count)
        self.rounding = terms.rounding  # how the lender rounds what it posts
        self.allocation = tuple(c.value for c in self.overdue.allocation)
        grace = timedelta(days=self.overdue.grace_days)
        self.items: list[_Installment] = []
        previous = terms.start
        for row in build_schedule(terms).rows:
            self.items.append(_Installment(
                number=row.period, due=row.due, original_due=row.due,
                period_start=previous, grace_end=row.due + grace,
                pending={P: row.principal, INT: row.interest, F: row.fee},
                rate_num=daily.numerator, rate_den=daily.denominator,
                rounding=self.rounding,
            ))
            previous = row.due
        self.entries: list[Entry] = []
        self.active: list[_Installment] = []  # due and (maybe) still owing
        self.credit = ZERO
        self.clock = terms.start
        self.accelerated_on: date | None = None
        self.settled_on: date | None = None
        self.queue: list[tuple[date, int, int, int, Decimal]] = []
        for item in self.items:
            self.queue.append((item.due, _DUE, item.number, item.number, ZERO))
            self.queue.append((item.grace_end + timedelta(days=1), _DEFAULT, item.number,
                               item.number, ZERO))
        self.payments_seen = 0
        for payment in debt.payments:
            self.add_payment(payment.on, payment.amount)
        heapq.heapify(self.queue)

    # -- the event loop --------------------------------------------------------------

    def add_payment(self, on: date, amount: Decimal) -> None:
        """Queue a payment (on or after the dates already run): lets a planner pay month by
        month without replaying the whole history."""
        if on < self.clock:
            raise ValueError(f"a payment on {on} is before {self.clock}, already run")
        heapq.heappush(self.queue, (on, _PAYMENT, 10**6 + self.payments_seen, 0, amount))
        self.payments_seen += 1

    def run(self, until: date) -> None:
        """Apply every event dated on or before ``until``; may be called again with a
        later date to carry on."""
        queue = self.queue
        while queue and queue[0][0] <= until:
            on, kind, _, number, amount = heapq.heappop(queue)
            self._accelerate_if_due(on, same_day=kind >= _ACCELERATE)
            self._advance(on)
            if kind == _DUE:
                self._fall_due(self.items[number - 1], on)
            elif kind == _DEFAULT:
                self._check_default(self.items[number - 1], on)
            else:
                self._pay(on, amount)
        self._accelerate_if_due(until, same_day=True)
        self._advance(until)
        self._post_all(until)

    def _accelerate_if_due(self, on: date, *, same_day: bool) -> None:
        after = self.overdue.accelerate_after_days
        if after is None or self.accelerated_on is not None or self.settled_on is not None:
            return
        oldest = self._oldest_unpaid()
        if oldest is None:
            return
        when = oldest.due + timedelta(days=after + 1)
        if when < on or (same_day and when == on):
            if not any(not item.is_due for item in self.items):
                return  # nothing left to accelerate: every instalment is already due
            self._advance(when)
            self._accelerate(when)

    # -- accrual ---------------------------------------------------------------------

    def _advance(self, on: date) -> None:
        """Accrue penalty and compound interest from the clock to ``on``, closed form: each
        base × days is added to its yuan-days (exact), which the rate turns into interest
        when it is posted."""
        days = (on - self.clock).days
        if days <= 0:
            return
        self.clock = on
        self.active = [i for i in self.active if i.total_owed()]
        if not self.active:
            return
        span = Decimal(days)  # once, not once per instalment
        base_kind = self.overdue.penalty_base
        compound = self.overdue.compound and base_kind is not PenaltyBase.OVERDUE_INSTALLMENT
        oldest = not_due = None
        if base_kind is PenaltyBase.OUTSTANDING_PRINCIPAL:
            oldest = self._oldest_unpaid()
            not_due = sum((i.pending[P] for i in self.items if not i.is_due), ZERO)
        for item in self.active:
            owed = item.owed
            if base_kind is PenaltyBase.OVERDUE_INSTALLMENT:
                base = owed[P] + owed[INT] + owed[F]
            else:
                base = owed[P]
                if item is oldest and not_due is not None:
                    base += not_due
            if base:
                item.yuan_days[PEN] += base * span
            if compound and owed[INT]:
                item.yuan_days[CMP] += owed[INT] * span

    def _post_all(self, on: date) -> None:
        for item in self.active:
            if item.defaulted:
                self._post(item, on)

    def _post(self, item: _Installment, on: date) -> None:
        for component in _ACCRUED:
            days = item.yuan_days[component]
            if not days or item.posted_on.get(component) is days:
                continue  # nothing accrued, or nothing since the last post
            item.posted_on[component] = days
            target = item.rounded(component)
            step = target - item.posted[component]
            if step:
                item.posted[component] = target
                amount = fen(step)
                item.owed[component] += amount
                self._entry(on, EntryKind.ACCRUAL, amount, component, item.number)

    # -- events ----------------------------------------------------------------------

    def _fall_due(self, item: _Installment, on: date) -> None:
        if item.is_due or self.settled_on is not None:
            return
        item.is_due = True
        self.active.append(item)
        for component in _CONTRACT:
            amount = item.pending[component]
            item.pending[component] = ZERO
            if amount:
                item.owed[component] += amount
                self._entry(on, EntryKind.DUE, amount, component, item.number)
        if self.credit:
            held, self.credit = self.credit, ZERO
            self._entry(on, EntryKind.CREDIT, -held, None, 0, "applied")
            rest = self._allocate(held, on)
            if rest:
                self.credit = rest
                self._entry(on, EntryKind.CREDIT, rest, None, 0, "held")

    def _check_default(self, item: _Installment, on: date) -> None:
        if item.defaulted or not item.is_due:
            return
        if item.contract_owed() == 0:
            item.yuan_days[PEN] = item.yuan_days[CMP] = ZERO  # paid within grace: forgiven
            return
        item.defaulted = True
        fee = round_money(self.overdue.late_fee.charge(item.contract_owed()), self.rounding)
        if fee:
            item.owed[LATE] += fee
            self._entry(on, EntryKind.CHARGE, fee, LATE, item.number)
        self._post(item, on)

    def _accelerate(self, on: date) -> None:
        self.accelerated_on = on
        moved = ZERO
        for item in self.items:
            if item.is_due:
                continue
            interest = (self._interest_to_date(item, on)
                        if item.period_start < on else ZERO)
            item.pending[INT] = interest
            item.pending[F] = ZERO
            moved += item.pending[P]
            item.due = on
            self._fall_due(item, on)
            item.defaulted = True
        self._entry(on, EntryKind.ACCELERATION, moved, P, 0, "accelerated")

    def _pay(self, on: date, amount: Decimal) -> None:
        self._entry(on, EntryKind.PAYMENT, amount)
        if self.credit:
            amount += self.credit
            self._entry(on, EntryKind.CREDIT, -self.credit, None, 0, "applied")
            self.credit = ZERO
        rest = self._allocate(amount, on)
        if rest:
            rest = self._settle_if_enough(rest, on)
        if rest:
            self.credit = rest
            self._entry(on, EntryKind.CREDIT, rest, None, 0, "held")

    def _allocate(self, amount: Decimal, on: date) -> Decimal:
        due = sorted((i for i in self.active if i.total_owed()),
                     key=lambda i: (i.due, i.number))
        for item in due:
            if item.defaulted:
                self._post(item, on)
            for component in self.allocation:
                if not amount:
                    return amount
                paid = min(item.owed[component], amount)
                if paid:
                    item.owed[component] -= paid
                    amount -= paid
                    self._entry(on, EntryKind.ALLOCATION, -paid, component, item.number)
        return amount

    def _settle_if_enough(self, amount: Decimal, on: date) -> Decimal:
        future = [i for i in self.items if not i.is_due]
        if not future:
            return amount
        needed = sum((i.pending[P] for i in future), ZERO) + self._accrued_interest(on)
        if amount < needed:
            return amount
        current = future[0]
        current.pending[INT] = self._accrued_interest(on)
        for item in future:
            if item is not current:
                item.pending[INT] = ZERO
            item.pending[F] = ZERO
            item.due = on
            self._fall_due(item, on)
        self.settled_on = on
        return self._allocate(amount, on)

    # -- reading the state -----------------------------------------------------------

    def _oldest_unpaid(self) -> _Installment | None:
        unpaid = [i for i in self.active if i.total_owed()]
        return min(unpaid, key=lambda i: (i.due, i.number)) if unpaid else None

    def _interest_to_date(self, item: _Installment, on: date) -> Decimal:
        """Contract interest of ``item``'s period accrued by ``on``, pro rata by days."""
        length = (item.due - item.period_start).days
        elapsed = min(max((on - item.period_start).days, 0), length)
        if length <= 0:
            return ZERO
        return round_money(Fraction(item.pending[INT]) * elapsed / length, self.rounding)

    def _accrued_interest(self, on: date) -> Decimal:
        future = [i for i in self.items if not i.is_due]
        if not future or self.settled_on is not None:
            return ZERO
        return self._interest_to_date(future[0], on)

    def _entry(  # noqa: PLR0917 - an entry's fields, in the order Entry declares them
        self, on: date, kind: EntryKind, amount: Decimal,
        component: str | None = None, number: int = 0, note: str = "",
    ) -> None:
        part = _COMPONENTS[component] if component else None
        self.entries.append(Entry(on, kind, amount, part, number, note))

    def position(self, as_of: date) -> Position:
        outstanding = _zero()
        overdue_amount = ZERO
        overdue_count = 0
        for item in self.items:
            outstanding[P] += item.pending[P] if not item.is_due else ZERO
            for component, value in item.owed.items():
                outstanding[component] += value
            if item.is_due and item.due < as_of and item.total_owed():
                overdue_amount += item.total_owed()
                overdue_count += item.original_due < as_of
        oldest = self._oldest_unpaid()
        dpd = max((as_of - oldest.due).days, 0) if oldest else 0
        accrued = self._accrued_interest(as_of)
        total = sum(outstanding.values(), ZERO)
        paid = _zero()
        for entry in self.entries:
            if entry.kind is EntryKind.ALLOCATION and entry.component is not None:
                paid[entry.component.value] -= entry.amount
        return Position(
            as_of=as_of, dpd=dpd, bucket=bucket_of(dpd), overdue_installments=overdue_count,
            outstanding=Components(**outstanding), overdue_amount=overdue_amount,
            accrued_interest=accrued, payoff=max(total + accrued - self.credit, ZERO),
            paid=Components(**paid), credit=self.credit, accelerated_on=self.accelerated_on,
            settled_on=self.settled_on,
            due_amount=sum((i.total_owed() for i in self.active if i.due <= as_of), ZERO),
        )


def replay(debt: Debt, as_of: date) -> tuple[Position, Ledger]:
    """The position of ``debt`` on ``as_of`` and the ledger behind it. Payments dated after
    ``as_of`` are ignored. Credit cards go through :mod:`arrears.card`."""
    if debt.card is not None:
        from arrears import card  # noqa: PLC0415 - the card model only when a card is seen

        return card.replay(debt, as_of)
    run = LoanRun(debt)
    run.run(as_of)
    return run.position(as_of), Ledger(tuple(run.entries))


def position(debt: Debt, as_of: date) -> Position:
    """Where ``debt`` stands on ``as_of``."""
    return replay(debt, as_of)[0]


def ledger(debt: Debt, as_of: date) -> Ledger:
    """Every entry behind :func:`position`."""
    return replay(debt, as_of)[1]


def cost_of_waiting(debt: Debt, as_of: date,
                    waits: tuple[int, ...] = DEFAULT_WAITS) -> tuple[tuple[int, Decimal], ...]:
    """The payoff after each number of days in ``waits`` if nothing more is paid (payments
    dated after ``as_of`` are left out)."""
    known = replace(debt, payments=tuple(p for p in debt.payments if p.on <= as_of))
    return tuple((days, position(known, as_of + timedelta(days=days)).payoff)
                 for days in waits)
