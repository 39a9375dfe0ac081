"""Report models of the collection log: the JSON of ``arrears contacts`` and the pieces the
terminal and the HTML report show. Translated here, at the edge, in the current language."""

from __future__ import annotations

from typing import Any

from arrears.contacts.conduct import CHANNEL_NAMES, PRACTICE_NAMES, RECIPIENT_NAMES, Finding
from arrears.contacts.log import Contact, ContactLog
from arrears.i18n import N_, _

__all__ = ["contact_model", "contacts_model", "finding_model", "message"]

_TRANSLATED = ("channel", "recipient", "practice")
NO_DEBT = N_("the debt")


def message(finding: Finding) -> str:
    """The finding's message in the current language."""
    params = dict(finding.params)
    for key in _TRANSLATED:
        if key in params:
            params[key] = _(params[key])
    if "debt" in params:
        params["debt"] = params["debt"] or _(NO_DEBT)
    text = _(finding.message).format(**params)
    if finding.creditor:
        text += _("; the creditor collects its own debt here, so the FDCPA may not apply "
                  "(15 U.S.C. §1692a(6)), but state law may, e.g. California's Rosenthal Act")
    if finding.sue_by is not None:
        from arrears.i18n import current  # noqa: PLC0415
        from arrears.letters.render import format_day  # noqa: PLC0415

        text += _("; last day to sue (15 U.S.C. §1692k(d)): {day}").format(
            day=format_day(finding.sue_by.isoformat(), current(), us=True))
    return text


def finding_model(finding: Finding, lang: str) -> dict[str, Any]:
    """One finding: its rule, how sure the rule is, the contacts it rests on (``at`` as
    written) and what is wrong."""
    return {
        "rule": finding.rule.id,
        "confidence": finding.rule.confidence,
        "at": [contact.stamp for contact in finding.contacts],
        "message": message(finding),
        "title": finding.rule.title(lang),
        "source": finding.rule.source(lang),
        "sue_by": finding.sue_by.isoformat() if finding.sue_by is not None else None,
        "creditor_collects": finding.creditor,
    }


def contacts_model(log: ContactLog, findings: tuple[Finding, ...],
                   lang: str) -> dict[str, Any]:
    """The JSON of ``arrears contacts CASE.toml --json``."""
    return {"findings": [finding_model(f, lang) for f in findings],
            "contacts": len(log.contacts)}


def contact_model(contact: Contact, findings: tuple[Finding, ...]) -> dict[str, Any]:
    """One contact for the timeline, with the rules it is part of."""
    return {
        "index": contact.index,
        "at": contact.stamp,
        "local": contact.local.strftime("%Y-%m-%d %H:%M"),
        "channel": contact.channel.value,
        "channel_name": _(CHANNEL_NAMES[contact.channel]),
        "from": contact.sender,
        "to": contact.to.value,
        "to_name": _(RECIPIENT_NAMES[contact.to]),
        "debt": contact.debt,
        "answered": contact.answered,
        "note": contact.note,
        "flags": [flag.value for flag in contact.flags],
        "flag_names": [_(PRACTICE_NAMES[flag]) for flag in contact.flags],
        "evidence": list(contact.evidence),
        "rules": sorted({f.rule.id for f in findings if contact in f.contacts}),
    }
