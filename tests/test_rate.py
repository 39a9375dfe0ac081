"""Rates as people write them, and conversions between bases under each day count."""

from __future__ import annotations

from decimal import Decimal

import pytest

from arrears.dates import DayCount
from arrears.errors import InputError
from arrears.rate import Rate, RateBasis, parse_rate


@pytest.mark.parametrize(
    ("text", "value", "basis"),
    [
        ("4.9%", "0.049", RateBasis.ANNUAL),
        ("0.049", "0.049", RateBasis.ANNUAL),
        ("0.05%/day", "0.0005", RateBasis.DAILY),
        ("0.05% per day", "0.0005", RateBasis.DAILY),
        ("1.5%/month", "0.015", RateBasis.MONTHLY),
        ("18% p.a.", "0.18", RateBasis.ANNUAL),
        ("日利率0.05%", "0.0005", RateBasis.DAILY),
        ("月息1.5%", "0.015", RateBasis.MONTHLY),
        ("年化18%", "0.18", RateBasis.ANNUAL),
        ("万分之五", "0.0005", RateBasis.ANNUAL),
        ("日万分之五", "0.0005", RateBasis.DAILY),
        ("万分之3.5", "0.00035", RateBasis.ANNUAL),
        ("万分之三点五", "0.00035", RateBasis.ANNUAL),
        ("千分之三", "0.003", RateBasis.ANNUAL),
        ("百分之十八", "0.18", RateBasis.ANNUAL),
        ("百分之二十四", "0.24", RateBasis.ANNUAL),
        ("5‱", "0.0005", RateBasis.ANNUAL),
        ("0.5‰", "0.0005", RateBasis.ANNUAL),
        ("０.０５％/日", "0.0005", RateBasis.DAILY),
        ("0", "0", RateBasis.ANNUAL),
    ],
)
def test_parse_rate(text: str, value: str, basis: RateBasis) -> None:
    rate = parse_rate(text)
    assert rate.value == Decimal(value)
    assert rate.basis is basis


@pytest.mark.parametrize("text", ["abc", "18", "-1%", "%", "万分之", "4.9%%", "1.5x"])
def test_not_a_rate(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_rate(text, where="--rate")
    assert caught.value.problems[0].where == "--rate"


def test_daily_rate_conversions() -> None:
    # rules-cn-us.md 7.2: 0.05 %/day is 18.00 % a year by ×360 and 18.25 % by ×365.
    daily = Rate(Decimal("0.0005"), RateBasis.DAILY)
    assert daily.annual(DayCount.ACT_360) == Decimal("0.18")
    assert daily.annual(DayCount.ACT_365) == Decimal("0.1825")
    assert daily.monthly(DayCount.ACT_360) == Decimal("0.015")
    annual = Rate(Decimal("0.18"))
    assert annual.daily(DayCount.ACT_360) == Decimal("0.0005")
    assert annual.monthly() == Decimal("0.015")
    assert Rate(Decimal("0.015"), RateBasis.MONTHLY).annual() == Decimal("0.18")


def test_penalty_example_from_rules() -> None:
    """rules-cn-us.md §7: overdue principal 10,000 at 18 % × 1.5 = 27 % for 30 days is
    10,000 × 27 % × 30 / 360 = 225.00 yuan."""
    penalty = Rate(Decimal("0.18")).scaled(Decimal("1.5"))
    assert Decimal(10000) * penalty.daily(DayCount.ACT_360) * 30 == Decimal("225.00")
