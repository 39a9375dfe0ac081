"""Root finding and true cost: agreement with independent implementations, the rule for
several roots, and clear errors when there is no root."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import numpy_financial as npf
import pytest
import pyxirr
from hypothesis import assume, given
from hypothesis import strategies as st

from arrears.cost import apr_of_schedule, irr, pboc_apr, pboc_apr_dated, xirr
from arrears.errors import NoRootError
from arrears.rate import Rate
from arrears.schedule import build_schedule
from arrears.terms import Method, Terms

payments = st.lists(st.decimals(min_value=Decimal(1), max_value=Decimal(100000), places=2),
                    min_size=1, max_size=60)


@given(st.decimals(min_value=Decimal(100), max_value=Decimal(10**6), places=2), payments)
def test_irr_agrees_with_numpy_financial(loan: Decimal, paid: list[Decimal]) -> None:
    """One sign change: a unique root, which numpy-financial (eigenvalues of the
    polynomial) finds too."""
    flows = [loan] + [-p for p in paid]
    expected = npf.irr([float(f) for f in flows])
    assume(not math.isnan(expected) and -0.99 < expected < 10)  # npf gives nan on some
    assert abs(float(irr(flows)) - expected) <= 1e-9 * max(1.0, abs(expected))


@given(st.decimals(min_value=Decimal(100), max_value=Decimal(10**6), places=2), payments,
       st.lists(st.integers(min_value=1, max_value=90), min_size=60, max_size=60))
def test_xirr_agrees_with_pyxirr(loan: Decimal, paid: list[Decimal], gaps: list[int]) -> None:
    day = date(2026, 1, 1)
    dates = [day]
    for gap in gaps[: len(paid)]:
        day += timedelta(days=gap)
        dates.append(day)
    flows = list(zip(dates, [loan] + [-p for p in paid], strict=True))
    expected = pyxirr.xirr(dates, [float(a) for _, a in flows])
    assume(expected is not None)
    assert expected is not None
    assume(-0.99 < expected < 1000)
    assert abs(float(xirr(flows)) - expected) <= 1e-8 * max(1.0, abs(expected))


def test_no_sign_change_is_a_clear_error() -> None:
    with pytest.raises(NoRootError) as caught:
        irr([Decimal(100), Decimal(50)])
    assert "never change sign" in caught.value.problems[0].message
    with pytest.raises(NoRootError):
        xirr([(date(2026, 1, 1), Decimal(-100)), (date(2026, 2, 1), Decimal(-5))])


def test_several_roots_returns_the_one_closest_to_zero() -> None:
    """−100, +230, −132 at 10 % and 20 % (the classic two-root project). Both are found;
    the documented rule returns 10 %."""
    result = pboc_apr([Decimal(-100), Decimal(230), Decimal(-132)], 1)
    assert result.ambiguous
    assert [round(r, 10) for r in result.roots] == [Decimal("0.1"), Decimal("0.2")]
    assert result.periodic_rate == Decimal("0.1")


def test_zero_rate_loan() -> None:
    """A 0 % loan has IRR 0 (GnuCash's loan assistant failed on these, bug 769746)."""
    terms = Terms(principal=Decimal(1200), rate=Rate(Decimal(0)), months=12,
                  start=date(2026, 1, 15))
    assert apr_of_schedule(build_schedule(terms)).apr == 0


def test_upfront_fee_raises_the_apr_on_the_amount_received() -> None:
    """Civil Code Art. 670: with 1,000 deducted, the cost is measured on 99,000."""
    common = {"principal": Decimal(100000), "rate": Rate(Decimal("0.12")), "months": 12,
              "start": date(2026, 1, 15)}
    plain = apr_of_schedule(build_schedule(Terms(**common)))  # type: ignore[arg-type]
    with_fee = apr_of_schedule(build_schedule(Terms(upfront_fee=Decimal(1000),
                                                    **common)))  # type: ignore[arg-type]
    assert abs(plain.apr - Decimal("0.12")) < Decimal("1e-5")
    assert with_fee.apr > plain.apr + Decimal("0.015")


def test_extreme_rates_do_not_overflow() -> None:
    """A payday-style loan (300 % a month) and a long near-free loan both solve."""
    assert irr([Decimal(100), Decimal(-400)]) == Decimal(3)
    flows = [Decimal(100000)] + [Decimal(-270)] * 360
    assert irr(flows) < 0  # 97,200 back for 100,000: a negative rate


def test_dated_monthly_flows_match_periodic() -> None:
    terms = Terms(principal=Decimal(30000), rate=Rate(Decimal("0.18")), months=12,
                  start=date(2026, 1, 31), method=Method.EQUAL_INSTALLMENT)
    schedule = build_schedule(terms)
    periodic = apr_of_schedule(schedule)
    dated = pboc_apr_dated(schedule.flows())
    assert abs(periodic.apr - dated.apr) < Decimal("1e-10")
    assert abs(periodic.apr - Decimal("0.18")) < Decimal("1e-5")
