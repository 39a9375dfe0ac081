"""The audit report model: JSON-ready data for ``arrears audit`` and the demo."""

from __future__ import annotations

from datetime import date
from typing import Any

from arrears.audit import Cap, DebtAudit, Finding, audit_case
from arrears.case import Case
from arrears.i18n import N_, _, current
from arrears.report import fmt_money, fmt_percent

__all__ = ["LENDER_NAMES", "NOTICE", "audit_model"]

LENDER_NAMES = {
    "bank": N_("a bank"),
    "consumer_finance": N_("a consumer-finance company"),
    "micro_loan": N_("a micro-loan company"),
    "platform": N_("an online lending platform"),
    "card_issuer": N_("a card issuer"),
    "private": N_("a private lender"),
}

NOTICE = N_("This is information, not legal advice. Findings name the rule they rest on "
            "and how sure it is: statute (law or judicial interpretation), guideline "
            "(regulator or court policy) or practice (market practice).")


def _cap(cap: Cap, lang: str, lender_type: str, contract_date: date) -> dict[str, Any]:
    model: dict[str, Any] = {
        "rule": cap.rule.id,
        "rate": str(cap.rate),
        "source": cap.rule.source(lang),
        "title": cap.rule.title(lang),
        "confidence": cap.rule.confidence,
        "excess": fmt_money(cap.excess),
        "contract_excess": fmt_money(cap.contract_excess),
    }
    if cap.lpr is not None and cap.lpr_date is not None:
        model["lpr"] = str(cap.lpr)
        model["lpr_date"] = cap.lpr_date.isoformat()
        model["why"] = _("Lent by {lender}, contract of {date}: {multiple} × the one-year LPR "
                         "of {lpr} in force since {since} = {rate}").format(
            lender=lender_type, date=contract_date.isoformat(),
            multiple=cap.rule.params.get("lpr_multiple"), lpr=fmt_percent(cap.lpr),
            since=cap.lpr_date.isoformat(), rate=fmt_percent(cap.rate))
    else:
        model["why"] = _("Lent by {lender}, contract of {date}: {rate}").format(
            lender=lender_type, date=contract_date.isoformat(), rate=fmt_percent(cap.rate))
    return model


def _finding(finding: Finding, lang: str) -> dict[str, Any]:
    params = dict(finding.params)
    if lang == "zh" and "rule_title_zh" in params:
        params["rule_title"] = params["rule_title_zh"]
    return {
        "rule": finding.rule.id,
        "confidence": finding.rule.confidence,
        "source": finding.rule.source(lang),
        "title": finding.rule.title(lang),
        "message": _(finding.message).format(**params),
        "excess": fmt_money(finding.excess) if finding.excess is not None else None,
        "amount": fmt_money(finding.amount) if finding.amount is not None else None,
    }


def _debt(audit: DebtAudit, lang: str) -> dict[str, Any]:
    debt = audit.debt
    if audit.contract_apr is not None:
        contract = str(audit.contract_apr.apr)
    elif debt.card is not None:
        contract = str(debt.card.rate.annual(debt.card.day_count))
    else:  # pragma: no cover - a debt is a loan or a card
        contract = None
    binding = audit.cap
    lender = _(LENDER_NAMES[debt.lender_type.value])
    return {
        "id": debt.id,
        "lender_type": debt.lender_type.value,
        "contract_date": audit.contract_date.isoformat(),
        "contract_apr": contract,
        "actual_apr": str(audit.actual_apr.apr) if audit.actual_apr else None,
        "charged": fmt_money(audit.charged),
        "cap": _cap(binding, lang, lender, audit.contract_date) if binding else None,
        "caps": [_cap(c, lang, lender, audit.contract_date) for c in audit.caps],
        "findings": [_finding(f, lang) for f in audit.findings],
    }


def audit_model(case: Case, as_of: date) -> dict[str, Any]:
    """The audit of every debt, rendered in the current language."""
    lang = current()
    return {
        "as_of": as_of.isoformat(),
        "jurisdiction": case.jurisdiction,
        "notice": _(NOTICE),
        "debts": [_debt(a, lang) for a in audit_case(case, as_of)],
    }
