"""Case files (TOML) → :class:`Case`, with every problem located.

A problem is reported as ``case.toml: debts[1].overdue.penalty: …`` (indexes count from 0,
as in the file's order). All problems are collected before failing; nothing is written.
Unknown keys are warnings (a typo is shown, a newer file still loads). The format is
documented in ``docs/case-file.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

from arrears.card import CardTerms
from arrears.cashflows import parse_date
from arrears.collector import Collector
from arrears.contract_check import payment_warnings
from arrears.dates import DayCount
from arrears.debt import Debt, DebtKind, LenderType
from arrears.errors import InputError, Problem
from arrears.events import Payment
from arrears.i18n import N_
from arrears.limits import MAX_ROWS, check_date, load_toml
from arrears.money import ZERO, Rounding, parse_amount, parse_rounding
from arrears.overdue import (
    ART_561_ORDER,
    LateFee,
    OverdueTerms,
    Penalty,
    PenaltyBase,
    parse_allocation,
    parse_late_fee,
    parse_penalty,
    parse_penalty_base,
)
from arrears.rate import Rate, RateBasis, parse_share, quoted_rate, unit_problems
from arrears.terms import Accrual, LastPayment, Method, Terms, parse_day_count, parse_method
from arrears.terms_input import parse_accrual, parse_basis

__all__ = ["Case", "Household", "load_case", "parse_case"]

T = TypeVar("T")

_TOP = {"case", "household", "debts", "contacts", "plan", "offer", "letters_sent"}
_CASE = {"currency", "jurisdiction", "as_of", "name", "language", "timezone",
         "represented_by"}
_HOUSEHOLD = {"monthly_income", "essential_expenses", "savings", "emergency_fund_months",
              "income_changes", "floor", "members"}
_LOAN = {"id", "lender", "lender_type", "kind", "principal", "received", "disbursed", "method",
         "rate", "rate_basis", "day_count", "term_months", "first_due", "fee_rate",
         "upfront_fee", "accrual", "allocation", "overdue", "payments", "secured", "notes",
         "rounding", "last_payment", "collector"}
_CARD = {"balance", "balance_date", "statement_day", "payment_due_days", "min_payment",
         "min_payment_floor", "full_balance_interest", "credit_limit"}
# The rest of _LOAN a card reads too.
_LOAN_ONLY = {"principal", "received", "disbursed", "method", "term_months", "first_due",
              "fee_rate", "upfront_fee", "accrual", "last_payment"}
_OVERDUE_LOAN_ONLY = {"grace_days", "penalty", "penalty_base"}  # a card has none of them
_OVERDUE = {"grace_days", "penalty", "penalty_base", "compound", "late_fee", "late_fee_min",
            "late_fee_max", "accelerate_after_days"}
_PAYMENT = {"date", "amount", "note"}
_INCOME_CHANGE = {"month", "monthly_income"}
_PLAN = {"priority", "months", "strategy"}
_TERMS_KEYS = {"principal": "principal", "months": "term_months", "start": "disbursed",
               "first_due": "first_due", "fee_rate": "fee_rate", "upfront_fee": "upfront_fee",
               "received": "received", "rate": "rate"}
_JURISDICTIONS = ("cn", "us")


@dataclass(frozen=True, slots=True)
class Household:
    """The household budget, monthly."""

    monthly_income: Decimal = ZERO
    essential_expenses: Decimal = ZERO
    savings: Decimal = ZERO
    emergency_fund_months: int = 3
    income_changes: tuple[tuple[str, Decimal], ...] = ()  # ("2027-03", new monthly income)
    floor: Decimal | None = None  # cash kept before any extra repayment


@dataclass(frozen=True, slots=True)
class Case:
    """A person's situation: their household and their debts."""

    source: str
    currency: str = "CNY"
    jurisdiction: str = "cn"
    as_of: date | None = None
    household: Household | None = None
    debts: tuple[Debt, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())
    priority: tuple[str, ...] = ()  # [plan] priority: the household's own order of debts
    # [debts.collector] by debt id: who is collecting (arrears.collector)
    collectors: Mapping[str, Collector] = field(default_factory=lambda: MappingProxyType({}))

    def debt(self, debt_id: str) -> Debt:
        for debt in self.debts:
            if debt.id == debt_id:
                return debt
        raise InputError.one("--debt", N_('no debt has the id "{text}"; the case has {choices}'),
                             text=debt_id, choices=", ".join(d.id for d in self.debts))


class _Reader:
    """Reads values at key paths, collecting problems."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def bad(self, where: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(where, message, params))

    def known(self, table: Mapping[str, Any], keys: set[str], where: str) -> None:
        for key in table:
            if key not in keys:
                close = difflib.get_close_matches(key, sorted(keys), n=1)
                path = f"{where}.{key}" if where else key
                if close:
                    self.warnings.append(Problem(path, N_('unknown key, ignored; did you mean '
                                                          '"{text}"?'), {"text": close[0]}))
                else:
                    self.warnings.append(Problem(path, N_("unknown key, ignored")))

    def used(self, table: Mapping[str, Any], unused: set[str], where: str,
             kind: DebtKind) -> None:
        """A key another kind of debt reads, on a debt of ``kind`` that does not: a warning
        naming it (never silently ignored)."""
        for key in table:
            if key in unused:
                self.warnings.append(Problem(f"{where}.{key}", N_(
                    "is not used by a debt of kind {kind}; ignored"), {"kind": kind.value}))

    def table(self, value: Any, where: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.bad(where, N_("must be a table"))
            return {}
        return value

    def get(
            self, table: Mapping[str, Any], key: str, where: str,
            parse: Callable[[Any, str], T], default: T, *, required: bool = False) -> T:
        path = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                self.bad(path, N_("is required"))
            return default
        try:
            return parse(table[key], path)
        except InputError as error:
            self.problems.extend(error.problems)
            return default


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InputError.one(where, N_("must be text or a number, not {value}"), value=value)
    return repr(value) if isinstance(value, float) else str(value)


def _amount(value: Any, where: str) -> Decimal:
    return parse_amount(_text(value, where), where)


def _positive(value: Any, where: str) -> Decimal:
    amount = _amount(value, where)
    if amount <= 0:
        raise InputError.one(where, N_("must be more than 0, not {value}"), value=amount)
    return amount


def _fraction(value: Any, where: str) -> Decimal:
    return parse_share(_text(value, where), where)


def _rounding(value: Any, where: str) -> Rounding:
    return parse_rounding(_text(value, where), where)


def _day(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return check_date(value.date(), where)
    if isinstance(value, date):
        return check_date(value, where)
    return parse_date(_text(value, where), where)


def _whole(low: int, high: int) -> Callable[[Any, str], int]:
    def parse(value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InputError.one(where, N_("must be a whole number from {low} to {high}, not "
                                           "{value}"), low=low, high=high, value=value)
        return value
    return parse


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError.one(where, N_("must be true or false, not {value}"), value=value)
    return value


def _choice(enum_type: Any) -> Callable[[Any, str], Any]:
    def parse(value: Any, where: str) -> Any:
        for member in enum_type:
            if member.value == str(value).strip().lower():
                return member
        raise InputError.one(where, N_('"{text}" is not one of {choices}'), text=value,
                             choices=", ".join(m.value for m in enum_type))
    return parse


def _collection(r: _Reader, meta: Mapping[str, Any],
                data: Mapping[str, Any]) -> dict[str, Collector]:
    """What the collection rules read (arrears.contacts.sent, arrears.collector): checked
    here so that every command refuses a bad value; the debts' collectors returned."""
    from arrears.collector import read_collectors  # noqa: PLC0415
    from arrears.contacts.sent import read_letters_sent, read_represented_by  # noqa: PLC0415

    r.problems.extend(read_represented_by(meta)[1])
    _, sent_problems, sent_warnings = read_letters_sent(data)
    collectors, _, collector_problems, collector_warnings = read_collectors(data)
    r.problems.extend([*sent_problems, *collector_problems])
    r.warnings.extend([*sent_warnings, *collector_warnings])
    return collectors


def parse_case(data: Mapping[str, Any], source: str = "case.toml") -> Case:
    """A :class:`Case` from parsed TOML. Problems are located as ``source: key.path``."""
    r = _Reader()
    r.known(data, _TOP, "")
    meta = r.table(data.get("case"), "case")
    r.known(meta, _CASE, "case")
    currency = r.get(meta, "currency", "case", _text, "CNY").upper()
    jurisdiction = r.get(meta, "jurisdiction", "case", _text, "cn").lower()
    if jurisdiction not in _JURISDICTIONS:
        r.bad("case.jurisdiction", N_('"{text}" is not one of {choices}'), text=jurisdiction,
              choices=", ".join(_JURISDICTIONS))
    as_of = r.get(meta, "as_of", "case", _day, None)
    collectors = _collection(r, meta, data)
    household = None
    if "household" in data:
        table = r.table(data["household"], "household")
        r.known(table, _HOUSEHOLD, "household")
        household = Household(
            monthly_income=r.get(table, "monthly_income", "household", _amount, ZERO),
            essential_expenses=r.get(table, "essential_expenses", "household", _amount, ZERO),
            savings=r.get(table, "savings", "household", _amount, ZERO),
            emergency_fund_months=r.get(table, "emergency_fund_months", "household",
                                        _whole(0, 24), 3),
            income_changes=_income_changes(r, table.get("income_changes")),
            floor=r.get(table, "floor", "household", _amount, None),
        )
    debts_raw = data.get("debts", [])
    if not isinstance(debts_raw, list):
        r.bad("debts", N_("must be an array of tables ([[debts]])"))
        debts_raw = []
    debts = []
    seen: set[str] = set()
    for index, raw in enumerate(debts_raw):
        where = f"debts[{index}]"
        table = r.table(raw, where)
        debt_id = table.get("id")
        if isinstance(debt_id, str) and debt_id in seen:
            r.bad(f"{where}.id", N_('"{text}" is used by another debt; ids must be unique'),
                  text=debt_id)
        if isinstance(debt_id, str):
            seen.add(debt_id)
        debt = _debt(r, table, where, jurisdiction)
        if debt is not None:
            debts.append(debt)
            r.warnings.extend(payment_warnings(debt, f"{where}.payments"))
    if not debts_raw:
        r.bad("debts", N_("the case has no debts; add a [[debts]] table"))
    plan = r.table(data.get("plan"), "plan")
    r.known(plan, _PLAN, "plan")
    no_names: tuple[str, ...] = ()
    priority = r.get(plan, "priority", "plan", _names, no_names)
    for index, name in enumerate(priority):
        if name not in seen:
            r.bad(f"plan.priority[{index}]", N_('no debt has the id "{text}"'), text=name)
    if r.problems:
        raise InputError(p.located(f"{source}: ") for p in r.problems)
    return Case(source=source, currency=currency, jurisdiction=jurisdiction, as_of=as_of,
                household=household, debts=tuple(debts),
                warnings=tuple(p.located(f"{source}: ") for p in r.warnings),
                priority=priority, collectors=MappingProxyType(collectors))


def _debt(r: _Reader, table: Mapping[str, Any], where: str,
          jurisdiction: str = "cn") -> Debt | None:
    kind = r.get(table, "kind", where, _choice(DebtKind), DebtKind.INSTALLMENT_LOAN)
    r.known(table, _LOAN | _CARD, where)
    r.used(table, _LOAN_ONLY if kind is DebtKind.CREDIT_CARD else _CARD, where, kind)
    debt_id = r.get(table, "id", where, _text, "", required=True)
    lender = r.get(table, "lender", where, _text, "")
    default_type = LenderType.CARD_ISSUER if kind is DebtKind.CREDIT_CARD else (
        LenderType.PRIVATE if kind is DebtKind.PRIVATE_LOAN else LenderType.BANK)
    lender_type = r.get(table, "lender_type", where, _choice(LenderType), default_type)
    before = len(r.problems)
    overdue = _overdue(r, table, where, kind)
    payments = _payments(r, table.get("payments"), f"{where}.payments")
    terms: Terms | None = None
    card: CardTerms | None = None
    if kind is DebtKind.CREDIT_CARD:
        card = _card(r, table, where, overdue, jurisdiction)
        rounding = r.get(table, "rounding", where, _rounding, Rounding.HALF_UP)
        card = replace(card, rounding=rounding) if card else None
        start = card.balance_date if card else None
    else:
        terms = _terms(r, table, where, failed_before=before)
        start = terms.start if terms else None
    if start is not None:
        for index, payment in enumerate(payments):
            if payment.on < start:
                r.bad(f"{where}.payments[{index}].date",
                      N_("{value} is before the debt started ({start})"),
                      value=payment.on, start=start)
    if len(r.problems) > before:
        return None
    secured = r.get(table, "secured", where, _flag, False)
    return Debt(id=debt_id, terms=terms, overdue=overdue, payments=payments, lender=lender,
                lender_type=lender_type, kind=kind, card=card, secured=secured)


def _terms(r: _Reader, t: Mapping[str, Any], where: str, failed_before: int, *,
           start_key: str = "disbursed", start_default: date | None = None) -> Terms | None:
    """A loan's terms from a table (a case file's debt, or an offer with ``start``)."""
    basis = r.get(t, "rate_basis", where, lambda v, w: parse_basis(_text(v, w), w),
                  RateBasis.ANNUAL)
    principal = r.get(t, "principal", where, _positive, Decimal(1), required=True)
    rate, explicit = r.get(t, "rate", where, lambda v, w: quoted_rate(_text(v, w), basis, w),
                           (Rate(ZERO, basis), True), required=True)
    months = r.get(t, "term_months", where, _whole(1, 600), 1, required=True)
    start = r.get(t, start_key, where, _day, start_default or date(2000, 1, 1),
                  required=start_default is None)
    method = r.get(t, "method", where, lambda v, w: parse_method(_text(v, w), w),
                   Method.EQUAL_INSTALLMENT)
    first_due = r.get(t, "first_due", where, _day, None)
    day_count = r.get(t, "day_count", where, lambda v, w: parse_day_count(_text(v, w), w),
                      DayCount.ACT_360)
    accrual = r.get(t, "accrual", where, lambda v, w: parse_accrual(_text(v, w), w),
                    Accrual.MONTHLY)
    fee_rate = r.get(t, "fee_rate", where, _fraction, ZERO)
    upfront_fee = r.get(t, "upfront_fee", where, _amount, ZERO)
    received = r.get(t, "received", where, _amount, None)
    rounding = r.get(t, "rounding", where, _rounding, Rounding.HALF_UP)
    last_payment = r.get(t, "last_payment", where, _choice(LastPayment), LastPayment.ABSORB)
    if len(r.problems) > failed_before:
        return None
    _check_unit(r, t, where, rate, day_count, explicit=explicit or "rate_basis" in t)
    if len(r.problems) > failed_before:
        return None
    try:
        return Terms(principal=principal, rate=rate, months=months, start=start,
                     method=method, first_due=first_due, day_count=day_count,
                     accrual=accrual, fee_rate=fee_rate, upfront_fee=upfront_fee,
                     received=received, rounding=rounding, last_payment=last_payment)
    except InputError as error:
        keys = {**_TERMS_KEYS, "start": start_key}
        for p in error.problems:
            r.problems.append(Problem(f"{where}.{keys.get(p.where, p.where)}",
                                      p.message, p.params))
        return None


def _check_unit(r: _Reader, t: Mapping[str, Any], where: str, rate: Rate, day_count: DayCount,
                *, explicit: bool) -> None:
    """A rate above 100 % a year: a warning; above 1,000 % with no period written: an
    error (:func:`arrears.rate.unit_problems`)."""
    if "rate" not in t:
        return
    errors, cautions = unit_problems(rate, day_count, explicit=explicit,
                                     text=_text(t["rate"], f"{where}.rate"),
                                     where=f"{where}.rate")
    r.problems.extend(errors)
    r.warnings.extend(cautions)


def _card_rate(r: _Reader, t: Mapping[str, Any], where: str,
               basis: RateBasis | None) -> tuple[Rate, bool]:
    """A card's rate: its text must name its period unless the card has ``rate_basis``
    (0 needs none); no ``rate`` at all is the common 0.05 % a day."""
    default = (Rate(Decimal("0.0005"), RateBasis.DAILY), True)
    if "rate" not in t:
        return default
    rate, explicit = r.get(t, "rate", where,
                           lambda v, w: quoted_rate(_text(v, w), basis or RateBasis.DAILY, w),
                           default)
    if not explicit and basis is None and rate.value:
        text = _text(t["rate"], f"{where}.rate")
        r.bad(f"{where}.rate", N_('"{text}" does not say per what: a card\'s rate is quoted a '
                                  'day or a year; write "{text}/day" or "{text}/year", or set '
                                  'rate_basis'), text=text)
    return rate, explicit or basis is not None


def _card(r: _Reader, t: Mapping[str, Any], where: str, overdue: OverdueTerms,
          jurisdiction: str = "cn") -> CardTerms | None:
    before = len(r.problems)
    balance = r.get(t, "balance", where, _positive, Decimal(1), required=True)
    posted = r.get(t, "balance_date", where, _day, date(2000, 1, 1), required=True)
    statement_day = r.get(t, "statement_day", where, _whole(1, 28), 1, required=True)
    due_days = r.get(t, "payment_due_days", where, _whole(1, 60), 20)
    no_basis: RateBasis | None = None
    basis = r.get(t, "rate_basis", where, lambda v, w: parse_basis(_text(v, w), w), no_basis)
    rate, explicit = _card_rate(r, t, where, basis)
    # A US issuer's daily periodic rate is APR / 365; Chinese banks divide by 360.
    day_count = r.get(t, "day_count", where, lambda v, w: parse_day_count(_text(v, w), w),
                      DayCount.ACT_365 if jurisdiction == "us" else DayCount.ACT_360)
    minimum = r.get(t, "min_payment", where, _fraction, Decimal("0.10"))
    floor = r.get(t, "min_payment_floor", where, _amount, Decimal(100))
    full = r.get(t, "full_balance_interest", where, _flag, True)
    limit = r.get(t, "credit_limit", where, _positive, None)
    if len(r.problems) > before:
        return None
    _check_unit(r, t, where, rate, day_count, explicit=explicit)
    if len(r.problems) > before:
        return None
    fee = overdue.late_fee
    return CardTerms(balance=balance, balance_date=posted, statement_day=statement_day,
                     payment_due_days=due_days, rate=rate, day_count=day_count,
                     min_payment_percent=minimum,
                     min_payment_floor=floor, full_balance_interest=full,
                     compound=overdue.compound, late_fee_percent=fee.percent,
                     late_fee_amount=fee.amount,
                     late_fee_min=fee.minimum, late_fee_max=fee.maximum, credit_limit=limit)


def _overdue(r: _Reader, t: Mapping[str, Any], where: str, kind: DebtKind) -> OverdueTerms:
    card = kind is DebtKind.CREDIT_CARD
    allocation = r.get(t, "allocation", where, _allocation, ART_561_ORDER)
    raw = t.get("overdue")
    o = r.table(raw, f"{where}.overdue")
    path = f"{where}.overdue"
    r.known(o, _OVERDUE, path)
    if card:
        r.used(o, _OVERDUE_LOAN_ONLY, path, kind)
    fixed, percent = r.get(o, "late_fee", path, lambda v, w: parse_late_fee(_text(v, w), w),
                           (ZERO, Decimal("0.05") if card else ZERO))
    late = LateFee(amount=fixed, percent=percent,
                   minimum=r.get(o, "late_fee_min", path, _amount, ZERO),
                   maximum=r.get(o, "late_fee_max", path, _amount, None))
    if late.maximum is not None and late.maximum < late.minimum:
        r.bad(f"{path}.late_fee_max", N_("must not be below late_fee_min ({value})"),
              value=late.minimum)
    return OverdueTerms(
        grace_days=r.get(o, "grace_days", path, _whole(0, 60), 0),
        penalty=r.get(o, "penalty", path, lambda v, w: parse_penalty(_text(v, w), w),
                      Penalty(multiplier=Decimal("1.5"))),
        penalty_base=r.get(o, "penalty_base", path,
                           lambda v, w: parse_penalty_base(_text(v, w), w),
                           PenaltyBase.OVERDUE_PRINCIPAL),
        compound=r.get(o, "compound", path, _flag, card),
        late_fee=late,
        accelerate_after_days=r.get(o, "accelerate_after_days", path, _whole(1, 3650), None),
        allocation=allocation,
    )


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError.one(where, N_("must be a list of debt ids"))
    return tuple(value)


def _income_changes(r: _Reader, raw: Any) -> tuple[tuple[str, Decimal], ...]:
    """``[[household.income_changes]]`` rows: ``month = "2027-03"``, ``monthly_income``."""
    if raw is None:
        return ()
    where = "household.income_changes"
    if not isinstance(raw, list):
        r.bad(where, N_("must be an array of tables ([[household.income_changes]])"))
        return ()
    changes = []
    for index, item in enumerate(raw):
        path = f"{where}[{index}]"
        table = r.table(item, path)
        r.known(table, _INCOME_CHANGE, path)
        month = r.get(table, "month", path, _month, "", required=True)
        income = r.get(table, "monthly_income", path, _amount, None, required=True)
        if month and income is not None:
            changes.append((month, income))
    return tuple(sorted(changes))


def _month(value: Any, where: str) -> str:
    text = _text(value, where).strip()
    try:
        parse_date(f"{text}-01", where)
    except InputError:
        raise InputError.one(where, N_('"{text}" is not a month like 2027-03'),
                             text=text) from None
    return text


def _allocation(value: Any, where: str) -> tuple[Any, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError.one(where, N_("must be a list of component names"))
    return parse_allocation(value, where)


def _payments(r: _Reader, raw: Any, where: str) -> tuple[Payment, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.bad(where, N_("must be an array of tables ([[debts.payments]])"))
        return ()
    if len(raw) > MAX_ROWS:
        r.bad(where, N_("{value} is out of range: at most {most}"), value=len(raw),
              most=MAX_ROWS)
        return ()
    payments = []
    for index, item in enumerate(raw):
        path = f"{where}[{index}]"
        table = r.table(item, path)
        r.known(table, _PAYMENT, path)
        on = r.get(table, "date", path, _day, None, required=True)
        amount = r.get(table, "amount", path, _positive, None, required=True)
        if on is not None and amount is not None:
            payments.append(Payment(on, amount))
    return tuple(sorted(payments, key=lambda p: p.on))


def load_case(text: str, source: str) -> Case:
    """Parse a case file's text. ``source`` names it in problems (usually its path)."""
    return parse_case(load_toml(text, source), source)
