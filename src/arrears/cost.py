"""True cost: IRR, XIRR, APR as China's PBOC defines it and APR by US Regulation Z.

Cash flows are from the borrower's side: money received positive, payments negative.
All results are ``Decimal`` with 12 significant digits; the root finding is in
:mod:`arrears.solver` (its docstring states which root is returned when there are several).

* :func:`irr` — rate per period of equally spaced flows (the spreadsheet IRR).
* :func:`xirr` — effective annual rate of dated flows, ACT/365 (the spreadsheet XIRR).
* :func:`pboc_apr` — PBOC Announcement [2021] No. 3: the periodic IRR × periods a year
  (年化利率, the figure lenders must show), with the effective annual rate beside it.
* :func:`regz_apr` — 12 CFR 1026 Appendix J actuarial method: unit periods, a fractional
  unit period at the start of the term at simple interest, APR = rate per unit period ×
  unit periods a year.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal

from arrears.dates import add_months
from arrears.errors import InputError
from arrears.i18n import N_
from arrears.schedule import Schedule
from arrears.solver import Flow, find_rates

__all__ = [
    "Apr",
    "UnitPeriod",
    "apr_of_schedule",
    "irr",
    "pboc_apr",
    "pboc_apr_dated",
    "regz_apr",
    "unit_periods",
    "xirr",
]

_SIGNIFICANT = Context(prec=12)


def to_decimal_rate(value: float) -> Decimal:
    """A float rate as a ``Decimal`` with 12 significant digits."""
    return _SIGNIFICANT.create_decimal(repr(value)).normalize(_SIGNIFICANT) + 0


class UnitPeriod(enum.Enum):
    """Unit periods for dated flows, with their length as Appendix J counts a fraction."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half-year"
    YEAR = "year"

    @property
    def per_year(self) -> int:
        return {"day": 365, "week": 52, "month": 12, "quarter": 4, "half-year": 2,
                "year": 1}[self.value]

    @property
    def months(self) -> int:
        """Whole months in one unit period (0 for days and weeks)."""
        return {"month": 1, "quarter": 3, "half-year": 6, "year": 12}.get(self.value, 0)

    @property
    def days(self) -> int:
        """Days in one unit period when counting a fractional unit period: Appendix J
        (b)(5)(iv) uses 30 days for a month; a week is 7, a year 365."""
        return {"day": 1, "week": 7, "month": 30, "quarter": 90, "half-year": 180,
                "year": 365}[self.value]


def parse_unit_period(text: str, where: str = "--unit-period") -> UnitPeriod:
    key = str(text).strip().lower().replace("_", "-")
    key = {"monthly": "month", "weekly": "week", "daily": "day", "yearly": "year",
           "annual": "year", "quarterly": "quarter", "semiannual": "half-year"}.get(key, key)
    for unit in UnitPeriod:
        if unit.value == key:
            return unit
    raise InputError.one(where, N_('"{text}" is not a unit period; use one of {choices}'),
                         text=text, choices=", ".join(u.value for u in UnitPeriod))


def unit_periods(start: date, when: date, unit: UnitPeriod) -> tuple[int, Decimal]:
    """Whole unit periods and the fraction left from ``start`` to ``when``, counting
    whole periods back from ``when`` (so an odd period falls at the start of the term)."""
    if when < start:
        raise ValueError("a flow before the start of the term")
    whole = 0
    if unit.months:
        back = _month_stepper(when)
        while back(-(whole + 1) * unit.months) >= start:
            whole += 1
        boundary = back(-whole * unit.months)
    else:
        whole = (when - start).days // unit.days
        boundary = when - timedelta(days=whole * unit.days)
    return whole, Decimal((boundary - start).days) / unit.days


def _month_stepper(when: date) -> Callable[[int], date]:
    """Steps whole months from ``when``; from a month's last day, to months' last days
    (Feb 28 back one month is Jan 31), so month-end due dates count as whole months."""
    if when.day != calendar.monthrange(when.year, when.month)[1]:
        return lambda months: add_months(when, months)

    def month_end(months: int) -> date:
        moved = add_months(when, months)
        return moved.replace(day=calendar.monthrange(moved.year, moved.month)[1])

    return month_end


@dataclass(frozen=True, slots=True)
class Apr:
    """An annual percentage rate, as fractions (0.1280 = 12.80 %)."""

    method: str
    periodic_rate: Decimal
    periods_per_year: int
    apr: Decimal
    effective_annual: Decimal
    roots: tuple[Decimal, ...]  # every periodic rate that balances the flows

    @property
    def ambiguous(self) -> bool:
        """True when more than one rate balances the flows."""
        return len(self.roots) > 1


def _amounts(values: Sequence[Decimal | int]) -> list[float]:
    out = []
    for v in values:
        if isinstance(v, float):
            raise TypeError("cash flows must be Decimal or int, not float")
        out.append(float(v))
    return out


def irr(amounts: Sequence[Decimal | int], where: str = "") -> Decimal:
    """Rate per period at which equally spaced ``amounts`` (first at time 0) are worth 0."""
    flows = [Flow(a, float(k)) for k, a in enumerate(_amounts(amounts))]
    return to_decimal_rate(find_rates(flows, where)[0])


def _apr(method: str, roots: tuple[float, ...], per_year: int) -> Apr:
    rate = roots[0]
    return Apr(
        method=method,
        periodic_rate=to_decimal_rate(rate),
        periods_per_year=per_year,
        apr=to_decimal_rate(rate * per_year),
        effective_annual=to_decimal_rate((1 + rate) ** per_year - 1),
        roots=tuple(to_decimal_rate(r) for r in roots),
    )


def pboc_apr(amounts: Sequence[Decimal | int], periods_per_year: int = 12,
             where: str = "") -> Apr:
    """APR of equally spaced flows as the PBOC announcement defines it: the periodic IRR
    × periods a year; ``effective_annual`` is (1 + IRR)^periods − 1."""
    flows = [Flow(a, float(k)) for k, a in enumerate(_amounts(amounts))]
    return _apr("pboc", find_rates(flows, where), periods_per_year)


def _dated(flows: Sequence[tuple[date, Decimal]]) -> tuple[date, list[float]]:
    if not flows:
        raise InputError.one("", N_("no cash flows were given"))
    start = min(d for d, _ in flows)
    return start, _amounts([a for _, a in flows])


def pboc_apr_dated(flows: Sequence[tuple[date, Decimal]],
                   unit: UnitPeriod = UnitPeriod.MONTH, where: str = "") -> Apr:
    """PBOC APR of dated flows: time in unit periods (whole periods counted back from
    each date, the odd days at the start as a fraction, compounded), IRR × periods a year."""
    start, amounts = _dated(flows)
    solver_flows = []
    for (when, _), amount in zip(flows, amounts, strict=True):
        whole, fraction = unit_periods(start, when, unit)
        solver_flows.append(Flow(amount, whole + float(fraction)))
    return _apr("pboc", find_rates(solver_flows, where), unit.per_year)


def regz_apr(flows: Sequence[tuple[date, Decimal]], unit: UnitPeriod = UnitPeriod.MONTH,
             where: str = "") -> Apr:
    """APR by Regulation Z Appendix J: each flow discounted by (1 + f·i)(1 + i)^t, with t
    whole unit periods and f the fraction from the start of the term; APR = i × unit
    periods a year."""
    start, amounts = _dated(flows)
    solver_flows = []
    for (when, _), amount in zip(flows, amounts, strict=True):
        whole, fraction = unit_periods(start, when, unit)
        solver_flows.append(Flow(amount, float(whole), float(fraction)))
    return _apr("regz", find_rates(solver_flows, where), unit.per_year)


def xirr(flows: Sequence[tuple[date, Decimal]], where: str = "") -> Decimal:
    """Effective annual rate of dated flows, time in days / 365 from the first date."""
    start, amounts = _dated(flows)
    solver_flows = [Flow(a, (d - start).days / 365) for (d, _), a in zip(flows, amounts,
                                                                          strict=True)]
    return to_decimal_rate(find_rates(solver_flows, where)[0])


def xirr_apr(flows: Sequence[tuple[date, Decimal]], where: str = "") -> Apr:
    """:func:`xirr` in the shape of an :class:`Apr` (one period a year)."""
    start, amounts = _dated(flows)
    solver_flows = [Flow(a, (d - start).days / 365) for (d, _), a in zip(flows, amounts,
                                                                          strict=True)]
    return _apr("xirr", find_rates(solver_flows, where), 1)


def apr_of_schedule(schedule: Schedule) -> Apr:
    """The PBOC APR of a contract: the amount actually received against every instalment
    (fees included). Instalment k is k months out; a broken first period counts its odd
    days as a fraction of a 30-day month."""
    terms = schedule.terms
    odd = 0.0
    if terms.broken_first_period:
        whole, fraction = unit_periods(terms.start, terms.anchor, UnitPeriod.MONTH)
        odd = whole + float(fraction) - 1
    flows = [Flow(float(terms.amount_received), 0.0)]
    flows += [Flow(float(-row.payment), row.period + odd) for row in schedule.rows]
    if terms.method.value == "bullet":
        flows[1] = Flow(float(-schedule.rows[0].payment), terms.months + odd)
    return _apr("pboc", find_rates(flows), 12)
