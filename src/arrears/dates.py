"""Calendar arithmetic: month steps that roll at month ends, and day counts."""

from __future__ import annotations

import calendar
import enum
from datetime import date
from decimal import Decimal

__all__ = ["DayCount", "add_months", "day_count_days", "month_of", "year_fraction"]


class DayCount(enum.Enum):
    """How days are counted and how many make a year.

    ``ACT/360`` is Chinese banks' default (daily rate = annual / 360, actual days);
    ``ACT/365`` counts actual days over 365; ``30/360`` is the US (NASD) thirty-day month.
    """

    ACT_360 = "ACT/360"
    ACT_365 = "ACT/365"
    THIRTY_360 = "30/360"

    @property
    def year_days(self) -> int:
        """Days in the year this convention divides by."""
        return 365 if self is DayCount.ACT_365 else 360


def add_months(anchor: date, months: int) -> date:
    """``anchor`` moved by whole months, the day clamped to the month's end.

    Always step from the same anchor (never chain): Jan 31 + 1 → Feb 28 (29 in a leap
    year), Jan 31 + 2 → Mar 31.
    """
    index = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(anchor.day, last))


def day_count_days(start: date, end: date, convention: DayCount) -> int:
    """Days from ``start`` to ``end`` under the convention (negative if end < start)."""
    if convention is not DayCount.THIRTY_360:
        return (end - start).days
    d1, d2 = start.day, end.day
    if d1 == 31:
        d1 = 30
    if d2 == 31 and d1 == 30:
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def year_fraction(start: date, end: date, convention: DayCount) -> Decimal:
    """The fraction of a year from ``start`` to ``end`` under the convention."""
    return Decimal(day_count_days(start, end, convention)) / Decimal(convention.year_days)


def month_of(day: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{day.year:04d}-{day.month:02d}"
