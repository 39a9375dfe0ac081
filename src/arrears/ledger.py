"""The ledger: every amount that fell due, accrued, was charged or paid, as an entry, so
any figure arrears shows can be traced.

Invariants (property-tested): payments = − the sum of allocations (which are negative) +
credit held, to the fen; for each component, outstanding = due + accrued + charged +
allocations (plus, for principal, principal not yet due).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from arrears.money import ZERO
from arrears.overdue import Component

__all__ = ["Entry", "EntryKind", "Ledger"]


class EntryKind(enum.Enum):
    DUE = "due"  # an instalment's principal, interest or fee falls due
    ACCRUAL = "accrual"  # penalty or compound interest posted (rounded to the fen)
    CHARGE = "charge"  # a late fee (违约金)
    PAYMENT = "payment"  # money paid by the borrower
    ALLOCATION = "allocation"  # part of a payment applied to a component (negative)
    CREDIT = "credit"  # part of a payment held, not yet owed (positive) or applied (negative)
    ACCELERATION = "acceleration"  # the whole balance fell due (informational)


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger line. ``installment`` is 1-based; 0 means the loan as a whole."""

    on: date
    kind: EntryKind
    amount: Decimal
    component: Component | None = None
    installment: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Ledger:
    """A debt's entries in the order they happened."""

    entries: tuple[Entry, ...]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def total(self, kind: EntryKind, component: Component | None = None) -> Decimal:
        """Sum of the entries of one kind (and component)."""
        return sum((e.amount for e in self.entries
                    if e.kind is kind and (component is None or e.component is component)),
                   ZERO)

    def outstanding(self, component: Component) -> Decimal:
        """What is owed of one component: due + accrued + charged − allocated."""
        owed = sum((e.amount for e in self.entries if e.component is component and e.kind in
                    (EntryKind.DUE, EntryKind.ACCRUAL, EntryKind.CHARGE,
                     EntryKind.ALLOCATION)), ZERO)
        return owed
