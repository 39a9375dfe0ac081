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

from arrears.cli import AsJson, Db, Lang, _opt, _print_json, _use_language, app
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
    """Load a case file's collection log, printing its warnings."""
    from arrears.contacts.log import load_log

    log = load_log(read_text(path), str(path))
    _warn(log)
    return log


def _warn(log: ContactLog) -> None:
    for warning in log.warnings:
        sys.stderr.write(_("arrears: warning: {problem}").format(problem=render(warning))
                         + "\n")


def _checked(log: ContactLog) -> tuple[Finding, ...]:
    from arrears.contacts.conduct import check
    from arrears.rules import load_pack

    return check(log, load_pack(log.jurisdiction))


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
    from arrears.contacts.model import contacts_model
    from arrears.i18n import current
    from arrears.terminal import console, print_notice

    log = read_log(case_file)
    findings = _checked(log)
    model = contacts_model(log, findings, current())
    if as_json:
        _print_json(model)
        return
    out = console()
    out.print(_("Collection log: {count} contacts, {findings} findings").format(
        count=model["contacts"], findings=len(model["findings"])), style="bold", markup=False)
    print_findings(model["findings"], out)
    print_notes(log, out)
    print_notice(out)


def print_findings(findings: list[dict[str, Any]], out: Console) -> None:
    """The findings as a table, then each rule's title and source once."""
    from rich.table import Table

    from arrears.contacts.report import CONFIDENCE_NAMES

    if not findings:
        out.print(_("No finding: every contact logged is within the rules checked."),
                  markup=False)
        return
    table = Table(show_edge=False, pad_edge=False, show_lines=False)
    for heading in (_("Rule"), _("Confidence"), _("What happened")):
        table.add_column(heading, overflow="fold")
    for finding in findings:
        table.add_row(finding["rule"], _(CONFIDENCE_NAMES[finding["confidence"]]),
                      finding["message"])
    out.print(table)
    out.print()
    out.print(_("What the rules say"), style="bold", markup=False)
    seen: set[str] = set()
    for finding in findings:
        if finding["rule"] in seen:
            continue
        seen.add(finding["rule"])
        out.print(f"  • {finding['title']} ({finding['rule']})", markup=False)
        out.print(f"    {finding['source']}", style="dim", markup=False)


def print_notes(log: ContactLog, out: Console) -> None:
    from arrears.contacts.conduct import notes
    from arrears.i18n import current
    from arrears.rules import load_pack

    for rule in notes(load_pack(log.jurisdiction)):
        out.print(_("Note: {title} ({rule})").format(title=rule.title(current()),
                                                     rule=rule.id), markup=False)


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
                                         "fake_legal or public_posting."))] = None,
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
    _warn(log)
    contact = next(c for c in log.contacts if c.index == index)
    mine = tuple(f for f in _checked(log) if contact in f.contacts)
    model = contacts_model(log, mine, current())
    if as_json:
        _print_json({"index": index, "at": contact.stamp, "findings": model["findings"]})
        return
    out = console()
    out.print(_("Added contacts[{index}] ({at}) to {path}.").format(
        index=index, at=contact.stamp, path=case_file), markup=False)
    if mine:
        print_findings(model["findings"], out)


@contacts_app.command(
    "report",
    help=_("Write the evidence report: a timeline of the contacts, the findings, the evidence "
           "files with their SHA-256, and where to complain, as one self-contained HTML page."),
    epilog=_("Example: arrears contacts report case.toml -o evidence.html"),
)
def report_command(
    case_file: CaseFile,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help=_("The report to write (.html)."))],
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Write the evidence report."""
    _use_language(lang)
    from datetime import datetime

    from arrears.contacts.append import replace_atomically
    from arrears.contacts.evidence import gather
    from arrears.contacts.report import render_html, report_model
    from arrears.i18n import current
    from arrears.rules import load_pack

    suffix = output.suffix.lower()
    if suffix == ".pdf":
        raise InputError.one("--output", _("PDF is not available yet: write an .html report "
                                           "and print it to PDF from a browser"))
    if suffix not in (".html", ".htm"):
        raise InputError.one("--output", _('"{text}" must end in .html'), text=str(output))
    log = read_log(case_file)
    pack = load_pack(log.jurisdiction)
    findings = _checked(log)
    evidence = gather(log, case_file.parent)
    model = report_model(log, findings, evidence, pack=pack,
                         made_at=datetime.now().astimezone(), lang=current())
    try:
        replace_atomically(output, render_html(model, current()).encode("utf-8"))
    except OSError as error:
        raise InputError.one(str(output), _("cannot be written: {reason}"),
                             reason=error.strerror or str(error)) from None
    missing = sum(1 for e in evidence if e.status != "ok")
    sys.stdout.write(_("Wrote {path}: {count} contacts, {findings} findings, {files} evidence "
                       "files ({missing} missing or unreadable).").format(
        path=output, count=len(log.contacts), findings=len(findings), files=len(evidence),
        missing=missing) + "\n")
