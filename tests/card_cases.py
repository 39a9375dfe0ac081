"""Helpers for the credit-card tests: building cards, generating them, and a day-by-day
interest accrual to check :mod:`arrears.card`'s closed form by.

The day-by-day accrual is deliberately naive and shares nothing with ``card.py`` but the
ledger it reads balances from: it walks one calendar day at a time, takes each day's
principal and billed interest as the ledger shows them at the end of that day, adds a day's
interest at the daily rate (annual rate / 360) in exact fractions, and applies
``docs/cards.md`` item 4 (the first statement's interest is held until its due date, then
waived if nothing is owed, kept whole with full-balance interest, or cut to the part unpaid).

A statement is cut at the end of its day (on one day: the day-after-due check, then
payments, then the statement), so it bills its own day's interest, on the balance after that
day's payments and before what the cut itself posts (the interest it bills, a credit it
applies): the first cycle runs from the posting date through the first statement date, each
later one from the day after the previous statement through its own date.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from arrears.card import CardTerms
from arrears.dates import DayCount
from arrears.debt import Debt, DebtKind
from arrears.events import Payment
from arrears.ledger import Entry, EntryKind, Ledger
from arrears.money import round_money
from arrears.overdue import ART_561_ORDER, Component, OverdueTerms
from arrears.rate import Rate, RateBasis

P, INT, CMP = Component.PRINCIPAL, Component.INTEREST, Component.COMPOUND_INTEREST
ONE_DAY = timedelta(days=1)
POSTED = 2026, 8, 5  # the worked examples' balance date, also a statement date (day 5)


def yuan(amount: str | int) -> Decimal:
    return Decimal(amount)


def card(*payments: tuple[date, str], balance: str = "10000", posted: date = date(*POSTED),
         statement_day: int = 5, allocation: tuple[Component, ...] = ART_561_ORDER,
         **terms: object) -> Debt:
    """The worked examples' card: 10,000 posted on 2026-08-05, statements on the 5th, due
    20 days later, 0.05 %/day, minimum 10 % (at least 100), 违约金 5 % of the unmet minimum."""
    card_terms = CardTerms(balance=Decimal(balance), balance_date=posted,
                           statement_day=statement_day, **terms)  # type: ignore[arg-type]
    return Debt("card", card=card_terms, kind=DebtKind.CREDIT_CARD,
                overdue=OverdueTerms(allocation=allocation),
                payments=tuple(Payment(on, Decimal(amount)) for on, amount in payments))


def with_payment(debt: Debt, on: date, amount: Decimal) -> Debt:
    payments = sorted((*debt.payments, Payment(on, amount)), key=lambda p: p.on)
    return Debt(debt.id, overdue=debt.overdue, payments=tuple(payments), kind=debt.kind,
                card=debt.card)


def with_terms(debt: Debt, **changes: object) -> Debt:
    from dataclasses import replace

    assert debt.card is not None
    return Debt(debt.id, overdue=debt.overdue, payments=debt.payments, kind=debt.kind,
                card=replace(debt.card, **changes))  # type: ignore[arg-type]


def first_statement(terms: CardTerms) -> date:
    posted = terms.balance_date
    if posted.day <= terms.statement_day:
        return posted.replace(day=terms.statement_day)
    year, month = divmod(posted.year * 12 + posted.month, 12)  # the next month
    return date(year, month + 1, terms.statement_day)


@st.composite
def card_terms(draw: st.DrawFn) -> CardTerms:
    balance = draw(st.one_of(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(200), places=2),
        st.decimals(min_value=Decimal(200), max_value=Decimal(300_000), places=2)))
    rate = draw(st.one_of(
        st.decimals(min_value=0, max_value=Decimal("0.001"), places=5).map(
            lambda v: Rate(v, RateBasis.DAILY)),
        st.decimals(min_value=0, max_value=Decimal("0.36"), places=4).map(Rate)))
    late_min = draw(st.sampled_from([Decimal(0), Decimal(10), Decimal(50)]))
    late_max = draw(st.sampled_from([None, late_min + 5, Decimal(500)]))
    return CardTerms(
        balance=balance,
        balance_date=draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2032, 12, 31))),
        statement_day=draw(st.integers(1, 28)),
        payment_due_days=draw(st.sampled_from([0, 1, 18, 20, 25, 27, 28, 31, 45, 60])),
        rate=rate,
        min_payment_percent=draw(st.sampled_from(
            [Decimal(0), Decimal("0.05"), Decimal("0.10"), Decimal(1)])),
        min_payment_floor=draw(st.sampled_from([Decimal(0), Decimal(100), Decimal(500)])),
        full_balance_interest=draw(st.booleans()),
        compound=draw(st.booleans()),
        late_fee_percent=draw(st.sampled_from([Decimal(0), Decimal("0.05"), Decimal(1)])),
        late_fee_min=late_min,
        late_fee_max=late_max,
        late_fee_amount=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(20)])),
    )


@st.composite
def card_histories(draw: st.DrawFn, horizon: int = 480) -> tuple[Debt, date]:
    """A card, payments of all sizes over ``horizon`` days, and an as-of date."""
    terms = draw(card_terms())
    fractions = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1.2"), places=3)
    payments = []
    for offset, fraction in draw(st.lists(
            st.tuples(st.integers(0, horizon), fractions), max_size=8)):
        amount = max(round_money(terms.balance * fraction), Decimal("0.01"))
        payments.append(Payment(terms.balance_date + timedelta(days=offset), amount))
    payments.sort(key=lambda p: p.on)
    allocation = draw(st.sampled_from([ART_561_ORDER, tuple(reversed(ART_561_ORDER))]))
    debt = Debt("card", card=terms, kind=DebtKind.CREDIT_CARD, payments=tuple(payments),
                overdue=OverdueTerms(allocation=allocation))
    return debt, terms.balance_date + timedelta(days=draw(st.integers(0, horizon)))


def fen(exact: Fraction) -> Decimal:
    """An exact non-negative amount rounded half up to the fen."""
    return Decimal((exact * 100 + Fraction(1, 2)).__floor__()) / 100


def statement_dates(terms: CardTerms, until: date) -> list[date]:
    dates, on = [], first_statement(terms)
    while on <= until:
        dates.append(on)
        year, month = divmod(on.year * 12 + on.month, 12)  # the next month
        on = date(year, month + 1, terms.statement_day)
    return dates


def _cut(entries: list[Entry]) -> int:
    """Where a statement day's entries turn from the day's own events (check, payments) to
    what the cut posts: the statement's interest (numbered with the statement) or a held
    credit applied (a credit applied not straight after a payment, which uses it itself)."""
    for index, entry in enumerate(entries):
        if entry.kind is EntryKind.ACCRUAL and entry.installment >= 1:
            return index
        if (entry.kind is EntryKind.CREDIT and entry.amount < 0
                and (index == 0 or entries[index - 1].kind is not EntryKind.PAYMENT)):
            return index
    return len(entries)


def daily_interest(debt: Debt, ledger: Ledger, until: date
                   ) -> tuple[dict[date, tuple[Fraction, ...]], tuple[Fraction, ...]]:
    """The exact interest and compound interest of each cycle, accrued one day at a time:
    by the statement date that bills it (through that date), and for the cycle still open on
    ``until`` (accrued through the day before; nothing if ``until`` is a statement date)."""
    terms = debt.card
    assert terms is not None
    rate = Fraction(terms.rate.annual(DayCount.ACT_360)) / 360
    first_due = first_statement(terms) + timedelta(days=terms.payment_due_days)
    statements = set(statement_dates(terms, until))
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for entry in ledger:
        by_day[entry.on].append(entry)
    owed: dict[Component | None, Fraction] = defaultdict(Fraction)

    def book(entries: list[Entry]) -> None:
        for entry in entries:
            if entry.kind in {EntryKind.DUE, EntryKind.ACCRUAL, EntryKind.CHARGE,
                              EntryKind.ALLOCATION}:
                owed[entry.component] += Fraction(entry.amount)

    interest = compound = waivable = Fraction(0)
    billed: dict[date, tuple[Fraction, ...]] = {}
    day = terms.balance_date
    while True:
        cut_today = day in statements
        if day >= until and not cut_today:  # the open cycle: through the day before
            return billed, (interest, compound)
        entries = by_day[day]
        cut = _cut(entries) if cut_today else len(entries)
        book(entries[:cut])  # the balance at the end of the day, before any cut
        if day <= first_due:
            waivable += owed[P] * rate
        else:
            interest += owed[P] * rate
        if terms.compound:
            compound += (owed[INT] + owed[CMP]) * rate
        if cut_today:  # the statement bills the cycle through today, then posts
            billed[day], interest, compound = (interest, compound), Fraction(0), Fraction(0)
            book(entries[cut:])
            if day >= until:
                return billed, (interest, compound)
        if day == first_due and any(owed.values()):  # not paid in full by the due date
            days = (first_due - terms.balance_date).days + 1
            interest += waivable if terms.full_balance_interest else owed[P] * rate * days
        day += ONE_DAY
