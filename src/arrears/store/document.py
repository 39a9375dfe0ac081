"""A case file's keys ↔ the store's columns.

Each table of the case file has a list of :class:`Field`: the key, the column it is stored
in, and the column's kind. A value that fits its column (an amount for a money column, a
date for a date column, text for text …) goes in the column; any other key or value — a
key the store does not know, a number where text was expected — is kept verbatim in the
row's ``extra`` (an inline TOML table), so nothing the file said is lost and the reader sees
it again on export. ``tests/test_store_keys.py`` checks that every key the readers accept
has a column, so a new key added to the reader fails a test instead of living in ``extra``.

:func:`split` turns a parsed case file into :class:`CaseParts` (what the tables hold);
:func:`join` turns them back into the mapping the readers take; :func:`normalise` is both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from arrears.cashflows import parse_date
from arrears.errors import InputError
from arrears.money import parse_amount
from arrears.store.columns import fits
from arrears.store.toml_text import read_inline, value

__all__ = [
    "CASE", "CONTACT", "DEBT", "HOUSEHOLD", "INCOME_CHANGE", "OVERDUE", "PAYMENT", "PLAN",
    "CaseParts", "ContactParts", "DebtParts", "Field", "Part", "join", "normalise", "split",
]

Kind = Literal["money", "date", "text", "int", "bool", "toml"]


@dataclass(frozen=True, slots=True)
class Field:
    """A case-file key, the column holding it, and the column's kind."""

    key: str
    column: str
    kind: Kind


def _fields(*specs: tuple[str, Kind] | tuple[str, str, Kind]) -> tuple[Field, ...]:
    out = []
    for spec in specs:
        if len(spec) == 2:
            out.append(Field(spec[0], spec[0], spec[1]))
        else:
            out.append(Field(spec[0], spec[1], spec[2]))
    return tuple(out)


CASE = _fields(("currency", "text"), ("jurisdiction", "text"), ("as_of", "date"),
               ("name", "text"), ("language", "text"), ("timezone", "text"),
               ("represented_by", "date"))
PLAN = _fields(("priority", "plan_priority", "toml"), ("months", "plan_months", "toml"),
               ("strategy", "plan_strategy", "toml"))
HOUSEHOLD = _fields(("monthly_income", "money"), ("essential_expenses", "money"),
                    ("savings", "money"), ("emergency_fund_months", "int"),
                    ("floor", "money"), ("members", "toml"))
INCOME_CHANGE = _fields(("month", "text"), ("monthly_income", "money"))
DEBT = _fields(
    ("id", "key", "text"), ("lender", "text"), ("lender_type", "text"), ("kind", "text"),
    ("principal", "money"), ("received", "money"), ("disbursed", "date"), ("method", "text"),
    ("rate", "text"), ("rate_basis", "text"), ("day_count", "text"), ("term_months", "int"),
    ("first_due", "date"), ("fee_rate", "text"), ("upfront_fee", "money"),
    ("accrual", "text"), ("rounding", "text"), ("last_payment", "text"),
    ("allocation", "toml"), ("secured", "bool"), ("notes", "toml"),
    ("balance", "money"), ("balance_date", "date"), ("statement_day", "int"),
    ("payment_due_days", "int"), ("min_payment", "text"), ("min_payment_floor", "money"),
    ("full_balance_interest", "bool"), ("credit_limit", "money"), ("collector", "toml"))
OVERDUE = _fields(("grace_days", "int"), ("penalty", "text"), ("penalty_base", "text"),
                  ("compound", "bool"), ("late_fee", "text"), ("late_fee_min", "money"),
                  ("late_fee_max", "money"), ("accelerate_after_days", "int"))
PAYMENT = _fields(("date", "paid_on", "date"), ("amount", "money"), ("note", "text"))
CONTACT = _fields(("at", "text"), ("channel", "text"), ("from", "sender", "text"),
                  ("to", "recipient", "text"), ("debt", "text"), ("answered", "bool"),
                  ("note", "text"), ("flags", "toml"), ("collector", "text"))

# Keys held by a child table rather than a column.
TOP_TABLES = ("case", "household", "debts", "contacts", "plan", "offer", "letters_sent")
HOUSEHOLD_CHILDREN = ("income_changes",)
DEBT_CHILDREN = ("overdue", "payments")
CONTACT_CHILDREN = ("evidence",)

_INT_LIMIT = 2**31  # a column is a 32-bit INTEGER on PostgreSQL


class _Missing:
    """The value does not fit the column: keep it in ``extra``."""


_MISSING = _Missing()


def _stored(kind: Kind, item: Any) -> Any:
    """``item`` as its column holds it, or :data:`_MISSING`."""
    if kind == "toml":
        return value(item)
    if kind == "bool":
        return item if isinstance(item, bool) else _MISSING
    if kind == "int":
        ok = isinstance(item, int) and not isinstance(item, bool)
        return item if ok and -_INT_LIMIT <= item < _INT_LIMIT else _MISSING
    if kind == "text":
        return item if isinstance(item, str) and "\x00" not in item else _MISSING
    if kind == "date":
        return _date(item)
    return _money(item)


def _date(item: Any) -> Any:

    if isinstance(item, datetime):
        return item.date()
    if isinstance(item, date):
        return item
    if isinstance(item, str):
        try:
            return parse_date(item, "")
        except InputError:
            return _MISSING
    return _MISSING


def _money(item: Any) -> Any:

    if isinstance(item, bool) or not isinstance(item, str | int | float):
        return _MISSING
    try:
        amount = parse_amount(repr(item) if isinstance(item, float) else str(item), "")
    except (InputError, ArithmeticError):
        return _MISSING
    return amount if fits(amount) else _MISSING


def _given(kind: Kind, stored: Any) -> Any:
    """A column's value as the case file writes it."""
    if kind == "toml":
        return read_inline(stored)
    if kind == "money":
        return str(stored)
    return stored


@dataclass(slots=True)
class Part:
    """One row's worth of a table: column values and the keys kept verbatim."""

    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def extra_text(self) -> str | None:
        """``extra`` as an inline TOML table, ``None`` when empty."""
        return value(self.extra) if self.extra else None


def take(table: Mapping[str, Any], fields: tuple[Field, ...],
         children: tuple[str, ...] = ()) -> Part:
    """A row from a table: each known key in its column, the rest in ``extra``."""
    by_key = {f.key: f for f in fields}
    part = Part()
    for name, item in table.items():
        if name in children:
            continue
        spec = by_key.get(name)
        stored = _stored(spec.kind, item) if spec else _MISSING
        if stored is _MISSING:
            part.extra[name] = item
        else:
            part.values[spec.column] = stored  # type: ignore[union-attr]
    return part


def give(values: Mapping[str, Any], extra: str | Mapping[str, Any] | None,
         fields: tuple[Field, ...]) -> dict[str, Any]:
    """A table from a row: the columns that are set, then the verbatim keys."""
    out = {f.key: _given(f.kind, values[f.column]) for f in fields
           if values.get(f.column) is not None}
    verbatim = read_inline(extra) if isinstance(extra, str) else extra
    out.update(verbatim or {})
    return out


@dataclass(slots=True)
class DebtParts:
    """A ``[[debts]]`` table: its row, its overdue terms (if written) and its payments."""

    debt: Part
    overdue: Part | None
    payments: list[Part]


@dataclass(slots=True)
class ContactParts:
    """A ``[[contacts]]`` table: its row and its evidence paths."""

    contact: Part
    evidence: list[str]


@dataclass(slots=True)
class CaseParts:
    """A whole case file, table by table."""

    case: Part
    plan: Part
    offer: Any = None
    letters_sent: Any = None
    top_extra: dict[str, Any] = field(default_factory=dict)
    household: Part | None = None
    income_changes: list[Part] = field(default_factory=list)
    debts: list[DebtParts] = field(default_factory=list)
    contacts: list[ContactParts] = field(default_factory=list)


def _table(item: Any) -> Mapping[str, Any]:
    return item if isinstance(item, Mapping) else {}


def _list(item: Any) -> list[Any]:
    return item if isinstance(item, list) else []


def split(data: Mapping[str, Any]) -> CaseParts:
    """A parsed case file (already checked by the readers) as the store's rows."""
    top = {k: v for k, v in data.items() if k not in TOP_TABLES}
    plain = {k: data[k] for k in ("case", "plan", "household") if k in data
             and not isinstance(data[k], Mapping)}
    plain.update({k: data[k] for k in ("debts", "contacts") if k in data
                  and not isinstance(data[k], list)})
    parts = CaseParts(case=take(_table(data.get("case")), CASE),
                      plan=take(_table(data.get("plan")), PLAN),
                      offer=data.get("offer"), letters_sent=data.get("letters_sent"),
                      top_extra={**top, **plain})
    if isinstance(data.get("household"), Mapping):
        household = data["household"]
        parts.household = take(household, HOUSEHOLD, HOUSEHOLD_CHILDREN)
        changes = household.get("income_changes")
        if changes is not None and not _all_tables(changes):
            parts.household.extra["income_changes"] = changes
        else:
            parts.income_changes = [take(c, INCOME_CHANGE) for c in _list(changes)]
    for raw in _list(data.get("debts")):
        debt = take(_table(raw), DEBT, DEBT_CHILDREN)
        overdue = raw.get("overdue")
        payments = raw.get("payments")
        if overdue is not None and not isinstance(overdue, Mapping):
            debt.extra["overdue"] = overdue
            overdue = None
        if payments is not None and not _all_tables(payments):
            debt.extra["payments"] = payments
            payments = None
        parts.debts.append(DebtParts(
            debt, take(overdue, OVERDUE) if overdue is not None else None,
            [take(p, PAYMENT) for p in _list(payments)]))
    for raw in _list(data.get("contacts")):
        contact = take(_table(raw), CONTACT, CONTACT_CHILDREN)
        evidence = raw.get("evidence")
        if evidence is not None and not (isinstance(evidence, list) and all(
                isinstance(e, str) and "\x00" not in e for e in evidence)):
            contact.extra["evidence"] = evidence
            evidence = None
        parts.contacts.append(ContactParts(contact, list(evidence or [])))
    return parts


def _all_tables(items: Any) -> bool:
    return isinstance(items, list) and all(isinstance(i, Mapping) for i in items)


def join(parts: CaseParts) -> dict[str, Any]:
    """The case file's mapping from its rows (what :func:`split` took apart)."""
    out: dict[str, Any] = {}
    case = give(parts.case.values, parts.case.extra, CASE)
    if case:
        out["case"] = case
    if parts.household is not None:
        household = give(parts.household.values, parts.household.extra, HOUSEHOLD)
        if parts.income_changes:
            household["income_changes"] = [give(c.values, c.extra, INCOME_CHANGE)
                                           for c in parts.income_changes]
        out["household"] = household
    debts = []
    for d in parts.debts:
        debt = give(d.debt.values, d.debt.extra, DEBT)
        if d.overdue is not None:
            debt["overdue"] = give(d.overdue.values, d.overdue.extra, OVERDUE)
        if d.payments:
            debt["payments"] = [give(p.values, p.extra, PAYMENT) for p in d.payments]
        debts.append(debt)
    if debts:
        out["debts"] = debts
    contacts = []
    for c in parts.contacts:
        contact = give(c.contact.values, c.contact.extra, CONTACT)
        if c.evidence:
            contact["evidence"] = list(c.evidence)
        contacts.append(contact)
    if contacts:
        out["contacts"] = contacts
    plan = give(parts.plan.values, parts.plan.extra, PLAN)
    if plan:
        out["plan"] = plan
    if parts.offer is not None:
        out["offer"] = parts.offer
    if parts.letters_sent is not None:
        out["letters_sent"] = parts.letters_sent
    out.update(parts.top_extra)
    return out


def normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """A case file's mapping as the store gives it back (amounts as ``"30000.00"`` …)."""
    return join(split(data))
