"""Vectorised kernels: contractual schedules in integer fen, contract APR by IRR, the
lawful balance at a cap, and where each loan stands on a date.

Loans are processed in :class:`Block` s of loans with the same number of instalments, so a
schedule is a ``(loans, instalments)`` matrix. The rules are those of the exact engine
(:mod:`arrears.schedule`, :mod:`arrears.cost`, :mod:`arrears.audit`, :mod:`arrears.engine`)
and ``tests/test_portfolio.py`` checks them against it loan by loan:

* *Rounding.* Interest for a period is ``balance × rate`` rounded half-up to the fen. With
  the rate as an exact fraction ``num / den`` (as the exact engine holds it too: 0.1 / 12
  is not a finite decimal) this is integer arithmetic: ``q, r = divmod(balance × num,
  den)``, up when ``2r >= den`` — an exact tie ``2r == den`` is half a fen and goes up.
  The level payment (PMT) is a float formula; when its fraction of a fen is within 1e-7 of
  one half it is recomputed exactly with :func:`arrears.schedule.level_payment`.
* *Exact fallback.* A loan whose figures would overflow int64 arithmetic (an enormous
  principal, a rate with many digits) has its schedule built by
  :func:`arrears.schedule.build_schedule` and is carried on in the same matrices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from arrears.portfolio import dates as vd
from arrears.portfolio.schema import METHODS, Loans

if TYPE_CHECKING:
    import numpy.typing as npt

    from arrears.terms import Terms

    Array = npt.NDArray[Any]

__all__ = [
    "BULLET",
    "EQUAL_INSTALLMENT",
    "Block",
    "Standing",
    "apr",
    "blocks",
    "bucket_index",
    "build_block",
    "lawful_contract",
    "lawful_paid",
    "standing",
    "terms_of",
]

EQUAL_INSTALLMENT, EQUAL_PRINCIPAL, INTEREST_FIRST, BULLET, FLAT_FEE = range(5)
assert METHODS == ("equal_installment", "equal_principal", "interest_first", "bullet",
                   "flat_fee")
_LIMIT = 2**62  # products stay below this in int64
_MAX_DEN = 10**11  # rate denominators above this take the exact path
_TIE = 1e-7  # float results this close to half a fen are recomputed exactly
_BLOCK_CELLS = 2**22  # loans × instalments per block: 32 MB per int64 matrix


@dataclass(slots=True)
class Block:
    """The schedules of loans ``index`` (positions in their :class:`Loans`), each with
    ``n`` instalments. Bullet loans are a row with ``n - 1`` empty instalments before the
    one at maturity. ``odd`` is the broken first period in months (0 when the first due
    date is one month after the start), ``odd_whole`` and ``odd_days`` its parts as
    :func:`arrears.cost.unit_periods` counts them."""

    index: Array
    n: int
    payment: Array
    principal: Array
    interest: Array
    due: Array
    odd: Array
    odd_whole: Array
    odd_days: Array
    exact: Array  # built by the exact engine

    def __len__(self) -> int:
        return len(self.index)


def blocks(loans: Loans) -> list[Array]:
    """Positions of the loans grouped by number of instalments, in blocks of a bounded
    size (a 360-month loan takes ten times the room of a 36-month one)."""
    import numpy as np  # noqa: PLC0415 - numpy only when the portfolio runs

    out: list[Array] = []
    order = np.argsort(loans.months, kind="stable")
    months = loans.months[order]
    edges = np.flatnonzero(np.diff(months)) + 1
    for group in np.split(order, edges):
        if not len(group):
            continue
        rows = max(1, _BLOCK_CELLS // int(loans.months[group[0]]))
        out.extend(group[i:i + rows] for i in range(0, len(group), rows))
    return out


def _round_product(base: Array, num: Array, den: Array, *, mult: Array | int) -> Array:
    """``base × num × mult / den`` rounded half-up, exactly (all non-negative int64)."""
    product = base * num * mult
    quotient = product // den
    twice = 2 * (product - quotient * den)
    result: Array = quotient + (twice >= den)
    return result


def _fen(value: Decimal) -> int:
    return int(value.scaleb(2))


def _dec(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2)


def terms_of(loans: Loans, i: int) -> Terms:
    """The exact engine's :class:`~arrears.terms.Terms` of loan ``i``."""
    from arrears.dates import DayCount  # noqa: PLC0415
    from arrears.terms import Accrual, Method, Terms  # noqa: PLC0415

    info = loans.rates[int(loans.rate[i])]
    first_due = int(loans.first_due[i])
    return Terms(
        principal=_dec(loans.principal[i]), rate=info.rate, months=int(loans.months[i]),
        start=vd.from_day(int(loans.start[i])), method=list(Method)[int(loans.method[i])],
        first_due=vd.from_day(first_due) if first_due >= 0 else None,
        day_count=list(DayCount)[int(loans.day_count[i])],
        accrual=list(Accrual)[int(loans.accrual[i])],
        fee_rate=loans.fee_rates[int(loans.fee_rate[i])],
        upfront_fee=_dec(loans.upfront[i]),
        received=_dec(loans.received[i]) if loans.received_given[i] else None,
    )


def _rate_arrays(loans: Loans) -> dict[str, Array]:
    """Per distinct rate: numerators and denominators, as arrays."""
    import numpy as np  # noqa: PLC0415

    def part(values: list[int]) -> Array:
        return np.array([v if abs(v) < _LIMIT else 0 for v in values], dtype=np.int64)

    rates = loans.rates
    m_num = [r.monthly_q.numerator for r in rates]
    m_den = [r.monthly_q.denominator for r in rates]
    d_num = [r.daily_q.numerator for r in rates]
    d_den = [r.daily_q.denominator for r in rates]
    fast = [max(a, c) < _LIMIT and max(b, d) <= _MAX_DEN
            for a, b, c, d in zip(m_num, m_den, d_num, d_den, strict=True)]
    return {
        "m_num": part(m_num), "m_den": np.maximum(part(m_den), 1),
        "d_num": part(d_num), "d_den": np.maximum(part(d_den), 1),
        "m_float": np.array([float(r.monthly_q) for r in rates], dtype=np.float64),
        "fast": np.array(fast, dtype=bool),
    }


def _fee_arrays(loans: Loans) -> dict[str, Array]:
    import numpy as np  # noqa: PLC0415

    nums, dens = [], []
    for fee in loans.fee_rates:
        num, den = fee.as_integer_ratio()
        ok = 0 <= num < _LIMIT and den <= _MAX_DEN
        nums.append(num if ok else 0)
        dens.append(den if ok else 0)
    return {"num": np.array(nums, dtype=np.int64), "den": np.array(dens, dtype=np.int64)}


@dataclass(slots=True)
class _Prep:
    """What the schedule kernels need of the loans of one block, per loan."""

    loans: Loans
    index: Array
    n: int
    principal: Array
    start: Array
    method: Array
    rate: Array
    due: Array
    days: Array  # day-count days of each period (a bullet's last: the whole term)
    broken: Array
    daily: Array  # accrues daily every period
    odd: Array
    odd_whole: Array
    odd_days: Array
    fast: Array  # takes the integer path
    rates: dict[str, Array]
    fees: dict[str, Array]

    def monthly(self) -> tuple[Array, Array]:
        """Numerator and denominator of the monthly rate."""
        return self.rates["m_num"][self.rate], self.rates["m_den"][self.rate]

    def daily_rate(self) -> tuple[Array, Array]:
        """Numerator and denominator of the daily rate."""
        return self.rates["d_num"][self.rate], self.rates["d_den"][self.rate]


def _prepare(loans: Loans, index: Array, cache: dict[str, Any]) -> _Prep:
    import numpy as np  # noqa: PLC0415

    if "rates" not in cache:
        cache["rates"], cache["fees"] = _rate_arrays(loans), _fee_arrays(loans)
    ra, fa = cache["rates"], cache["fees"]
    index = np.asarray(index, dtype=np.int64)
    size, n = len(index), int(loans.months[index[0]])
    principal, start = loans.principal[index], loans.start[index]
    method, rate, dc = loans.method[index], loans.rate[index], loans.day_count[index]
    has_first = loans.first_due[index] >= 0
    base = np.where(has_first, loans.first_due[index], start)
    due = vd.add_months(np.repeat(base, n), np.tile(np.arange(n), size)
                        + np.repeat(np.where(has_first, 0, 1), n)).reshape(size, n)
    broken = due[:, 0] != vd.add_months(start, 1)
    odd_whole = np.zeros(size, dtype=np.int64)
    odd_days = np.zeros(size, dtype=np.int64)
    if broken.any():
        odd_whole[broken], odd_days[broken] = vd.month_fraction(start[broken], due[broken, 0])
    daily = loans.accrual[index] == 1
    days = np.ones((size, n), dtype=np.int64)
    if (daily | broken).any():
        previous = np.concatenate([start[:, None], due[:, :-1]], axis=1)
        days = np.maximum(vd.day_count_days(previous.ravel(), due.ravel(),
                                            np.repeat(dc, n)).reshape(size, n), 0)
    bullet = method == BULLET
    if bullet.any():
        days[bullet, -1] = np.maximum(vd.day_count_days(start, due[:, -1], dc)[bullet], 0)
    # The integer path: products below 2**62, denominators bounded.
    fee_rate = loans.fee_rate[index]
    f_num, f_den = fa["num"][fee_rate], fa["den"][fee_rate]
    big = principal.astype(np.float64)
    reach = big * np.maximum(ra["m_num"][rate] * np.where(bullet, n, 1),
                             ra["d_num"][rate] * days.max(axis=1)).astype(np.float64)
    fast = ra["fast"][rate] & (f_den > 0) & (reach < _LIMIT / 4) & (big * f_num < _LIMIT / 4)
    return _Prep(loans=loans, index=index, n=n, principal=principal, start=start,
                 method=method, rate=rate, due=due, days=days, broken=broken, daily=daily,
                 odd=np.where(broken, odd_whole + odd_days / 30 - 1, 0.0),
                 odd_whole=odd_whole, odd_days=odd_days, fast=fast, rates=ra, fees=fa)


def _fees(prep: _Prep) -> Array:
    """round_money(principal × fee_rate) per instalment."""
    import numpy as np  # noqa: PLC0415

    fee_rate = prep.loans.fee_rate[prep.index]
    num, den = prep.fees["num"][fee_rate], np.maximum(prep.fees["den"][fee_rate], 1)
    fee = _round_product(prep.principal, num, den, mult=1)
    result: Array = np.where(prep.fast, fee, 0)
    return result


def _levels(prep: _Prep) -> Array:
    """The level payment (PMT) of equal-instalment loans: a float formula, recomputed
    exactly by :func:`arrears.schedule.level_payment` within 1e-7 of half a fen; principal
    / n half up at a zero rate."""
    import numpy as np  # noqa: PLC0415

    from arrears.schedule import level_payment  # noqa: PLC0415

    n, principal = prep.n, prep.principal
    level: Array = (2 * principal + n) // (2 * n)
    m_num = prep.rates["m_num"][prep.rate]
    rows = np.flatnonzero(prep.fast & (prep.method == EQUAL_INSTALLMENT) & (m_num > 0))
    if len(rows):
        m = prep.rates["m_float"][prep.rate[rows]]
        growth_less_one = np.expm1(n * np.log1p(m))
        raw = principal[rows] * m * (growth_less_one + 1) / growth_less_one
        level[rows] = np.floor(raw + 0.5).astype(np.int64)
        near = np.abs(raw - np.floor(raw) - 0.5) < _TIE + raw * 1e-12
        for k in np.flatnonzero(near).tolist():
            r = int(rows[k])
            monthly = prep.loans.rates[int(prep.rate[r])].monthly_q
            level[r] = _fen(level_payment(_dec(principal[r]), monthly, n))
    return level


def _regular(prep: _Prep, fee: Array, pay: Array, prin: Array, intr: Array) -> None:
    """Instalment by instalment for the methods other than bullet: interest on the
    balance, then the principal the method repays; the last instalment clears the rest."""
    import numpy as np  # noqa: PLC0415

    n, method = prep.n, prep.method
    level, even = _levels(prep), (2 * prep.principal + n) // (2 * n)
    m_num, m_den = prep.monthly()
    d_num, d_den = prep.daily_rate()
    regular = method != BULLET
    balance = np.where(prep.fast & regular, prep.principal, 0)
    for k in range(n):
        daily = prep.daily | (prep.broken & (k == 0))
        interest = _round_product(balance, np.where(daily, d_num, m_num),
                                  np.where(daily, d_den, m_den),
                                  mult=np.where(daily, prep.days[:, k], 1))
        if k == n - 1:
            part = balance
        else:
            part = np.where(method == EQUAL_INSTALLMENT,
                            np.minimum(balance, np.maximum(0, level - interest)),
                            np.where(method == INTEREST_FIRST, 0, np.minimum(balance, even)))
        interest = np.where(regular, interest, 0)
        balance = balance - part
        prin[:, k], intr[:, k] = part, interest
        pay[:, k] = part + interest + np.where(regular, fee, 0)


def _bullets(prep: _Prep, fee: Array, pay: Array, prin: Array, intr: Array) -> None:
    """Everything at maturity: simple interest over the term (monthly rate × months, or
    the daily rate × days), the fee for every period."""
    import numpy as np  # noqa: PLC0415

    rows = np.flatnonzero((prep.method == BULLET) & prep.fast)
    if not len(rows):
        return
    n = prep.n
    uses = (prep.daily | prep.broken)[rows]
    principal = prep.principal[rows]
    m_num, m_den = prep.monthly()
    d_num, d_den = prep.daily_rate()
    interest = _round_product(
        principal, np.where(uses, d_num[rows], m_num[rows]),
        np.where(uses, d_den[rows], m_den[rows]), mult=np.where(uses, prep.days[rows, -1], n))
    prin[rows, -1], intr[rows, -1] = principal, interest
    pay[rows, -1] = principal + interest + fee[rows] * n


def build_block(loans: Loans, index: Array, cache: dict[str, Any] | None = None) -> Block:
    """The contractual schedules of loans ``index`` (all with the same number of
    instalments), in integer fen, equal to :func:`arrears.schedule.build_schedule`."""
    import numpy as np  # noqa: PLC0415

    from arrears.schedule import build_schedule  # noqa: PLC0415

    prep = _prepare(loans, index, cache if cache is not None else {})
    size, n = len(prep.index), prep.n
    pay = np.zeros((size, n), dtype=np.int64)
    prin = np.zeros((size, n), dtype=np.int64)
    intr = np.zeros((size, n), dtype=np.int64)
    fee = _fees(prep)
    _regular(prep, fee, pay, prin, intr)
    _bullets(prep, fee, pay, prin, intr)
    for j in np.flatnonzero(~prep.fast).tolist():  # the exact engine builds these
        schedule = build_schedule(terms_of(loans, int(prep.index[j])))
        pay[j], prin[j], intr[j] = 0, 0, 0
        columns = [n - 1] if len(schedule.rows) == 1 and n > 1 else range(n)
        for column, row in zip(columns, schedule.rows, strict=True):
            pay[j, column] = _fen(row.payment)
            prin[j, column] = _fen(row.principal)
            intr[j, column] = _fen(row.interest)
    return Block(index=prep.index, n=n, payment=pay, principal=prin, interest=intr,
                 due=prep.due, odd=prep.odd, odd_whole=prep.odd_whole,
                 odd_days=prep.odd_days, exact=~prep.fast)


# -- the contract APR -----------------------------------------------------------------------

def apr(payment: Array, received: Array, odd: Array, *, use_jit: bool | None = None) -> Array:
    """The PBOC APR of each row: 12 × the monthly IRR of ``received`` at time 0 against
    ``payment[:, k]`` at ``k + 1 + odd`` months (:func:`arrears.cost.apr_of_schedule`).

    Every payment is >= 0 and they add up to at least ``received`` (a contract repays at
    least its principal), so the present value is concave and increasing in the rate with
    one root at or above 0. A bracketed Newton from a compounding estimate converges in a
    handful of steps, monotonically once left of the root; a step leaving the bracket
    bisects it. With numba installed the rows run in parallel; otherwise blocks of rows go
    through a Horner scheme in numpy."""
    import numpy as np  # noqa: PLC0415

    flows = np.ascontiguousarray(payment, dtype=np.float64)
    got = np.asarray(received, dtype=np.float64)
    shift = np.asarray(odd, dtype=np.float64)
    if use_jit is not False:
        from arrears.portfolio import jit  # noqa: PLC0415

        kernel = jit.kernel("irr")
        if kernel is not None:
            rate = np.empty(len(got))
            kernel(flows, got, shift, rate)
            result: Array = rate * 12
            return result
        if use_jit:
            raise RuntimeError("numba is not installed")
    rate = np.empty(len(got))
    step = 4096
    for lo in range(0, len(got), step):
        rate[lo:lo + step] = _irr_numpy(flows[lo:lo + step], got[lo:lo + step],
                                        shift[lo:lo + step])
    result = rate * 12
    return result


def _start_rates(total: Array, weighted: Array, squared: Array, got: Array,
                 shift: Array) -> Array:
    """:func:`arrears.portfolio.jit.start_rate` for whole arrays."""
    import numpy as np  # noqa: PLC0415

    with np.errstate(divide="ignore", invalid="ignore"):
        valid = (total > 0) & (got > 0) & (total > got)
        mean = np.where(valid, weighted / np.where(valid, total, 1), 1.0)
        spread = np.maximum(np.where(valid, squared / np.where(valid, total, 1), 1.0)
                            - mean * mean, 0.0)
        mean = mean + shift
        growth = np.log(np.where(valid, total / np.where(valid, got, 1), 1.0))
        disc = mean * mean - 2 * spread * growth
        quadratic = (spread > 1e-12) & (disc > 0)
        rate = np.where(quadratic,
                        np.expm1((mean - np.sqrt(np.maximum(disc, 0)))
                                 / np.where(quadratic, spread, 1)),
                        np.expm1(growth / np.maximum(mean, 1e-9)))
    result: Array = np.where(valid, rate, 0.0)
    return result


def _irr_numpy(flows: Array, got: Array, shift: Array) -> Array:
    import numpy as np  # noqa: PLC0415

    size, n = flows.shape
    times = np.arange(1, n + 1, dtype=np.float64)
    total, weighted, squared = flows.sum(axis=1), flows @ times, flows @ (times * times)
    rate = _start_rates(total, weighted, squared, got, shift)
    low = np.zeros(size)
    high = np.full(size, np.inf)
    active = np.arange(size)
    columns = np.ascontiguousarray(flows.T)
    for _ in range(100):
        if not len(active):
            break
        r = rate[active]
        v = 1.0 / (1.0 + r)
        q = np.zeros(len(active))
        dq = np.zeros(len(active))
        for k in range(n - 1, -1, -1):
            dq = dq * v + q
            q = q * v + columns[k, active]
        value_p = v * q
        slope_p = q + v * dq
        w = np.exp(-shift[active] * np.log1p(r))
        f = got[active] - w * value_p
        df = w * v * (shift[active] * value_p + v * slope_p)
        below = f < 0
        low[active] = np.where(below, r, low[active])
        high[active] = np.where(below, high[active], r)
        step = np.where(df > 0, f / np.where(df > 0, df, 1), 0.0)
        candidate = r - step
        lo, hi = low[active], high[active]
        outside = (candidate <= lo) | (candidate >= hi)
        candidate = np.where(outside, np.where(np.isinf(hi), 2 * lo + 1, (lo + hi) / 2),
                             candidate)
        done = (np.abs(candidate - r) <= 1e-15 * (1 + np.abs(r))) | (f == 0) | (
            hi - lo <= 1e-16 * (1 + lo))
        rate[active] = np.where(f == 0, r, candidate)
        active = active[~done]
    result: Array = rate
    return result


# -- the lawful balance at a cap (arrears.audit.lawful_balance) -----------------------------

def _round_away(value: Array) -> Array:
    """Half away from zero to whole fen (Decimal ROUND_HALF_UP) of float fen."""
    import numpy as np  # noqa: PLC0415

    result: Array = np.sign(value) * np.floor(np.abs(value) + 0.5)
    return result.astype(np.int64)


def _near_half(value: Array, scale: Array) -> Array:
    import numpy as np  # noqa: PLC0415

    magnitude = np.abs(value)
    result: Array = np.abs(magnitude - np.floor(magnitude) - 0.5) < _TIE + scale * 1e-12
    return result


def lawful_contract(block: Block, received: Array, cap: Array,
                    cap_exact: Callable[[int], Decimal | None], bullet: Array) -> Array:
    """The lawful balance (fen) at maturity if paid as agreed: ``received`` grown at
    ``cap`` compounded monthly while positive, less each instalment on its date
    (:func:`arrears.audit.lawful_balance`). ``cap_exact(row)`` is the row's cap as the
    engine holds it, for the rows recomputed exactly near half a fen."""
    import numpy as np  # noqa: PLC0415

    from arrears.audit import lawful_balance  # noqa: PLC0415

    monthly = np.log1p(np.nan_to_num(cap) / 12)
    balance = received.astype(np.float64)
    growth = np.exp(monthly)
    for k in range(block.n):
        factor = np.exp((1 + block.odd) * monthly) if k == 0 else growth
        balance = np.where(balance > 0, balance * factor, balance) - block.payment[:, k]
    result = _round_away(balance)
    scale = received + block.payment.sum(axis=1)
    for j in np.flatnonzero(_near_half(balance, scale.astype(np.float64))).tolist():
        rate = cap_exact(j)
        if rate is None:
            continue
        odd = block.odd_whole[j] + Decimal(int(block.odd_days[j])) / 30 - 1 if block.odd[j] \
            else Decimal(0)
        flows = [(Decimal(k + 1) + odd, _dec(block.payment[j, k])) for k in range(block.n)
                 if block.payment[j, k] or k == block.n - 1]
        if bullet[j]:
            flows = [(Decimal(block.n) + odd, _dec(block.payment[j, -1]))]
        result[j] = _fen(lawful_balance(_dec(received[j]), flows, flows[-1][0], rate))
    return result


def lawful_paid(start: Array, received: Array, cap: Array, *,
                cap_exact: Callable[[int], Decimal | None], loan: Array, day: Array,
                amount: Array, as_of: int) -> Array:
    """The lawful balance (fen) on ``as_of`` of each loan with the payments it made
    (``loan``, ``day``, ``amount``, sorted by loan then date, all on or before ``as_of`` and
    on or after the loan's start): the engine's ``lawful_balance(received, payments, now,
    cap)`` with times in months as :func:`arrears.cost.unit_periods` counts them."""
    import numpy as np  # noqa: PLC0415

    from arrears.audit import lawful_balance  # noqa: PLC0415

    size = len(start)
    monthly = np.log1p(np.nan_to_num(cap) / 12)
    whole, odd = vd.month_fraction(start[loan], day)
    times = whole + odd / 30
    now_whole, now_odd = vd.month_fraction(start, np.full(size, as_of))
    now = now_whole + now_odd / 30
    balance = received.astype(np.float64)
    clock = np.zeros(size)
    bounds = np.searchsorted(loan, np.arange(size + 1))
    counts = np.diff(bounds)
    from arrears.portfolio import jit  # noqa: PLC0415

    kernel = jit.kernel("lawful")
    flows = amount.astype(np.float64)
    if kernel is not None:
        kernel(balance, clock, monthly, bounds, times, flows)
    else:
        for ordinal in range(int(counts.max()) if size and len(loan) else 0):
            rows = np.flatnonzero(counts > ordinal)
            at = bounds[rows] + ordinal
            grown = balance[rows] * np.exp((times[at] - clock[rows]) * monthly[rows])
            balance[rows] = np.where(balance[rows] > 0, grown, balance[rows]) - flows[at]
            clock[rows] = times[at]
    later = (balance > 0) & (now > clock)
    balance = np.where(later, balance * np.exp((now - clock) * monthly), balance)
    result = _round_away(balance)
    paid = np.zeros(size)
    np.add.at(paid, loan, flows)
    for j in np.flatnonzero(_near_half(balance, received + paid)).tolist():
        rate = cap_exact(j)
        if rate is None:
            continue
        lo, hi = int(bounds[j]), int(bounds[j + 1])
        flows_j = [(int(whole[i]) + Decimal(int(odd[i])) / 30, _dec(amount[i]))
                   for i in range(lo, hi)]
        end = int(now_whole[j]) + Decimal(int(now_odd[j])) / 30
        result[j] = _fen(lawful_balance(_dec(received[j]), flows_j, end, rate))
    return result


# -- where a loan stands on a date ----------------------------------------------------------

@dataclass(slots=True)
class Standing:
    """Each loan of a block on a date, under the portfolio's allocation: payments go to
    the oldest instalment first (within it fees, interest, then principal), nothing is
    charged for lateness, and money beyond what is due is held as credit."""

    dpd: Array
    balance: Array  # principal outstanding
    overdue: Array  # instalments unpaid after their due date
    payoff: Array  # what settles the loan that day
    paid: Array


def standing(block: Block, start: Array, bullet: Array, paid: Array, on: int) -> Standing:
    """Days past due, principal outstanding, overdue amount and payoff on day ``on`` of
    loans that have paid ``paid`` (fen) by then, as :func:`arrears.engine.position` gives
    them for a loan without penalty interest, late fees or acceleration."""
    import numpy as np  # noqa: PLC0415

    size, n = block.payment.shape
    rows = np.arange(size)
    cumulative = np.cumsum(block.payment, axis=1)
    cum_principal = np.cumsum(block.principal, axis=1)
    due_count = (block.due <= on).sum(axis=1)
    before = (block.due < on).sum(axis=1)
    owed_due = np.where(due_count > 0, cumulative[rows, np.maximum(due_count - 1, 0)], 0)
    applied = np.minimum(paid, owed_due)
    credit = paid - applied
    covered = (cumulative <= applied[:, None]).sum(axis=1)  # instalments fully paid
    oldest = np.minimum(covered, n - 1)
    late = covered < due_count
    dpd = np.where(late, np.maximum(on - block.due[rows, oldest], 0), 0)
    # Principal repaid: whole instalments, then what reaches principal in the next one.
    whole = np.where(covered > 0, cum_principal[rows, np.maximum(covered - 1, 0)], 0)
    into = applied - np.where(covered > 0, cumulative[rows, np.maximum(covered - 1, 0)], 0)
    charges = block.payment[rows, oldest] - block.principal[rows, oldest]
    partial = np.where(late, np.clip(into - charges, 0, block.principal[rows, oldest]), 0)
    principal_total = cum_principal[:, -1]
    balance = principal_total - whole - partial
    owed_before = np.where(before > 0, cumulative[rows, np.maximum(before - 1, 0)], 0)
    overdue = np.maximum(owed_before - paid, 0)
    # Contract interest accrued in the current period (the first not yet due), pro rata.
    nxt = np.where(bullet, n - 1, np.minimum(due_count, n - 1))
    pending = due_count < n
    period_start = np.where(bullet | (nxt == 0), start,
                            block.due[rows, np.maximum(nxt - 1, 0)])
    length = block.due[rows, nxt] - period_start
    elapsed = np.clip(on - period_start, 0, np.maximum(length, 0))
    interest = block.interest[rows, nxt]
    accrued = np.where(pending & (length > 0),
                       (2 * interest * elapsed + length) // (2 * np.maximum(length, 1)), 0)
    not_due_principal = principal_total - np.where(
        due_count > 0, cum_principal[rows, np.maximum(due_count - 1, 0)], 0)
    outstanding = (owed_due - applied) + not_due_principal
    payoff = np.maximum(outstanding + accrued - credit, 0)
    return Standing(dpd=dpd, balance=balance, overdue=overdue, payoff=payoff, paid=paid)


def bucket_index(dpd: Array) -> Array:
    """0 for M0 (current), 1 for M1 (1–30 days) … 7 for M7+ (more than 180)
    (:func:`arrears.position.bucket_of`)."""
    import numpy as np  # noqa: PLC0415

    result: Array = np.where(dpd <= 0, 0, np.minimum((dpd - 1) // 30 + 1, 7))
    return result
