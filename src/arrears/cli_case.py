"""CLI commands that read a case file: ``status``, ``ledger`` and ``demo``.

Registered on :data:`arrears.cli.app`; the library is imported inside each command."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

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
from arrears.errors import InputError
from arrears.i18n import _

if TYPE_CHECKING:
    from arrears.case import Case

DEMO_MONTHS = 36
CaseFile = Annotated[Path, typer.Argument(metavar="CASE.toml", help=_("The case file."))]
AsOf = Annotated[str | None, _opt("DATE", _("The date to report on (default: the case's "
                                            "as_of, else today)."))]


def read_text(path: Path) -> str:
    """A user's text file (UTF-8, a BOM allowed); a file that cannot be read is an
    :class:`InputError` naming it. ``@ID`` names a stored case instead (docs/store.md)."""
    if str(path).startswith("@"):
        from arrears.store.ref import stored_text

        return stored_text(str(path))
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError.one(str(path), _("cannot be read: {reason}"),
                             reason=error.strerror or str(error)) from None
    except UnicodeDecodeError:
        raise InputError.one(str(path), _("is not UTF-8 text")) from None


def read_case(path: Path | None, *, text: str | None = None,
              source: str | None = None) -> Case:
    """Load a case file (or ``text``, named ``source``, as the demo's bundled case),
    printing its warnings: the one path by which every command reads a case. Problems
    raise :class:`InputError`; a warning never changes a figure."""
    from arrears.case import load_case

    if text is None:
        if path is None:  # pragma: no cover - a caller's mistake
            raise ValueError("read_case needs a path or a text")
        text = read_text(path)
    case = load_case(text, source or str(path))
    print_warnings(case.warnings)
    return case


def resolve_as_of(case: Case, as_of: str | None) -> date:
    """The report date: ``--as-of``, else the case's ``as_of``, else today — never before a
    debt of the case started."""
    from arrears.cashflows import parse_date

    when = parse_date(as_of, "--as-of") if as_of is not None else (case.as_of or date.today())
    where = "--as-of" if as_of is not None else ("case.as_of" if case.as_of else "--as-of")
    for debt in case.debts:
        start = debt.card.balance_date if debt.card else (debt.terms.start if debt.terms
                                                           else when)
        if start > when:
            raise InputError.one(where, _("{value} is before {debt} started ({start})"),
                                 value=when, debt=debt.id, start=start)
    return when


def _audit(case: Case, as_of: str | None, as_json: bool) -> None:
    from arrears.audit_report import audit_model
    from arrears.terminal import print_audit

    model = audit_model(case, resolve_as_of(case, as_of))
    if as_json:
        _print_json(with_warnings(model, case.warnings))
        return
    print_audit(model)


@app.command(
    help=_("Is it lawful? Each debt's true cost by IRR against the caps that apply to its "
           "lender and contract date, with the excess in yuan and the rule behind every "
           "finding."),
    epilog=_("Example: arrears audit examples/demo.toml --json"),
)
def audit(case_file: CaseFile, as_of: AsOf = None, as_json: AsJson = False,
          db: Db = None, lang: Lang = None) -> None:
    """Audit each debt's true cost against the caps of the case's rule pack."""
    _use_language(lang)
    _audit(read_case(case_file), as_of, as_json)


def _status(case: Case, as_of: str | None, as_json: bool, demo_mode: bool = False) -> None:
    from arrears.status import status_model
    from arrears.terminal import print_notice, print_status

    model = status_model(case, resolve_as_of(case, as_of))
    if as_json:
        _print_json(with_warnings(model, case.warnings))
        return
    print_status(model)
    if not demo_mode:
        print_notice()


@app.command(
    help=_("What each debt owes today, by component, how late it is, and what waiting "
           "costs."),
    epilog=_("Example: arrears status examples/demo.toml --as-of 2026-12-31"),
)
def status(case_file: CaseFile, as_of: AsOf = None, as_json: AsJson = False,
           db: Db = None, lang: Lang = None) -> None:
    """What each debt owes today, by component, how late it is, and what waiting costs."""
    _use_language(lang)
    _status(read_case(case_file), as_of, as_json)


@app.command(
    help=_("Every entry behind the figures of one debt: what fell due, accrued, was "
           "charged and paid."),
    epilog=_("Example: arrears ledger examples/demo.toml --debt online-loan --csv"),
)
def ledger(
    case_file: CaseFile,
    debt: Annotated[str, _opt("ID", _("The debt's id in the case file."))],
    as_of: AsOf = None,
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help=_("Print CSV."))] = False,
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Every entry behind the figures of one debt: what fell due, accrued, was charged and
    paid."""
    _use_language(lang)
    from arrears.engine import replay
    from arrears.status import ledger_model
    from arrears.terminal import print_ledger

    case = read_case(case_file)
    chosen = case.debt(debt)
    when = resolve_as_of(case, as_of)
    model = ledger_model(chosen, when, replay(chosen, when)[1])
    if as_json:
        _print_json(with_warnings(model, case.warnings))
    elif as_csv:
        _print_csv(model["entries"])
    else:
        print_ledger(model)


def _print_csv(entries: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["date", "kind", "component", "installment",
                                                "amount", "note"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(entries)
    sys.stdout.write(buffer.getvalue())


@app.command(
    help=_("Run the whole report on the bundled example: an online loan four months "
           "behind, a card slipping, a loan still current, income down after a job loss."),
    epilog=_("Example: arrears demo --lang zh"),
)
def demo(as_of: AsOf = None, as_json: AsJson = False, lang: Lang = None) -> None:
    """Run the whole report on the bundled example: an online loan four months behind, a
    card slipping, a loan still current, income down after a job loss."""
    _use_language(lang)
    from importlib.resources import files

    text = files("arrears").joinpath("examples", "demo.toml").read_text(encoding="utf-8")
    case = read_case(None, text=text, source="demo.toml")
    if as_json:
        from arrears.audit_report import audit_model
        from arrears.credit import credit_timeline
        from arrears.i18n import current
        from arrears.status import status_model

        when = resolve_as_of(case, as_of)
        from arrears.plan.report import plan_model

        _print_json(with_warnings(
            {"status": status_model(case, when), "audit": audit_model(case, when),
             "credit": credit_timeline(case, when, lang=current()),
             "plan": plan_model(case, when, DEMO_MONTHS)}, case.warnings))
        return
    from arrears.cli_credit import print_credit
    from arrears.credit import credit_timeline
    from arrears.i18n import current
    from arrears.terminal import console, print_notice

    out = console()
    _status(case, as_of, False, demo_mode=True)
    out.print()
    _audit(case, as_of, False)
    out.print()
    print_credit(credit_timeline(case, resolve_as_of(case, as_of), lang=current()), out)
    from arrears.cli_plan import print_plan
    from arrears.plan.report import plan_model

    out.print()
    print_plan(plan_model(case, resolve_as_of(case, as_of), DEMO_MONTHS, negotiate=False),
               out, negotiation=False)
    print_notice(out)
