"""The credit report: what each debt's 24-month repayment grid shows, and when the negative
record goes away.

Pure functions over a :class:`~arrears.case.Case`: the status code of every reported month
is read from the overdue engine (:mod:`arrears.engine`, :mod:`arrears.card`) at the month's
reporting date, and the retention rule comes from the case's rule pack
(:mod:`arrears.rules`). The semantics are written out in ``docs/credit.md``; in short:

* a month's **reporting date** is its instalment due date (loans; after maturity, while
  something is still owed, the same day of each later month) or its statement date
  (cards). The lender reports at the **close** of that day — for a loan with
  ``grace_days``, at the close of the grace period — so an instalment unpaid at the close is
  1 day past due;
* the code is ``N`` for 0 days past due (DPD), ``1`` for 1–30 … ``6`` for 151–180 and ``7``
  beyond; ``C`` in the month the debt was settled or paid off, and no month after it; ``*``
  for a month with no repayment due; ``/`` in the grid before the account opened; ``""`` (no
  entry) in the grid for a month not reported — after ``C``, or whose reporting close is
  after the as-of date;
* the default ends on the first payment date after the last negative month's close on
  which DPD is back to 0; the record is deleted ``years`` later (cn: 5 years, Art. 16).
  Under the US pack the 7 years run from 180 days after the first missed due date of that
  delinquency instead (FCRA §1681c).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from arrears.case import Case
from arrears.collector import is_creditor
from arrears.dates import add_months, month_of
from arrears.debt import Debt
from arrears.engine import position
from arrears.events import Payment
from arrears.money import ZERO
from arrears.position import Position
from arrears.report import fmt_money
from arrears.rules import Rule, RulePack, load_pack

__all__ = ["CODES", "GRID_MONTHS", "NEGATIVE", "CreditHistory", "MonthStatus", "Retention",
           "code_of", "credit_timeline", "debt_history", "retention", "worst_code"]

CODES = ("N", "1", "2", "3", "4", "5", "6", "7", "C", "*", "/")
NEGATIVE = ("1", "2", "3", "4", "5", "6", "7")
GRID_MONTHS = 24
HISTORY_MONTHS = 120
"""The months of history walked back from the as-of date: ten years, more than the grid (24)
and the longest time a record is kept (cn 5 years, us 7 years and 180 days), so a report's
time does not grow with the age of the debt."""
# Worst first: 7 … 1, then N; C and * are shown but are not negative.
_RANK = {code: rank for rank, code in enumerate(("7", "6", "5", "4", "3", "2", "1", "N", "C",
                                                 "*"))}
_RETENTION_RULES = {"cn": "cn.credit.retention", "us": "us.credit.fcra_7y"}
_NOTICE_KINDS = ("credit_notice", "credit_dispute", "credit_reports")


def code_of(dpd: int) -> str:
    """The status code for ``dpd`` days past due: N, then 1 (1–30) … 7 (over 180)."""
    if dpd <= 0:
        return "N"
    return str(min((dpd - 1) // 30 + 1, 7))


# The statuses a US credit report shows (issue 11), short for the grid and in full.
US_SHORT = {"current": "OK", "30": "30", "60": "60", "90": "90", "120": "120", "150": "150",
            "180": "180", "charge-off": "CO", "collection": "CL"}


def us_status(code: str | None, dpd: int, *, card: bool, collected: bool) -> str | None:
    """The status a US report shows for a month: ``current``, ``30`` … ``180`` (days late,
    counted from the due date in whole 30-day steps), ``charge-off`` (a card 180 days or more
    late: issuers charge off open-end credit at 180 days, practice) or ``collection`` (a
    third-party collector named, ``[debts.collector]``, and the debt late). Months that are
    settled, not due or not open keep their code's meaning: None."""
    if code not in ("N", *NEGATIVE):
        return None
    if dpd < 30:
        return "current"
    if collected:
        return "collection"
    if card and dpd >= 180:
        return "charge-off"
    return str(min(dpd // 30, 6) * 30)


def worst_code(codes: Iterable[str]) -> str | None:
    """The worst of ``codes`` (7 worst … 1, then N, C, *); None when there are none."""
    ranked = [code for code in codes if code in _RANK]
    return min(ranked, key=_RANK.__getitem__) if ranked else None


@dataclass(frozen=True, slots=True)
class MonthStatus:
    """One reported month. ``reported_on`` is its reporting date (the settlement date for
    ``C``; None for ``*``); ``dpd`` the days past due at the close of it."""

    month: str
    code: str
    reported_on: date | None
    dpd: int


@dataclass(frozen=True, slots=True)
class CreditHistory:
    """What the report shows for one debt on ``as_of``, and the dates behind it.

    ``first_reported`` is the first reporting date (loans: the first instalment's due date;
    cards: the first statement date). ``grid`` is the 24 months ending at the as-of month,
    oldest first, as (month, code).
    ``default_ends`` is when the last negative run of days past due ended (None while DPD is
    above 0 on ``as_of`` or when no month is negative); ``delinquency_began`` the first
    missed due date of that run (None when no month is negative)."""

    debt_id: str
    kind: str
    as_of: date
    opened: date
    first_reported: date | None
    months: tuple[MonthStatus, ...]
    grid: tuple[tuple[str, str], ...]
    worst: str | None
    dpd: int
    settled_on: date | None
    default_ends: date | None
    delinquency_began: date | None

    @property
    def negative(self) -> tuple[MonthStatus, ...]:
        return tuple(m for m in self.months if m.code in NEGATIVE)


@dataclass(frozen=True, slots=True)
class Retention:
    """When the negative record stops being reported, under ``rule``. ``reportable_until``
    is set under FCRA-style rules (US), which count from the delinquency's start."""

    rule: Rule
    clean_on: date | None
    reportable_until: date | None = None


class _Probe:
    """Positions of one debt, each computed once."""

    def __init__(self, debt: Debt) -> None:
        self.debt = debt
        self._on: dict[date, Position] = {}
        self._after: dict[date, Position] = {}

    def on(self, day: date) -> Position:
        """The position on ``day``, counting that day's payments."""
        if day not in self._on:
            self._on[day] = position(self.debt, day)
        return self._on[day]

    def after(self, day: date) -> Position:
        """The position at the close of ``day``: payments through ``day``, and whatever
        fell due on ``day`` and is still unpaid counted as 1 day past due."""
        if day not in self._after:
            known = replace(self.debt, payments=tuple(p for p in self.debt.payments
                                                      if p.on <= day))
            self._after[day] = position(known, day + timedelta(days=1))
        return self._after[day]


def _opened(debt: Debt) -> date:
    """When the account opened: the loan's disbursement, or the card's balance date."""
    if debt.card is not None:
        return debt.card.balance_date
    if debt.terms is None:
        raise ValueError(f"debt {debt.id!r} has no loan terms")
    return debt.terms.start


def _reporting_dates(debt: Debt, horizon: date) -> tuple[list[date], list[date]]:
    """The reporting date of each month up to the horizon month, and the due dates (for
    where a delinquency began)."""
    if debt.card is not None:
        from arrears.card import statements  # noqa: PLC0415 - the card model only for cards

        if horizon < debt.card.balance_date:
            return [], []
        cut = statements(debt, horizon)
        return [s.on for s in cut], [s.due for s in cut]
    from arrears.schedule import build_schedule  # noqa: PLC0415 - loans only

    if debt.terms is None:
        raise ValueError(f"debt {debt.id!r} has no loan terms")
    terms = debt.terms
    dues = [row.due for row in build_schedule(terms).rows]
    dates = list(dues)
    last = month_of(horizon)
    period = terms.months + 1
    while month_of(day := terms.due_date(period)) <= last:  # after maturity, while owing
        if day > dates[-1]:
            dates.append(day)
        period += 1
    return dates, dues


def _paid_off_on(debt: Debt, probe: _Probe, now: Position, horizon: date,
                 dues: list[date]) -> date | None:
    """When the debt was settled, or paid off with nothing left to fall due."""
    if now.settled_on is not None:
        return now.settled_on
    if debt.card is not None or now.outstanding.total or now.payoff:
        return None
    all_due = now.accelerated_on or (dues[-1] if dues else None)
    if all_due is None or all_due > horizon:
        return None
    for day in sorted({p.on for p in debt.payments if p.on <= horizon}):
        when = max(day, all_due)
        here = probe.on(when)
        if not here.outstanding.total and not here.payoff:
            return when
    return None


def _months(debt: Debt, probe: _Probe, horizon: date, dates: list[date],
            settled: date | None) -> tuple[tuple[MonthStatus, ...], dict[str, date]]:
    """Every reported month, and the close (the day DPD was read) of each one."""
    grace = 0 if debt.card is not None else debt.overdue.grace_days
    by_month: dict[str, date] = {}
    for day in dates:
        by_month.setdefault(month_of(day), day)
    starts = [month_of(day) for day in (dates[:1] + ([settled] if settled else []))]
    if not starts:
        return (), {}
    end = month_of(horizon)
    start = max(min(starts), month_of(add_months(horizon.replace(day=1),
                                                 1 - HISTORY_MONTHS)))
    months: list[MonthStatus] = []
    closes: dict[str, date] = {}
    month = start
    paid_on = sorted({p.on for p in debt.payments})
    last: tuple[date, int] | None = None  # the latest close read, and its DPD
    while month <= end:
        if settled is not None and month == month_of(settled):
            months.append(MonthStatus(month, "C", settled, 0))
            break
        reported = by_month.get(month)
        if reported is None:
            if month != end:
                months.append(MonthStatus(month, "*", None, 0))
        else:
            close = reported + timedelta(days=grace)
            if close <= horizon:
                if last is not None and last[1] > 0 and not _paid_between(paid_on, *last,
                                                                            close):
                    # nothing paid since a close that was past due: the oldest unpaid due
                    # date is the same, so DPD grew by the days between (no replay)
                    dpd = last[1] + (close - last[0]).days
                else:
                    dpd = probe.after(close).dpd
                last = (close, dpd)
                months.append(MonthStatus(month, code_of(dpd), reported, dpd))
                closes[month] = close
        month = _next_month(month)
    return tuple(months), closes


def _paid_between(paid_on: list[date], after: date, _dpd: int, until: date) -> bool:
    """Whether a payment date falls in (``after``, ``until``]."""
    index = bisect.bisect_right(paid_on, after)
    return index < len(paid_on) and paid_on[index] <= until


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def _grid(opened: date, first_reported: date | None, horizon: date,
          months: tuple[MonthStatus, ...], settled: date | None) -> tuple[tuple[str, str], ...]:
    codes = {m.month: m.code for m in months}
    first = month_of(first_reported) if first_reported else None
    cells = []
    for back in range(GRID_MONTHS - 1, -1, -1):
        month = month_of(add_months(horizon.replace(day=1), -back))
        if month < month_of(opened):
            code = "/"
        elif month in codes:
            code = codes[month]
        elif (first is None or month < first) and (settled is None
                                                   or month < month_of(settled)):
            code = "*"  # open, nothing due yet
        else:
            code = ""  # not reported: after C, or its close is after the as-of date
        cells.append((month, code))
    return tuple(cells)


def _default_ends(probe: _Probe, last_close: date, horizon: date) -> date | None:
    """The first payment date after ``last_close`` on which DPD is back to 0."""
    for day in sorted({p.on for p in probe.debt.payments if last_close < p.on <= horizon}):
        if probe.on(day).dpd == 0:
            return day
    return None


def _delinquency_began(probe: _Probe, last_close: date, dues: list[date]) -> date:
    """The first missed due date of the run of days past due that ``last_close`` is in."""
    since = next((day for day in sorted({p.on for p in probe.debt.payments
                                         if p.on <= last_close}, reverse=True)
                  if probe.on(day).dpd == 0), None)
    for due in sorted(dues):
        if due > last_close:
            break
        if (since is None or due >= since) and probe.after(due).dpd > 0:
            return due
    return last_close + timedelta(days=1) - timedelta(days=probe.after(last_close).dpd)


def debt_history(debt: Debt, as_of: date) -> CreditHistory:
    """What the credit report shows for ``debt`` on ``as_of`` (payments after it ignored)."""
    debt = replace(debt, payments=tuple(p for p in debt.payments if p.on <= as_of))
    opened = _opened(debt)
    probe = _Probe(debt)
    dates, dues = _reporting_dates(debt, as_of)
    first = dates[0] if dates else None
    if as_of < opened:
        now_dpd, settled = 0, None
        months: tuple[MonthStatus, ...] = ()
        closes: dict[str, date] = {}
    else:
        now = probe.on(as_of)
        now_dpd = now.dpd
        settled = _paid_off_on(debt, probe, now, as_of, dues)
        months, closes = _months(debt, probe, as_of, dates, settled)
    negative = [m for m in months if m.code in NEGATIVE]
    default_ends = began = None
    if negative:
        last_close = closes[negative[-1].month]
        began = _delinquency_began(probe, last_close, dues)
        if now_dpd == 0:
            default_ends = _default_ends(probe, last_close, as_of)
    return CreditHistory(
        debt_id=debt.id, kind=debt.kind.value, as_of=as_of, opened=opened,
        first_reported=first, months=months,
        grid=_grid(opened, first, as_of, months, settled),
        worst=worst_code(m.code for m in months), dpd=now_dpd, settled_on=settled,
        default_ends=default_ends, delinquency_began=began,
    )


def retention(history: CreditHistory, pack: RulePack) -> Retention:
    """When the negative record is deleted (cn, Art. 16: ``years`` after the default ends)
    or may no longer be reported (us, FCRA: ``years`` after ``start_offset_days`` from the
    start of the delinquency)."""
    rule = pack.rule(_RETENTION_RULES[pack.id])
    years = int(rule.params["years"])
    offset = rule.params.get("start_offset_days")
    if offset is not None:
        if history.delinquency_began is None:
            return Retention(rule, None, None)
        until = add_months(history.delinquency_began + timedelta(days=int(offset)),
                           12 * years)
        return Retention(rule, until, until)
    if history.default_ends is None:
        return Retention(rule, None)
    return Retention(rule, add_months(history.default_ends, 12 * years))


def _what_if_payment(debt: Debt, as_of: date, paid_on: date) -> tuple[Decimal, Debt]:
    """The amount paid in the what-if and the debt with that payment added: the overdue
    amount on ``paid_on`` (payments after ``as_of`` ignored), or the whole payoff if the loan
    has been accelerated by then."""
    known = replace(debt, payments=tuple(p for p in debt.payments if p.on <= as_of))
    if paid_on < _opened(debt):
        return ZERO, known
    then = position(known, paid_on)
    amount = then.payoff if then.accelerated_on is not None else then.overdue_amount
    if amount <= 0:
        return ZERO, known
    payments = sorted((*known.payments, Payment(paid_on, amount)), key=lambda p: p.on)
    return amount, replace(known, payments=tuple(payments))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _us_model(history: CreditHistory, model: dict[str, Any], collected: str | None) -> None:
    """The US statuses beside the codes: each month's and grid cell's ``us_status`` and the
    worst; the grid from the month's own days past due."""
    card = history.kind == "credit_card"
    dpd = {m.month: m.dpd for m in history.months}
    for item in (*model["months"], *model["grid"]):
        item["us_status"] = us_status(
            item["code"], dpd.get(item["month"], 0), card=card,
            collected=collected is not None and item["month"] >= collected)
    order = ["current", "30", "60", "90", "120", "150", "180", "charge-off", "collection"]
    seen = [m["us_status"] for m in model["months"] if m["us_status"] in order]
    model["us_worst"] = max(seen, key=order.index) if seen else None


def _history_model(history: CreditHistory, kept: Retention, us: bool,
                   collected: str | None = None) -> dict[str, Any]:
    """``collected``: the month (``YYYY-MM``) a third-party collector took the debt over."""
    model: dict[str, Any] = {
        "months": [{"month": m.month, "code": m.code, "reported_on": _day(m.reported_on),
                    "dpd": m.dpd} for m in history.months],
        "grid": [{"month": month, "code": code} for month, code in history.grid],
        "worst": history.worst,
        "months_overdue": len(history.negative),
        "months_over_90_days": sum(1 for m in history.negative if m.dpd > 90),
        "dpd": history.dpd,
        "in_default": history.dpd > 0,
        "settled_on": _day(history.settled_on),
        "default_ends": _day(history.default_ends),
        "clean_on": _day(kept.clean_on),
    }
    if us:
        model["delinquency_began"] = _day(history.delinquency_began)
        model["reportable_until"] = _day(kept.reportable_until)
        _us_model(history, model, collected)
    return model


def credit_timeline(case: Case, as_of: date, if_paid_on: date | None = None,
                    lang: str = "en") -> dict[str, Any]:
    """The credit report of every debt of ``case`` on ``as_of``, JSON-ready. With
    ``if_paid_on``, each debt also gets ``what_if``: the same report if its overdue amount
    (the payoff, once accelerated) were paid that day. ``lang`` picks the language of the
    rules' titles and sources."""
    pack = load_pack(case.jurisdiction)
    us = pack.id == "us"
    debts = []
    for debt in case.debts:
        history = debt_history(debt, as_of)
        kept = retention(history, pack)
        collector = case.collectors.get(debt.id)
        collected = None
        if collector is not None and not is_creditor(collector.name, debt.lender):
            collected = collector.since.strftime("%Y-%m") if collector.since else "0000-00"
        model: dict[str, Any] = {
            "id": debt.id, "kind": debt.kind.value, "opened": history.opened.isoformat(),
            "first_reported": _day(history.first_reported),
            **_history_model(history, kept, us, collected),
            "rule": kept.rule.id, "source": kept.rule.source(lang),
        }
        if if_paid_on is not None:
            amount, changed = _what_if_payment(debt, as_of, if_paid_on)
            horizon = max(as_of, if_paid_on)
            then = debt_history(changed, horizon)
            model["what_if"] = {"paid_on": if_paid_on.isoformat(),
                                "amount": fmt_money(amount), "as_of": horizon.isoformat(),
                                **_history_model(then, retention(then, pack), us, collected)}
        debts.append(model)
    notices = [{"rule": r.id, "title": r.title(lang), "source": r.source(lang)}
               for kind in _NOTICE_KINDS for r in pack.of_kind(kind)]
    retention_rule = pack.rule(_RETENTION_RULES[pack.id])
    return {
        "as_of": as_of.isoformat(),
        "jurisdiction": pack.id,
        "pack": pack.name_zh if lang == "zh" else pack.name_en,
        "debts": debts,
        "retention": {"rule": retention_rule.id, "title": retention_rule.title(lang),
                      "source": retention_rule.source(lang),
                      "years": int(retention_rule.params["years"]),
                      "start_offset_days": int(retention_rule.params.get("start_offset_days",
                                                                         0))},
        "notices": notices,
    }
