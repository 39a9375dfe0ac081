"""The port: what arrears asks of a case store, and the rules every adapter keeps.

:class:`CaseRepository` checks every write the same way whichever adapter is behind it —
the in-memory :class:`~arrears.store.fake.FakeRepository` or the database
:class:`~arrears.store.sql.SqlRepository` — and leaves them a few primitives to implement.
``tests/test_store_contract.py`` runs one suite over the fake, SQLite and PostgreSQL.

Rules:

- a case is checked by the case-file readers before it is stored (problems named by key path);
- an edit (payment, contact, letter, correction) is checked against the whole case it
  makes, and only the keys a person may set are taken (``case_id`` in a payment is refused);
- every write makes a new version of the case, recorded with who and when; a write made
  against an older version than the current one is a :class:`~arrears.errors.ConflictError`;
- a counsellor sees the cases assigned to them, a client the cases they own, an admin all;
  a case someone may not see is "not found", exactly as one that does not exist.
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from arrears.case import parse_case
from arrears.contacts.log import parse_log
from arrears.errors import ConflictError, InputError, Problem
from arrears.i18n import N_
from arrears.store.document import PAYMENT as PAYMENT_FIELDS
from arrears.store.document import CaseParts, ContactParts, Part, split, take

__all__ = [
    "CaseRepository", "CaseSummary", "LetterSent", "Revision", "Role", "StoredCase", "User",
    "check_case", "conflict", "new_case_id", "not_found", "summary_name",
]

PAYMENT_KEYS = ("date", "amount", "note")
CONTACT_KEYS = ("at", "channel", "from", "to", "debt", "answered", "note", "flags",
                "evidence", "collector")


class Role(Enum):
    """What an account may see: every case, the cases assigned, or its own."""

    ADMIN = "admin"
    COUNSELLOR = "counsellor"
    CLIENT = "client"


@dataclass(frozen=True, slots=True)
class User:
    """An account. ``password_hash`` is an argon2 hash, never the password."""

    name: str
    role: Role
    password_hash: str = field(repr=False)
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LetterSent:
    """A letter marked as sent."""

    kind: str
    sent_on: date
    debt: str = ""
    note: str = ""
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of a case: who made it, when, and how."""

    version: int
    at: datetime
    actor: str
    action: str


@dataclass(frozen=True, slots=True)
class StoredCase:
    """A stored case as the readers take it (``data``), at its current ``version``."""

    id: str
    version: int
    source: str
    data: dict[str, Any]
    letters: tuple[LetterSent, ...] = ()
    assigned: tuple[str, ...] = ()
    evidence: tuple[tuple[str, str | None, int | None], ...] = ()  # path, sha256, size


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One line of ``arrears case list``."""

    id: str
    version: int
    source: str
    name: str
    debts: int
    updated_at: datetime
    updated_by: str
    assigned: tuple[str, ...] = ()


def new_case_id() -> str:
    """A fresh case id: 12 random hex digits."""
    return secrets.token_hex(6)


def not_found(case_id: str) -> InputError:
    """The error for a case that does not exist or that the caller may not see."""
    return InputError.one(f"@{case_id}", N_("no stored case has this id"))


def conflict(case_id: str, expected: int, current: int) -> ConflictError:
    """The error for a write made against an older version of the case."""
    return ConflictError([Problem(f"@{case_id}", N_(
        "was changed by someone else since you read it (it is at version {current}, you "
        "edited version {expected}); read it again and redo your change"),
        {"current": current, "expected": expected})])


def check_case(data: Mapping[str, Any], source: str) -> tuple[Problem, ...]:
    """Raise every problem the case and contact readers find, located by key path; return
    their warnings (unknown keys …) when there is none."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for reader in (parse_case, parse_log):
        try:
            warnings.extend(w for w in reader(data, source).warnings if w not in warnings)
        except InputError as error:
            problems.extend(p for p in error.problems if p not in problems)
    if problems:
        raise InputError(problems)
    return tuple(warnings)


def _only(item: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    """Refuse keys a person may not set (mass assignment: ``case_id``, ``version`` …)."""
    if not isinstance(item, Mapping):
        raise InputError.one(where, N_("must be a table"))
    wrong = [Problem(f"{where}.{key}", N_("is not allowed here; allowed: {choices}"),
                     {"choices": ", ".join(allowed)}) for key in item if key not in allowed]
    if wrong:
        raise InputError(wrong)


class CaseRepository(ABC):
    """Stored cases. Public methods check; the adapter's ``_`` methods store."""

    # ---- reading -----------------------------------------------------------------------

    def get(self, case_id: str, *, viewer: User | None = None) -> StoredCase:
        """The current case; ``viewer`` (an account) must be allowed to see it."""
        stored = self._get(case_id)
        if stored is None or not self._may_see(viewer, stored):
            raise not_found(case_id)
        if viewer is not None:
            self._accessed(case_id, viewer.name, "read")
        return stored

    def list_cases(self, *, viewer: User | None = None) -> list[CaseSummary]:
        """The cases ``viewer`` may see (all of them without a viewer), newest first."""
        cases = self._list_cases()
        if viewer is not None and viewer.role is not Role.ADMIN:
            cases = [c for c in cases if viewer.name in c.assigned]
        return sorted(cases, key=lambda c: (c.updated_at, c.id), reverse=True)

    @staticmethod
    def _may_see(viewer: User | None, stored: StoredCase) -> bool:
        return viewer is None or viewer.role is Role.ADMIN or viewer.name in stored.assigned

    # ---- writing -----------------------------------------------------------------------

    def add_case(self, data: Mapping[str, Any], *, source: str, actor: str,
                 evidence: Mapping[str, tuple[str, int]] | None = None) -> str:
        """Store a new case (checked first); its id."""
        return self.import_case(data, source=source, actor=actor, evidence=evidence)[0]

    def import_case(self, data: Mapping[str, Any], *, source: str, actor: str,
                    evidence: Mapping[str, tuple[str, int]] | None = None,
                    ) -> tuple[str, tuple[Problem, ...]]:
        """Store a new case (checked first); its id and the readers' warnings."""
        warnings = check_case(data, source)
        case_id = new_case_id()
        self._add(case_id, split(data), source=source, actor=actor,
                  evidence=dict(evidence or {}))
        return case_id, warnings

    def replace(self, case_id: str, data: Mapping[str, Any], *, actor: str,
                expected_version: int,
                evidence: Mapping[str, tuple[str, int]] | None = None) -> int:
        """A corrected case in place of the current one (the old rows stay, superseded)."""
        check_case(data, f"@{case_id}")
        return self._replace(case_id, split(data), actor=actor, expected=expected_version,
                             evidence=dict(evidence or {}))

    def add_payment(self, case_id: str, debt_id: str, payment: Mapping[str, Any], *,
                    actor: str, expected_version: int | None = None) -> int:
        """Append a payment to a debt; the new version."""
        _only(payment, PAYMENT_KEYS, "payment")
        stored = self._current(case_id, expected_version)
        debts = stored.data.get("debts", [])
        index = next((i for i, d in enumerate(debts) if d.get("id") == debt_id), None)
        if index is None:
            raise InputError.one("--debt", N_('no debt has the id "{text}"; the case has '
                                              "{choices}"), text=debt_id,
                                 choices=", ".join(str(d.get("id")) for d in debts))
        data = dict(stored.data)
        debt = dict(debts[index])
        debt["payments"] = [*debt.get("payments", []), dict(payment)]
        data["debts"] = [*debts[:index], debt, *debts[index + 1:]]
        check_case(data, f"@{case_id}")
        part = take(payment, PAYMENT_FIELDS)
        return self._add_payment(case_id, debt_id, part, actor=actor,
                                 expected=stored.version)

    def add_contact(self, case_id: str, contact: Mapping[str, Any], *, actor: str,
                    expected_version: int | None = None,
                    evidence: Mapping[str, tuple[str, int]] | None = None) -> int:
        """Append a contact to the collection log; the new version."""
        _only(contact, CONTACT_KEYS, "contact")
        stored = self._current(case_id, expected_version)
        data = dict(stored.data)
        data["contacts"] = [*data.get("contacts", []), dict(contact)]
        check_case(data, f"@{case_id}")
        parts = split({"contacts": [dict(contact)]}).contacts[0]
        return self._add_contact(case_id, parts, actor=actor, expected=stored.version,
                                 evidence=dict(evidence or {}))

    def record_letter(self, case_id: str, letter: LetterSent, *, actor: str,
                      expected_version: int | None = None) -> int:
        """Record that a letter was sent; the new version."""
        stored = self._current(case_id, expected_version)
        if letter.debt and letter.debt not in {d.get("id") for d in stored.data.get("debts",
                                                                                   [])}:
            raise InputError.one("--debt", N_('no debt has the id "{text}"'), text=letter.debt)
        return self._record_letter(case_id, letter, actor=actor, expected=stored.version)

    def assign(self, case_id: str, user_name: str, *, actor: str) -> int:
        """Assign a case to a counsellor (or give it to a client); the new version."""
        user = self.user(user_name)
        if user is None:
            raise InputError.one("--to", N_('no user is called "{text}"'), text=user_name)
        stored = self._current(case_id, None)
        if user.name in stored.assigned:
            return stored.version
        return self._assign(case_id, user.name, actor=actor, expected=stored.version)

    def add_user(self, user: User, *, actor: str) -> None:
        """Create an account; its name must be new."""
        if self.user(user.name) is not None:
            raise InputError.one("NAME", N_('a user called "{text}" exists already'),
                                 text=user.name)
        self._add_user(user, actor=actor)

    def _current(self, case_id: str, expected: int | None) -> StoredCase:
        stored = self._get(case_id)
        if stored is None:
            raise not_found(case_id)
        if expected is not None and expected != stored.version:
            raise conflict(case_id, expected, stored.version)
        return stored

    # ---- what an adapter implements -----------------------------------------------------

    @abstractmethod
    def user(self, name: str) -> User | None:
        """The account called ``name``."""

    @abstractmethod
    def history(self, case_id: str) -> list[Revision]:
        """Every version of a case, oldest first."""

    @abstractmethod
    def _get(self, case_id: str) -> StoredCase | None: ...

    @abstractmethod
    def _list_cases(self) -> list[CaseSummary]: ...

    @abstractmethod
    def _accessed(self, case_id: str, user_name: str, what: str) -> None: ...

    @abstractmethod
    def _add(self, case_id: str, parts: CaseParts, *, source: str, actor: str,
             evidence: dict[str, tuple[str, int]]) -> None: ...

    @abstractmethod
    def _replace(self, case_id: str, parts: CaseParts, *, actor: str, expected: int,
                 evidence: dict[str, tuple[str, int]]) -> int: ...

    @abstractmethod
    def _add_payment(self, case_id: str, debt_id: str, part: Part, *, actor: str,
                     expected: int) -> int: ...

    @abstractmethod
    def _add_contact(self, case_id: str, parts: ContactParts, *, actor: str, expected: int,
                     evidence: dict[str, tuple[str, int]]) -> int: ...

    @abstractmethod
    def _record_letter(self, case_id: str, letter: LetterSent, *, actor: str,
                       expected: int) -> int: ...

    @abstractmethod
    def _assign(self, case_id: str, user_name: str, *, actor: str, expected: int) -> int: ...

    @abstractmethod
    def _add_user(self, user: User, *, actor: str) -> None: ...


def summary_name(data: Mapping[str, Any], source: str) -> str:
    """What to call a case in a list: its ``[case] name``, else the file it came from."""
    meta = data.get("case")
    name = meta.get("name") if isinstance(meta, Mapping) else None
    return name if isinstance(name, str) and name else source

