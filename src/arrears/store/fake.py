"""The in-memory adapter: the port's contract without a database, for tests and the
examples. Append-only like the database: every version of every case is kept."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from arrears.store.document import PAYMENT as PAYMENT_FIELDS
from arrears.store.document import CaseParts, ContactParts, Part, give, join
from arrears.store.repository import (
    CaseRepository,
    CaseSummary,
    LetterSent,
    Revision,
    StoredCase,
    User,
    conflict,
    not_found,
    summary_name,
)

__all__ = ["FakeRepository"]


@dataclass
class _Case:
    source: str
    versions: list[dict[str, Any]]  # the case's data at each version (index 0 = version 1)
    revisions: list[Revision]
    evidence: dict[str, tuple[str, int]]
    letters: list[LetterSent] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)


class FakeRepository(CaseRepository):
    """Cases in a dict; every version kept."""

    def __init__(self) -> None:
        self.cases: dict[str, _Case] = {}
        self.users: dict[str, User] = {}
        self.accesses: list[tuple[str, str, str]] = []

    def user(self, name: str) -> User | None:
        return self.users.get(name)

    def history(self, case_id: str) -> list[Revision]:
        if case_id not in self.cases:
            raise not_found(case_id)
        return list(self.cases[case_id].revisions)

    def _get(self, case_id: str) -> StoredCase | None:
        case = self.cases.get(case_id)
        if case is None:
            return None
        named = dict.fromkeys(p for c in case.versions[-1].get("contacts", [])
                              for p in c.get("evidence", []) if isinstance(p, str))
        evidence = tuple((p, *case.evidence.get(p, (None, None))) for p in named)
        return StoredCase(case_id, len(case.versions), case.source,
                          copy.deepcopy(case.versions[-1]), tuple(case.letters),
                          tuple(case.assigned), evidence)

    def _list_cases(self) -> list[CaseSummary]:
        return [CaseSummary(case_id, len(c.versions), c.source,
                            summary_name(c.versions[-1], c.source),
                            len(c.versions[-1].get("debts", [])), c.revisions[-1].at,
                            c.revisions[-1].actor, tuple(c.assigned))
                for case_id, c in self.cases.items()]

    def _accessed(self, case_id: str, user_name: str, what: str) -> None:
        self.accesses.append((case_id, user_name, what))

    def _add(self, case_id: str, parts: CaseParts, *, source: str, actor: str,
             evidence: dict[str, tuple[str, int]]) -> None:
        self.cases[case_id] = _Case(source, [join(parts)],
                                    [Revision(1, datetime.now(UTC), actor, "import")],
                                    dict(evidence))

    def _bump(self, case_id: str, expected: int, actor: str, action: str,
              data: dict[str, Any]) -> int:
        case = self.cases.get(case_id)
        if case is None:
            raise not_found(case_id)
        if len(case.versions) != expected:
            raise conflict(case_id, expected, len(case.versions))
        case.versions.append(data)
        case.revisions.append(Revision(expected + 1, datetime.now(UTC), actor, action))
        return expected + 1

    def _latest(self, case_id: str) -> dict[str, Any]:
        case = self.cases.get(case_id)
        if case is None:
            raise not_found(case_id)
        return copy.deepcopy(case.versions[-1])

    def _replace(self, case_id: str, parts: CaseParts, *, actor: str, expected: int,
                 evidence: dict[str, tuple[str, int]]) -> int:
        version = self._bump(case_id, expected, actor, "replace", join(parts))
        self.cases[case_id].evidence.update(evidence)
        return version

    def _add_payment(self, case_id: str, debt_id: str, part: Part, *, actor: str,
                     expected: int) -> int:
        data = self._latest(case_id)
        for debt in data.get("debts", []):
            if debt.get("id") == debt_id:
                debt.setdefault("payments", []).append(
                    give(part.values, part.extra, PAYMENT_FIELDS))
        return self._bump(case_id, expected, actor, "payment", data)

    def _add_contact(self, case_id: str, parts: ContactParts, *, actor: str, expected: int,
                     evidence: dict[str, tuple[str, int]]) -> int:
        data = self._latest(case_id)
        one = join(CaseParts(case=Part(), plan=Part(), contacts=[parts]))
        data.setdefault("contacts", []).extend(one["contacts"])
        version = self._bump(case_id, expected, actor, "contact", data)
        self.cases[case_id].evidence.update(evidence)
        return version

    def _record_letter(self, case_id: str, letter: LetterSent, *, actor: str,
                       expected: int) -> int:
        version = self._bump(case_id, expected, actor, "letter", self._latest(case_id))
        self.cases[case_id].letters.append(letter)
        return version

    def _assign(self, case_id: str, user_name: str, *, actor: str, expected: int) -> int:
        version = self._bump(case_id, expected, actor, "assign", self._latest(case_id))
        self.cases[case_id].assigned.append(user_name)
        return version

    def _add_user(self, user: User, *, actor: str) -> None:
        self.users[user.name] = User(user.name, user.role, user.password_hash,
                                     datetime.now(UTC))
