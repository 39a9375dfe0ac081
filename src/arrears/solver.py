"""Rates of return: the root of a present-value equation, found robustly.

A cash flow ``c`` at time ``e`` (in periods, possibly fractional) with a simple-interest
fraction ``f`` in front of it (Regulation Z Appendix J's odd first period) is worth
``c / ((1 + f·r) · (1 + r)**e)`` at rate ``r``. :func:`find_rates` returns every rate above
−100 % that makes the sum zero.

How roots are found (a bracketed Newton with a bisection fallback):

* When the flows, taken in time order, change sign exactly once, the present value is
  monotonic in ``r`` and there is exactly one root (Descartes' rule of signs). It is
  bracketed by expanding from ``[-0.99, 1]`` and then polished.
* When they change sign more than once there may be several roots. The present value is
  sampled on a fixed grid of rates from −99.9 % to +100,000 % per period; every sign
  change between neighbouring points is a bracket, and each bracket is polished.
* Polishing takes Newton steps while they stay inside the bracket and shrink it, and a
  bisection step otherwise, until the step is below 1e-15 relative.

Which rate is *the* rate when there are several: the one closest to zero (numpy-financial's
rule). It never depends on a starting guess; callers get all roots too, to warn.
No sign change at all, or no root on the grid, is a :class:`~arrears.errors.NoRootError`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from arrears.errors import NoRootError
from arrears.i18n import N_

__all__ = ["Flow", "find_rates", "present_value", "sign_changes"]

_GRID = (
    -0.999, -0.99, -0.95, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.15, -0.1,
    -0.07, -0.05, -0.03, -0.02, -0.01, -0.005, -0.001, 0.0, 0.001, 0.0025, 0.005, 0.0075,
    0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5,
    2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0, 1000.0,
)
_MAX_ITER = 200


@dataclass(frozen=True, slots=True)
class Flow:
    """An amount ``amount`` at ``exponent`` periods, with simple fraction ``fraction``."""

    amount: float
    exponent: float
    fraction: float = 0.0


def present_value(flows: Sequence[Flow], rate: float, shift: float = 0.0) -> tuple[float, float]:
    """The present value of ``flows`` at ``rate`` and its derivative in ``rate``.

    With ``shift`` the value is taken at time ``shift`` instead of 0 (multiplied by
    (1 + rate)**shift, a positive factor, so it has the same roots and signs); the solver
    shifts to the last flow for negative rates, where discounting back to 0 overflows.
    """
    log_growth = math.log1p(rate)
    value = 0.0
    slope = 0.0
    for flow in flows:
        compound = math.exp((shift - flow.exponent) * log_growth)
        simple = 1.0 + flow.fraction * rate
        term = flow.amount * compound / simple
        value += term
        slope -= term * ((flow.exponent - shift) / (1.0 + rate) + flow.fraction / simple)
    return value, slope


def _scaled(flows: Sequence[Flow], rate: float) -> tuple[float, float]:
    """Present value and slope, valued at the last flow's time when the rate is negative
    (same sign and roots; no overflow near −100 %)."""
    shift = max(f.exponent for f in flows) if rate < 0 else 0.0
    return present_value(flows, rate, shift)


def sign_changes(amounts: Sequence[float]) -> int:
    """How often the non-zero amounts change sign, in the order given."""
    signs = [a > 0 for a in amounts if a != 0]
    return sum(1 for a, b in itertools.pairwise(signs) if a != b)


def find_rates(flows: Sequence[Flow], where: str = "") -> tuple[float, ...]:
    """Every rate per period (> −100 %) at which ``flows`` are worth zero, the one closest
    to zero first. Raises :class:`NoRootError` when there is none."""
    ordered = sorted(flows, key=lambda f: f.exponent)
    changes = sign_changes([f.amount for f in ordered])
    if changes == 0:
        raise NoRootError.one(
            where,
            N_("the cash flows never change sign (money must go both ways), so no rate exists"),
        )
    brackets = _single_bracket(ordered) if changes == 1 else _grid_brackets(ordered)
    roots = sorted({_polish(ordered, lo, hi) for lo, hi in brackets}, key=abs)
    if not roots:
        raise NoRootError.one(
            where, N_("no rate between -99.9% and +100000% per period makes these flows balance")
        )
    return tuple(roots)


def _value(flows: Sequence[Flow], rate: float) -> float:
    return _scaled(flows, rate)[0]


def _single_bracket(flows: Sequence[Flow]) -> list[tuple[float, float]]:
    lo, hi = -0.99, 1.0
    f_lo, f_hi = _value(flows, lo), _value(flows, hi)
    while f_lo * f_hi > 0 and lo > -1 + 1e-12:
        lo = -1 + (lo + 1) / 100
        f_lo = _value(flows, lo)
    while f_lo * f_hi > 0 and hi < 1e7:
        hi *= 10
        f_hi = _value(flows, hi)
    return [(lo, hi)] if f_lo * f_hi <= 0 else []


def _grid_brackets(flows: Sequence[Flow]) -> list[tuple[float, float]]:
    values = [_value(flows, r) for r in _GRID]
    found: list[tuple[float, float]] = []
    for (r0, v0), (r1, v1) in zip(zip(_GRID, values, strict=True),
                                  zip(_GRID[1:], values[1:], strict=True), strict=False):
        if v0 == 0:
            found.append((r0, r0))
        elif v0 * v1 < 0:
            found.append((r0, r1))
    if values[-1] == 0:
        found.append((_GRID[-1], _GRID[-1]))
    return found


def _polish(flows: Sequence[Flow], lo: float, hi: float) -> float:
    """Safeguarded Newton inside ``[lo, hi]`` where the value changes sign."""
    if lo == hi:
        return lo
    f_lo = _value(flows, lo)
    rate = 0.0 if lo < 0 < hi else (lo + hi) / 2
    for _ in range(_MAX_ITER):
        value, slope = _scaled(flows, rate)
        if value == 0:
            return rate
        if (value < 0) == (f_lo < 0):
            lo, f_lo = rate, value
        else:
            hi = rate
        step = value / slope if slope else math.inf
        candidate = rate - step
        if not lo < candidate < hi:
            candidate = (lo + hi) / 2
        if abs(candidate - rate) <= 1e-15 * (1 + abs(rate)) or hi - lo <= 1e-16 * (1 + abs(lo)):
            return candidate
        rate = candidate
    return rate
