"""``arrears contacts report``: the evidence report, one self-contained HTML page (styles and
the font inline, no scripts, no network) or an A4 PDF, to print, keep or attach to a
complaint.

It holds the timeline of contacts in the consumer's local time, every finding with its rule's
title, source and confidence, the consequence rules whose condition is not established as
notes (:mod:`arrears.contacts.conditions`), the evidence files with their SHA-256 computed
when the report was made, and where to complain. :func:`report_model` builds the data,
:func:`render_html` the page, :func:`render_pdf` the PDF; all in the current language. Rule
ids are kept as ``data-rule`` attributes of the page (and in the model), not shown: a
regulator reads the rule's title.

Chinese shows everywhere: the HTML carries the shipped CJK font (the one the PDF letters
use) as an inline ``@font-face``, subset to the characters of the page
(:mod:`arrears.letters.webfont`); the PDF is set in the same font (:mod:`arrears.letters.pdf`).
"""

from __future__ import annotations

from datetime import datetime
from html import escape, unescape
from typing import Any

from arrears.contacts.conditions import WHY_NOT, settle
from arrears.contacts.conduct import Finding, notes
from arrears.contacts.evidence import Evidence
from arrears.contacts.log import ContactLog
from arrears.contacts.model import contact_model, finding_model
from arrears.i18n import N_, _
from arrears.rules import RulePack

__all__ = ["COMPLAINTS", "render_html", "render_pdf", "report_model"]

# Where to complain, per pack: (who, how) message ids.
COMPLAINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "cn": (
        (N_("The lender or platform"),
         N_("Complain in writing to the lender's customer service and ask it to stop; "
            "collectors act for the lender, which answers for them. Keep this report and "
            "your recordings.")),
        (N_("12378 — the NFRA consumer hotline"),
         N_("Call 12378, the banking and insurance consumer complaint hotline of the National "
            "Financial Regulatory Administration, about improper collection; a reply usually "
            "comes within 15 working days.")),
        (N_("The police (110)"),
         N_("Report threats, insults, violence or harassment to the police.")),
    ),
    "us": (
        (N_("The CFPB"),
         N_("Submit a complaint to the Consumer Financial Protection Bureau at "
            "consumerfinance.gov/complaint or by phone at (855) 411-2372.")),
        (N_("Your state attorney general"),
         N_("The consumer protection office of your state's attorney general takes "
            "complaints about debt collectors.")),
    ),
}
CONFIDENCE_NAMES = {"statute": N_("statute"), "guideline": N_("guideline"),
                    "practice": N_("practice")}
STATUS_NAMES = {"missing": N_("missing"), "unreadable": N_("cannot be read")}


def report_model(log: ContactLog, findings: tuple[Finding, ...], evidence: tuple[Evidence, ...],
                 *, pack: RulePack, made_at: datetime, lang: str,
                 illegal: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Everything the evidence report shows, as data. ``illegal`` are the debts the audit
    finds illegal: a consequence rule that needs one is otherwise a note, not a finding."""
    kept, pending = settle(findings, illegal)
    conditional: dict[str, dict[str, Any]] = {}
    for item in pending:
        rule = item.finding.rule
        conditional.setdefault(rule.id, {
            "rule": rule.id, "title": rule.title(lang), "source": rule.source(lang),
            "confidence": rule.confidence, "why": [_(WHY_NOT[m]) for m in item.missing]})
    titles = {f.rule.id: f.rule.title(lang) for f in kept}
    contacts = [contact_model(c, kept) for c in log.by_time()]
    for contact in contacts:
        contact["titles"] = [titles[rule] for rule in contact["rules"]]
    return {
        "source": log.source,
        "pack": pack.name_zh if lang == "zh" else pack.name_en,
        "jurisdiction": log.jurisdiction,
        "timezone": log.timezone,
        "made_at": made_at.isoformat(timespec="seconds"),
        "contacts": contacts,
        "findings": [finding_model(f, lang) for f in kept],
        "evidence": [{"path": e.path, "status": e.status, "sha256": e.sha256, "size": e.size,
                      "reason": e.reason, "at": list(e.contacts)} for e in evidence],
        "notes": [{"rule": r.id, "title": r.title(lang), "source": r.source(lang),
                   "confidence": r.confidence, "why": []} for r in notes(pack)]
        + list(conditional.values()),
        "complain": [{"who": _(who), "how": _(how)}
                     for who, how in COMPLAINTS.get(log.jurisdiction, ())],
    }


_STYLE = """
body { font-family: "arrears CJK", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; text-align: left;
         vertical-align: top; }
th { background: #eee; }
tr.broken td { background: #fff1f0; }
.meta { color: #444; font-size: .9rem; }
.mono { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace;
        font-size: .8rem; word-break: break-all; }
.missing { color: #a00; font-weight: bold; }
.notice { margin-top: 2rem; font-style: italic; color: #444; }
@media print { body { margin: 0; max-width: none; } tr { break-inside: avoid; } }
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _table(headings: list[str], rows: list[tuple[str, list[str]]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headings)
    body = "".join(f'<tr{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>'
                   + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
                   for cls, cells in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _findings(model: dict[str, Any]) -> str:
    if not model["findings"]:
        none = _("No finding: every contact logged is within the rules checked.")
        return f"<p>{_e(none)}</p>"
    rows = [("", ["<br>".join(_e(at) for at in f["at"]),
                  f'<span data-rule="{_e(f["rule"])}">{_e(f["title"])}</span>',
                  _e(f["message"]), _e(f["source"]),
                  _e(_(CONFIDENCE_NAMES.get(f["confidence"], f["confidence"])))])
            for f in model["findings"]]
    return _table([_("Contacts (as logged)"), _("Rule"), _("What happened"), _("Source"),
                   _("Confidence")], rows)


def _findings_pdf(model: dict[str, Any]) -> str:
    """The findings for the PDF page: fewer, wider columns; each rule's source once below."""
    if not model["findings"]:
        return _findings(model)
    rows = [("", ["; ".join(_e(at) for at in f["at"]), _e(f["title"]), _e(f["message"]),
                  _e(_(CONFIDENCE_NAMES.get(f["confidence"], f["confidence"])))])
            for f in model["findings"]]
    table = _table([_("Contacts (as logged)"), _("Rule"), _("What happened"),
                    _("Confidence")], rows)
    sources = {f["title"]: f["source"] for f in model["findings"]}
    items = "".join(f"<li>{_e(title)}: {_e(source)}</li>" for title, source in sources.items())
    return f"{table}<ul>{items}</ul>"


def _timeline_pdf(model: dict[str, Any]) -> str:
    """The timeline for the PDF page: when, how, who to whom, what was said, rules broken."""
    if not model["contacts"]:
        return _timeline(model)
    rows = []
    for c in model["contacts"]:
        how = c["channel_name"]
        if c["channel"] in ("call", "missed_call"):
            how = (_("{channel}, answered") if c["answered"]
                   else _("{channel}, not answered")).format(channel=how)
        said = "; ".join(x for x in (c["note"], *c["flag_names"]) if x)
        rows.append(("", [_e(c["local"]), _e(how), _e(c["from"]), _e(c["to_name"]), _e(said),
                          "; ".join(_e(title) for title in c["titles"])]))
    return _table([_("Local time"), _("How"), _("From"), _("To"), _("Note"), _("Rules")], rows)


def _timeline(model: dict[str, Any]) -> str:
    if not model["contacts"]:
        empty = _("The log has no contacts.")
        return f"<p>{_e(empty)}</p>"
    rows = []
    for c in model["contacts"]:
        how = c["channel_name"]
        if c["channel"] in ("call", "missed_call"):
            how = (_("{channel}, answered") if c["answered"]
                   else _("{channel}, not answered")).format(channel=how)
        rows.append(("broken" if c["rules"] else "", [
            f'{_e(c["local"])}<br><span class="mono">{_e(c["at"])}</span>',
            _e(how), _e(c["from"]), _e(c["to_name"]), _e(c["debt"]), _e(c["note"]),
            "<br>".join(_e(name) for name in c["flag_names"]),
            "<br>".join(f'<span class="mono">{_e(p)}</span>' for p in c["evidence"]),
            "<br>".join(f'<span data-rule="{_e(r)}">{_e(title)}</span>'
                        for r, title in zip(c["rules"], c["titles"], strict=True))]))
    return _table([_("Local time"), _("How"), _("From"), _("To"), _("Debt"), _("Note"),
                   _("Flags"), _("Evidence"), _("Rules")], rows)


def _evidence(model: dict[str, Any]) -> str:
    if not model["evidence"]:
        empty = _("The log names no evidence files.")
        return f"<p>{_e(empty)}</p>"
    rows = []
    for e in model["evidence"]:
        if e["status"] == "ok":
            digest = f'<span class="mono">{_e(e["sha256"])}</span>'
            size = _e(e["size"])
        else:
            status = _(STATUS_NAMES[e["status"]])
            digest = f'<span class="missing">{_e(status)}</span> {_e(e["reason"])}'
            size = ""
        rows.append(("", [f'<span class="mono">{_e(e["path"])}</span>', size, digest,
                          "<br>".join(_e(at) for at in e["at"])]))
    return _table([_("File"), _("Bytes"), _("SHA-256"), _("Contacts")], rows)


def render_html(model: dict[str, Any], lang: str, *, pdf: bool = False) -> str:
    """The evidence report as one HTML page, the shipped font inline (``pdf``: the bare
    body the PDF is drawn from)."""
    zone = model["timezone"] or _("the UTC offset written with each contact")
    meta = _("Case file {source} · rules: {pack} · local time: {zone} · made {made_at} · "
             "{count} contacts, {findings} findings").format(
        source=model["source"], pack=model["pack"], zone=zone, made_at=model["made_at"],
        count=len(model["contacts"]), findings=len(model["findings"]))
    # One paragraph per note, its lines broken (the PDF: a paragraph a line).
    brk = '</p><p class="note">' if pdf else "<br>"
    notes_html = "".join(
        f'<p class="note" data-rule="{_e(n["rule"])}">'
        + _e(_("Note: {title}").format(title=n["title"]))
        + "".join(brk + _e(_("Not a finding: {why}.").format(why=why)) for why in n["why"])
        + f"{brk}<small>{_e(n['source'])}</small></p>" for n in model["notes"])
    complain = "".join(f"<li><strong>{_e(c['who'])}</strong>: {_e(c['how'])}</li>"
                       for c in model["complain"])
    title = _("Collection log and evidence")
    hashed = _("Each file was hashed (SHA-256) when this report was made; the same hash "
               "later shows the file is unchanged.")
    headings = {key: _e(text) for key, text in (
        ("findings", _("Findings")), ("timeline", _("Timeline")), ("evidence", _("Evidence")),
        ("complain", _("Where to complain")), ("notice", _("This is information, not legal "
                                                            "advice.")))}
    body = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(meta)}</p>',
        f"<h2>{headings['findings']}</h2>",
        _findings_pdf(model) if pdf else _findings(model), notes_html,
        f"<h2>{headings['timeline']}</h2>", _timeline_pdf(model) if pdf else _timeline(model),
        f"<h2>{headings['evidence']}</h2>", f"<p>{_e(hashed)}</p>", _evidence(model),
        f"<h2>{headings['complain']}</h2>", f"<ul>{complain}</ul>",
        f'<p class="notice">{headings["notice"]}</p>',
    ]
    if pdf:
        return "\n".join(["<html><body>", *body, "</body></html>"]) + "\n"
    from arrears.letters.webfont import font_face  # noqa: PLC0415 - fontTools on demand

    text = unescape("".join(body) + title)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{font_face(text)}{_STYLE}</style></head><body>",
        *body,
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def render_pdf(model: dict[str, Any], lang: str, when: datetime) -> bytes:
    """The evidence report as an A4 PDF in the shipped font: the same sections as the page.
    A character the font lacks is an :class:`~arrears.errors.InputError` (use the HTML)."""
    from arrears.letters.blocks import parse_blocks  # noqa: PLC0415 - fpdf2 on demand
    from arrears.letters.pdf import render_pdf as draw  # noqa: PLC0415

    blocks = parse_blocks(render_html(model, lang, pdf=True))
    return draw(blocks, lang=lang, title=_("Collection log and evidence"), when=when.date())
