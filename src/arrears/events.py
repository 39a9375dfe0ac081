"""What happened to a debt after it was made. Events are immutable; a correction is a new
event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = ["Payment"]


@dataclass(frozen=True, slots=True)
class Payment:
    """Money the borrower paid on a date."""

    on: date
    amount: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Payment.amount must be a Decimal")
