"""``arrears letter``: a letter to a lender or a collector, written from the case's own
figures (``docs/letters.md``). Registered on :data:`arrears.cli.app` when imported; the
library, Jinja2 and the PDF library are imported inside the command."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from arrears.cli import AsJson, Db, Lang, _opt, _print_json, _use_language, app
from arrears.cli_case import AsOf, CaseFile, read_case, read_text, resolve_as_of
from arrears.errors import InputError
from arrears.i18n import N_, _, render

__all__ = ["letter", "write_atomically"]

_FORMATS = ("md", "html", "pdf")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: a temporary file in the same folder, then
    :func:`os.replace`. A failure leaves any earlier file as it was."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError.one(str(path), N_("cannot be written: {reason}"),
                             reason=error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError.one(str(path), N_("cannot be written: {reason}"),
                             reason=error.strerror or str(error)) from None


@app.command(
    help=_("A letter to a lender or a collector from the case's own figures: instalment, "
           "deferment, settlement, dispute-charges, dispute-credit or complaint (cn); "
           "validation, dispute or stop-contact (us). Markdown, print-ready HTML or PDF."),
    epilog=_("Example: arrears letter examples/demo.toml --debt credit-card --kind instalment "
             "--lang zh --format pdf -o letter.pdf"),
)
def letter(
    case_file: CaseFile,
    debt: Annotated[str, _opt("ID", _("The debt's id in the case file."))],
    kind: Annotated[str, _opt("KIND", _("instalment, deferment, settlement, dispute-charges, "
                                        "dispute-credit, complaint; for the us pack "
                                        "validation, dispute, stop-contact."))],
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
    if kind == "complaint":
        from arrears.letters.conduct import conduct_of_case

        text = read_text(case_file)
        conduct = conduct_of_case(text, str(case_file), debt, current())
    built = build_letter(case, debt, kind, resolve_as_of(case, as_of), current(),
                         conduct=conduct)
    for warning in built.warnings:
        sys.stderr.write(_("arrears: warning: {problem}").format(problem=render(warning))
                         + "\n")
    if as_json:
        if output is None:
            _print_json(dict(built.model))
            return
        import json

        text = json.dumps(dict(built.model), ensure_ascii=False, indent=2) + "\n"
        write_atomically(output, text.encode("utf-8"))
        return
    rendered = render_letter(built, fmt)
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    if output is None:
        sys.stdout.write(rendered if isinstance(rendered, str) else rendered.decode())
        return
    write_atomically(output, data)
