"""Hypothesis strategies for loans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from arrears.dates import DayCount
from arrears.rate import Rate, RateBasis
from arrears.terms import Accrual, Method, Terms

amounts = st.decimals(min_value=Decimal("100"), max_value=Decimal("5000000"), places=2)
annual_rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.36"), places=4)


@st.composite
def loan_terms(draw: st.DrawFn, methods: tuple[Method, ...] = tuple(Method)) -> Terms:
    principal = draw(amounts)
    method = draw(st.sampled_from(methods))
    months = draw(st.integers(min_value=1, max_value=360 if method is not Method.FLAT_FEE
                              else 60))
    start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)))
    fee_rate = draw(st.sampled_from([Decimal(0), Decimal("0.003"), Decimal("0.006")]))
    return Terms(
        principal=principal,
        rate=Rate(draw(annual_rates), RateBasis.ANNUAL),
        months=months,
        start=start,
        method=method,
        day_count=draw(st.sampled_from(list(DayCount))),
        accrual=draw(st.sampled_from(list(Accrual))),
        fee_rate=fee_rate,
    )
