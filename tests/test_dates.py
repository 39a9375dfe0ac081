"""Month steps roll at month ends; day counts follow their conventions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from arrears.dates import DayCount, add_months, day_count_days, year_fraction


def test_month_end_rolls() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_thirty_360() -> None:
    assert day_count_days(date(2026, 1, 31), date(2026, 2, 28), DayCount.THIRTY_360) == 28
    assert day_count_days(date(2026, 1, 30), date(2026, 3, 31), DayCount.THIRTY_360) == 60
    assert day_count_days(date(2026, 1, 15), date(2027, 1, 15), DayCount.THIRTY_360) == 360
    assert year_fraction(date(2026, 1, 1), date(2027, 1, 1), DayCount.ACT_365) == Decimal(1)
    assert year_fraction(date(2026, 1, 1), date(2026, 1, 31), DayCount.ACT_360) == (
        Decimal(30) / 360
    )


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=0, max_value=600))
def test_add_months_from_anchor(anchor: date, months: int) -> None:
    moved = add_months(anchor, months)
    assert (moved.year * 12 + moved.month) - (anchor.year * 12 + anchor.month) == months
    assert moved.day <= anchor.day
    if moved.day < anchor.day:  # clamped: only ever to the last day of a shorter month
        assert (moved + timedelta(days=1)).day == 1
