"""The answers given so far: the interview's state and its result.

Each section keeps parsed values by question key (``principal`` → ``Decimal``, ``rate`` →
:class:`~arrears.rate.Rate`, ``overdue.penalty`` → :class:`~arrears.overdue.Penalty` …);
a debt also keeps ``payments``, the dated payments typed one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from arrears.schedule import Installment, build_schedule
from arrears.terms import Method, Terms

__all__ = ["Answers", "loan_terms", "scheduled_paid"]


@dataclass
class Answers:
    """Everything answered. ``debts[-1]`` is the debt being asked about."""

    today: date
    case: dict[str, Any] = field(default_factory=dict)
    household: dict[str, Any] = field(default_factory=dict)
    debts: list[dict[str, Any]] = field(default_factory=list)
    section: str = "case"  # case | household | debt | payment

    @property
    def debt(self) -> dict[str, Any]:
        return self.debts[-1]

    def where(self, location: str) -> str:
        """The case-file key path of an answer in the current section."""
        if location == "debts" or location.startswith("-"):
            return location
        if self.section in {"case", "household"}:
            return f"{self.section}.{location}"
        index = len(self.debts) - 1
        if self.section == "payment":
            return f"debts[{index}].payments[{int(self.payment_number()) - 1}].{location}"
        return f"debts[{index}].{location}"

    def payment_number(self) -> str:
        """The number of the payment being asked about, counting the scheduled ones."""
        debt = self.debt
        before = len(scheduled_paid(debt, debt["paid_until"])) if debt.get("paid_until") else 0
        return str(before + len(debt.get("payments", [])) + 1)

    def debt_start(self) -> date:
        start: date = self.debt["balance_date" if self.debt.get("kind") == "credit_card"
                                else "disbursed"]
        return start


def loan_terms(debt: dict[str, Any]) -> Terms:
    """The :class:`Terms` of a loan's answers (the reader builds the same ones)."""
    return Terms(principal=debt["principal"], rate=debt["rate"], months=debt["term_months"],
                 start=debt["disbursed"], method=Method(debt.get("method", "equal_installment")),
                 first_due=debt.get("first_due"), fee_rate=debt.get("fee_rate", Decimal(0)),
                 received=debt.get("received"))


def scheduled_paid(debt: dict[str, Any], until: date) -> list[Installment]:
    """The contractual instalments due on or before ``until``: "every instalment until …"
    (an instalment of nothing, as at 0 % interest first, is no payment)."""
    return [row for row in build_schedule(loan_terms(debt)).rows
            if row.due <= until and row.payment > 0]
