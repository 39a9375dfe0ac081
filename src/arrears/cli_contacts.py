"""CLI commands ``contacts`` (check the collection log), ``contacts add`` and ``contacts
report`` (``docs/contacts.md``).

``arrears contacts CASE.toml`` is short for ``arrears contacts check CASE.toml``. Registered
on :data:`arrears.cli.app` when this module is imported; the library is imported inside the
commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from arrears.cli import (
    AsJson,
    Db,
    Lang,
    _opt,
    _print_json,
    _use_language,
    app,
    print_warnings,
    with_warnings,
)
from arrears.cli_case import CaseFile, read_text
from arrears.errors import InputError
from arrears.i18n import _, render

if TYPE_CHECKING:
    from rich.console import Console

    from arrears.contacts.conduct import Finding
    from arrears.contacts.log import ContactLog


class _CheckByDefault(TyperGroup):
    """A group whose first argument, when it names no subcommand, goes to ``check``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] != "--help":
            args = ["check", *args]
        return super().parse_args(ctx, args)


contacts_app = typer.Typer(
    cls=_CheckByDefault,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help=_("The collection log: check each contact by a collector against the conduct rules "
           "(hours, calls a day, third parties, threats …), add a contact, or make the "
           "evidence report. \"arrears contacts CASE.toml\" is short for \"arrears contacts "
           "check CASE.toml\"."),
    epilog=_("Examples: arrears contacts case.toml --json | arrears contacts add case.toml "
             "--at \"2026-11-27 22:40\" --channel call --from \"138xxxx0000\" | arrears contacts "
             "report case.toml -o evidence.html"),
)
app.add_typer(contacts_app, name="contacts")


def read_log(path: Path) -> ContactLog:
    """Load a case file's collection log, printing its warnings and the case's."""
    from arrears.contacts.log import load_log

    text = read_text(path)
    log = with_case_warnings(load_log(text, str(path)), text)
    _warn(log)
    return log


def with_case_warnings(log: ContactLog, text: str) -> ContactLog:
    """The log with the warnings of the case file around it first (an unread key, a rate
    to check). A case whose debts cannot be read yet still has a log to check: its
    problems are left to the commands that read the debts."""
    from dataclasses import replace

    from arrears.case import load_case

    try:
        case = load_case(text, log.source)
    except InputError:
        return log
    return replace(log, warnings=(*case.warnings, *log.warnings))


def _warn(log: ContactLog) -> None:
    print_warnings(log.warnings)


def _checked(log: ContactLog) -> tuple[Finding, ...]:
    """The findings of the log; a consequence rule whose condition is not established
    (Criminal Law Art. 293-1 on a debt the audit finds lawful) is not one."""
    from arrears.contacts.conditions import settle

    findings, _pending = settle(_found(log), _illegal_debts(Path(log.source), _pack(log)))
    return findings


def _pending_notes(pending: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Each consequence rule left as a note once (rule id, title, what is not established)."""
    from arrears.contacts.conditions import WHY_NOT
    from arrears.i18n import current

    notes: dict[str, dict[str, Any]] = {}
    for item in pending:
        rule = item.finding.rule
        note = notes.setdefault(rule.id, {"rule": rule.id, "title": rule.title(current()),
                                          "why": []})
        for missing in item.missing:
            reason = _(WHY_NOT[missing])
            if reason not in note["why"]:
                note["why"].append(reason)
    return list(notes.values())


def _found(log: ContactLog) -> tuple[Finding, ...]:
    """Every rule the log's contacts appear to break, consequence rules included."""
    from arrears.contacts.conduct import check

    return check(log, _pack(log))


def _pack(log: ContactLog) -> Any:
    from arrears.rules import load_pack

    return load_pack(log.jurisdiction)


@contacts_app.command(
    "check",
    help=_("Check every contact in the case's [[contacts]] log against the conduct rules of "
           "its rule pack; each finding names its rule, source and confidence."),
    epilog=_("Example: arrears contacts check case.toml --json"),
)
def check_command(case_file: CaseFile, as_json: AsJson = False, db: Db = None,
                  lang: Lang = None) -> None:
    """Check every contact in the log against the conduct rules of the case's pack."""
    _use_language(lang)
    from arrears.contacts.conditions import settle
    from arrears.contacts.model import contacts_model
    from arrears.i18n import current
    from arrears.terminal import console, print_notice

    log = read_log(case_file)
    findings, pending = settle(_found(log), _illegal_debts(Path(log.source), _pack(log)))
    model = contacts_model(log, findings, current())
    # Consequence rules whose condition is not established: notes, never findings.
    model["notes"] = _pending_notes(pending)
    if as_json:
        _print_json(with_warnings(model, log.warnings))
        return
    out = console()
    out.print(_("Collection log: {count} contacts, {findings} findings").format(
        count=model["contacts"], findings=len(model["findings"])), style="bold", markup=False)
    print_findings(model["findings"], out)
    if model["notes"]:
        from arrears.terminal import print_item

        out.print()
        out.print(_("Notes: rules whose condition is not established"), style="bold", markup=False)
        for note in model["notes"]:
            print_item(out, _("{title}: not established: {why}").format(
                title=note["title"], why="; ".join(note["why"])))
    print_notes(log, out)
    print_notice(out)


def print_findings(findings: list[dict[str, Any]], out: Console) -> None:
    """The findings as a table named by each rule's title (the JSON keeps the rule ids),
    then each rule's title and source once."""
    from rich.table import Table

    from arrears.contacts.report import CONFIDENCE_NAMES
    from arrears.terminal import print_indented, print_item

    if not findings:
        out.print(_("No finding: every contact logged is within the rules checked."),
                  markup=False)
        return
    table = Table(show_edge=False, pad_edge=False, show_lines=False)
    for heading, ratio in ((_("Rule"), 2), (_("Confidence"), None), (_("What happened"), 3)):
        table.add_column(heading, overflow="fold", ratio=ratio)
    for finding in findings:
        table.add_row(finding["title"], _(CONFIDENCE_NAMES[finding["confidence"]]),
                      finding["message"])
    out.print(table)
    out.print()
    out.print(_("What the rules say"), style="bold", markup=False)
    seen: set[str] = set()
    for finding in findings:
        if finding["rule"] in seen:
            continue
        seen.add(finding["rule"])
        print_item(out, finding["title"])
        print_indented(out, finding["source"], style="dim")


def print_notes(log: ContactLog, out: Console) -> None:
    from arrears.contacts.conduct import notes
    from arrears.i18n import current
    from arrears.rules import load_pack

    for rule in notes(load_pack(log.jurisdiction)):
        out.print(_("Note: {title}").format(title=rule.title(current())), markup=False)


@contacts_app.command(
    "add",
    help=_("Append one contact to the case file's [[contacts]] log, keeping every other byte "
           "of the file (comments included); the file is replaced atomically."),
    epilog=_("Example: arrears contacts add case.toml --at \"2026-11-27 22:40\" --channel call "
             "--from \"某催收公司 138xxxx0000\" --debt online-loan --note \"说今晚不还就去单位\" "
             "--flag threat --evidence recordings/2026-11-27.m4a"),
)
def add_command(
    case_file: CaseFile,
    at: Annotated[str, _opt("WHEN", _("Date and time, e.g. \"2026-11-27 22:40\" (read in the "
                                      "case's timezone, or China time for the cn pack) or "
                                      "2026-11-27T22:40:00+08:00."))],
    channel: Annotated[str, _opt("CHANNEL", _("call, missed_call, sms, app, wechat, visit or "
                                              "letter."))],
    sender: Annotated[str, typer.Option("--from", metavar="WHO",
                                        help=_("Who got in touch: company, name, number."))]
    = "",
    to: Annotated[str, _opt("WHOM", _("Whom they contacted: debtor, family, employer, "
                                      "contact or other."))] = "debtor",
    debt: Annotated[str | None, _opt("ID", _("The debt it was about (its id in the case "
                                             "file)."))] = None,
    answered: Annotated[bool | None, typer.Option(
        "--answered/--unanswered", help=_("Whether a call was answered (default: a call was, "
                                          "a missed call was not)."))] = None,
    note: Annotated[str, _opt("TEXT", _("What was said or done."))] = "",
    flag: Annotated[list[str] | None, typer.Option(
        "--flag", metavar="FLAG", help=_("A prohibited practice, once per flag: threat, insult, "
                                         "impersonation, disclosure, extra_fee, new_loan, "
                                         "fake_legal or public_posting; for the us pack "
                                         "also at_work or employer_forbids."))] = None,
    evidence: Annotated[list[str] | None, typer.Option(
        "--evidence", metavar="PATH", help=_("A recording or screenshot, relative to the case "
                                             "file's folder; once per file."))] = None,
    as_json: AsJson = False,
    lang: Lang = None,
) -> None:
    """Append one contact to the case file's log."""
    _use_language(lang)
    from arrears.contacts.append import NewContact, add_contact
    from arrears.contacts.model import contacts_model
    from arrears.i18n import current
    from arrears.terminal import console

    new = NewContact(at=at, channel=channel, sender=sender, to=to, debt=debt,
                     answered=answered, note=note, flags=tuple(flag or ()),
                     evidence=tuple(evidence or ()))
    log, index = add_contact(case_file, new)
    log = with_case_warnings(log, read_text(case_file))
    _warn(log)
    contact = next(c for c in log.contacts if c.index == index)
    mine = tuple(f for f in _checked(log) if contact in f.contacts)
    model = contacts_model(log, mine, current())
    if as_json:
        _print_json({"index": index, "at": contact.stamp, "findings": model["findings"],
                     "warnings": [render(w) for w in log.warnings]})
        return
    out = console()
    out.print(_("Added contacts[{index}] ({at}) to {path}.").format(
        index=index, at=contact.stamp, path=case_file), markup=False)
    if mine:
        print_findings(model["findings"], out)


@contacts_app.command(
    "report",
    help=_("Write the evidence report: a timeline of the contacts, the findings, the evidence "
           "files with their SHA-256, and where to complain, as one self-contained HTML page "
           "or an A4 PDF (by the file's extension), with the shipped Chinese font."),
    epilog=_("Example: arrears contacts report case.toml -o evidence.html (or -o "
             "evidence.pdf)"),
)
def report_command(
    case_file: CaseFile,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help=_("The report to write (.html or .pdf)."))],
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Write the evidence report."""
    _use_language(lang)
    from datetime import datetime

    from arrears.atomic import write_atomically
    from arrears.contacts.evidence import gather
    from arrears.contacts.report import render_html, render_pdf, report_model
    from arrears.i18n import current
    from arrears.rules import load_pack

    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise InputError.one("--output", _('"{text}" must end in .html or .pdf'),
                             text=str(output))
    log = read_log(case_file)
    pack = load_pack(log.jurisdiction)
    findings = _found(log)
    evidence = gather(log, case_file.parent)
    made_at = datetime.now().astimezone()
    model = report_model(log, findings, evidence, pack=pack, made_at=made_at,
                         lang=current(), illegal=_illegal_debts(case_file, pack))
    if suffix == ".pdf":
        try:
            data = render_pdf(model, current(), made_at)
        except InputError as error:
            raise InputError.one("--output", _("the PDF font has no glyph for {chars}; write "
                                               "an .html report"),
                                 chars=error.problems[0].params.get("chars", "")) from None
    else:
        data = render_html(model, current()).encode("utf-8")
    write_atomically(output, data)
    missing = sum(1 for e in evidence if e.status != "ok")
    sys.stdout.write(_("Wrote {path}: {count} contacts, {findings} findings, {files} evidence "
                       "files ({missing} missing or unreadable).").format(
        path=output, count=len(log.contacts), findings=len(model["findings"]),
        files=len(evidence), missing=missing) + "\n")


def _illegal_debts(case_file: Path, pack: Any) -> frozenset[str]:
    """The debts of the case the audit finds illegal (for the consequence rules); none when
    the file holds no debts the engine can read (a collection log on its own)."""
    from arrears.case import load_case
    from arrears.cli_case import resolve_as_of
    from arrears.contacts.conditions import illegal_debts

    try:
        case = load_case(read_text(case_file), str(case_file))
        return illegal_debts(case, resolve_as_of(case, None), pack)
    except (InputError, OSError):
        return frozenset()
