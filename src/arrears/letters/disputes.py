"""The letters that dispute or complain, and the US pack's letters.

* ``dispute-charges`` — the audit's findings on the debt (:func:`arrears.audit.audit_debt`):
  each cap exceeded with the excess in yuan, late fees that may be reduced, a penalty rate
  above the banks' ceiling, interest deducted in advance; each with its rule and source. A
  debt the audit finds nothing on has nothing to dispute (an error).
* ``dispute-credit`` — the credit timeline of the debt (:func:`arrears.credit.credit_timeline`):
  the status each reported month can have at worst, and the pack's dispute rule (cn: answer
  within 20 days, Art. 25) and advance-notice rule (Art. 15).
* ``complaint`` — the collection log's findings about the debt (:class:`Conduct`), each
  with its rule; a case without a log, or a log without findings, is an error.
* ``validation``, ``dispute``, ``stop-contact`` — the CFPB-style letters of the US pack: the
  payments on record (for validation) and the debt's facts; the wording cites the FDCPA and
  Regulation F.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from arrears.errors import InputError, Problem
from arrears.i18n import N_, _
from arrears.letters.model import Context
from arrears.money import ZERO
from arrears.report import fmt_money

if TYPE_CHECKING:
    from arrears.audit import Finding

__all__ = ["DISPUTED_KINDS", "complaint", "dispute_charges", "dispute_credit", "goodwill",
           "stop_contact", "us_dispute", "validation"]

# Rule kinds whose findings are grounds for a dispute of charges. The malicious-overdraft
# finding is a warning to the borrower, not a ground, and stays out of a letter.
DISPUTED_KINDS = ("cap", "received", "late_fee", "penalty_multiple")

_NOTHING_TO_DISPUTE = N_('the audit finds no charge to dispute on "{debt}"')
_NO_LOG = N_("the case has no [[contacts]]: a complaint needs the collection log")
_NO_FINDINGS = N_('the collection log shows no contact about "{debt}" that breaks a conduct '
                  "rule")

Result = tuple[dict[str, Any], list[Problem]]


_UNKNOWN = "—"  # how the audit writes a cost it cannot compute


def _split(disputed: Decimal, outstanding: Decimal) -> tuple[str, str]:
    """A disputed amount as the part still outstanding (at most ``outstanding``) and the part
    already paid."""
    owed = min(max(disputed, ZERO), max(outstanding, ZERO))
    return fmt_money(owed), fmt_money(max(disputed, ZERO) - owed)


def _ground(finding: Finding, lang: str, status: Mapping[str, Any]) -> dict[str, Any]:
    """One ground of the dispute: the finding's rule, its figures (as the audit formatted
    them; a cost the audit cannot compute is ``None``, and ``why`` says why), the excess or
    the amount in question, and how much of it is outstanding and how much already paid."""
    rule = finding.rule
    figures: dict[str, str | None] = {
        k: (None if str(v) == _UNKNOWN else str(v)) for k, v in finding.params.items()
        if not k.startswith("rule_title")}
    outstanding = status["outstanding"]
    disputed = finding.excess if rule.kind in ("cap", "penalty_multiple") else finding.amount
    owed = paid = None
    if disputed is not None and rule.kind != "received":
        limit = {"cap": Decimal(status["payoff"]),
                 "late_fee": Decimal(outstanding.get("late_fees", "0")),
                 "penalty_multiple": Decimal(outstanding.get("penalty_interest", "0"))}
        owed, paid = _split(disputed, limit[rule.kind])
    return {"rule": rule.id, "kind": rule.kind, "title": rule.title(lang),
            "source": rule.source(lang), "confidence": rule.confidence, "figures": figures,
            "excess": fmt_money(finding.excess) if finding.excess is not None else None,
            "amount": fmt_money(finding.amount) if finding.amount is not None else None,
            "outstanding": owed, "paid": paid}


def dispute_charges(context: Context) -> Result:
    """The audit's findings on the debt, each with its rule and the excess."""
    from arrears.audit import audit_debt  # noqa: PLC0415 - the audit, on demand
    from arrears.rules import load_pack  # noqa: PLC0415

    lang = context.lang
    audit = audit_debt(context.debt, context.as_of, load_pack(context.case.jurisdiction))
    grounds = [_ground(f, lang, context.status) for f in audit.findings
               if f.rule.kind in DISPUTED_KINDS]
    if not grounds:
        raise InputError.one("--debt", _NOTHING_TO_DISPUTE, debt=context.debt.id)
    return {"grounds": grounds}, []


def dispute_credit(context: Context) -> Result:
    """What each reported month of the debt's credit record can show at worst."""
    from arrears.credit import NEGATIVE, credit_timeline, worst_code  # noqa: PLC0415
    from arrears.rules import load_pack  # noqa: PLC0415

    lang = context.lang
    timeline = credit_timeline(context.case, context.as_of, lang=lang)
    entry = next(d for d in timeline["debts"] if d["id"] == context.debt.id)
    months = [m for m in entry["months"] if m["code"] != "*"]
    negative = [m for m in months if m["code"] in NEGATIVE]
    pack = load_pack(context.case.jurisdiction)
    dispute = pack.of_kind("credit_dispute")[0]
    notice = pack.of_kind("credit_notice")[0]
    return {"credit": {
        "months": months,
        "negative": negative,
        "first_negative": negative[0]["month"] if negative else None,
        "last_negative": negative[-1]["month"] if negative else None,
        "worst": worst_code(m["code"] for m in negative),
        "first_month": months[0]["month"] if months else None,
        "last_month": months[-1]["month"] if months else None,
        "dispute": {"rule": dispute.id, "source": dispute.source(lang),
                    "days": dispute.params["days"]},
        "notice": {"rule": notice.id, "source": notice.source(lang)},
    }}, []


def _conduct_finding(finding: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """A finding of the collection log, with its rule's title and source from the pack when
    the finding does not carry them."""
    from arrears.rules import load_pack  # noqa: PLC0415

    rule_id = str(finding["rule"])
    title, source = finding.get("title"), finding.get("source")
    if title is None or source is None:
        pack = load_pack(context.case.jurisdiction)
        rule = next((r for r in pack.rules if r.id == rule_id), None)
        if rule is not None:
            title = title if title is not None else rule.title(context.lang)
            source = source if source is not None else rule.source(context.lang)
    contacts = [{"at": str(c.get("at", "")), "channel": str(c.get("channel", "")),
                 "to": str(c.get("to", "")), "from": str(c.get("from", "")),
                 "flags": [str(flag) for flag in c.get("flags", ())]}
                for c in finding.get("contacts", ())]
    return {"rule": rule_id, "confidence": str(finding.get("confidence", "")),
            "at": [str(a) for a in finding.get("at", ())],
            "message": str(finding.get("message", "")),
            "title": str(title or ""), "source": str(source or ""), "contacts": contacts}


def _illegal(context: Context) -> bool:
    """Whether the audit finds the debt's cost above a cap that makes a debt illegal."""
    from arrears.contacts.conditions import illegal_debts  # noqa: PLC0415 - on demand
    from arrears.rules import load_pack  # noqa: PLC0415

    case = replace(context.case, debts=(context.debt,))
    return context.debt.id in illegal_debts(case, context.as_of,
                                            load_pack(context.case.jurisdiction))


def _settle(findings: list[dict[str, Any]], notes: list[dict[str, Any]],
            context: Context) -> list[dict[str, Any]]:
    """The findings whose rule's conditions hold; the others join ``notes`` (a caller that
    passes a consequence rule as a finding cannot make the letter cite it)."""
    from arrears.contacts.conditions import WHY_NOT  # noqa: PLC0415
    from arrears.rules import load_pack  # noqa: PLC0415

    pack = {r.id: r for r in load_pack(context.case.jurisdiction).rules}
    base = [f for f in findings if not (pack.get(f["rule"]) and pack[f["rule"]].requires)]
    kept = []
    illegal: bool | None = None
    for finding in findings:
        rule = pack.get(finding["rule"])
        missing = []
        for condition in rule.requires if rule is not None else ():
            if condition == "conduct":
                held = any(set(finding["at"]) & set(other["at"]) for other in base)
            else:
                illegal = _illegal(context) if illegal is None else illegal
                held = illegal
            if not held:
                missing.append(condition)
        if not missing:
            kept.append(finding)
        elif all(n["rule"] != finding["rule"] for n in notes):
            notes.append({"rule": finding["rule"], "title": finding["title"],
                          "source": finding["source"],
                          "why": [_(WHY_NOT[m]) for m in missing]})
    return kept


def _first(item: Mapping[str, Any]) -> str:
    """The sort key of a finding or an incident: its first moment, as written (ISO)."""
    return min((str(a) for a in item["at"]), default="")


def complaint(context: Context) -> Result:
    """The collection log's findings about the debt, in time order, each rule once."""
    conduct = context.conduct
    if conduct is None:
        raise InputError.one(context.case.source, _NO_LOG)
    notes = [dict(n) for n in conduct.notes]
    findings = sorted((_conduct_finding(f, context) for f in conduct.findings), key=_first)
    findings = _settle(findings, notes, context)
    if not findings:
        raise InputError.one(context.case.source, _NO_FINDINGS, debt=context.debt.id)
    return ({"conduct": {"contacts": conduct.contacts, "findings": findings,
                         "incidents": _incidents(findings), "rules": _rules(findings),
                         "log": _log(findings), "notes": notes}},
            list(conduct.warnings))


def _incidents(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings grouped by the contacts they rest on, in time order: one incident per set
    of contacts, with every rule it breaks once (a threat by text message can break three)."""
    incidents: dict[str, dict[str, Any]] = {}
    for finding in findings:
        key = repr(finding["contacts"] or finding["at"])
        incident = incidents.setdefault(key, {"contacts": finding["contacts"],
                                              "at": finding["at"], "rules": []})
        if all(r["rule"] != finding["rule"] for r in incident["rules"]):
            incident["rules"].append({k: finding[k] for k in ("rule", "title", "source",
                                                               "confidence", "message")})
    return sorted(incidents.values(), key=_first)


def _log(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every contact a finding rests on, once, in time order, with the titles of the rules
    it is part of (the annex a regulator reads)."""
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    for finding in findings:
        contacts = finding["contacts"] or [{"at": at, "channel": "", "to": "", "from": "",
                                            "flags": []} for at in finding["at"]]
        for contact in contacts:
            key = (contact["at"], contact["channel"], contact["to"], contact["from"])
            row = rows.setdefault(key, {**contact, "rules": [], "titles": []})
            if finding["rule"] not in row["rules"]:
                row["rules"].append(finding["rule"])
                row["titles"].append(finding["title"])
    return sorted(rows.values(), key=lambda row: str(row["at"]))


def _rules(findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each rule the findings name, once, with its source."""
    seen: dict[str, dict[str, str]] = {}
    for finding in findings:
        seen.setdefault(finding["rule"], {"rule": finding["rule"], "title": finding["title"],
                                          "source": finding["source"]})
    return list(seen.values())


def validation(context: Context) -> Result:
    """A request for validation: the payments on record, for the itemisation to account for."""
    payments = [{"date": p.on.isoformat(), "amount": fmt_money(p.amount)}
                for p in context.debt.payments if p.on <= context.as_of]
    return {"payments": payments}, []


def us_dispute(context: Context) -> Result:
    """A dispute of the debt and of the amount claimed."""
    return {}, []


def goodwill(context: Context) -> Result:
    """A goodwill request to the original creditor: the late fees charged, each on its date,
    and their total, to be waived. Refused when no late fee was charged."""
    from arrears.engine import replay  # noqa: PLC0415
    from arrears.ledger import EntryKind  # noqa: PLC0415
    from arrears.overdue import Component  # noqa: PLC0415

    _, ledger = replay(context.debt, context.as_of)
    fees = [(e.on, e.amount) for e in ledger.entries
            if e.kind is EntryKind.CHARGE and e.component is Component.LATE_FEES and e.amount]
    if not fees:
        raise InputError.one("--kind", N_("a goodwill letter asks the lender to waive late "
                                          "fees, and no late fee has been charged on debt "
                                          '"{debt}" by {date}'),
                             debt=context.debt.id, date=context.as_of.isoformat())
    total = sum((amount for _, amount in fees), ZERO)
    return {"late_fees": [{"date": on.isoformat(), "amount": fmt_money(amount)}
                          for on, amount in fees],
            "late_fees_total": fmt_money(total)}, []


def stop_contact(context: Context) -> Result:
    """A request to stop contact."""
    return {}, []
