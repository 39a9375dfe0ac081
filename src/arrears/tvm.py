"""Spreadsheet time-value-of-money functions in ``Decimal``: PMT, IPMT, PPMT, FV, NPER,
RATE and NPV, with the spreadsheet sign convention (money paid out is negative) and
``when`` = 0 for payments at the end of each period, 1 at the beginning.

They are exact (unrounded) so they can be checked against spreadsheet documentation; the
schedules in :mod:`arrears.schedule` round each instalment as lenders do.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from arrears.cost import to_decimal_rate
from arrears.errors import InputError
from arrears.i18n import N_
from arrears.solver import Flow, find_rates

__all__ = ["fv", "ipmt", "nper", "npv", "pmt", "ppmt", "rate"]

_ZERO = Decimal(0)


def fv(rate: Decimal, periods: int, payment: Decimal, pv: Decimal, when: int = 0) -> Decimal:
    """Future value (FV)."""
    return _future_value(rate, periods, payment, pv, when)


def _future_value(rate: Decimal, periods: int, payment: Decimal, pv: Decimal,
                  when: int) -> Decimal:
    if rate == 0:
        return -(pv + payment * periods)
    growth = (1 + rate) ** periods
    return -(pv * growth + payment * (1 + rate * when) * (growth - 1) / rate)


def pmt(rate: Decimal, periods: int, pv: Decimal, fv: Decimal = _ZERO, when: int = 0) -> Decimal:
    """The level payment (PMT)."""
    if periods <= 0:
        raise InputError.one("nper", N_("must be 1 or more, not {value}"), value=periods)
    if rate == 0:
        return -(pv + fv) / periods
    growth = (1 + rate) ** periods
    return -(pv * growth + fv) * rate / ((1 + rate * when) * (growth - 1))


def ipmt(  # noqa: PLR0917 - the spreadsheet's argument order
    rate: Decimal, period: int, periods: int, pv: Decimal, fv: Decimal = _ZERO, when: int = 0
) -> Decimal:
    """The interest part of payment number ``period`` (IPMT)."""
    if not 1 <= period <= periods:
        raise InputError.one("per", N_("must be from 1 to {most}, not {value}"), most=periods,
                             value=period)
    payment = pmt(rate, periods, pv, fv, when)
    if when == 1:
        if period == 1:
            return _ZERO
        return _future_value(rate, period - 2, payment, pv, 1) * rate
    return _future_value(rate, period - 1, payment, pv, 0) * rate


def ppmt(  # noqa: PLR0917 - the spreadsheet's argument order
    rate: Decimal, period: int, periods: int, pv: Decimal, fv: Decimal = _ZERO, when: int = 0
) -> Decimal:
    """The principal part of payment number ``period`` (PPMT)."""
    return pmt(rate, periods, pv, fv, when) - ipmt(rate, period, periods, pv, fv, when)


def nper(rate: Decimal, payment: Decimal, pv: Decimal, fv: Decimal = _ZERO,
         when: int = 0) -> Decimal:
    """The number of periods (NPER)."""
    if rate == 0:
        return -(pv + fv) / payment
    level = payment * (1 + rate * when)
    ratio = (level - fv * rate) / (level + pv * rate)
    if ratio <= 0:
        raise InputError.one("", N_("no number of periods fits these amounts"))
    return ratio.ln() / (1 + rate).ln()


def rate(periods: int, payment: Decimal, pv: Decimal, fv: Decimal = _ZERO,
         when: int = 0) -> Decimal:
    """The rate per period (RATE): the root closest to zero, as in :mod:`arrears.solver`."""
    flows = [Flow(float(pv), 0.0), Flow(float(fv), float(periods))]
    first = 0 if when == 1 else 1
    flows += [Flow(float(payment), float(k)) for k in range(first, first + periods)]
    return to_decimal_rate(find_rates(flows)[0])


def npv(rate: Decimal, values: Sequence[Decimal]) -> Decimal:
    """Net present value of ``values`` at the ends of periods 1, 2, … (NPV)."""
    total = _ZERO
    for k, value in enumerate(values, start=1):
        total += value / (1 + rate) ** k
    return total
