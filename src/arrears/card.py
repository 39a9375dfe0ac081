"""Credit cards: the statement cycle, minimum payments, full-balance interest and 违约金.

The semantics are in ``docs/cards.md``; :func:`replay` applies them and returns the same
:class:`~arrears.position.Position` and :class:`~arrears.ledger.Ledger` as the loan engine.

Accrual is closed form between events, never a loop over days: balance × days is summed
exactly (yuan-days) over the cycle and turned into interest only when a statement posts it,
as yuan-days × the annual rate / the day count's year (360, or 365 under ACT/365, the us
default; a daily rate × 360 / 360 is exact), so the one division comes last and the
cycle's exact interest (an exact fraction: a tie of half a fen is a tie) is rounded once,
half up unless the card's ``rounding`` says otherwise. Each
statement rounds its own cycle's interest, as a bank bills it, rather than posting the
difference of a rounded running total: that could move a fen from one statement to the next,
and through that statement's minimum and a 违约金 floor make a payment raise the payoff.
In short:

* the balance is the only principal; it is posted on ``balance_date`` and first billed on the
  first statement, the only one with an interest-free period: while that statement may still
  be paid in full by its due date its interest is held apart, and the day after the due date
  it is waived (paid in full), stands whole (全额计息) or is cut to the part unpaid then;
* principal carried on later statements bears interest every day until repaid; the interest
  from the last statement to a repayment is billed on the next statement (尾息);
* with ``compound``, billed unpaid interest (contract and compound) bears the same rate;
* each statement's own minimum is tracked; payments meet the oldest unmet one first, and
  the day after a due date its unmet part draws 违约金;
* a payment that covers everything owed plus the interest accrued since the last statement
  pays the card off (that interest is posted at once); money beyond what is owed is held as
  a credit and applied at the next statement.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from arrears.dates import DayCount, add_months
from arrears.ledger import Entry, EntryKind, Ledger
from arrears.money import ZERO, Rounding, round_money, round_product
from arrears.overdue import Component, LateFee
from arrears.position import Components, Position, bucket_of
from arrears.rate import Rate, RateBasis

if TYPE_CHECKING:
    from arrears.debt import Debt

__all__ = ["CardRun", "CardTerms", "Statement", "replay", "statements"]

P, INT, CMP, LATE = (Component.PRINCIPAL, Component.INTEREST, Component.COMPOUND_INTEREST,
                     Component.LATE_FEES)
_INTEREST = (INT, CMP)
_CHECK, _PAYMENT, _STATEMENT = 0, 1, 2  # the order of events on one day: a statement is
# cut at the end of its day and bills interest through that day, as in China Merchants
# Bank's published example (tests/test_card.py::test_cmb_published_example)


@dataclass(frozen=True, slots=True)
class CardTerms:
    """A credit card's terms and the balance the case starts from."""

    balance: Decimal  # principal (purchases, cash) owed, posted on balance_date
    balance_date: date
    statement_day: int  # day of the month statements are cut, 1–28
    payment_due_days: int = 20  # due date = statement date + this many days
    rate: Rate = Rate(Decimal("0.0005"), RateBasis.DAILY)  # noqa: RUF009 - frozen value
    day_count: DayCount = DayCount.ACT_360  # daily rate = annual / its year (us: ACT/365)
    min_payment_percent: Decimal = Decimal("0.10")  # of the principal on the statement
    min_payment_floor: Decimal = Decimal(100)
    full_balance_interest: bool = True  # 全额计息 when a statement is not paid in full
    compound: bool = True  # billed interest bears interest (no interest on fees, PBOC 2016)
    late_fee_percent: Decimal = Decimal("0.05")  # of the unpaid minimum
    late_fee_min: Decimal = ZERO
    late_fee_max: Decimal | None = None
    credit_limit: Decimal | None = None
    late_fee_amount: Decimal = ZERO  # a fixed 违约金, added to the percent part
    rounding: Rounding = Rounding.HALF_UP  # how the issuer rounds interest, minimums, fees


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement as cut. ``balance`` is everything owed after it was cut; ``minimum`` is
    its own minimum payment (earlier unmet minimums stay on their statements); ``unmet`` is
    the part of it not yet met on the as-of date."""

    number: int
    on: date
    due: date
    balance: Decimal
    minimum: Decimal
    unmet: Decimal


@dataclass(slots=True)
class _Cycle:
    number: int
    on: date
    due: date
    balance: Decimal
    minimum: Decimal
    unmet: Decimal


class CardRun:
    """One pass over a card's history up to a date."""

    def __init__(self, debt: Debt) -> None:
        card = debt.card
        if card is None:
            raise ValueError(f"debt {debt.id!r} is not a credit card")
        if not 1 <= card.statement_day <= 28:
            raise ValueError(f"statement_day must be 1–28, not {card.statement_day}")
        if card.payment_due_days < 0 or card.balance < 0:
            raise ValueError("payment_due_days and balance must not be negative")
        self.card = card
        self.payments = debt.payments
        self.order = debt.overdue.allocation
        self.annual = card.rate.annual(card.day_count)  # exact for any basis
        self.year_days = card.day_count.year_days
        self.late_fee = LateFee(card.late_fee_amount, card.late_fee_percent,
                                card.late_fee_min, card.late_fee_max)
        self.owed = dict.fromkeys(Component, ZERO)
        self.days = dict.fromkeys(_INTEREST, ZERO)  # yuan-days bearing interest, this cycle
        self.grace: Decimal | None = ZERO  # first statement's yuan-days while waivable
        self.billed = ZERO  # interest and 违约金 posted since the last statement
        self.credit = ZERO
        self.cycles: list[_Cycle] = []
        self.entries: list[Entry] = []
        self.clock = card.balance_date
        self.settled_on: date | None = None
        first = card.balance_date.replace(day=card.statement_day)
        self.first = first if first >= card.balance_date else add_months(first, 1)
        self.owed[P] = round_money(card.balance)
        if self.owed[P]:
            self._entry(card.balance_date, EntryKind.DUE, self.owed[P], P)
        self.queue: list[tuple[date, int, int]] = []
        self.amounts: list[Decimal] = []
        self.next_statement = 0
        self.avoidable: tuple[date, Decimal] = (card.balance_date, ZERO)
        for payment in debt.payments:
            self.add_payment(payment.on, payment.amount)

    # -- the event loop --------------------------------------------------------------

    def add_payment(self, on: date, amount: Decimal) -> None:
        """Queue a payment (on or after the dates already run), so a planner can pay month
        by month without replaying the whole history."""
        if on < self.card.balance_date:
            raise ValueError(f"payment on {on} is before the balance date")
        if on < self.clock:
            raise ValueError(f"a payment on {on} is before {self.clock}, already run")
        heapq.heappush(self.queue, (on, _PAYMENT, len(self.amounts)))
        self.amounts.append(amount)

    def run(self, until: date, *, cut_until: bool = True) -> None:
        """Apply every event dated on or before ``until``; may be called again with a
        later date to carry on. With ``cut_until`` false a statement dated ``until`` is
        left uncut (the day is not over: payments may still come that day)."""
        if until < self.card.balance_date:
            raise ValueError(f"{until} is before the balance date {self.card.balance_date}")
        while (on := add_months(self.first, self.next_statement)) <= until:
            heapq.heappush(self.queue, (on, _STATEMENT, self.next_statement))
            check = on + timedelta(days=self.card.payment_due_days + 1)
            heapq.heappush(self.queue, (check, _CHECK, self.next_statement))
            self.next_statement += 1
        while self.queue and self.queue[0][0] <= until:
            if not cut_until and self.queue[0][:2] == (until, _STATEMENT):
                break
            on, kind, number = heapq.heappop(self.queue)
            self._advance(on)
            if kind == _STATEMENT:
                self._statement(on, number + 1)
            elif kind == _CHECK:
                self._check(on, self.cycles[number])
            else:
                self._pay(on, self.amounts[number])
        self._advance(until)

    # -- accrual ---------------------------------------------------------------------

    def _advance(self, on: date) -> None:
        days = (on - self.clock).days
        if days <= 0:
            return
        if self.grace is not None:
            self.grace += self.owed[P] * days
        else:
            self.days[INT] += self.owed[P] * days
        if self.card.compound:
            self.days[CMP] += (self.owed[INT] + self.owed[CMP]) * days
        self.clock = on

    def _post(self, on: date, number: int, note: str = "") -> None:
        for component in _INTEREST:
            step = self._interest(component)
            self.days[component] = ZERO
            if step:
                self.owed[component] += step
                self.billed += step
                self._entry(on, EntryKind.ACCRUAL, step, component, number, note)

    def _end_grace(self, on: date) -> None:
        """The day after the first due date: waive, keep or cut the first cycle's interest."""
        grace, self.grace = self.grace or ZERO, None
        if not self._total():
            return  # paid in full by the due date: the interest-free period
        if self.card.full_balance_interest:
            self.days[INT] += grace
        else:
            self.days[INT] += self.owed[P] * (on - self.card.balance_date).days

    # -- events ----------------------------------------------------------------------

    def _statement(self, on: date, number: int) -> None:
        before = self._accrued()
        self._advance(on + timedelta(days=1))  # the statement day's own interest
        # A payment on the statement day comes before the cut and so avoids that day's
        # interest: the payoff quoted on this day leaves it out.
        self.avoidable = (on, self._accrued() - before)
        self._post(on, number)
        balance = self._total()
        rolled = sum((c.unmet for c in self.cycles), ZERO)
        base = max(round_money(self.card.min_payment_percent * self.owed[P],
                               self.card.rounding),
                   self.card.min_payment_floor)
        minimum = max(min(base + self.billed, balance - rolled), ZERO)
        self.billed = ZERO
        due = on + timedelta(days=self.card.payment_due_days)
        self.cycles.append(_Cycle(number, on, due, balance, minimum, minimum))
        if self.credit and balance:
            held, self.credit = self.credit, ZERO
            self._entry(on, EntryKind.CREDIT, -held, None, 0, "applied")
            self._hold(on, self._allocate(on, held))

    def _check(self, on: date, cycle: _Cycle) -> None:
        if cycle.number == 1 and self.grace is not None:
            self._end_grace(on)
        if cycle.unmet:
            fee = round_money(self.late_fee.charge(cycle.unmet), self.card.rounding)
            if fee:
                self.owed[LATE] += fee
                self.billed += fee
                self._entry(on, EntryKind.CHARGE, fee, LATE, cycle.number)

    def _pay(self, on: date, amount: Decimal) -> None:
        self._entry(on, EntryKind.PAYMENT, amount)
        if self.credit:
            self._entry(on, EntryKind.CREDIT, -self.credit, None, 0, "applied")
            amount, self.credit = amount + self.credit, ZERO
        if amount >= self._total() + self._accrued():
            self._post(on, 0, "payoff")
        self._hold(on, self._allocate(on, amount))

    def _allocate(self, on: date, amount: Decimal) -> Decimal:
        """Pay components in the allocation order; meet minimums oldest first."""
        applied = ZERO
        for component in self.order:
            paid = min(self.owed[component], amount - applied)
            if paid > 0:
                self.owed[component] -= paid
                applied += paid
                self._entry(on, EntryKind.ALLOCATION, -paid, component)
        meet = applied
        for cycle in self.cycles:
            take = min(cycle.unmet, meet)
            cycle.unmet -= take
            meet -= take
        if self.settled_on is None and not self._total() and not self._accrued():
            self.settled_on = on
        return amount - applied

    def _hold(self, on: date, rest: Decimal) -> None:
        if rest:
            self.credit += rest
            self._entry(on, EntryKind.CREDIT, rest, None, 0, "held")

    # -- reading the state -----------------------------------------------------------

    def _avoidable(self, as_of: date) -> Decimal:
        """Interest of the as-of day itself, when a statement was cut that day."""
        on, amount = self.avoidable
        return amount if on == as_of else ZERO

    def _total(self) -> Decimal:
        return sum(self.owed.values(), ZERO)

    def _accrued(self) -> Decimal:
        """Interest since the last statement that stands (not the waivable first cycle's:
        paying in full today, by the first due date, would waive it)."""
        return sum((self._interest(c) for c in _INTEREST), ZERO)

    def _interest(self, component: Component) -> Decimal:
        """Interest that stands on this cycle's yuan-days, rounded to the fen."""
        return round_product(self.days[component], Fraction(self.annual) / self.year_days,
                             self.card.rounding)

    def _entry(  # noqa: PLR0917 - an entry's fields, in the order Entry declares them
        self, on: date, kind: EntryKind, amount: Decimal,
        component: Component | None = None, number: int = 0, note: str = "",
    ) -> None:
        self.entries.append(Entry(on, kind, amount, component, number, note))

    def position(self, as_of: date) -> Position:
        late = [c for c in self.cycles if c.due < as_of and c.unmet]
        dpd = (as_of - late[0].due).days if late else 0
        accrued = self._accrued()
        paid = dict.fromkeys(Component, ZERO)
        for entry in self.entries:
            if entry.kind is EntryKind.ALLOCATION and entry.component is not None:
                paid[entry.component] -= entry.amount
        return Position(
            as_of=as_of, dpd=dpd, bucket=bucket_of(dpd), overdue_installments=len(late),
            outstanding=Components.of(self.owed),
            overdue_amount=sum((c.unmet for c in late), ZERO), accrued_interest=accrued,
            payoff=max(self._total() + accrued - self.credit - self._avoidable(as_of), ZERO),
            paid=Components.of(paid), credit=self.credit, settled_on=self.settled_on,
            due_amount=min(sum((c.unmet for c in self.cycles), ZERO), self._total()),
        )

    def statements(self) -> tuple[Statement, ...]:
        return tuple(Statement(c.number, c.on, c.due, c.balance, c.minimum, c.unmet)
                     for c in self.cycles)


def replay(debt: Debt, as_of: date) -> tuple[Position, Ledger]:
    """The position of the card ``debt`` on ``as_of`` and the ledger behind it. Events on
    ``as_of`` count; payments dated after it are ignored."""
    run = CardRun(debt)
    run.run(as_of)
    return run.position(as_of), Ledger(tuple(run.entries))


def statements(debt: Debt, as_of: date) -> tuple[Statement, ...]:
    """The statements cut up to ``as_of``, with what of each minimum is still unmet."""
    run = CardRun(debt)
    run.run(as_of)
    return run.statements()
