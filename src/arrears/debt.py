"""A debt: who lent, what the contract says, what happened since."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from arrears.card import CardTerms
from arrears.events import Payment
from arrears.overdue import OverdueTerms
from arrears.terms import Terms

__all__ = ["Debt", "DebtKind", "LenderType"]


class LenderType(enum.Enum):
    """Who lent: decides which legal caps apply (issue #4's rule packs)."""

    BANK = "bank"
    CONSUMER_FINANCE = "consumer_finance"
    MICRO_LOAN = "micro_loan"
    PLATFORM = "platform"
    CARD_ISSUER = "card_issuer"
    PRIVATE = "private"


class DebtKind(enum.Enum):
    INSTALLMENT_LOAN = "installment_loan"
    CREDIT_CARD = "credit_card"
    PRIVATE_LOAN = "private_loan"


@dataclass(frozen=True, slots=True)
class Debt:
    """One debt of a case. ``payments`` are in date order. An instalment loan has
    ``terms``; a credit card has ``card`` instead."""

    id: str
    terms: Terms | None = None
    overdue: OverdueTerms = OverdueTerms()  # noqa: RUF009 - frozen, so one shared default is safe
    payments: tuple[Payment, ...] = ()
    lender: str = ""
    lender_type: LenderType = LenderType.BANK
    kind: DebtKind = DebtKind.INSTALLMENT_LOAN
    card: CardTerms | None = None
    secured: bool = False  # backed by collateral that can be taken
