"""CLI command ``new``: build a case file by answering questions (``docs/new.md``).

The questions and their checks are :mod:`arrears.casebuilder`; this module only talks to
the terminal: it shows each question, reads the answer (``input``, with line editing when
``readline`` is there), shows the located problem and asks again, then writes the file
atomically (a temporary file beside it, then ``os.replace``) and shows its status. An
existing file is never replaced without asking. Ctrl-C or the end of input stops it with one
line and nothing written (exit code 130 or 1).

Registered on :data:`arrears.cli.app` when this module is imported."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arrears.cli import Lang, _use_language, app
from arrears.errors import InputError, Problem
from arrears.i18n import N_, _, render

if TYPE_CHECKING:
    from arrears.casebuilder import Answers, Question

__all__ = ["TerminalAsker", "new", "write_atomically"]

Output = Annotated[
    Path,
    typer.Option("--output", "-o", metavar="FILE",
                 help=_("Where to write the case file; an existing file is replaced only if "
                        "you say so.")),
]


class TerminalAsker:
    """Puts the questions on the terminal (stdout) and reads the answers (stdin)."""

    def __init__(self) -> None:
        if sys.stdin.isatty():
            with suppress(ImportError):
                import readline  # noqa: F401 - line editing and history for input()

    def ask(self, question: Question, answers: Answers) -> str:
        from arrears.casebuilder.interview import choice_lines, default_shown, prompt_text

        text = prompt_text(question, answers)
        if question.yes_no:
            text = _("{question} (y/n)").format(question=text)
        print(text)
        for line in choice_lines(question, answers):
            print("  " + line)
        default = default_shown(question, answers)
        return input(f"  [{default}] > " if default is not None else "  > ")

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            print("  ✗ " + render(problem))

    def note(self, text: str) -> None:
        print("  → " + text)

    def section(self, title: str) -> None:
        print()
        print(f"== {title} ==")


def _new_path(text: str, where: str, _answers: Any) -> Path:
    path = Path(text.strip()).expanduser()
    if path.exists():
        raise InputError.one(where, N_("{path} exists too; give a new name"), path=path)
    if not path.parent.is_dir():
        raise InputError.one(where, N_("the folder {path} does not exist"), path=path.parent)
    return path


def _questions() -> tuple[Question, Question]:
    from arrears.casebuilder import Question
    from arrears.casebuilder.checks import yes_no

    replace = Question("replace", N_("{path} already exists. Replace it?"), parse=yes_no,
                       yes_no=True, default=lambda a: "n", where="-o",
                       params=lambda a: {"path": str(a.case["output"])})
    other = Question("output", N_("Write the case to which file instead?"), parse=_new_path,
                     where="-o")
    return replace, other


def _choose(path: Path, answers: Answers, asker: TerminalAsker) -> tuple[Path, bool]:
    """``path`` if it is new or the person agrees to replace it, else a new name; and
    whether replacing an existing file was agreed."""
    from arrears.casebuilder.interview import ask

    if not path.exists():
        return path, False
    replace, other = _questions()
    answers.case["output"] = path
    agreed = bool(ask(replace, answers, asker))
    if not agreed:
        path = ask(other, answers, asker)
    del answers.case["output"]
    return path, agreed


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it and ``os.replace``: the
    file is either the old one or the whole new one, never half written. A new file is
    readable by its owner only (it holds a person's finances)."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError as error:
        raise InputError.one(str(path), N_("cannot be written: {reason}"),
                             reason=error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise InputError.one(str(path), N_("cannot be written: {reason}"),
                                 reason=error.strerror or str(error)) from None
        raise


@app.command(
    help=_("Build a case file by answering questions, in your language: the household, then "
           "each debt and what has been paid. Each answer is checked as you type it; then the "
           "file is written and its status shown."),
    epilog=_("Example: arrears new -o case.toml --lang zh"),
)
def new(output: Output = Path("case.toml"), lang: Lang = None) -> None:
    """Build a case file by answering questions, then show its status."""
    _use_language(lang)
    from arrears.case import load_case
    from arrears.casebuilder import Answers, case_text, run_interview

    if not output.parent.is_dir():
        raise InputError.one("-o", N_("the folder {path} does not exist"), path=output.parent)
    asker = TerminalAsker()
    try:
        print(_("Answer each question and press Enter; Enter alone takes the answer in "
                "[brackets]. Ctrl-C stops without writing anything."))
        target, agreed = _choose(output, Answers(today=date.today()), asker)
        answers = run_interview(asker, date.today())
        text = case_text(answers, target.name)
        case = load_case(text, str(target))
        if target.exists() and not agreed:  # it appeared while the questions were asked
            target, agreed = _choose(target, answers, asker)
    except KeyboardInterrupt:
        sys.stderr.write("\n" + _("arrears: interrupted; nothing was written") + "\n")
        raise typer.Exit(130) from None
    except EOFError:
        sys.stderr.write("\n" + _("arrears: the answers ended before the case was complete; "
                                  "nothing was written") + "\n")
        raise typer.Exit(1) from None
    write_atomically(target, text)
    _show(case, target)


def _show(case: Any, target: Path) -> None:
    from arrears.status import status_model
    from arrears.terminal import console, print_notice, print_status

    out = console()
    out.print()
    try:
        model = status_model(case, case.as_of)
    except ArithmeticError:  # amounts beyond exact arithmetic: a rate far out of range
        raise InputError.one(str(target), N_("written, but its status cannot be computed: the "
                                             "amounts grow beyond any real figure; check each "
                                             "rate and its unit")) from None
    out.print(_("Wrote {path}. Where it stands:").format(path=target), markup=False)
    out.print()
    print_status(model, out)
    out.print()
    out.print(_("Next: arrears audit {path} | arrears plan {path} | arrears credit "
                "{path}").format(path=target), markup=False)
    print_notice(out)
