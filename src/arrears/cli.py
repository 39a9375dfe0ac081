"""The ``arrears`` command line: a thin layer, one library call per command.

Every command takes ``--json`` and ``--lang zh|en``. Bad input prints one line per
problem (``arrears: --rate: "abc" is not a rate …``) and exits with code 2, never a
traceback. Heavy modules are imported inside the commands so ``arrears --help`` is fast.
"""

from __future__ import annotations

import contextlib
import json
import sys
import warnings
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arrears.errors import InputError, Problem
from arrears.i18n import LANGUAGES, N_, _, default_language, render, set_language

if TYPE_CHECKING:
    from arrears.cost import Apr
    from arrears.schedule import Schedule


def _argv_language(argv: Sequence[str]) -> str | None:
    """The language a command line asks for (``--lang zh`` or ``--lang=zh`` anywhere before
    ``--``), if it names one; read before the commands are built, so that their help, which
    is translated as they are defined, follows it as it follows the locale."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        value = (argv[index + 1] if arg == "--lang" and index + 1 < len(argv)
                 else arg.removeprefix("--lang=") if arg.startswith("--lang=") else None)
        if value is not None:
            key = value.strip().lower().replace("_", "-").split("-")[0]
            return key if key in LANGUAGES else None
    return None


set_language(_argv_language(sys.argv[1:]) or default_language())

# The words of the help that Click and Typer write themselves, in our catalogs.
_HELP_WORDS = (N_("Usage:"), N_("Options"), N_("Commands"), N_("Arguments"),
               N_("Show this message and exit."), N_("default: {default}"), N_("required"))
"""Marked for the catalogs; see :func:`_translate_help_words`."""


def _translate_help_words() -> None:
    """Typer writes a few help words itself ("Options", "[required]" …, through
    ``gettext.gettext`` bound at import; "Usage:" and the ``--help`` line as plain text in
    its copy of Click): send them through arrears's catalogs, so that ``--help`` is in one
    language. A word with no translation stays as it is."""
    import typer.core

    vars(typer.core)["_"] = _
    try:
        from typer._click.core import Command
        from typer._click.formatting import HelpFormatter
    except ImportError:  # pragma: no cover - a Typer without its own Click
        return
    usage, helper = HelpFormatter.write_usage, Command.get_help_option

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        usage(self, prog, args, _("Usage:") + " " if prefix is None else prefix)

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = helper(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    for owner, name, function in ((HelpFormatter, "write_usage", write_usage),
                                  (Command, "get_help_option", get_help_option)):
        setattr(owner, name, function)


_translate_help_words()

app = typer.Typer(
    name="arrears",
    help=_("What an overdue loan really costs, and the way out."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

Lang = Annotated[
    str | None,
    typer.Option("--lang", metavar="zh|en",
                 help=_("Language of the output: zh or en (default: from the locale).")),
]
AsJson = Annotated[bool, typer.Option("--json", help=_("Print JSON instead of a table."))]


def _use_db(url: str | None) -> str | None:
    """Record ``--db`` for the stored cases (``@ID``) this command reads."""
    from arrears.store.location import choose

    choose(url)
    return url


Db = Annotated[
    str | None,
    typer.Option("--db", metavar="URL", callback=_use_db,
                 help=_("The database of stored cases (@ID): sqlite:///cases.db or "
                        "postgresql+psycopg://user@host/arrears (default: "
                        "$ARREARS_DATABASE_URL, else a SQLite file in your data folder).")),
]


def _use_language(lang: str | None) -> None:
    if lang is None:
        return
    key = lang.strip().lower().replace("_", "-").split("-")[0]
    if key not in LANGUAGES:
        raise InputError.one("--lang", _('"{text}" is not a language; use zh or en'), text=lang)
    set_language(key)


@app.callback()
def _everything(lang: Lang = None) -> None:
    """``arrears --lang zh COMMAND …``: the language for every command (each takes its own
    ``--lang`` too)."""
    _use_language(lang)


def _option_problems(error: InputError) -> InputError:
    """Name a term's problems by the option that set it (``months`` → ``--months``)."""
    return InputError(
        Problem(p.where if p.where.startswith("-") or not p.where
                else "--" + p.where.replace("_", "-"), p.message, p.params)
        for p in error.problems
    )


def print_warnings(warnings: Sequence[Problem]) -> None:
    """Warnings on stderr, one located line each, in the current language: the one way
    every command shows them (a case's, an offer's, a log's, an option's)."""
    for warning in warnings:
        sys.stderr.write(_("arrears: warning: {problem}").format(problem=render(warning))
                         + "\n")


def with_warnings(model: Any, warnings: Sequence[Problem]) -> Any:
    """A JSON model with ``warnings`` (each a rendered line) added when it is an object
    that has no ``warnings`` of its own; the figures are untouched."""
    if isinstance(model, dict) and "warnings" not in model:
        return {**model, "warnings": [render(w) for w in warnings]}
    return model


def _print_json(model: Any) -> None:
    sys.stdout.write(json.dumps(model, ensure_ascii=False, indent=2) + "\n")


def _opt(metavar: str, text: str) -> Any:
    """A command option with its metavar and translated help."""
    return typer.Option(metavar=metavar, help=text)


@app.command(
    help=_("Print a loan's contractual repayment schedule and its true cost (APR by IRR)."),
    epilog=_("Example: arrears schedule --principal 1000000 --rate 4.9% --months 360 "
             "--method equal-installment --start 2026-01-15"),
)
def schedule(
    principal: Annotated[str, _opt("AMOUNT", _("Contract principal, e.g. 30000 or 3万."))],
    months: Annotated[int, _opt("N", _("Number of monthly instalments."))],
    rate: Annotated[str, _opt("RATE", _('Contract rate: "4.9%", "0.049", "0.05%/day", '
                                        '"日利率万分之五".'))] = "0",
    rate_basis: Annotated[str | None, _opt("BASIS", _("What a bare rate is per: annual, "
                                                      "monthly or daily (default: annual)."))]
    = None,
    method: Annotated[str, _opt("METHOD", _("equal-installment, equal-principal, "
                                            "interest-first, bullet or flat-fee."))]
    = "equal-installment",
    fee_rate: Annotated[str, _opt("RATE", _("Fee per period on the original principal, "
                                            "e.g. 0.6%."))] = "0",
    upfront_fee: Annotated[str, _opt("AMOUNT", _("Fee deducted or paid at the start."))]
    = "0",
    received: Annotated[str | None, _opt("AMOUNT", _("Amount actually received, if less "
                                                     "than the principal."))] = None,
    start: Annotated[str | None, _opt("DATE", _("Disbursement date (default: today)."))]
    = None,
    first_due: Annotated[str | None, _opt("DATE", _("First due date (default: one month "
                                                    "after the start)."))] = None,
    day_count: Annotated[str, _opt("CONVENTION", _("ACT/360, ACT/365 or 30/360."))]
    = "ACT/360",
    accrual: Annotated[str, _opt("HOW", _("monthly (rate / 12 each period) or daily (daily "
                                          "rate × days)."))] = "monthly",
    rounding: Annotated[str, _opt("RULE", _("How the lender rounds to the fen: half_up "
                                            "(四舍五入), truncate (截位) or half_even."))]
    = "half_up",
    last_payment: Annotated[str, _opt("HOW", _("Equal instalment (等额本息) only: absorb (the "
                                               "last payment takes the rounding residue) or "
                                               "equal (every payment level, the last one's "
                                               "interest takes it)."))] = "absorb",
    as_json: AsJson = False,
    lang: Lang = None,
) -> None:
    """Print a loan's contractual repayment schedule and its true cost (APR by IRR)."""
    _use_language(lang)
    from arrears.cost import apr_of_schedule
    from arrears.report import schedule_model
    from arrears.schedule import build_schedule
    from arrears.terms_input import terms_from_options

    cautions: list[Problem] = []
    try:
        terms = terms_from_options(
            principal=principal, rate=rate, rate_basis=rate_basis, months=months,
            method=method, fee_rate=fee_rate, upfront_fee=upfront_fee, received=received,
            start=start or date.today().isoformat(), first_due=first_due,
            day_count=day_count, accrual=accrual, warnings=cautions, rounding=rounding,
            last_payment=last_payment,
        )
    except InputError as error:
        raise _option_problems(error) from None
    cautions = list(_option_problems(InputError(cautions)).problems)
    print_warnings(cautions)
    plan = build_schedule(terms)
    apr = apr_of_schedule(plan)
    if as_json:
        _print_json(with_warnings(schedule_model(plan, apr), cautions))
        return
    _show_schedule(plan, apr)


@app.command(
    help=_("Compute the true annual cost of a loan from its payments or its cash flows."),
    epilog=_("Examples: arrears apr --received 99000 --payment 8833.30 --count 12 | "
             "arrears apr --principal 10000 --fee-rate 0.6% --count 12 | "
             "arrears apr --flows flows.csv --method xirr"),
)
def apr(
    received: Annotated[str | None, _opt("AMOUNT", _("Amount actually received."))] = None,
    principal: Annotated[str | None, _opt("AMOUNT", _("Contract principal."))] = None,
    payment: Annotated[str | None, _opt("AMOUNT", _("The level payment each period."))]
    = None,
    count: Annotated[int | None, _opt("N", _("Number of payments."))] = None,
    fee_rate: Annotated[str | None, _opt("RATE", _("Flat fee per period on the principal "
                                                   "(等本等费), e.g. 0.6%."))] = None,
    upfront_fee: Annotated[str, _opt("AMOUNT", _("Fee deducted at the start."))] = "0",
    period: Annotated[str, _opt("PERIOD", _("Length of a period: day, week, month, quarter, "
                                            "half-year or year."))] = "month",
    flows: Annotated[Path | None, _opt("FILE", _("CSV of date,amount rows (money received "
                                                 "positive, payments negative)."))] = None,
    method: Annotated[str, _opt("METHOD", _("pboc (IRR × periods a year), xirr (effective "
                                            "annual) or regz (Regulation Z Appendix J)."))]
    = "pboc",
    unit_period: Annotated[str | None, _opt("PERIOD", _("Unit period for dated flows "
                                                        "(default: --period)."))] = None,
    as_json: AsJson = False,
    lang: Lang = None,
) -> None:
    """Compute the true annual cost of a loan from its payments or its cash flows."""
    _use_language(lang)
    from arrears.apr_input import apr_from_options
    from arrears.cli_case import read_text
    from arrears.limits import MAX_COUNT, check_count
    from arrears.report import apr_model

    if count is not None:
        check_count(count, MAX_COUNT, "--count")
    text = read_text(flows) if flows is not None else None
    result = apr_from_options(
        received=received, principal=principal, payment=payment, count=count,
        fee_rate=fee_rate, upfront_fee=upfront_fee, period=period,
        flows_text=text, flows_name=str(flows) if flows else "", method=method,
        unit_period=unit_period,
    )
    if as_json:
        _print_json(apr_model(result))
        return
    _show_apr(result)


def _show_schedule(plan: Schedule, apr: Apr) -> None:
    from rich.console import Console
    from rich.table import Table

    from arrears.report import fmt_money, fmt_percent

    console = Console()
    summary = Table.grid(padding=(0, 2))
    summary.add_column()
    summary.add_column(justify="right")
    summary.add_row(_("First payment"), fmt_money(plan.payment))
    summary.add_row(_("Amount received"), fmt_money(plan.terms.amount_received))
    summary.add_row(_("Total interest"), fmt_money(plan.total_interest))
    summary.add_row(_("Total fees"), fmt_money(plan.total_fees))
    summary.add_row(_("Total paid"), fmt_money(plan.total_paid))
    summary.add_row(_("APR (IRR × 12)"), fmt_percent(apr.apr))
    summary.add_row(_("Effective annual rate"), fmt_percent(apr.effective_annual))
    console.print(summary)
    table = Table(title=_("Repayment schedule"))
    for heading in (_("No."), _("Due"), _("Payment"), _("Principal"), _("Interest"),
                    _("Fee"), _("Balance")):
        table.add_column(heading, justify="right")
    for row in plan.rows:
        table.add_row(str(row.period), row.due.isoformat(), fmt_money(row.payment),
                      fmt_money(row.principal), fmt_money(row.interest), fmt_money(row.fee),
                      fmt_money(row.balance))
    console.print(table)


def _show_apr(result: Apr) -> None:
    from rich.console import Console
    from rich.table import Table

    from arrears.report import fmt_percent

    names = {"pboc": _("PBOC (IRR × periods a year)"), "xirr": _("XIRR (effective annual)"),
             "regz": _("Regulation Z Appendix J")}
    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column(justify="right")
    table.add_row(_("Method"), names[result.method])
    table.add_row(_("Rate per period"), fmt_percent(result.periodic_rate, 4))
    table.add_row(_("APR"), fmt_percent(result.apr))
    table.add_row(_("Effective annual rate"), fmt_percent(result.effective_annual))
    console = Console()
    console.print(table)
    if result.ambiguous:
        console.print(_("Warning: the cash flows change sign more than once; these rates "
                        "all balance them: {rates}. The one closest to zero is shown.")
                      .format(rates=", ".join(fmt_percent(r, 4) for r in result.roots)))


def _register() -> None:
    """Commands that read case files live in :mod:`arrears.cli_case`."""
    import arrears.cli_afford
    import arrears.cli_case
    import arrears.cli_contacts
    import arrears.cli_credit
    import arrears.cli_explain
    import arrears.cli_letter
    import arrears.cli_new
    import arrears.cli_plan
    import arrears.cli_portfolio
    import arrears.cli_store  # noqa: F401 - each registers its commands on app


def _click_exception() -> type[Exception]:
    """Typer's (possibly vendored) ClickException, the base of its usage errors."""
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == "ClickException":
            return cls
    return Exception  # pragma: no cover - every Typer has one


_INPUTS = (".toml", ".csv", ".parquet")


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises :class:`KeyboardInterrupt` like Ctrl-C, so every ``finally`` runs and a
    command's temporary files go with it (``arrears.atomic``). Only in the main thread, and
    only where nobody else handles SIGTERM."""
    import signal
    import threading

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    mine = (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)
    if mine:
        signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        if mine:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (2 for any mistake in the input)."""
    click_error = _click_exception()
    _register()
    try:
        with _terminate_as_interrupt(), warnings.catch_warnings():
            # a library's warning (numpy, pyarrow …) is never shown: arrears says what is
            # wrong itself, located, or nothing
            warnings.simplefilter("ignore")
            result = app(args=list(argv) if argv is not None else None,
                         standalone_mode=False, prog_name="arrears")
    except InputError as error:
        for problem in error.problems:
            sys.stderr.write(f"arrears: {render(problem)}\n")
        return 2
    except click_error as error:
        message = error.format_message()  # type: ignore[attr-defined]
        sys.stderr.write(f"arrears: {message}\n")
        return int(getattr(error, "exit_code", 2))
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write(_("arrears: interrupted") + "\n")
        return 130
    except (ArithmeticError, RecursionError):
        # The last net under the ranges of arrears.limits: a figure grew beyond exact
        # arithmetic (a high rate compounded over centuries). Name the input, never a
        # traceback.
        where = next((a for a in (argv or sys.argv[1:]) if not a.startswith("-")
                      and Path(a).suffix.lower() in _INPUTS), "arrears")
        sys.stderr.write("arrears: " + render(Problem(where, N_(
            "a figure grows beyond what can be computed exactly; check the amounts, rates "
            "and dates (docs/case-file.md, Ranges)"))) + "\n")
        return 2
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
