"""The least-cost plan: a linear programme on a monthly model of the debts, solved with HiGHS.

The model starts from the exact engine — each debt's payoff, what is due and what is past
due on its first payment date — and then runs month by month on linear approximations of
the contracts. Its schedule is only a decision: every figure a plan shows comes from
replaying it through the exact engine (:mod:`arrears.plan.replay`, with :func:`decider`).

**Indices.** Debts *d* whose payoff on their first payment date is above 0 (a debt already
paid has no variables and is paid nothing); months *m* = 0 … T−1 (T = ``PlanInput.months``).
Debt *d*'s month-*m* payment is made on ``payment_date(d, start, m)``.

**Data from the exact engine** (``Tracker(d).position(payment_date(d, start, 0))``):
B⁰ = ``payoff``; D⁰ = ``due_amount`` (what must be paid to be current); N⁰ = D⁰ −
``overdue_amount`` (the part falling due that day), both at most B⁰ and at least 0.

**Loans.** I[m] = the contractual instalments (``build_schedule(terms)``) due after the first
payment date, summed by calendar month (month 0 = the start month; an instalment due later in
month 0 than the payment date belongs to month 0 and is paid early). Then

* D = D⁰ + I[0], N = N⁰ + I[0]: month 0's need and its newly due part;
* r = the monthly rate at which the instalments I[m] are worth B⁰ − D⁰ (Σ I[m]/(1+r)^m =
  B⁰ − D⁰, found by bisection in [0, 1]; fees count as cost, as the avalanche strategy ranks
  loans by IRR); with nothing left to fall due (matured, accelerated) r = the contract rate
  / 12;
* the contract path S[0] = B⁰ − D, S[m] = S[m−1]·(1+r) − I[m] (at least 0; 0 from the month
  of the last instalment on): what is owed and not yet due by a borrower paying as agreed;
* p = ``overdue.penalty.annual(rate, day_count)`` / 12, the penalty rate, taken as at least
  r (were it lower, declaring arrears would pay in the model);
* λ = ``late_fee.charge(I)`` / I for the next instalment I: the 违约金 on a whole missed
  instalment spread over it (exact when a payment is missed whole, low for a part).

**Cards.** D = D⁰, N = N⁰; r = ``rate.annual(ACT/360)`` / 12 (the daily rate × 30); p = r
(cards charge no penalty interest: interest runs on everything owed); μ =
``min_payment_percent``; λ = the card's 违约金 on its first minimum, min(B⁰, max(μ·B⁰ + r·B⁰,
``min_payment_floor``)), over that minimum.

**Variables** (≥ 0 unless said): x[d,m] paid; B[d,m] owed after the payment; A[d,m] in arrears
after it; F[d,m] newly missed this month (the late fee's base; fixed at 0 when λ = 0);
c[m] cash held after the month's payments (free, bounded below by L[m]).

**Constraints** (m ≥ 1 unless a month-0 form is given):

* balance: B[d,0] = B⁰ + λ·F[d,0] − x[d,0];
  B[d,m] = (1+r)·B[d,m−1] + (p−r)·A[d,m−1] + λ·F[d,m] − x[d,m];
* loan arrears: A[d,m] ≥ B[d,m] − S[m] (all m): what is owed beyond the contract path. On
  the path this is A[m] ≥ (1+p)·A[m−1] + I[m] − x[m] (unpaid instalments accumulate and bear
  the penalty rate); it is capped by the balance (S ≥ 0, so a debt paid off has no arrears),
  and money paid ahead is a credit against later instalments, as the engine holds it.
  Newly missed: F[d,0] ≥ N − x[d,0]; F[d,m] ≥ (1+r)·(B[d,m−1] − A[d,m−1]) − S[m] − x[d,m]
  (this month's instalment less what is paid, less any credit);
* card arrears: minimum[d,m] = μ·(B[d,m−1] − A[d,m−1]) + r·B[d,m−1] — the percent of what is
  not yet overdue plus the interest billed, linear in the balance. The floor is left out
  (no linear function can hold it), and taking the percent of what is not yet overdue keeps
  arrears + minimum within what is owed. A[d,0] ≥ D + λ·F[d,0] − x[d,0];
  A[d,m] ≥ A[d,m−1] + minimum[d,m] + λ·F[d,m] − x[d,m]; F[d,0] ≥ N − x[d,0];
  F[d,m] ≥ minimum[d,m] − x[d,m] (payments meet the month's minimum first);
* cash: c[m] = c[m−1] + a[m] − Σ_d x[d,m], c[−1] = ``budget.savings``, a[m] =
  ``budget.available(m)`` (income − essentials, may be negative); c[m] ≥ L[m] =
  max(ℓ[m], min(floor, β[m])), where

  - ℓ[m] = min(0, savings + a[0] + … + a[m]): cash goes below 0 only as far as the
    essentials alone take it. So no payment leaves the household short of its essentials,
    then or later in the horizon, and every month with a payment ends with cash ≥ 0 (the
    replay never cuts a payment for want of cash);
  - β[m] = the cash left after month m by the *minimums-only* plan: this same model run
    forward paying each month's needs (loans: max(0, owed before paying − S[m]); cards:
    arrears + minimum), pro rata, while cash is above 0, and nothing more. Equivalently, up
    to any month the plan pays at most what the minimums-only plan pays, plus the cash above
    the floor: minimums may use savings down to nothing, extra repayment only cash above
    the floor (the strategies' rule, which as stated is not convex, measured on a fixed
    reference plan).

**Objective**: minimise Σ x + K·Σ_d B[d,T−1] + w·Σ A + Σ_d ε_d·Σ_m B[d,m], where
w = ``arrears_weight`` (yuan per yuan in arrears per month; 0 is pure cost), K = 1000·(1 + w·T)
so that clearing the debts within the horizon comes first whenever it can be done, and
ε_d = 10⁻⁶·(n − k)/n for the debt with the k-th smallest B⁰ (k = 0 … n−1) a tie-break: between
debts at the same rate, extra money goes to one at a time, smallest first (in the engine,
money paid ahead on a loan is a credit that saves nothing until the loan is paid off, so
spreading it costs).

**Result.** x[d,m] rounded half up to the fen (never below 0); where rounding would take a
month's total above the cash there is, the excess fen come off the largest amounts. Also:
the month each debt's B first falls below half a fen (``clears``) and, each month, the debts
whose A is below half a fen (``current``).

Zero payments satisfy every constraint and every cost is ≥ 0, so the programme is always
feasible and bounded: any input gives a schedule and HiGHS's model status.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from arrears.debt import Debt
from arrears.money import ZERO, round_money
from arrears.overdue import LateFee
from arrears.plan.model import PlanInput, Schedule, payment_date
from arrears.plan.replay import DebtNow
from arrears.schedule import build_schedule
from arrears.tracker import Tracker

__all__ = ["OptimalResult", "decider", "optimal_schedule"]

_CLEAR = 0.005  # half a fen: a modelled balance or arrears below this is nothing
_TIE = 1e-6  # the tie-break's largest cost per yuan owed per month
_PAY, _OWED, _LATE, _MISSED = range(4)  # a debt-month's columns, in this order


@dataclass(frozen=True, slots=True)
class OptimalResult:
    """The optimiser's plan: each month, every debt id → amount (to the fen, never
    negative), with HiGHS's model status, the objective, and how long building the model
    (from the exact engine's positions on) and solving it took.

    ``clears``: the month in which the model pays each debt off (absent: never, or already
    paid); ``current``: for each month, the debts the model leaves with nothing in arrears
    after paying. :func:`decider` uses both to replay the schedule.
    """

    schedule: Schedule
    status: str
    objective: Decimal
    build_seconds: float
    solve_seconds: float
    clears: Mapping[str, int] = field(default_factory=dict)
    current: tuple[frozenset[str], ...] = ()


@dataclass(slots=True)
class _Debt:
    """One debt's constants in the monthly model (the module docstring's symbols)."""

    id: str
    card: bool
    owed: float  # B⁰
    due: float  # D
    new: float  # N
    rate: float  # r
    penalty: float  # p
    fee: float  # λ
    percent: float = 0.0  # μ (cards)
    path: list[float] = field(default_factory=list)  # S (loans)


def _month_index(start: date, day: date) -> int:
    return (day.year - start.year) * 12 + day.month - start.month


def _irr(flows: Mapping[int, float], value: float) -> float:
    """The monthly rate at which ``flows`` (month → amount) are worth ``value``, in [0, 1]."""

    def worth(rate: float) -> float:
        return sum(amount / (1 + rate) ** k for k, amount in flows.items())

    low, high = 0.0, 1.0
    if worth(low) <= value:
        return low
    if worth(high) >= value:
        return high
    for _ in range(60):
        mid = (low + high) / 2
        if worth(mid) > value:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _fee_rate(fee: LateFee, missed: float) -> float:
    """λ: the fee on a whole missed payment of ``missed``, per yuan missed."""
    if missed <= 0:
        return 0.0
    return float(fee.charge(Decimal(repr(missed)))) / missed


def _model_debt(debt: Debt, inp: PlanInput) -> _Debt | None:
    """The debt's constants, from the exact engine on its first payment date (``None``:
    nothing owed)."""
    on = payment_date(debt, inp.start, 0)
    position = Tracker(debt).position(on)
    owed = float(position.payoff)
    if owed <= 0:
        return None
    due = min(max(float(position.due_amount), 0.0), owed)
    new = min(max(due - float(position.overdue_amount), 0.0), due)
    if debt.card is not None:
        card = debt.card
        rate = float(card.rate.annual(card.day_count)) / 12
        percent = float(card.min_payment_percent)
        first = min(owed, max((percent + rate) * owed, float(card.min_payment_floor)))
        fee = LateFee(card.late_fee_amount, card.late_fee_percent, card.late_fee_min,
                      card.late_fee_max)
        return _Debt(debt.id, True, owed, due, new, rate, rate, _fee_rate(fee, first),
                     percent)
    terms = debt.terms
    if terms is None:  # pragma: no cover - a debt is a loan or a card
        return None
    months = max(inp.months, 0)
    penalty = float(debt.overdue.penalty.annual(terms.rate, terms.day_count)) / 12
    flows: dict[int, float] = {}
    for row in build_schedule(terms).rows:
        if row.due > on:
            k = _month_index(inp.start, row.due)
            flows[k] = flows.get(k, 0.0) + float(row.payment)
    path = [0.0] * months
    if flows and owed > due and position.accelerated_on is None:
        rate = _irr(flows, owed - due)
        now = flows.get(0, 0.0)
        due, new = min(due + now, owed), min(new + now, owed)
        last = max(flows)
        scheduled = owed - due
        for m in range(months):
            if m > 0:
                scheduled = max(scheduled * (1 + rate) - flows.get(m, 0.0), 0.0)
            path[m] = scheduled if m < last else 0.0
        instalment = flows[min(flows)]
    else:
        rate = float(terms.rate.monthly(terms.day_count))
        instalment = due or owed
    return _Debt(debt.id, False, owed, due, new, rate, max(penalty, rate),
                 _fee_rate(debt.overdue.late_fee, instalment), path=path)


def _minimums_only_cash(debts: list[_Debt], inp: PlanInput) -> list[float]:
    """β: the cash at the end of each month when each month's needs are paid, pro rata,
    while cash is above 0, and nothing more — the model's own equations run forward."""
    owed = [d.owed for d in debts]
    late = [0.0] * len(debts)
    cash = float(inp.budget.savings)
    out = []
    for m in range(inp.months):
        cash += float(inp.budget.available(m))
        before, need, fresh = [], [], []
        for j, d in enumerate(debts):
            if m == 0:
                before.append(d.owed)
                need.append(d.due)
                fresh.append(d.new)
                continue
            before.append((1 + d.rate) * owed[j] + (d.penalty - d.rate) * late[j])
            if d.card:
                minimum = d.percent * (owed[j] - late[j]) + d.rate * owed[j]
                need.append(late[j] + minimum)
                fresh.append(minimum)
            else:
                need.append(max(before[j] - d.path[m], 0.0))
                fresh.append(max((1 + d.rate) * (owed[j] - late[j]) - d.path[m], 0.0))
        total = sum(need)
        share = min(1.0, max(cash, 0.0) / total) if total > 0 else 0.0
        for j, d in enumerate(debts):
            paid = need[j] * share
            missed = max(fresh[j] - paid, 0.0)
            owed[j] = max(before[j] + d.fee * missed - paid, 0.0)
            if d.card:
                late[j] = max(need[j] + d.fee * missed - paid, 0.0)
            else:
                late[j] = max(owed[j] - d.path[m], 0.0)
            cash -= paid
        out.append(cash)
    return out


@dataclass(slots=True)
class _Lp:
    """The programme in HiGHS's row-wise form."""

    cost: list[float]
    lower: list[float]
    upper: list[float]
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def row(self, entries: list[tuple[int, float]], lower: float, upper: float) -> None:
        self.starts.append(len(self.index))
        for column, coefficient in entries:
            if coefficient != 0.0:
                self.index.append(column)
                self.value.append(coefficient)
        self.row_lower.append(lower)
        self.row_upper.append(upper)


def _col(months: int, j: int, m: int, what: int) -> int:
    return 4 * (j * months + m) + what


def _build(debts: list[_Debt], inp: PlanInput, weight: float, inf: float) -> _Lp:
    """The programme of the module docstring; the cash columns come after the debts'."""
    months = inp.months
    n_cols = 4 * len(debts) * months + months
    lp = _Lp([0.0] * n_cols, [0.0] * n_cols, [inf] * n_cols)
    big = 1000.0 * (1 + max(weight, 0.0) * months)
    smallest_first = sorted(range(len(debts)), key=lambda j: debts[j].owed)
    for rank, j in enumerate(smallest_first):
        d = debts[j]
        tie = _TIE * (len(debts) - rank) / len(debts)
        for m in range(months):
            x, b, a, f = (_col(months, j, m, k) for k in range(4))
            lp.cost[x] = 1.0
            lp.cost[b] = tie
            lp.cost[a] = weight
            if d.fee == 0.0:
                lp.upper[f] = 0.0
            if m == 0:
                lp.row([(b, 1.0), (x, 1.0), (f, -d.fee)], d.owed, d.owed)
                if d.card:
                    lp.row([(a, 1.0), (x, 1.0), (f, -d.fee)], d.due, inf)
                else:
                    lp.row([(a, 1.0), (b, -1.0)], -d.path[0], inf)
                if d.fee:
                    lp.row([(f, 1.0), (x, 1.0)], d.new, inf)
                continue
            pb, pa = _col(months, j, m - 1, _OWED), _col(months, j, m - 1, _LATE)
            lp.row([(b, 1.0), (pb, -(1 + d.rate)), (pa, -(d.penalty - d.rate)), (f, -d.fee),
                    (x, 1.0)], 0.0, 0.0)
            if d.card:
                lp.row([(a, 1.0), (pa, -(1 - d.percent)), (pb, -(d.percent + d.rate)),
                        (f, -d.fee), (x, 1.0)], 0.0, inf)
                if d.fee:
                    lp.row([(f, 1.0), (pb, -(d.percent + d.rate)), (pa, d.percent),
                            (x, 1.0)], 0.0, inf)
            else:
                lp.row([(a, 1.0), (b, -1.0)], -d.path[m], inf)
                if d.fee:
                    lp.row([(f, 1.0), (pb, -(1 + d.rate)), (pa, 1 + d.rate), (x, 1.0)],
                           -d.path[m], inf)
        lp.cost[_col(months, j, months - 1, _OWED)] += big

    reference = _minimums_only_cash(debts, inp)
    cash = 4 * len(debts) * months
    floor = float(inp.budget.floor)
    savings = held = float(inp.budget.savings)
    for m in range(months):
        money = float(inp.budget.available(m))
        held += money
        lp.lower[cash + m] = max(min(0.0, held), min(floor, reference[m]))
        entries = [(cash + m, 1.0), *((_col(months, j, m, _PAY), 1.0)
                                      for j in range(len(debts)))]
        if m > 0:
            entries.append((cash + m - 1, -1.0))
        rhs = money + (savings if m == 0 else 0.0)
        lp.row(entries, rhs, rhs)
    return lp


def _fen(value: float) -> Decimal:
    """A solver value as money: to the fen, half up, never below 0."""
    return max(round_money(Decimal(repr(value))), ZERO)


def _within_cash(schedule: tuple[dict[str, Decimal], ...], inp: PlanInput) -> None:
    """Where rounding takes a month's total above the cash there is (as the replay counts
    it), take the excess fen off the largest amounts."""
    cash = inp.budget.savings
    for m, month in enumerate(schedule):
        cash += inp.budget.available(m)
        excess = sum(month.values(), ZERO) - max(cash, ZERO)
        for key in sorted(month, key=lambda k: month[k], reverse=True):
            if excess <= 0:
                break
            cut = min(excess, month[key])
            month[key] -= cut
            excess -= cut
        cash -= sum(month.values(), ZERO)


def optimal_schedule(inp: PlanInput, *, arrears_weight: Decimal = ZERO) -> OptimalResult:
    """The least-cost schedule by linear programming (the model is in this module's
    docstring and ``docs/plan.md``). Replay it with :func:`decider`."""
    import highspy  # noqa: PLC0415 - HiGHS loads only when the optimiser runs

    try:  # the plain solver: highspy's Highs wrapper prints a banner when it is created
        from highspy._core import _Highs as Solver  # noqa: PLC0415
    except ImportError:  # pragma: no cover - highspy < 1.8 has no _core, and is quiet
        from highspy import Highs as Solver  # noqa: PLC0415

    began = time.perf_counter()
    months = max(inp.months, 0)
    debts = [d for d in (_model_debt(debt, inp) for debt in inp.debts) if d is not None]
    schedule = tuple({debt.id: ZERO for debt in inp.debts} for _ in range(months))
    h = Solver()
    h.setOptionValue("output_flag", False)
    if not debts or months == 0:
        return OptimalResult(
            schedule=schedule, objective=ZERO,
            status=h.modelStatusToString(highspy.HighsModelStatus.kModelEmpty),
            build_seconds=time.perf_counter() - began, solve_seconds=0.0,
            current=tuple(frozenset() for _ in range(months)))

    lp = _build(debts, inp, float(max(arrears_weight, ZERO)), highspy.kHighsInf)
    h.passModel(len(lp.cost), len(lp.row_lower), len(lp.index),
                int(highspy.MatrixFormat.kRowwise), int(highspy.ObjSense.kMinimize), 0.0,
                lp.cost, lp.lower, lp.upper, lp.row_lower, lp.row_upper,
                [*lp.starts, len(lp.index)], lp.index, lp.value, [0] * len(lp.cost))
    built = time.perf_counter()
    h.run()
    solved = time.perf_counter()

    solution = h.getSolution()
    values = list(solution.col_value) if solution.value_valid else []
    clears: dict[str, int] = {}
    current: list[set[str]] = [set() for _ in range(months)]
    for j, d in enumerate(debts if values else []):
        for m in range(months):
            schedule[m][d.id] = _fen(values[_col(months, j, m, _PAY)])
            if values[_col(months, j, m, _LATE)] < _CLEAR:
                current[m].add(d.id)
            if d.id not in clears and values[_col(months, j, m, _OWED)] < _CLEAR:
                clears[d.id] = m
    _within_cash(schedule, inp)
    objective = h.getInfo().objective_function_value if values else 0.0
    return OptimalResult(
        schedule=schedule, status=h.modelStatusToString(h.getModelStatus()),
        objective=round_money(Decimal(repr(objective))),
        build_seconds=built - began, solve_seconds=solved - built, clears=clears,
        current=tuple(frozenset(ids) for ids in current))


def decider(result: OptimalResult) -> Callable[[int, Decimal, list[DebtNow]],
                                              Mapping[str, Decimal]]:
    """A decider that replays ``result`` through :func:`~arrears.plan.replay.run_plan`.

    The model's rates are approximations — above all, money paid ahead on a loan earns
    nothing in the engine (it is held as a credit until the loan can be paid off), where
    the model counts it as reducing the balance at once — so the planned amounts can fall
    a little short of what the engine asks. Each month, while cash lasts: first what is due
    (``due_amount``) on each debt the model keeps current that month; then the whole payoff
    of each debt the model has paid off by then; then the rest of the planned amounts; and
    what the plan meant to spend this month but a debt did not need goes to the others, the
    one the model pays off soonest first.
    """

    def decide(month: int, cash: Decimal, now: list[DebtNow]) -> Mapping[str, Decimal]:
        planned = result.schedule[month] if month < len(result.schedule) else {}
        current = result.current[month] if month < len(result.current) else frozenset()
        pay: dict[str, Decimal] = {}
        left = cash

        def give(item: DebtNow, want: Decimal) -> None:
            nonlocal left
            key = item.debt.id
            done = pay.get(key, ZERO)
            amount = min(want - done, item.position.payoff - done, left)
            if amount > 0:
                pay[key] = done + amount
                left -= amount

        for item in now:
            if item.debt.id in current:
                give(item, item.position.due_amount)
        for item in now:
            if result.clears.get(item.debt.id, month + 1) <= month:
                give(item, item.position.payoff)
        for item in now:
            give(item, planned.get(item.debt.id, ZERO))
        spare = sum(planned.values(), ZERO) - sum(pay.values(), ZERO)
        never = len(result.schedule)
        for item in sorted(now, key=lambda i: result.clears.get(i.debt.id, never)):
            if spare <= 0:
                break
            before = left
            give(item, pay.get(item.debt.id, ZERO) + spare)
            spare -= before - left
        return pay

    return decide
