"""Optional numba kernels: the same loops as the numpy code in
:mod:`arrears.portfolio.kernels`, compiled and run over rows in parallel.

numba is optional. :func:`kernel` returns ``None`` when it is not installed or when
``ARREARS_NO_JIT=1`` is set, and the callers fall back to numpy. The functions below are
plain Python until :func:`kernel` compiles them (``prange`` is ``range`` until then), so
this module imports without numba.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["available", "kernel"]

prange = range  # numba.prange once the kernels are compiled
np: Any = None  # numpy once the kernels are compiled (not imported with this module)
_compiled: dict[str, Callable[..., Any] | None] = {}
_lock = threading.Lock()  # numba's workqueue threading layer is not thread-safe


def start_rate(total: float, weighted: float, squared: float, received: float,
               odd: float) -> float:
    """Where Newton starts: the payment-weighted mean time t and its variance s² give
    ln(total / received) ≈ d·t − d²·s²/2 for the continuous rate d (the first two
    cumulants of the payment times); the root of that quadratic is within a fraction of a
    percent for level payments, so Newton needs two or three steps."""
    if total <= 0 or received <= 0 or total <= received:
        return 0.0
    mean = weighted / total
    spread = max(squared / total - mean * mean, 0.0)
    mean += odd
    growth = math.log(total / received)
    disc = mean * mean - 2 * spread * growth
    if spread > 1e-12 and disc > 0:
        return math.expm1((mean - math.sqrt(disc)) / spread)
    return math.expm1(growth / max(mean, 1e-9))


def _irr(  # noqa: PLR0915 - one loop nest that numba compiles whole
        flows: Any, got: Any, shift: Any, out: Any) -> None:  # pragma: no cover - jitted
    """Blocks of 128 rows side by side: the block's flows are copied column-major once,
    and each Newton step runs the Horner scheme across the 128 rows at once, which the
    compiler turns into vector instructions (one row at a time is bound by the latency of
    the Horner chain). Each row then takes its own bracketed step."""
    size, n = flows.shape
    width = 128
    for block in prange((size + width - 1) // width):
        lo = block * width
        m = min(width, size - lo)
        column = np.zeros((n, width))
        for i in range(m):
            for k in range(n):
                column[k, i] = flows[lo + i, k]
        total = np.zeros(width)
        weighted = np.zeros(width)
        squared = np.zeros(width)
        for k in range(n):
            time = k + 1.0
            for i in range(width):
                value = column[k, i]
                total[i] += value
                weighted[i] += value * time
                squared[i] += value * time * time
        rate = np.zeros(width)
        low = np.zeros(width)
        high = np.full(width, np.inf)
        done = np.ones(width, dtype=np.bool_)
        odd = np.zeros(width)
        received = np.ones(width)
        shifted = False
        for i in range(m):
            odd[i] = shift[lo + i]
            received[i] = got[lo + i]
            rate[i] = start_rate(total[i], weighted[i], squared[i], received[i], odd[i])
            done[i] = False
            shifted |= odd[i] != 0.0
        q = np.zeros(width)
        dq = np.zeros(width)
        v = np.zeros(width)
        for _ in range(100):
            for i in range(width):
                v[i] = 1.0 / (1.0 + rate[i])
                q[i] = 0.0
                dq[i] = 0.0
            for k in range(n - 1, -1, -1):
                for i in range(width):
                    dq[i] = dq[i] * v[i] + q[i]
                    q[i] = q[i] * v[i] + column[k, i]
            remaining = 0
            for i in range(m):
                if done[i]:
                    continue
                value_p = v[i] * q[i]
                w = math.exp(-odd[i] * math.log1p(rate[i])) if shifted else 1.0
                f = received[i] - w * value_p
                df = w * v[i] * (odd[i] * value_p + v[i] * (q[i] + v[i] * dq[i]))
                if f == 0.0 or not df > 0:
                    done[i] = True
                    continue
                if f < 0:
                    low[i] = rate[i]
                else:
                    high[i] = rate[i]
                step = f / df
                candidate = rate[i] - step
                if not low[i] < candidate < high[i]:
                    candidate = (2 * low[i] + 1 if math.isinf(high[i])
                                 else (low[i] + high[i]) / 2)
                elif abs(step) <= 1e-10 * (1 + abs(rate[i])):
                    done[i] = True  # converged: the next step would be below 1e-20
                rate[i] = candidate
                if high[i] - low[i] <= 1e-16 * (1 + low[i]):
                    done[i] = True
                remaining += not done[i]
            if remaining == 0:
                break
        for i in range(m):
            out[lo + i] = rate[i]


def _lawful(  # noqa: PLR0917 - numba kernels take positional arrays
        balance: Any, clock: Any, monthly: Any, bounds: Any, times: Any, flows: Any,
) -> None:  # pragma: no cover - jitted
    for j in prange(len(balance)):
        value = balance[j]
        at = clock[j]
        for i in range(bounds[j], bounds[j + 1]):
            if value > 0:
                value *= math.exp((times[i] - at) * monthly[j])
            value -= flows[i]
            at = times[i]
        balance[j] = value
        clock[j] = at


_KERNELS: dict[str, Callable[..., None]] = {"irr": _irr, "lawful": _lawful}


def available() -> bool:
    """Whether numba kernels are used."""
    return kernel("irr") is not None


def kernel(name: str) -> Callable[..., Any] | None:
    """The compiled kernel ``name``, or ``None`` without numba (or with
    ``ARREARS_NO_JIT=1``)."""
    if os.environ.get("ARREARS_NO_JIT", "") not in ("", "0"):
        return None
    if name not in _compiled:
        try:
            import numba  # noqa: PLC0415 - optional, and slow to import
        except ImportError:
            _compiled[name] = None
        else:
            import numpy  # noqa: PLC0415

            globals()["prange"] = numba.prange
            globals()["np"] = numpy
            if not hasattr(globals()["start_rate"], "py_func"):
                globals()["start_rate"] = numba.njit(cache=True)(start_rate)
            compiled = numba.njit(parallel=True, cache=True, nogil=True)(_KERNELS[name])

            def locked(*args: Any, _run: Callable[..., Any] = compiled) -> Any:
                with _lock:
                    return _run(*args)

            _compiled[name] = locked
    return _compiled[name]
