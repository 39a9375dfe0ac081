"""The database adapter (SQLite or PostgreSQL through SQLAlchemy 2).

One transaction per call: a write either stores all its rows and the new version or
nothing. Rows are appended, never changed, except that a row replaced by a correction gets
``removed_in`` (see :mod:`arrears.store.schema`). The version guard is one statement,
``UPDATE cases SET version = v + 1 WHERE id = :id AND version = v``: of two writers that
read version ``v`` exactly one changes a row, the other gets a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from arrears.errors import InputError
from arrears.i18n import N_
from arrears.store.document import (
    CASE,
    CONTACT,
    DEBT,
    HOUSEHOLD,
    INCOME_CHANGE,
    OVERDUE,
    PAYMENT,
    PLAN,
    CaseParts,
    ContactParts,
    DebtParts,
    Field,
    Part,
    join,
)
from arrears.store.repository import (
    CaseRepository,
    CaseSummary,
    LetterSent,
    Revision,
    Role,
    StoredCase,
    User,
    conflict,
    not_found,
    summary_name,
)
from arrears.store.schema import (
    AccessRow,
    AssignmentRow,
    CaseRow,
    ContactRow,
    DebtRow,
    EvidenceRow,
    HouseholdRow,
    IncomeChangeRow,
    LetterRow,
    MetaRow,
    OverdueRow,
    PaymentRow,
    RevisionRow,
    UserRow,
)
from arrears.store.toml_text import read_inline, value

__all__ = ["SqlRepository"]

_CONTENT = (MetaRow, HouseholdRow, IncomeChangeRow, DebtRow, OverdueRow, PaymentRow,
            ContactRow, EvidenceRow)


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    """A stored moment in UTC (SQLite gives it back without its zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _columns(part: Part, *, case_id: str, version: int, position: int = 0) -> dict[str, Any]:
    return {**part.values, "case_id": case_id, "added_in": version, "position": position,
            "extra": part.extra_text()}


def _part(row: Any, fields: Sequence[Field]) -> Part:
    return Part({f.column: getattr(row, f.column) for f in fields},
                read_inline(row.extra) if row.extra else {})


def _current(model: Any, case_id: str) -> Any:
    return (select(model).where(model.case_id == case_id, model.removed_in.is_(None))
            .order_by(model.position, model.row_id))


class SqlRepository(CaseRepository):
    """Stored cases in a SQL database already migrated to the head revision."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # ---- reading -----------------------------------------------------------------------

    def user(self, name: str) -> User | None:
        with self._sessions() as s:
            row = s.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                return None
            return User(row.name, Role(row.role), row.password_hash, _utc(row.created_at))

    def history(self, case_id: str) -> list[Revision]:
        with self._sessions() as s:
            rows = s.scalars(select(RevisionRow).where(RevisionRow.case_id == case_id)
                             .order_by(RevisionRow.version)).all()
            if not rows:
                raise not_found(case_id)
            return [Revision(r.version, _utc(r.at), r.actor, r.action) for r in rows]

    def _get(self, case_id: str) -> StoredCase | None:
        if len(case_id) > 32:
            return None
        with self._sessions() as s:
            case = s.get(CaseRow, case_id)
            if case is None:
                return None
            parts, evidence = self._parts(s, case_id)
            letters = tuple(
                LetterSent(r.kind, r.sent_on, r.debt or "", r.note or "", r.sha256)
                for r in s.scalars(_current(LetterRow, case_id)))
            return StoredCase(case.id, case.version, case.source, join(parts), letters,
                              self._assigned(s, case_id), evidence)

    def _assigned(self, s: Session, case_id: str) -> tuple[str, ...]:
        names = s.scalars(select(UserRow.name).join(
            AssignmentRow, AssignmentRow.user_id == UserRow.id)
            .where(AssignmentRow.case_id == case_id, AssignmentRow.removed_in.is_(None))
            .order_by(AssignmentRow.position, AssignmentRow.row_id))
        return tuple(names)

    def _parts(self, s: Session, case_id: str) -> tuple[CaseParts, tuple[Any, ...]]:
        meta = s.scalar(_current(MetaRow, case_id))
        if meta is None:  # pragma: no cover - every stored case has its meta row
            raise not_found(case_id)
        top = read_inline(meta.top_extra) if meta.top_extra else {}
        parts = CaseParts(case=_part(meta, CASE),
                          plan=Part({f.column: getattr(meta, f.column) for f in PLAN},
                                    read_inline(meta.plan_extra) if meta.plan_extra else {}),
                          offer=read_inline(meta.offer) if meta.offer else None,
                          letters_sent=(read_inline(meta.letters_sent) if meta.letters_sent
                                        else None),
                          top_extra=top)
        household = s.scalar(_current(HouseholdRow, case_id))
        if household is not None:
            parts.household = _part(household, HOUSEHOLD)
            parts.income_changes = [_part(r, INCOME_CHANGE)
                                    for r in s.scalars(_current(IncomeChangeRow, case_id))]
        overdue = {r.debt_row_id: _part(r, OVERDUE)
                   for r in s.scalars(_current(OverdueRow, case_id))}
        payments: dict[int, list[Part]] = {}
        for r in s.scalars(_current(PaymentRow, case_id)):
            payments.setdefault(r.debt_row_id, []).append(_part(r, PAYMENT))
        for r in s.scalars(_current(DebtRow, case_id)):
            parts.debts.append(DebtParts(_part(r, DEBT), overdue.get(r.row_id),
                                         payments.get(r.row_id, [])))
        paths: dict[int, list[str]] = {}
        evidence: dict[str, tuple[str, str | None, int | None]] = {}
        for r in s.scalars(_current(EvidenceRow, case_id)):
            paths.setdefault(r.contact_row_id, []).append(r.path)
            evidence.setdefault(r.path, (r.path, r.sha256, r.size))
        for r in s.scalars(_current(ContactRow, case_id)):
            parts.contacts.append(ContactParts(_part(r, CONTACT), paths.get(r.row_id, [])))
        return parts, tuple(evidence.values())

    def _list_cases(self) -> list[CaseSummary]:
        with self._sessions() as s:
            latest = (select(RevisionRow.case_id, func.max(RevisionRow.version).label("v"))
                      .group_by(RevisionRow.case_id).subquery())
            rows = s.execute(
                select(CaseRow, RevisionRow, MetaRow.name)
                .join(latest, latest.c.case_id == CaseRow.id)
                .join(RevisionRow, (RevisionRow.case_id == CaseRow.id)
                      & (RevisionRow.version == latest.c.v))
                .join(MetaRow, (MetaRow.case_id == CaseRow.id) & MetaRow.removed_in.is_(None))
            ).all()
            counts: dict[str, int] = {row[0]: row[1] for row in s.execute(
                select(DebtRow.case_id, func.count()).where(DebtRow.removed_in.is_(None))
                .group_by(DebtRow.case_id))}
            assigned: dict[str, list[str]] = {}
            for row in s.execute(
                    select(AssignmentRow.case_id, UserRow.name)
                    .join(UserRow, AssignmentRow.user_id == UserRow.id)
                    .where(AssignmentRow.removed_in.is_(None))
                    .order_by(AssignmentRow.position, AssignmentRow.row_id)):
                assigned.setdefault(row[0], []).append(row[1])
            return [CaseSummary(case.id, case.version, case.source,
                                summary_name({"case": {"name": name}}, case.source),
                                counts.get(case.id, 0), _utc(rev.at), rev.actor,
                                tuple(assigned.get(case.id, ())))
                    for case, rev, name in rows]

    def _accessed(self, case_id: str, user_name: str, what: str) -> None:
        with self._sessions.begin() as s:
            s.add(AccessRow(case_id=case_id, user_name=user_name, at=_now(), what=what))

    # ---- writing -----------------------------------------------------------------------

    def _bump(self, s: Session, case_id: str, expected: int, actor: str, action: str) -> int:
        """Take the case from ``expected`` to the next version, or raise a conflict."""
        result = cast(CursorResult[Any], s.execute(
            update(CaseRow).where(CaseRow.id == case_id, CaseRow.version == expected)
            .values(version=expected + 1).execution_options(synchronize_session=False)))
        if result.rowcount != 1:
            current = s.scalar(select(CaseRow.version).where(CaseRow.id == case_id))
            if current is None:
                raise not_found(case_id)
            raise conflict(case_id, expected, current)
        s.add(RevisionRow(case_id=case_id, version=expected + 1, at=_now(), actor=actor,
                          action=action))
        return expected + 1

    def _add(self, case_id: str, parts: CaseParts, *, source: str, actor: str,
             evidence: dict[str, tuple[str, int]]) -> None:
        with self._sessions.begin() as s:
            s.add(CaseRow(id=case_id, version=1, source=source, created_at=_now(),
                          created_by=actor))
            s.add(RevisionRow(case_id=case_id, version=1, at=_now(), actor=actor,
                              action="import"))
            s.flush()
            self._write(s, case_id, 1, parts, evidence)

    def _write(self, s: Session, case_id: str, version: int, parts: CaseParts,
               evidence: dict[str, tuple[str, int]]) -> None:
        """Insert every content row of ``parts`` as of ``version``."""
        plan = parts.plan
        s.add(MetaRow(**_columns(parts.case, case_id=case_id, version=version),
                      **plan.values, plan_extra=plan.extra_text(),
                      offer=value(parts.offer) if parts.offer is not None else None,
                      letters_sent=(value(parts.letters_sent) if parts.letters_sent is not None
                                    else None),
                      top_extra=value(parts.top_extra) if parts.top_extra else None))
        if parts.household is not None:
            s.add(HouseholdRow(**_columns(parts.household, case_id=case_id, version=version)))
            self._many(s, IncomeChangeRow, (
                _columns(p, case_id=case_id, version=version, position=i)
                for i, p in enumerate(parts.income_changes)))
        debts = [DebtRow(**_columns(d.debt, case_id=case_id, version=version, position=i))
                 for i, d in enumerate(parts.debts)]
        contacts = [ContactRow(**_columns(c.contact, case_id=case_id, version=version,
                                          position=i))
                    for i, c in enumerate(parts.contacts)]
        s.add_all([*debts, *contacts])
        s.flush()
        self._many(s, OverdueRow, (
            {**_columns(d.overdue, case_id=case_id, version=version), "debt_row_id": row.row_id}
            for d, row in zip(parts.debts, debts, strict=True) if d.overdue is not None))
        self._many(s, PaymentRow, (
            {**_columns(p, case_id=case_id, version=version, position=i),
             "debt_row_id": row.row_id}
            for d, row in zip(parts.debts, debts, strict=True)
            for i, p in enumerate(d.payments)))
        self._evidence(s, case_id, version, zip(parts.contacts, contacts, strict=True),
                       evidence)

    @staticmethod
    def _evidence(s: Session, case_id: str, version: int,
                  contacts: Iterable[tuple[ContactParts, ContactRow]],
                  evidence: dict[str, tuple[str, int]]) -> None:
        SqlRepository._many(s, EvidenceRow, (
            {"case_id": case_id, "added_in": version, "position": i, "path": path,
             "contact_row_id": row.row_id, "sha256": evidence.get(path, (None, None))[0],
             "size": evidence.get(path, (None, None))[1]}
            for c, row in contacts for i, path in enumerate(c.evidence)))

    @staticmethod
    def _many(s: Session, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        batch = list(rows)
        if batch:
            s.execute(insert(model), batch)

    def _replace(self, case_id: str, parts: CaseParts, *, actor: str, expected: int,
                 evidence: dict[str, tuple[str, int]]) -> int:
        with self._sessions.begin() as s:
            version = self._bump(s, case_id, expected, actor, "replace")
            for model in _CONTENT:
                s.execute(update(model).where(model.case_id == case_id,
                                              model.removed_in.is_(None))
                          .values(removed_in=version)
                          .execution_options(synchronize_session=False))
            self._write(s, case_id, version, parts, evidence)
            return version

    def _add_payment(self, case_id: str, debt_id: str, part: Part, *, actor: str,
                     expected: int) -> int:
        with self._sessions.begin() as s:
            version = self._bump(s, case_id, expected, actor, "payment")
            debt = s.scalar(_current(DebtRow, case_id).where(DebtRow.key == debt_id))
            if debt is None:
                raise InputError.one("--debt", N_('no debt has the id "{text}"'), text=debt_id)
            last = s.scalar(select(func.max(PaymentRow.position)).where(
                PaymentRow.debt_row_id == debt.row_id, PaymentRow.removed_in.is_(None)))
            s.add(PaymentRow(**_columns(part, case_id=case_id, version=version,
                                        position=0 if last is None else last + 1),
                             debt_row_id=debt.row_id))
            return version

    def _add_contact(self, case_id: str, parts: ContactParts, *, actor: str, expected: int,
                     evidence: dict[str, tuple[str, int]]) -> int:
        with self._sessions.begin() as s:
            version = self._bump(s, case_id, expected, actor, "contact")
            last = s.scalar(select(func.max(ContactRow.position)).where(
                ContactRow.case_id == case_id, ContactRow.removed_in.is_(None)))
            row = ContactRow(**_columns(parts.contact, case_id=case_id, version=version,
                                        position=0 if last is None else last + 1))
            s.add(row)
            s.flush()
            self._evidence(s, case_id, version, [(parts, row)], evidence)
            return version

    def _record_letter(self, case_id: str, letter: LetterSent, *, actor: str,
                       expected: int) -> int:
        with self._sessions.begin() as s:
            version = self._bump(s, case_id, expected, actor, "letter")
            s.add(LetterRow(case_id=case_id, added_in=version, position=version,
                            kind=letter.kind, debt=letter.debt or None, sent_on=letter.sent_on,
                            note=letter.note or None, sha256=letter.sha256))
            return version

    def _assign(self, case_id: str, user_name: str, *, actor: str, expected: int) -> int:
        with self._sessions.begin() as s:
            version = self._bump(s, case_id, expected, actor, "assign")
            user_id = s.scalar(select(UserRow.id).where(UserRow.name == user_name))
            if user_id is None:  # pragma: no cover - the port checked it
                raise InputError.one("--to", N_('no user is called "{text}"'), text=user_name)
            s.add(AssignmentRow(case_id=case_id, added_in=version, position=version,
                                user_id=user_id))
            return version

    def _add_user(self, user: User, *, actor: str) -> None:
        with self._sessions.begin() as s:
            s.add(UserRow(name=user.name, role=user.role.value,
                          password_hash=user.password_hash, created_at=_now(),
                          created_by=actor))
