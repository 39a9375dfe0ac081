"""CLI command ``credit``: what each debt's credit-report grid shows, and when the negative
record goes away (``docs/credit.md``).

Registered on :data:`arrears.cli.app` when this module is imported; the library is imported
inside the command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from arrears.cli import AsJson, Db, Lang, _opt, _print_json, _use_language, app, with_warnings
from arrears.cli_case import AsOf, CaseFile, read_case, resolve_as_of
from arrears.i18n import N_, _

if TYPE_CHECKING:
    from rich.console import Console

IfPaidOn = Annotated[str | None, _opt("DATE", _("What if the overdue amount (the whole payoff "
                                                "once a loan is accelerated) were paid on "
                                                "this date: the report recomputed."))]


@app.command(
    help=_("The credit report: each debt's 24-month status grid, its worst status, when the "
           "default ends and when the negative record is deleted."),
    epilog=_("Example: arrears credit examples/demo.toml --if-paid-on 2026-12-01"),
)
def credit(case_file: CaseFile, as_of: AsOf = None, if_paid_on: IfPaidOn = None,
           as_json: AsJson = False, db: Db = None, lang: Lang = None) -> None:
    """The credit report: each debt's 24-month status grid, its worst status, when the
    default ends and when the negative record is deleted."""
    _use_language(lang)
    from arrears.cashflows import parse_date
    from arrears.credit import credit_timeline
    from arrears.i18n import current
    from arrears.terminal import console, print_notice

    case = read_case(case_file)
    when = resolve_as_of(case, as_of)
    paid_on = parse_date(if_paid_on, "--if-paid-on") if if_paid_on is not None else None
    model = credit_timeline(case, when, paid_on, lang=current())
    if as_json:
        _print_json(with_warnings(model, case.warnings))
        return
    out = console()
    print_credit(model, out)
    print_notice(out)


def _grid(cells: list[dict[str, Any]]) -> str:
    """The codes, two columns a cell; under the us pack the US statuses, four a cell."""
    if cells and "us_status" in cells[0]:
        from arrears.credit import US_SHORT

        return " ".join((US_SHORT[c["us_status"]] if c["us_status"] else c["code"] or "-")
                        .rjust(3) for c in cells)
    return " ".join(cell["code"] or "-" for cell in cells)


US_NAMES = {"current": N_("current"), "30": N_("30 days late"), "60": N_("60 days late"),
            "90": N_("90 days late"), "120": N_("120 days late"), "150": N_("150 days late"),
            "180": N_("180 days late"), "charge-off": N_("charge-off"),
            "collection": N_("collection")}


def _print_grid(out: Console, cells: list[dict[str, Any]], label: str, width: int,
                us: bool) -> None:
    """The grid under its month labels; under the us pack two rows of 12 months, each
    headed by its first month (a US cell is four columns wide)."""
    if not us:
        out.print(" " * (width + 2) + _axis(cells), style="dim", markup=False)
        out.print(f"{label}  {_grid(cells)}", style="bold", markup=False)
        return
    for start in range(0, len(cells), 12):
        row = cells[start:start + 12]
        head = label if start == 0 else " " * width
        out.print(f"{' ' * (width + 2)}{row[0]['month']}", style="dim", markup=False)
        out.print(f"{head}  {_grid(row)}", style="bold", markup=False)


def _axis(cells: list[dict[str, str]]) -> str:
    """Month labels over a grid: each January and July written from its own cell's column
    (a cell is two columns wide), and the first month when there is room before them."""
    marked = [i for i, cell in enumerate(cells) if cell["month"].endswith(("-01", "-07"))]
    if cells and (not marked or 2 * marked[0] > len(cells[0]["month"])):
        marked.insert(0, 0)
    line = ""
    for index in marked:
        line = line.ljust(2 * index) + cells[index]["month"]
    return line


def _dates(report: dict[str, Any], out: Console, kept: dict[str, Any], us: bool) -> None:
    """Worst status and the dates of one report (a debt's, or its what-if)."""
    from arrears.terminal import print_indented

    if us:
        worst = _(US_NAMES[report["us_worst"]]) if report.get("us_worst") else "-"
    else:
        worst = report["worst"] or "-"
    print_indented(out, _("Worst status: {worst}; days past due: {dpd}").format(
        worst=worst, dpd=report["dpd"]), indent=2)
    if report["months_overdue"] == 0:
        print_indented(out, _("Nothing negative is reported."), indent=2)
        return
    if report["default_ends"] is not None:
        print_indented(out, _("The default ended on {ended}.").format(
            ended=report["default_ends"]), indent=2)
    if us:
        line = _("Delinquency began on {began}; it may be reported until {until}, {years} "
                 "years after {days} days from then ({rule}).").format(
            began=report["delinquency_began"], until=report["reportable_until"],
            years=kept["years"], days=kept["start_offset_days"], rule=kept["rule"])
    elif report["default_ends"] is None:
        line = _("Still in default: the negative record is kept for {years} years after the "
                 "default ends ({rule}).").format(years=kept["years"], rule=kept["rule"])
    else:
        line = _("The negative record is deleted on {clean_on}, {years} years after the "
                 "default ended ({rule}).").format(clean_on=report["clean_on"],
                                                   years=kept["years"], rule=kept["rule"])
    print_indented(out, line, indent=2)


def print_credit(model: dict[str, Any], out: Console) -> None:
    """Per debt: the 24-month grid under its month labels, the worst status, the dates;
    then the pack's notices."""
    from rich.cells import cell_len

    from arrears.terminal import pad, print_indented, print_item, print_text

    us = model["jurisdiction"] == "us"
    kept = model["retention"]
    out.print(_("Credit report on {date} — {pack}").format(date=model["as_of"],
                                                          pack=model["pack"]), style="bold",
              markup=False)
    if model["debts"]:
        grid = model["debts"][0]["grid"]
        legend = (N_("Status by month, oldest first, {start} to {end}: OK current; 30, 60, "
                     "90, 120, 150, 180 days late; CO charge-off; CL collection; C settled; "
                     "* nothing due; / not yet open; - not reported.") if us else
                  N_("Status by month, oldest first, {start} to {end}: N on time; 1–7 "
                     "past due in 30-day steps (1 = 1–30 days … 7 = over 180); C "
                     "settled; * nothing due; / not yet open; - not reported."))
        print_text(out, _(legend).format(start=grid[0]["month"], end=grid[-1]["month"]))

    width = max((cell_len(debt["id"]) for debt in model["debts"]), default=0)
    for debt in model["debts"]:
        out.print()
        _print_grid(out, debt["grid"], pad(debt["id"], width), width, us)
        _dates(debt, out, kept, us)
        what_if = debt.get("what_if")
        if what_if is None:
            continue
        if what_if["amount"] == "0.00":
            print_indented(out, _("Nothing is overdue on {date}; by {as_of} the report would "
                                  "read:").format(date=what_if["paid_on"],
                                                  as_of=what_if["as_of"]), indent=2)
        else:
            print_indented(out, _("If you pay {amount} on {date}, by {as_of} the report would "
                                  "read:").format(amount=what_if["amount"],
                                                  date=what_if["paid_on"],
                                                  as_of=what_if["as_of"]), indent=2)
        _print_grid(out, what_if["grid"], " " * width, width, us)
        _dates(what_if, out, kept, us)
    out.print()
    out.print(_("What the rules say"), style="bold", markup=False)
    rules = [model["retention"], *model["notices"]]
    for rule in rules:
        print_item(out, f"{rule['title']} ({rule['rule']})")
        print_indented(out, rule["source"], style="dim")
