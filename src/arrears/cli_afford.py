"""CLI command ``afford``: can the household take on this loan? (``docs/afford.md``)

Registered on :data:`arrears.cli.app` when this module is imported; the library is imported
inside the command."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arrears.cli import AsJson, Db, Lang, _print_json, _use_language, app
from arrears.cli_case import AsOf, CaseFile
from arrears.errors import InputError, Problem
from arrears.i18n import _

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from arrears.afford import Offer
    from arrears.case import Case

OfferFile = Annotated[Path, typer.Option(
    "--offer", metavar="OFFER.toml",
    help=_("The loan offered: a TOML file with an [offer] table (the keys of a loan in a "
           "case file)."))]


def _text_of(path: Path) -> str:
    from arrears.cli_case import read_text

    return read_text(path)


def _warn(warnings: tuple[Problem, ...]) -> None:
    from arrears.cli import print_warnings

    print_warnings(warnings)


def _read(case_file: Path, offer_file: Path, as_of: str | None) -> tuple[Case, Offer, date]:
    """The case, the as-of date and the offer, with every problem of all three at once."""
    from arrears.afford import load_case_for_afford, load_offer
    from arrears.cashflows import parse_date

    problems: list[Problem] = []
    case = None
    try:
        case = load_case_for_afford(_text_of(case_file), str(case_file))
        _warn(case.warnings)
    except InputError as error:
        problems.extend(error.problems)
    when = date.today()
    try:
        if as_of is not None:
            when = parse_date(as_of, "--as-of")
        elif case is not None and case.as_of is not None:
            when = case.as_of
    except InputError as error:
        problems.extend(error.problems)
    offer = None
    try:
        offer = load_offer(_text_of(offer_file), str(offer_file), when)
        _warn(offer.warnings)
    except InputError as error:
        problems.extend(error.problems)
    if problems or case is None or offer is None:
        raise InputError(problems)
    return case, offer, when


@app.command(
    help=_("Before borrowing: a loan offer against the household budget — its true APR, the "
           "monthly payment, debt payments as a share of income, what is left, a stress "
           "case and a plain verdict."),
    epilog=_("Example: arrears afford examples/demo.toml --offer examples/offer.toml"),
)
def afford(case_file: CaseFile, offer: OfferFile, as_of: AsOf = None, as_json: AsJson = False,
           db: Db = None, lang: Lang = None) -> None:
    """Before borrowing: a loan offer against the household budget — its true APR, the
    monthly payment, debt payments as a share of income, what is left, a stress case and a
    plain verdict."""
    _use_language(lang)
    from arrears.afford import afford_model, assess
    from arrears.terminal import console, print_notice

    case, offered, when = _read(case_file, offer, as_of)
    model = afford_model(assess(case, offered, when), case.currency)
    if as_json:
        from arrears.cli import with_warnings

        _print_json(with_warnings(model, (*case.warnings, *offered.warnings)))
        return
    out = console()
    print_afford(model, out)
    print_notice(out)


def _percent(value: str | None) -> str:
    from decimal import Decimal

    from arrears.report import fmt_percent

    return "—" if value is None else fmt_percent(Decimal(value))


def _grid(columns: int = 2) -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    for _column in range(columns - 1):
        grid.add_column(justify="right")
    return grid


def print_afford(model: dict[str, Any], out: Console) -> None:
    """The verdict in plain words and its reasons, then the figures."""
    from arrears.afford import VERDICT_NAMES
    from arrears.terminal import print_item

    styles = {"affordable": "bold green", "tight": "bold yellow",
              "not_affordable": "bold red"}
    out.print(_(VERDICT_NAMES[model["verdict"]]), style=styles[model["verdict"]],
              markup=False)
    for reason in model["reasons"]:
        print_item(out, reason)
    out.print()
    _print_offer(model, out)
    out.print()
    _print_month(model, out)
    if model["existing"]:
        out.print()
        _print_existing(model["existing"], out)
    out.print()
    _print_fund(model["emergency_fund"], out)
    out.print()


def _print_offer(model: dict[str, Any], out: Console) -> None:
    o = model["offer"]
    out.print(_("The offer ({currency}, as of {date})").format(
        currency=model["currency"], date=model["as_of"]), style="bold", markup=False)
    grid = _grid()
    if o["lender"]:
        grid.add_row(_("Lender"), o["lender"])
    grid.add_row(_("Principal"), o["principal"])
    grid.add_row(_("Amount received"), o["amount_received"])
    grid.add_row(_("APR (IRR × 12)"), _percent(o["apr"]))
    grid.add_row(_("Effective annual rate"), _percent(o["effective_annual"]))
    grid.add_row(_("Monthly payment (largest in the first year)"), o["monthly_payment"])
    if o["first_payment"] != o["monthly_payment"]:
        grid.add_row(_("First payment"), o["first_payment"])
    grid.add_row(_("Total paid"), o["total_paid"])
    grid.add_row(_("Total cost (interest and fees)"), o["total_cost"])
    out.print(grid)


def _print_month(model: dict[str, Any], out: Console) -> None:
    from decimal import Decimal

    from arrears.report import fmt_percent

    new, stress = model["offer"]["monthly_payment"], model["stress"]
    out.print(_("Your month with this loan"), style="bold", markup=False)
    month = _grid(3)
    cut = fmt_percent(1 - Decimal(model["thresholds"]["stress_income"]), 0)
    month.add_row("", _("Now"), _("Income down {cut}").format(cut=cut))
    month.add_row(_("Monthly income"), model["income"], stress["income"])
    month.add_row(_("Essential expenses"), model["essentials"], model["essentials"])
    month.add_row(_("Existing debt payments"), model["existing_monthly"],
                  model["existing_monthly"])
    month.add_row(_("This loan"), new, new)
    month.add_row(_("Left after all of it"), model["left_after"], stress["left_after"],
                  style="bold")
    month.add_row(_("Debt payments / income"), _percent(model["debt_service_ratio"]),
                  _percent(stress["debt_service_ratio"]))
    out.print(month)


def _print_existing(existing: list[dict[str, Any]], out: Console) -> None:
    from rich.table import Table

    table = Table(title=_("Existing debts: what each asks for a month"),
                  title_justify="left", show_edge=False, pad_edge=False)
    for heading, justify in ((_("Debt"), "left"), (_("Next payment"), "left"),
                             (_("A month"), "right"), (_("Days past due"), "right"),
                             (_("Past due"), "right")):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for debt in existing:
        table.add_row(debt["id"], debt["next_due"] or "—", debt["monthly"], str(debt["dpd"]),
                      debt["past_due"])
    out.print(table)


def _print_fund(fund: dict[str, Any], out: Console) -> None:
    out.print(_("Emergency fund"), style="bold", markup=False)
    grid = _grid()
    grid.add_row(_("Savings"), fund["savings"])
    grid.add_row(_("Target ({months} months of essential expenses)").format(
        months=fund["months"]), fund["target"])
    grid.add_row(_("Months covered"), fund["months_covered"] or "—")
    out.print(grid)
