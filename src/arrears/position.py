"""Where a debt stands on a date: what is owed by component, how late, and what paying it
off would take."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from arrears.money import ZERO
from arrears.overdue import Component

__all__ = ["Bucket", "Components", "Position", "bucket_of"]


class Bucket(enum.Enum):
    """Delinquency buckets by days past due: M0 current, M1 1–30 … M6 151–180, M7+ > 180."""

    M0 = "M0"
    M1 = "M1"
    M2 = "M2"
    M3 = "M3"
    M4 = "M4"
    M5 = "M5"
    M6 = "M6"
    M7 = "M7+"


def bucket_of(dpd: int) -> Bucket:
    """The bucket for ``dpd`` days past due."""
    if dpd <= 0:
        return Bucket.M0
    index = min((dpd - 1) // 30 + 1, 7)
    return list(Bucket)[index]


@dataclass(frozen=True, slots=True)
class Components:
    """An amount split by component."""

    principal: Decimal = ZERO
    interest: Decimal = ZERO
    penalty_interest: Decimal = ZERO
    compound_interest: Decimal = ZERO
    fees: Decimal = ZERO
    late_fees: Decimal = ZERO

    @classmethod
    def of(cls, amounts: dict[Component, Decimal]) -> Components:
        return cls(**{c.value: amounts.get(c, ZERO) for c in Component})

    def get(self, component: Component) -> Decimal:
        value: Decimal = getattr(self, component.value)
        return value

    @property
    def total(self) -> Decimal:
        return (self.principal + self.interest + self.penalty_interest
                + self.compound_interest + self.fees + self.late_fees)

    def as_dict(self) -> dict[str, Decimal]:
        return {c.value: self.get(c) for c in Component}


@dataclass(frozen=True, slots=True)
class Position:
    """A debt on ``as_of``.

    ``outstanding`` is what is owed now by component (principal includes principal not yet
    due; interest only what has fallen due); ``overdue_amount`` what is past its due date;
    ``payoff`` what paying everything today takes (outstanding, plus contract interest
    accrued since the last due date, less any credit held); ``due_amount`` what must be paid
    today to be current (a card: the minimums not yet met). ``paid`` is what payments have
    been applied to, ``credit`` money paid and not yet owed.
    """

    as_of: date
    dpd: int
    bucket: Bucket
    overdue_installments: int
    outstanding: Components
    overdue_amount: Decimal
    accrued_interest: Decimal
    payoff: Decimal
    paid: Components
    credit: Decimal
    accelerated_on: date | None = None
    settled_on: date | None = None
    due_amount: Decimal = ZERO  # owed now on what has fallen due, today's instalment included
