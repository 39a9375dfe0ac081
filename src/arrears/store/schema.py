"""The tables of the store (SQLAlchemy 2 typed ORM).

Append-only: a case's content rows (meta, household, income changes, debts, overdue terms,
payments, contacts, evidence, letters sent, assignments) carry ``added_in`` — the case version
that wrote them — and ``removed_in`` — the version that replaced them, ``NULL`` while current.
A row's values are never updated; a correction writes new rows in a new version and marks the
old ones ``removed_in``, so the case as it stood at any version is
``added_in <= v AND (removed_in IS NULL OR removed_in > v)``. ``case_revisions`` says who
made each version, when and how. ``cases.version`` is the optimistic-concurrency counter.

A case file's key that has no column here (or a value of another type than its column's) is
kept verbatim in the row's ``extra`` (an inline TOML table), so export gives it back.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from arrears.store.columns import Money

__all__ = [
    "AccessRow", "AssignmentRow", "Base", "CaseRow", "ContactRow", "DebtRow", "EvidenceRow",
    "HouseholdRow", "IncomeChangeRow", "LetterRow", "MetaRow", "OverdueRow", "PaymentRow",
    "RevisionRow", "UserRow",
]

CASE_ID = 32


class Base(DeclarativeBase):
    """The declarative base of every table."""


class CaseRow(Base):
    """A stored case: its id and current version."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(CASE_ID), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)  # the file name it was imported from
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(Text)


class RevisionRow(Base):
    """Who made one version of a case, when, and how (import, payment, contact …)."""

    __tablename__ = "case_revisions"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(32))


class _Versioned:
    """Columns of every append-only content row."""

    row_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    added_in: Mapped[int] = mapped_column(Integer)
    removed_in: Mapped[int | None] = mapped_column(Integer, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    extra: Mapped[str | None] = mapped_column(Text, default=None)

    @declared_attr
    def case_id(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("cases.id"), index=True)


class MetaRow(_Versioned, Base):
    """``[case]``, ``[plan]``, ``[offer]``, ``[[letters_sent]]`` and any other top-level key
    of the file."""

    __tablename__ = "case_meta"

    currency: Mapped[str | None] = mapped_column(Text)
    jurisdiction: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str | None] = mapped_column(Text)
    represented_by: Mapped[date | None] = mapped_column(Date)
    plan_priority: Mapped[str | None] = mapped_column(Text)  # TOML value
    plan_months: Mapped[str | None] = mapped_column(Text)  # TOML value
    plan_strategy: Mapped[str | None] = mapped_column(Text)  # TOML value
    plan_extra: Mapped[str | None] = mapped_column(Text)
    offer: Mapped[str | None] = mapped_column(Text)  # TOML value
    letters_sent: Mapped[str | None] = mapped_column(Text)  # TOML value
    top_extra: Mapped[str | None] = mapped_column(Text)


class HouseholdRow(_Versioned, Base):
    """``[household]``: the monthly budget."""

    __tablename__ = "households"

    monthly_income: Mapped[Decimal | None] = mapped_column(Money)
    essential_expenses: Mapped[Decimal | None] = mapped_column(Money)
    savings: Mapped[Decimal | None] = mapped_column(Money)
    emergency_fund_months: Mapped[int | None] = mapped_column(Integer)
    floor: Mapped[Decimal | None] = mapped_column(Money)
    members: Mapped[str | None] = mapped_column(Text)  # TOML value


class IncomeChangeRow(_Versioned, Base):
    """``[[household.income_changes]]``: the household's income from a month on."""

    __tablename__ = "income_changes"

    month: Mapped[str | None] = mapped_column(Text)
    monthly_income: Mapped[Decimal | None] = mapped_column(Money)


class DebtRow(_Versioned, Base):
    """``[[debts]]``: a loan's or a card's terms (the key is the debt's ``id``)."""

    __tablename__ = "debts"

    key: Mapped[str | None] = mapped_column(Text)
    lender: Mapped[str | None] = mapped_column(Text)
    lender_type: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    principal: Mapped[Decimal | None] = mapped_column(Money)
    received: Mapped[Decimal | None] = mapped_column(Money)
    disbursed: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(Text)
    rate: Mapped[str | None] = mapped_column(Text)
    rate_basis: Mapped[str | None] = mapped_column(Text)
    day_count: Mapped[str | None] = mapped_column(Text)
    term_months: Mapped[int | None] = mapped_column(Integer)
    first_due: Mapped[date | None] = mapped_column(Date)
    fee_rate: Mapped[str | None] = mapped_column(Text)
    upfront_fee: Mapped[Decimal | None] = mapped_column(Money)
    accrual: Mapped[str | None] = mapped_column(Text)
    rounding: Mapped[str | None] = mapped_column(Text)
    last_payment: Mapped[str | None] = mapped_column(Text)
    allocation: Mapped[str | None] = mapped_column(Text)  # TOML value
    secured: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)  # TOML value
    balance: Mapped[Decimal | None] = mapped_column(Money)
    balance_date: Mapped[date | None] = mapped_column(Date)
    statement_day: Mapped[int | None] = mapped_column(Integer)
    payment_due_days: Mapped[int | None] = mapped_column(Integer)
    min_payment: Mapped[str | None] = mapped_column(Text)
    min_payment_floor: Mapped[Decimal | None] = mapped_column(Money)
    full_balance_interest: Mapped[bool | None] = mapped_column(Boolean)
    credit_limit: Mapped[Decimal | None] = mapped_column(Money)
    collector: Mapped[str | None] = mapped_column(Text)  # TOML value: [debts.collector]


class OverdueRow(_Versioned, Base):
    """``[debts.overdue]``: grace, penalty interest, compounding, late fees, acceleration."""

    __tablename__ = "overdue_terms"

    debt_row_id: Mapped[int] = mapped_column(ForeignKey("debts.row_id"), index=True)
    grace_days: Mapped[int | None] = mapped_column(Integer)
    penalty: Mapped[str | None] = mapped_column(Text)
    penalty_base: Mapped[str | None] = mapped_column(Text)
    compound: Mapped[bool | None] = mapped_column(Boolean)
    late_fee: Mapped[str | None] = mapped_column(Text)
    late_fee_min: Mapped[Decimal | None] = mapped_column(Money)
    late_fee_max: Mapped[Decimal | None] = mapped_column(Money)
    accelerate_after_days: Mapped[int | None] = mapped_column(Integer)


class PaymentRow(_Versioned, Base):
    """``[[debts.payments]]``: money paid on a debt."""

    __tablename__ = "payments"

    debt_row_id: Mapped[int] = mapped_column(ForeignKey("debts.row_id"), index=True)
    paid_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)


class ContactRow(_Versioned, Base):
    """``[[contacts]]``: one contact by a collector, as logged."""

    __tablename__ = "contacts"

    at: Mapped[str | None] = mapped_column(Text)  # as written (offset or local time)
    channel: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(Text)  # the key "from"
    recipient: Mapped[str | None] = mapped_column(Text)  # the key "to"
    debt: Mapped[str | None] = mapped_column(Text)
    answered: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[str | None] = mapped_column(Text)  # TOML value
    collector: Mapped[str | None] = mapped_column(Text)


class EvidenceRow(_Versioned, Base):
    """A contact's evidence file, with its SHA-256 and size when it was stored."""

    __tablename__ = "evidence"

    contact_row_id: Mapped[int] = mapped_column(ForeignKey("contacts.row_id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)


class LetterRow(_Versioned, Base):
    """A letter marked as sent (not part of the case file)."""

    __tablename__ = "letters_sent"

    kind: Mapped[str] = mapped_column(Text)
    debt: Mapped[str | None] = mapped_column(Text)
    sent_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))


class UserRow(Base):
    """An account of the shared mode: admin, counsellor or client."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(Text)


class AssignmentRow(_Versioned, Base):
    """A case assigned to a counsellor, or owned by a client."""

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_user_current", "user_id", "removed_in"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class AccessRow(Base):
    """Every read of a case by an account (who, when, what)."""

    __tablename__ = "case_access"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    user_name: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    what: Mapped[str] = mapped_column(String(32))
