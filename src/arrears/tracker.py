"""A debt followed forward in time: pay, look, pay again — without replaying its history.

Planners use this to simulate a repayment plan month by month through the exact engine
(:mod:`arrears.engine` for loans, :mod:`arrears.card` for cards): every figure a plan shows
comes from here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from arrears import card, engine
from arrears.debt import Debt
from arrears.position import Position

__all__ = ["Tracker"]


class Tracker:
    """One debt in the exact engine, advanced by calls in date order."""

    def __init__(self, debt: Debt) -> None:
        self.debt = debt
        self._run: engine.LoanRun | card.CardRun = (
            card.CardRun(debt) if debt.card is not None else engine.LoanRun(debt)
        )
        self.paid = Decimal(0)

    def pay(self, on: date, amount: Decimal) -> None:
        """Pay ``amount`` on ``on`` (not before a date already looked at)."""
        if amount > 0:
            self._run.add_payment(on, amount)
            self.paid += amount

    def position(self, on: date) -> Position:
        """The position on ``on`` (not before a date already looked at), with the day still
        open: a card statement dated ``on`` is cut only once the day is over, so a payment
        made after looking still comes before it."""
        if isinstance(self._run, card.CardRun):
            self._run.run(on, cut_until=False)
        else:
            self._run.run(on)
        return self._run.position(on)
