"""The letter model: JSON-ready data for one letter to a lender or a collector.

:func:`build_letter` takes a case, a debt, a kind and a date and returns a :class:`Letter`:
the model (plain dicts of strings, like every report model) and the warnings the person
should see before sending it. Every figure in the model comes from the engine (the debt's
status, :mod:`arrears.status`), the audit (:mod:`arrears.audit`), the plan (triage and
negotiation scenarios, :mod:`arrears.plan`), the credit timeline (:mod:`arrears.credit`) or
the collection log (:mod:`arrears.letters.conduct`); the wording is in the templates. The
builders of each kind are in :mod:`.hardship` (instalment, deferment, settlement) and
:mod:`.disputes` (the disputes, the complaint and the US letters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from arrears.case import Case
from arrears.debt import Debt
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.status import debt_status

__all__ = ["KINDS", "KINDS_BY_PACK", "Conduct", "Context", "Letter", "build_letter"]

KINDS_BY_PACK: Mapping[str, tuple[str, ...]] = {
    "cn": ("instalment", "deferment", "settlement", "dispute-charges", "dispute-credit",
           "complaint"),
    "us": ("validation", "dispute", "stop-contact", "goodwill"),
}
KINDS = (*KINDS_BY_PACK["cn"], *KINDS_BY_PACK["us"])

# What each letter says is attached, in order (the titles and contents are in the templates).
ATTACHMENTS: Mapping[str, tuple[str, ...]] = {
    "instalment": ("schedule", "budget", "evidence"),
    "deferment": ("schedule", "budget", "evidence"),
    "settlement": ("budget", "evidence"),
    "dispute-charges": ("calculation", "evidence"),
    "dispute-credit": ("months", "evidence"),
    "complaint": ("log", "evidence"),
    "validation": ("payments",),
    "dispute": ("evidence",),
    "stop-contact": (),
    "goodwill": (),
}


@dataclass(frozen=True, slots=True)
class Conduct:
    """What a complaint rests on: the findings of the collection log about the debt, each a
    dict ``{"rule", "confidence", "at": [...], "message"}`` (optionally ``"title"``,
    ``"source"`` and ``"contacts"``: ``[{"at", "channel", "to", "from"}]``), and how many
    contacts the log holds about the debt. ``notes`` are the consequence rules whose
    condition is not established: ``{"rule", "title", "source", "why": [...]}``, shown as
    notes, never as findings."""

    findings: tuple[Mapping[str, Any], ...]
    contacts: int
    warnings: tuple[Problem, ...] = ()
    notes: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a kind's builder reads."""

    case: Case
    debt: Debt
    as_of: date
    lang: str
    status: Mapping[str, Any]
    conduct: Conduct | None = None


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter ready to render: its kind, language, model and the warnings to show."""

    kind: str
    lang: str
    model: Mapping[str, Any]
    warnings: tuple[Problem, ...] = field(default=())


Builder = Callable[[Context], tuple[dict[str, Any], list[Problem]]]


def _components(status: Mapping[str, Any]) -> list[dict[str, str]]:
    """What the claimed amount is made of: the components owed, interest accrued since the
    last posting, and any credit held (negative)."""
    parts = [{"name": name, "amount": amount}
             for name, amount in status["outstanding"].items() if Decimal(amount)]
    if Decimal(status["accrued_interest"]):
        parts.append({"name": "accrued_interest", "amount": status["accrued_interest"]})
    if Decimal(status["credit"]):
        parts.append({"name": "credit", "amount": f"-{status['credit']}"})
    return parts


def _debt(debt: Debt, status: Mapping[str, Any]) -> dict[str, Any]:
    terms = debt.terms
    started = terms.start if terms is not None else debt.card.balance_date if debt.card else None
    return {
        "id": debt.id,
        "lender": debt.lender,
        "lender_type": debt.lender_type.value,
        "kind": debt.kind.value,
        "card": debt.card is not None,
        "secured": debt.secured,
        "contract_date": started.isoformat() if started else None,
        "principal": str(terms.principal) if terms is not None else None,
        "claimed": status["payoff"],
        "overdue": status["overdue_amount"],
        "dpd": status["dpd"],
        "components": _components(status),
        "accelerated_on": status["accelerated_on"],
    }


def _builders() -> Mapping[str, Builder]:
    from arrears.letters import disputes, hardship  # noqa: PLC0415 - they import this module

    return {
        "instalment": hardship.instalment,
        "deferment": hardship.deferment,
        "settlement": hardship.settlement,
        "dispute-charges": disputes.dispute_charges,
        "dispute-credit": disputes.dispute_credit,
        "complaint": disputes.complaint,
        "validation": disputes.validation,
        "dispute": disputes.us_dispute,
        "stop-contact": disputes.stop_contact,
        "goodwill": disputes.goodwill,
    }


def check_kind(kind: str, jurisdiction: str) -> None:
    """Raise :class:`InputError` (on ``--kind``) unless ``kind`` is a letter of the pack."""
    if kind not in KINDS:
        raise InputError.one("--kind", N_('"{text}" is not a letter kind; use one of {choices}'),
                             text=kind, choices=", ".join(KINDS))
    allowed = KINDS_BY_PACK.get(jurisdiction, ())
    if kind not in allowed:
        raise InputError.one("--kind", N_('"{text}" is not a letter of the {pack} rule pack; '
                                          "use one of {choices}"),
                             text=kind, pack=jurisdiction, choices=", ".join(allowed))


# The us letters that go to the debt collector (FDCPA §1692a(6)), not to the lender.
TO_COLLECTOR = ("validation", "dispute", "stop-contact")


def _collector(case: Case, debt: Debt, kind: str) -> dict[str, Any]:
    """``collector`` and ``creditor_collects`` for a letter to the collector; refused (one
    line naming the key to add) when the case names none for the debt."""
    if kind not in TO_COLLECTOR:
        return {}
    from arrears.collector import is_creditor  # noqa: PLC0415

    named = case.collectors.get(debt.id)
    if named is None:
        index = next(i for i, d in enumerate(case.debts) if d.id == debt.id)
        raise InputError.one(f"{case.source}: debts[{index}].collector", N_(
            "a {kind} letter goes to the debt collector: add a [debts.collector] table with "
            "its name and address (and since, the day it took over) to debt \"{debt}\""),
            kind=kind, debt=debt.id)
    return {"collector": {"name": named.name, "address": named.address,
                          "since": named.since.isoformat() if named.since else None},
            "creditor_collects": is_creditor(named.name, debt.lender)}


def build_letter(case: Case, debt_id: str, kind: str, as_of: date, lang: str, *,
                 conduct: Conduct | None = None) -> Letter:
    """The model of a ``kind`` letter about debt ``debt_id`` on ``as_of``, with rule titles
    and sources in ``lang`` (``zh`` or ``en``). ``conduct`` is the collection log's findings,
    needed by a complaint. Bad input raises :class:`InputError`."""
    check_kind(kind, case.jurisdiction)
    debt = case.debt(debt_id)
    collector = _collector(case, debt, kind)
    status = debt_status(debt, as_of)
    context = Context(case, debt, as_of, lang, status, conduct)
    extra, warnings = _builders()[kind](context)
    model: dict[str, Any] = {
        "kind": kind,
        "lang": lang,
        "jurisdiction": case.jurisdiction,
        "currency": case.currency,
        "date": as_of.isoformat(),
        "debt": _debt(debt, status),
        "attachments": list(ATTACHMENTS[kind]),
        **collector,
        **extra,
    }
    if kind == "validation" and not model.get("payments"):
        model["attachments"] = []
    return Letter(kind, lang, model, tuple(warnings))
