"""Recorded payments against the contract as read: a repeated amount the schedule does not
ask for is the clearest sign that a term (often the rate's unit) was misread.

The check is a warning: it never changes a figure. See ``docs/case-file.md``.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from arrears.debt import Debt
from arrears.errors import Problem
from arrears.i18n import N_
from arrears.money import round_money
from arrears.schedule import build_schedule

__all__ = ["MIN_REPEATS", "TOLERANCE_AMOUNT", "TOLERANCE_SHARE", "payment_warnings"]

MIN_REPEATS = 2
"""An amount paid at least this many times is taken as the instalment the lender asked."""
TOLERANCE_SHARE = Decimal("0.01")
TOLERANCE_AMOUNT = Decimal(1)
"""A repeated amount further than both of these from every scheduled instalment (1 % and
1 yuan) contradicts the contract as read."""


def payment_warnings(debt: Debt, where: str) -> list[Problem]:
    """A warning, located at ``where``, for each amount recorded :data:`MIN_REPEATS` or more
    times on a loan that is further than 1 % and 1 yuan from every instalment of the
    schedule computed from its terms; the nearest instalment is named beside it."""
    if debt.terms is None or len(debt.payments) < MIN_REPEATS:
        return []
    try:
        dues = sorted({row.payment for row in build_schedule(debt.terms).rows})
    except (ArithmeticError, OverflowError, ValueError):  # terms out of range: said elsewhere
        return []
    if not dues:
        return []
    counts = Counter(payment.amount for payment in debt.payments)
    warnings = []
    for amount, count in sorted(counts.items()):
        if count < MIN_REPEATS:
            continue
        nearest = min(dues, key=lambda due: abs(due - amount))
        gap = abs(amount - nearest)
        if gap > TOLERANCE_AMOUNT and gap > nearest * TOLERANCE_SHARE:
            warnings.append(Problem(where, N_(
                "{debt}: {count} payments of {paid} are recorded, but the contract as read "
                "asks {due} an instalment; if {paid} is what the lender asked for, check the "
                "rate and its unit, the method, the term and the fees"),
                {"debt": debt.id, "count": count, "paid": f"{round_money(amount):,}",
                 "due": f"{round_money(nearest):,}"}))
    return warnings
