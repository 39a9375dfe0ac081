"""``arrears letter``: a letter to a lender or a collector, written from the case's own
figures (``docs/letters.md``). Registered on :data:`arrears.cli.app` when imported; the
library, Jinja2 and the PDF library are imported inside the command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

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
from arrears.cli_case import AsOf, CaseFile, read_case, read_text, resolve_as_of
from arrears.errors import InputError
from arrears.i18n import _

__all__ = ["letter", "write_atomically"]

_FORMATS = ("md", "html", "pdf")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: :func:`arrears.atomic.write_atomically`."""
    from arrears.atomic import write_atomically as write

    write(path, data)


@app.command(
    help=_("A letter to a lender or a collector from the case's own figures: instalment, "
           "deferment, settlement, dispute-charges, dispute-credit or complaint (cn); "
           "validation, dispute, stop-contact (to the collector) or goodwill (us). Markdown, "
           "print-ready HTML or PDF."),
    epilog=_("Example: arrears letter examples/demo.toml --debt credit-card --kind instalment "
             "--lang zh --format pdf -o letter.pdf"),
)
def letter(
    case_file: CaseFile,
    debt: Annotated[str, _opt("ID", _("The debt's id in the case file."))],
    kind: Annotated[str, _opt("KIND", _("instalment, deferment, settlement, dispute-charges, "
                                        "dispute-credit, complaint; for the us pack "
                                        "validation, dispute, stop-contact, goodwill."))],
    fmt: Annotated[str, typer.Option("--format", metavar="md|html|pdf",
                                     help=_("md (default), html or pdf."))] = "md",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE",
        help=_("Write the letter to FILE (a PDF must go to a file)."))] = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Write a letter to a lender or a collector from the case's own figures."""
    _use_language(lang)
    from arrears.i18n import current
    from arrears.letters import build_letter, render_letter
    from arrears.letters.model import check_kind

    if fmt not in _FORMATS:
        raise InputError.one("--format", _('"{text}" is not a format; use md, html or pdf'),
                             text=fmt)
    if fmt == "pdf" and output is None and not as_json:
        raise InputError.one("--format", _("a PDF is written to a file: add -o FILE"))
    case = read_case(case_file)
    check_kind(kind, case.jurisdiction)
    conduct = None
    day = resolve_as_of(case, as_of)
    if kind == "complaint":
        from arrears.contacts.conditions import illegal_debts
        from arrears.letters.conduct import conduct_of_case
        from arrears.rules import load_pack

        text = read_text(case_file)
        conduct = conduct_of_case(text, str(case_file), debt, current(),
                                  illegal=illegal_debts(case, day, load_pack(case.jurisdiction)))
    built = build_letter(case, debt, kind, day, current(), conduct=conduct)
    print_warnings(built.warnings)
    if as_json:
        model = with_warnings(dict(built.model), (*case.warnings, *built.warnings))
        if output is None:
            _print_json(model)
            return
        import json

        text = json.dumps(model, ensure_ascii=False, indent=2) + "\n"
        write_atomically(output, text.encode("utf-8"))
        return
    rendered = render_letter(built, fmt)
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    if output is None:
        sys.stdout.write(rendered if isinstance(rendered, str) else rendered.decode())
        return
    write_atomically(output, data)
