"""Credit cards: the statement cycle, minimum payments, full-balance interest and 违约金.

The semantics are in ``docs/cards.md``; :func:`replay` applies them and returns the same
:class:`~arrears.position.Position` and :class:`~arrears.ledger.Ledger` as the loan engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from arrears.money import ZERO
from arrears.rate import Rate, RateBasis

__all__ = ["CardTerms"]


@dataclass(frozen=True, slots=True)
class CardTerms:
    """A credit card's terms and the balance the case starts from."""

    balance: Decimal  # principal (purchases, cash) owed, posted on balance_date
    balance_date: date
    statement_day: int  # day of the month statements are cut, 1–28
    payment_due_days: int = 20  # due date = statement date + this many days
    rate: Rate = Rate(Decimal("0.0005"), RateBasis.DAILY)  # noqa: RUF009 - frozen value
    min_payment_percent: Decimal = Decimal("0.10")  # of the principal on the statement
    min_payment_floor: Decimal = Decimal(100)
    full_balance_interest: bool = True  # 全额计息 when a statement is not paid in full
    compound: bool = True  # billed interest bears interest (no interest on fees, PBOC 2016)
    late_fee_percent: Decimal = Decimal("0.05")  # of the unpaid minimum
    late_fee_min: Decimal = ZERO
    late_fee_max: Decimal | None = None
    credit_limit: Decimal | None = None
