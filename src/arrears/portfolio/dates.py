"""Calendar arithmetic on whole arrays of dates, as :mod:`arrears.dates` and
:func:`arrears.cost.unit_periods` do it for one date.

Dates are ``int64`` days since 1970-01-01 (numpy's ``datetime64[D]`` viewed as integers).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

__all__ = ["EPOCH", "add_months", "day_count_days", "from_day", "month_fraction", "to_day",
           "ymd"]

EPOCH = date(1970, 1, 1)
# Day-count codes, in the order of arrears.dates.DayCount.
ACT_360, ACT_365, THIRTY_360 = 0, 1, 2


def to_day(day: date) -> int:
    """A date as days since 1970-01-01."""
    return (day - EPOCH).days


def from_day(days: int) -> date:
    """Days since 1970-01-01 as a date."""
    return date.fromordinal(EPOCH.toordinal() + int(days))


_SPAN = 146_097 * 2  # 800 years of days from 1970: every date a loan can have
_tables: dict[str, Array] = {}


def _table(name: str) -> Array:
    """Lookup tables by day (year, month, day of month, month index, days in the month)
    and by month index (first day, days in the month); built once, from numpy's calendar."""
    import numpy as np  # noqa: PLC0415 - numpy only when the portfolio runs

    if not _tables:
        days = np.arange(_SPAN, dtype=np.int64).astype("datetime64[D]")
        months = days.astype("datetime64[M]")
        years = months.astype("datetime64[Y]")
        first = months.astype("datetime64[D]")
        index = np.arange(months[-1].astype(np.int64) + 2, dtype=np.int64)
        starts = index.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        _tables.update({
            "year": years.astype(np.int64) + 1970,
            "month": (months - years.astype("datetime64[M]")).astype(np.int64) + 1,
            "dom": (days - first).astype(np.int64) + 1,
            "dom0": (days - first).astype(np.int64),
            "index": months.astype(np.int64),
            "start": starts[:-1],
            "length": np.diff(starts),
        })
    return _tables[name]


def _check(days: Array) -> Array:
    import numpy as np  # noqa: PLC0415

    days = np.asarray(days, dtype=np.int64)
    if days.size and (days.min() < 0 or days.max() >= _SPAN):
        raise ValueError("a date before 1970 or after 2769")
    return days


def ymd(days: Array) -> tuple[Array, Array, Array]:
    """Year, month (1–12) and day of month (1–31) of each date."""

    days = _check(days)
    return _table("year")[days], _table("month")[days], _table("dom")[days]


def _month_parts(days: Array) -> tuple[Array, Array, Array]:
    """Month index (months since 1970-01), 0-based day of month, days in that month."""

    days = _check(days)
    index = _table("index")[days]
    return index, _table("dom0")[days], _table("length")[index]


def _month_start_and_length(index: Array) -> tuple[Array, Array]:
    import numpy as np  # noqa: PLC0415

    index = np.asarray(index, dtype=np.int64)
    starts = _table("start")
    if index.size and (index.min() < 0 or index.max() >= len(starts)):
        raise ValueError("a date before 1970 or after 2769")
    return starts[index], _table("length")[index]


def add_months(days: Array, months: Array | int) -> Array:
    """Each date moved by whole months, the day clamped to the month's end
    (:func:`arrears.dates.add_months`)."""
    import numpy as np  # noqa: PLC0415

    index, dom, _ = _month_parts(days)
    first, length = _month_start_and_length(index + np.asarray(months, dtype=np.int64))
    result: Array = first + np.minimum(dom, length - 1)
    return result


def day_count_days(start: Array, end: Array, convention: Array | int) -> Array:
    """Days from ``start`` to ``end`` under each loan's day count
    (:func:`arrears.dates.day_count_days`): actual days, or 30/360 (NASD)."""
    import numpy as np  # noqa: PLC0415

    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    actual = end - start
    thirty = np.asarray(convention) == THIRTY_360
    if not np.any(thirty):
        return actual
    y1, m1, d1 = ymd(start)
    y2, m2, d2 = ymd(end)
    d1 = np.where(d1 == 31, 30, d1)
    d2 = np.where((d2 == 31) & (d1 == 30), 30, d2)
    result: Array = np.where(thirty, 360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1), actual)
    return result


def month_fraction(start: Array, when: Array) -> tuple[Array, Array]:
    """Whole months and odd days from ``start`` to ``when`` (``when >= start``), counted as
    :func:`arrears.cost.unit_periods` does for the monthly unit period: whole months back
    from the later date (from a month's last day, to months' last days), the odd days
    forward from the earlier one. The time in months is ``whole + odd_days / 30``."""
    import numpy as np  # noqa: PLC0415

    start = np.asarray(start, dtype=np.int64)
    when = np.asarray(when, dtype=np.int64)
    w_index, w_dom, w_length = _month_parts(when)
    s_index = _month_parts(start)[0]
    month_end = w_dom == w_length - 1

    def back(whole: Array, rows: Array | slice = slice(None)) -> Array:
        first, length = _month_start_and_length(w_index[rows] - whole)
        day = np.where(month_end[rows], length - 1, np.minimum(w_dom[rows], length - 1))
        result: Array = first + day
        return result

    guess = w_index - s_index
    boundary = back(guess)
    short = boundary < start  # the guess overshot by one month
    if short.any():
        rows = np.flatnonzero(short)
        boundary[rows] = back(guess[rows] - 1, rows)
    whole = np.where(short, guess - 1, guess)
    before = whole < 0  # when < start: not a time this is used for
    whole = np.where(before, 0, whole)
    boundary = np.where(before, when, boundary)
    return whole, boundary - start
