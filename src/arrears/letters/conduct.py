"""The complaint's evidence: the collection log of a case file, read by
:mod:`arrears.contacts` and checked against the conduct rules of the case's rule pack.

:func:`conduct_of_case` is the one place the letters touch the collection log. It imports
:mod:`arrears.contacts` when called, and turns its findings into the plain dicts a complaint
takes (:class:`~arrears.letters.model.Conduct`): ``{"rule", "confidence", "at": [...],
"message", "title", "source", "contacts": [{"at", "channel", "to", "from", "flags"}]}``, keeping the
findings and contacts about the debt (and those that name no debt). A consequence rule
(``requires`` in the pack: Criminal Law Art. 293-1 needs an illegal debt) whose condition is
not established is not a finding but a note (:mod:`arrears.contacts.conditions`):
``{"rule", "title", "source", "why": [...]}``. A case without ``[[contacts]]`` is an
:class:`InputError`.
"""

from __future__ import annotations

import importlib
import tomllib
from typing import Any

from arrears.errors import InputError
from arrears.i18n import N_, _
from arrears.letters.model import Conduct

__all__ = ["conduct_of_case"]

NO_CONTACTS = N_("the case has no [[contacts]]: a complaint needs the collection log")
NO_READER = N_("has [[contacts]], but this version of arrears cannot read the collection log")


def _about(contact: Any, debt_id: str) -> bool:
    return getattr(contact, "debt", "") in ("", debt_id)


def _contact(contact: Any) -> dict[str, Any]:
    local = getattr(contact, "local", None) or getattr(contact, "at", None)
    channel, to = getattr(contact, "channel", ""), getattr(contact, "to", "")
    return {"at": local.strftime("%Y-%m-%d %H:%M") if local is not None else "",
            "channel": str(getattr(channel, "value", channel)),
            "to": str(getattr(to, "value", to)),
            "from": str(getattr(contact, "sender", "")),
            "flags": [str(getattr(flag, "value", flag)) for flag in getattr(contact, "flags", ())]}


def conduct_of_case(text: str, source: str, debt_id: str, lang: str, *,
                    illegal: frozenset[str] = frozenset()) -> Conduct:
    """The findings of the collection log in a case file's ``text`` about ``debt_id``, with
    rule titles in ``lang``. ``source`` names the file in problems; ``illegal`` are the debts
    the audit finds illegal (:func:`arrears.contacts.conditions.illegal_debts`): without
    them, no finding rests on an illegal debt."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError.one(source, N_("is not valid TOML: {reason}"),
                             reason=str(error)) from None
    if not data.get("contacts"):
        raise InputError.one(source, NO_CONTACTS)
    try:
        contacts = importlib.import_module("arrears.contacts")
        conditions = importlib.import_module("arrears.contacts.conditions")
        rules = importlib.import_module("arrears.rules")
        load_log, check, model = (contacts.load_log, contacts.check,
                                  contacts.contacts_model)
    except (ImportError, AttributeError):
        raise InputError.one(source, NO_READER) from None
    log = load_log(text, source)
    mine = tuple(f for f in check(log, rules.load_pack(log.jurisdiction))
                 if any(_about(c, debt_id) for c in f.contacts))
    findings, pending = conditions.settle(mine, illegal)
    notes: dict[str, dict[str, Any]] = {}
    for item in pending:
        rule = item.finding.rule
        notes.setdefault(rule.id, {
            "rule": rule.id, "title": rule.title(lang), "source": rule.source(lang),
            "why": [_(conditions.WHY_NOT[m]) for m in item.missing]})
    rendered = model(log, findings, lang)["findings"]
    found = tuple({**shown, "contacts": [_contact(c) for c in finding.contacts
                                         if _about(c, debt_id)]}
                  for shown, finding in zip(rendered, findings, strict=True))
    count = sum(1 for c in log.contacts if _about(c, debt_id))
    return Conduct(found, count, tuple(getattr(log, "warnings", ())),
                   tuple(notes.values()))
