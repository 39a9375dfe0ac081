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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal

from arrears.dates import add_months
from arrears.errors import InputError
from arrears.i18n import N_
from arrears.schedule import Schedule
from arrears.solver import Flow, find_rates

__all__ = [
    "MONTH",
    "Apr",
    "UnitPeriod",
    "apr_of_schedule",
    "irr",
    "parse_unit_period",
    "pboc_apr",
    "pboc_apr_dated",
    "regz_apr",
    "regz_apr_periods",
    "unit_periods",
    "xirr",
]

_SIGNIFICANT = Context(prec=12)


def to_decimal_rate(value: float) -> Decimal:
    """A float rate as a ``Decimal`` with 12 significant digits."""
    return _SIGNIFICANT.create_decimal(repr(value)).normalize(_SIGNIFICANT) + 0


_BASES = ("day", "week", "semimonth", "month", "year")
_ALIASES = {
    "daily": "day", "days": "day", "weekly": "week", "weeks": "week", "fortnight": "2 weeks",
    "biweekly": "2 weeks", "semi-month": "semimonth", "semimonthly": "semimonth",
    "monthly": "month", "months": "month", "quarter": "3 months", "quarterly": "3 months",
    "half-year": "6 months", "semiannual": "6 months", "yearly": "year", "annual": "year",
    "years": "year", "日": "day", "周": "week", "月": "month", "季": "3 months", "年": "year",
}


@dataclass(frozen=True, slots=True)
class UnitPeriod:
    """A unit period as Regulation Z Appendix J (b)(3)(iii) allows: a day, a week, a
    semimonth, a month, a year, or a multiple of a week or a month."""

    base: str = "month"
    multiple: int = 1

    @property
    def per_year(self) -> int:
        """Unit periods in a year: 365 days, 52 weeks, 24 semimonths, 12 months, 1 year,
        divided by the multiple."""
        return {"day": 365, "week": 52, "semimonth": 24, "month": 12, "year": 1}[
            self.base] // self.multiple

    @property
    def label(self) -> str:
        return self.base if self.multiple == 1 else f"{self.multiple} {self.base}s"


MONTH = UnitPeriod("month")
"""The monthly unit period, the default."""


def parse_unit_period(text: str, where: str = "--unit-period") -> UnitPeriod:
    """``month``, ``week``, ``day``, ``semimonth``, ``year``, ``quarter``, ``half-year``,
    ``2 weeks``, ``4 weeks``, ``2 months`` … (weeks dividing 52, months dividing 12)."""
    key = " ".join(str(text).strip().lower().replace("_", "-").split())
    key = _ALIASES.get(key, key)
    count, _, base = key.partition(" ") if " " in key else ("1", "", key)
    base = _ALIASES.get(base, base).removesuffix("s") if base not in _BASES else base
    valid = {"week": (1, 2, 4, 13, 26), "month": (1, 2, 3, 4, 6)}
    if count.isdigit() and base in _BASES and (
        int(count) == 1 or int(count) in valid.get(base, ())
    ):
        return UnitPeriod(base, int(count))
    raise InputError.one(where, N_('"{text}" is not a unit period; use one of {choices}'),
                         text=text, choices="day, week, 2 weeks, 4 weeks, semimonth, month, "
                         "quarter, half-year, year")


def _months_back(start: date, when: date, step: int) -> tuple[int, date]:
    """Whole steps of ``step`` months counted back from ``when`` staying on or after
    ``start`` (month ends step to month ends, (b)(3)(iv)), and the date reached."""
    back = _month_stepper(when)
    whole = 0
    while back(-(whole + 1) * step) >= start:
        whole += 1
    return whole, back(-whole * step)


def unit_periods(start: date, when: date, unit: UnitPeriod) -> tuple[int, Decimal]:
    """Whole unit periods and the fraction from ``start`` to ``when`` as Appendix J
    (b)(5) counts them: whole periods back from the later date, the odd days forward from
    the earlier one; a month's fraction is days / 30; a semimonth or a multiple of a month
    counts months as 30 days; a year's fraction is months / 12, or days / 365."""
    if when < start:
        raise ValueError("a flow before the start of the term")
    if unit.base in ("day", "week"):
        length = unit.multiple * (7 if unit.base == "week" else 1)
        whole, rest = divmod((when - start).days, length)
        return whole, Decimal(rest) / length
    if unit.base == "year":
        whole, boundary = _months_back(start, when, 12)
        months, inner = _months_back(start, boundary, 1)
        if inner == start:
            return whole, Decimal(months) / 12
        return whole, Decimal((boundary - start).days) / 365
    months, boundary = _months_back(start, when, 1)
    odd_days = (boundary - start).days
    if unit.base == "month" and unit.multiple == 1:
        return months, Decimal(odd_days) / 30
    length = 15 if unit.base == "semimonth" else 30 * unit.multiple
    whole, rest = divmod(30 * months + odd_days, length)
    return whole, Decimal(rest) / length


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
                   unit: UnitPeriod = MONTH, where: str = "") -> Apr:
    """PBOC APR of dated flows: time in unit periods (whole periods counted back from
    each date, the odd days at the start as a fraction, compounded), IRR × periods a year."""
    start, amounts = _dated(flows)
    solver_flows = []
    for (when, _), amount in zip(flows, amounts, strict=True):
        whole, fraction = unit_periods(start, when, unit)
        solver_flows.append(Flow(amount, whole + float(fraction)))
    return _apr("pboc", find_rates(solver_flows, where), unit.per_year)


def regz_apr(flows: Sequence[tuple[date, Decimal]], unit: UnitPeriod = MONTH,
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


def regz_apr_periods(advance: Decimal, payments: Sequence[tuple[Decimal, int, Decimal]],
                     per_year: int, where: str = "") -> Apr:
    """Regulation Z APR from the general equation with the unit periods already counted:
    one advance at the start, each payment as (amount, whole periods t, fraction f)."""
    flows = [Flow(float(advance), 0.0)]
    flows += [Flow(-float(amount), float(t), float(f)) for amount, t, f in payments]
    return _apr("regz", find_rates(flows, where), per_year)


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
        whole, fraction = unit_periods(terms.start, terms.anchor, MONTH)
        odd = whole + float(fraction) - 1
    flows = [Flow(float(terms.amount_received), 0.0)]
    flows += [Flow(float(-row.payment), row.period + odd) for row in schedule.rows]
    if terms.method.value == "bullet":
        flows[1] = Flow(float(-schedule.rows[0].payment), terms.months + odd)
    return _apr("pboc", find_rates(flows), 12)
