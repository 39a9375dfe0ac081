"""Consequence rules: a finding only when their condition is established, else a note.

Some conduct rules in a pack are not rules of conduct but what follows from conduct under a
condition: Criminal Law Art. 293-1 punishes collecting an *illegal* debt (usury) by threats
or harassment; the Public Security Administration Punishments Law punishes the threats and
insults themselves. Such a rule carries ``requires = [...]`` in the pack (``docs/rules.md``).
:func:`settle` keeps it as a finding only when every condition holds on the contacts it rests
on, and otherwise returns it as a :class:`Pending` note saying what is not established:

``conduct``
    another rule without ``requires`` has a finding on at least one of the same contacts
    (the threat or insult is itself found, not only the consequence).
``illegal_debt``
    every contact is about a debt the audit finds illegal: a cost above a cap marked
    ``illegal_above = true`` (:func:`illegal_debts`). A contact that names no debt cannot
    establish it.

Pure: findings and the set of illegal debts in, findings and notes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from arrears.contacts.conduct import Finding
from arrears.i18n import N_

if TYPE_CHECKING:
    from arrears.case import Case
    from arrears.rules import RulePack

__all__ = ["WHY_NOT", "Pending", "illegal_debts", "settle"]

WHY_NOT = {
    "conduct": N_("the conduct it punishes is not found on these contacts"),
    "illegal_debt": N_("it applies only to an illegal debt (such as usury), and the audit "
                       "does not find the cost of the debt above a lawful cap"),
}


@dataclass(frozen=True, slots=True)
class Pending:
    """A consequence rule's finding whose condition is not established: shown as a note."""

    finding: Finding
    missing: tuple[str, ...]


def illegal_debts(case: Case, as_of: date, pack: RulePack) -> frozenset[str]:
    """The ids of the case's debts whose cost the audit finds above a cap that makes a debt
    illegal (``illegal_above``), with an excess above it."""
    from arrears.audit import audit_debt  # noqa: PLC0415 - the audit, on demand

    found = set()
    for debt in case.debts:
        audit = audit_debt(debt, as_of, pack)
        if any(f.rule.kind == "cap" and f.rule.illegal_above and f.excess is not None
               and f.excess > 0 for f in audit.findings):
            found.add(debt.id)
    return frozenset(found)


def _missing(finding: Finding, base: list[Finding], illegal: frozenset[str]) -> tuple[str, ...]:
    indexes = {c.index for c in finding.contacts}
    missing = []
    for condition in finding.rule.requires:
        if condition == "conduct":
            held = any(indexes & {c.index for c in other.contacts} for other in base)
        elif condition == "illegal_debt":
            held = all(c.debt in illegal for c in finding.contacts)
        else:  # pragma: no cover - the pack loader refuses other conditions
            held = False
        if not held:
            missing.append(condition)
    return tuple(missing)


def settle(findings: tuple[Finding, ...], illegal: frozenset[str] = frozenset()
           ) -> tuple[tuple[Finding, ...], tuple[Pending, ...]]:
    """The findings whose conditions hold (order kept), and the consequence rules whose
    conditions do not, as notes."""
    base = [f for f in findings if not f.rule.requires]
    kept: list[Finding] = []
    pending: list[Pending] = []
    for finding in findings:
        missing = _missing(finding, base, illegal) if finding.rule.requires else ()
        if missing:
            pending.append(Pending(finding, missing))
        else:
            kept.append(finding)
    return tuple(kept), tuple(pending)
