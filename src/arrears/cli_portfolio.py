"""``arrears portfolio synth`` and ``arrears portfolio audit``: a whole book of loans at
once (``docs/portfolio.md``). Registered on :data:`arrears.cli.app` as a sub-app."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arrears.cli import AsJson, Lang, _opt, _print_json, _use_language, app
from arrears.errors import InputError, Problem
from arrears.i18n import N_, _, render

if TYPE_CHECKING:
    from arrears.portfolio.run import Audit

portfolio_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help=_("A whole book of loans at once: the contract APR, the cap and the excess of each "
           "loan, days past due and the ageing report, on one machine or on Dask."),
    epilog=_("Examples: arrears portfolio synth --loans 1000000 -o book.parquet --payments "
             "pay.parquet | arrears portfolio audit book.parquet --payments pay.parquet "
             "--as-of 2025-06-30 -o out.parquet --json"),
)
app.add_typer(portfolio_app, name="portfolio")

BAD_ROWS = ("skip", "reject")


def _day(text: str | None, where: str) -> date:
    from arrears.cashflows import parse_date

    return parse_date(text, where) if text is not None else date.today()


@portfolio_app.command(
    help=_("Write a realistic synthetic book of loans (and their payments) to Parquet or CSV."),
    epilog=_("Example: arrears portfolio synth --loans 1000000 -o book.parquet --payments "
             "pay.parquet --as-of 2025-06-30"),
)
def synth(
    out: Annotated[Path, typer.Option("-o", "--out", metavar="FILE",
                                      help=_("The book to write (.parquet or .csv)."))],
    loans: Annotated[int, _opt("N", _("Number of loans."))] = 100_000,
    payments: Annotated[Path | None, _opt("FILE", _("Also write the payments made up to "
                                                    "--as-of to this file."))] = None,
    as_of: Annotated[str | None, _opt("DATE", _("The last date payments are made on "
                                                "(default: today)."))] = None,
    seed: Annotated[int, _opt("N", _("Random seed: the same seed writes the same book."))]
    = 0,
    lang: Lang = None,
) -> None:
    """Write a realistic synthetic book of loans (and their payments)."""
    _use_language(lang)
    if loans < 1:
        raise InputError.one("--loans", N_("must be 1 or more, not {value}"), value=loans)
    from arrears.limits import MAX_BOOK_LOANS, check_count

    check_count(loans, MAX_BOOK_LOANS, "--loans")
    day = _day(as_of, "--as-of")
    from arrears.portfolio.synth import write_synth

    written = [0]

    def count(rows: int) -> None:
        written[0] += rows
        advance(written[0], loans)

    with _progress(_("Writing loans")) as advance:
        try:
            stats = write_synth(out, loans, as_of=day, seed=seed, payments=payments,
                                progress=count)
        except OSError as error:
            raise InputError.one(str(error.filename or out), N_("cannot be written: {reason}"),
                                 reason=error.strerror or str(error)) from None
    message = _("Wrote {loans} loans to {path}.").format(loans=stats.loans, path=out)
    if payments is not None:
        message += " " + _("Wrote {count} payments to {path}.").format(
            count=stats.payments, path=payments)
    typer.echo(message)


@portfolio_app.command(
    help=_("Audit every loan of a book: contract APR, the cap that applies and the excess, "
           "days past due and bucket; write one row per loan and print the ageing report."),
    epilog=_("Examples: arrears portfolio audit book.parquet --payments pay.parquet --as-of "
             "2025-06-30 -o out.parquet | arrears portfolio audit book.parquet -o out.parquet "
             "--local-workers 2 --json"),
)
def audit(
    book: Annotated[Path, typer.Argument(metavar="BOOK",
                                         help=_("The book: Parquet or CSV, one row per loan."))],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="FILE",
                                      help=_("Where to write one row per loan (.parquet or "
                                             ".csv)."))],
    payments: Annotated[Path | None, _opt("FILE", _("Payments: loan_id, date, amount "
                                                    "(Parquet or CSV)."))] = None,
    as_of: Annotated[str | None, _opt("DATE", _("The date to report on (default: today)."))]
    = None,
    roll_from: Annotated[str | None, _opt("DATE", _("Also give the roll-rate matrix from "
                                                    "this date's buckets to --as-of's."))]
    = None,
    on_bad_rows: Annotated[str, _opt("skip|reject", _("A bad row: report it and audit the "
                                                      "others (skip), or report every bad "
                                                      "row and write nothing (reject)."))]
    = "reject",
    scheduler: Annotated[str | None, _opt("ADDRESS", _("Run the partitions on this Dask "
                                                       "scheduler, e.g. tcp://host:8786."))]
    = None,
    local_workers: Annotated[int | None, _opt("N", _("Run the partitions on a local Dask "
                                                     "cluster of N worker processes."))] = None,
    partition_rows: Annotated[int, _opt("N", _("Loans per partition."))] = 250_000,
    jurisdiction: Annotated[str, _opt("cn|us", _("The rule pack whose caps apply."))] = "cn",
    tmp_dir: Annotated[Path | None, _opt("DIR", _("Folder for the scratch files (the "
                                                  "payments sorted by partition; default: "
                                                  "the output's folder; with --scheduler: "
                                                  "one the workers can read)."))] = None,
    as_json: AsJson = False,
    lang: Lang = None,
) -> int:
    """Audit every loan of a book and print the ageing report."""
    _use_language(lang)
    problems = []
    if on_bad_rows not in BAD_ROWS:
        problems.append(Problem("--on-bad-rows", N_('"{text}" is not one of {choices}'),
                                {"text": on_bad_rows, "choices": ", ".join(BAD_ROWS)}))
    if scheduler is not None and local_workers is not None:
        problems.append(Problem("--local-workers", N_("give --scheduler or --local-workers, "
                                                      "not both")))
    from arrears.limits import MAX_WORKERS

    if local_workers is not None and local_workers < 1:
        problems.append(Problem("--local-workers", N_("must be 1 or more, not {value}"),
                                {"value": local_workers}))
    elif local_workers is not None and local_workers > MAX_WORKERS:
        problems.append(Problem("--local-workers", N_("{value} is out of range: at most "
                                                      "{most}"),
                                {"value": local_workers, "most": MAX_WORKERS}))
    if partition_rows < 1:
        problems.append(Problem("--partition-rows", N_("must be 1 or more, not {value}"),
                                {"value": partition_rows}))
    if jurisdiction not in ("cn", "us"):
        problems.append(Problem("--jurisdiction", N_('"{text}" is not one of {choices}'),
                                {"text": jurisdiction, "choices": "cn, us"}))
    for path, where in ((book, "BOOK"), (payments, "--payments")):
        if path is not None and not path.is_file():
            problems.append(Problem(f"{where}: {path}", N_("no such file")))
    if problems:
        raise InputError(problems)
    from arrears.portfolio.run import Options, audit_book

    day = _day(as_of, "--as-of")
    options = Options(as_of=day, roll_from=_day(roll_from, "--roll-from") if roll_from
                      else None, jurisdiction=jurisdiction, partition_rows=partition_rows)
    with _client(scheduler, local_workers) as client, \
            _progress(_("Auditing loans")) as advance:
        result = audit_book(book, options=options, payments=payments, out=out,
                            skip_bad_rows=on_bad_rows == "skip", client=client,
                            scratch=tmp_dir, progress=advance)
    bad = [b.problem(book.name) for b in result.bad_book]
    if payments is not None:
        bad += [b.problem(payments.name) for b in result.bad_payments]
    rows = result.summary["bad_rows"] + result.summary["bad_payment_rows"]
    if bad and on_bad_rows == "reject":
        raise InputError([*bad, Problem("", N_("{count} bad rows; nothing was written (with "
                                               "--on-bad-rows skip the others are audited)"),
                                        {"count": rows})])
    for problem in bad:
        sys.stderr.write(f"arrears: {render(problem)}\n")
    if bad:
        sys.stderr.write("arrears: " + _("{count} bad rows were skipped").format(
            count=rows) + "\n")
    if result.summary["skipped_payments"]:
        sys.stderr.write("arrears: " + _("{count} payments of skipped loans were not used")
                         .format(count=result.summary["skipped_payments"]) + "\n")
    result.summary["output"] = str(out) if result.written else None
    if as_json:
        _print_json(result.summary)
    else:
        _show(result)
    return 0


class _progress:
    """A progress bar on stderr while rows are done; a no-op when stderr is not a
    terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Any:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(stderr=True)
        if console.is_terminal:
            self.bar = Progress("[progress.description]{task.description}", BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=None)

        def advance(done: int, total: int) -> None:
            """``done`` of ``total`` rows are done."""
            if self.bar is not None:
                self.bar.update(self.task, total=total, completed=min(done, total))

        return advance

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()


class _client:
    """A Dask client for --scheduler or --local-workers, or None."""

    def __init__(self, scheduler: str | None, workers: int | None) -> None:
        self.scheduler, self.workers = scheduler, workers
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        if self.scheduler is None and self.workers is None:
            return None
        try:
            import logging

            import distributed
        except ImportError:
            raise InputError.one("--scheduler" if self.scheduler else "--local-workers",
                                 N_("needs Dask: pip install 'arrears[portfolio]'")) from None
        client: Any = distributed.Client  # untyped in distributed
        cluster: Any = distributed.LocalCluster
        try:
            if self.scheduler is not None:
                self.client = client(self.scheduler, timeout=30)
            else:
                self.cluster = cluster(n_workers=self.workers, threads_per_worker=1,
                                       processes=True, dashboard_address=None,
                                       silence_logs=logging.ERROR)
                self.client = client(self.cluster)
        except (OSError, TimeoutError) as error:
            raise InputError.one("--scheduler", N_("cannot connect: {reason}"),
                                 reason=str(error)) from None
        return self.client

    def __exit__(self, *_: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _show(result: Audit) -> None:
    from rich.console import Console
    from rich.table import Table

    model = result.summary
    out = Console()
    out.print(_("Portfolio audit on {as_of}: {loans} loans").format(**model), style="bold")
    table = Table(title=_("Ageing"), show_edge=False, pad_edge=False)
    for heading in (_("Bucket"), _("Loans"), _("Balance"), _("Payoff"), _("Excess")):
        table.add_column(heading, justify="right")
    for row in model["by_bucket"]:
        table.add_row(row["bucket"], str(row["count"]), row["balance"], row["payoff"],
                      row["excess"])
    out.print(table)
    table = Table(title=_("By lender type"), show_edge=False, pad_edge=False)
    for heading in (_("Lender type"), _("Loans"), _("Balance"), _("Excess"),
                    _("Contract excess")):
        table.add_column(heading, justify="right")
    for row in model["by_lender_type"]:
        table.add_row(row["lender_type"], str(row["count"]), row["balance"], row["excess"],
                      row["contract_excess"])
    out.print(table)
    totals = model["totals"]
    out.print(_("Principal {principal}, balance {balance}, excess {excess}; {above} loans cost "
                "more than their cap.").format(above=model["above_cap"], **totals))
    roll = model["roll_rates"]
    if roll is not None:
        table = Table(title=_("Roll rates from {start} to {end}").format(
            start=roll["from"], end=roll["to"]), show_edge=False, pad_edge=False)
        table.add_column(_("From / to"))
        for bucket in roll["buckets"]:
            table.add_column(bucket, justify="right")
        for bucket, line in zip(roll["buckets"], roll["rates"], strict=True):
            table.add_row(bucket, *(f"{100 * v:.1f}%" if v else "·" for v in line))
        out.print(table)
    if model["output"]:
        out.print(_("Wrote one row per loan to {path}.").format(path=model["output"]))
