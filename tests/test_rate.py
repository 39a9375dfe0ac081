"""Rates as people write them, and conversions between bases under each day count."""

from __future__ import annotations

from decimal import Decimal

import pytest

from arrears.dates import DayCount
from arrears.errors import InputError
from arrears.rate import Rate, RateBasis, parse_rate, parse_share, quoted_rate, unit_problems


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
        ("日利率万分之五", "0.0005", RateBasis.DAILY),
        ("日万分之五", "0.0005", RateBasis.DAILY),
        ("万分之五/日", "0.0005", RateBasis.DAILY),
        ("日万分之3.5", "0.00035", RateBasis.DAILY),
        ("日万分之三点五", "0.00035", RateBasis.DAILY),
        ("月千分之三", "0.003", RateBasis.MONTHLY),
        ("年利率千分之三", "0.003", RateBasis.ANNUAL),
        ("百分之十八", "0.18", RateBasis.ANNUAL),
        ("百分之二十四", "0.24", RateBasis.ANNUAL),
        ("5‱/day", "0.0005", RateBasis.DAILY),
        ("0.5‰ per month", "0.0005", RateBasis.MONTHLY),
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


@pytest.mark.parametrize(("text", "daily", "percent"), [
    ("万分之五", "日利率万分之五", "0.05%"),
    ("千分之三", "日利率千分之三", "0.3%"),
    ("万分之三点五", "日利率万分之三点五", "0.035%"),
    ("5‱", "日利率5‱", "0.05%"),
    ("0.5‰", "日利率0.5‰", "0.05%"),
])
def test_per_mille_without_a_period_is_refused(text: str, daily: str, percent: str) -> None:
    """Issue 10's trap: "万分之五" was read as 0.05 % a year (a payoff 2,182 yuan too low).
    万分之 / 千分之 / ‰ / ‱ with no period word is an error under any basis, offering the
    spellings that would be read: 5 / 10,000 = 0.05 % a day, "日利率万分之五"."""
    for basis in RateBasis:
        with pytest.raises(InputError) as caught:
            parse_rate(text, basis, where="--rate")
        (problem,) = caught.value.problems
        assert problem.where == "--rate"
        assert problem.params["daily"] == daily
        assert problem.params["percent"] == percent
        assert parse_rate(problem.params["daily"]) == parse_rate(f"{percent}/day")


def test_a_share_needs_no_period() -> None:
    """A fee per period or a minimum payment share is not quoted a day or a year."""
    assert parse_share("千分之五") == Decimal("0.005")
    assert parse_share("10%") == Decimal("0.10")


@pytest.mark.parametrize(("text", "explicit"), [
    ("4.9%", False), ("0.049", False), ("万分之五/日", True), ("月息1.5%", True),
    ("18% p.a.", True), ("0.05%/day", True),
])
def test_quoted_rate_says_whether_the_period_was_written(text: str, explicit: bool) -> None:
    assert quoted_rate(text)[1] is explicit


def test_unit_checks() -> None:
    """Above 100 % a year: read, with a warning; above 1,000 % with no period written:
    refused; a written period is always accepted (illegal lenders exist). 1 % a day is
    360 % a year under ACT/360, 365 % under ACT/365; 1,500 % is 15 a year."""
    day = Rate(Decimal("0.01"), RateBasis.DAILY)
    errors, warnings = unit_problems(day, DayCount.ACT_360, explicit=True, text="1%/day",
                                     where="rate")
    assert errors == []
    assert [w.params["annual"] for w in warnings] == ["360%"]
    huge = Rate(Decimal(15))
    errors, warnings = unit_problems(huge, DayCount.ACT_360, explicit=False, text="1500%",
                                     where="rate")
    assert [e.where for e in errors] == ["rate"]
    assert warnings == []
    errors, warnings = unit_problems(huge, DayCount.ACT_360, explicit=True, text="1500%/year",
                                     where="rate")
    assert errors == []
    assert len(warnings) == 1
    assert unit_problems(Rate(Decimal(1)), DayCount.ACT_360, explicit=False, text="100%",
                         where="rate") == ([], [])
