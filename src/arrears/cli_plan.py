"""``arrears plan``: strategies side by side, the recommendation, and offers when money is
short. Registered on :data:`arrears.cli.app`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from arrears.cli import AsJson, Db, Lang, _opt, _print_json, _use_language, app
from arrears.cli_case import AsOf, CaseFile, read_case, resolve_as_of
from arrears.errors import InputError
from arrears.i18n import N_, _

if TYPE_CHECKING:
    from rich.console import Console

STRATEGY_NAMES = {
    "overdue_first": N_("Overdue first"),
    "avalanche": N_("Avalanche (highest cost first)"),
    "snowball": N_("Snowball (smallest first)"),
    "custom": N_("Your own order"),
    "optimal": N_("Least cost (optimised)"),
}
SCENARIO_NAMES = {
    "status_quo": N_("As agreed (status quo)"),
    "deferment": N_("Deferment"),
    "instalment_frozen": N_("Instalment plan, interest frozen"),
    "instalment_interest": N_("Instalment plan with interest"),
    "settlement": N_("Settlement"),
}
_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[Decimal]) -> str:
    """A one-line chart of balances over time."""
    if not values:
        return ""
    top = max(values) or Decimal(1)
    return "".join(_BARS[min(int(v / top * (len(_BARS) - 1)), len(_BARS) - 1)]
                   if v > 0 else " " for v in values)


def print_plan(model: dict[str, Any], out: Console, *, negotiation: bool = True) -> None:
    """The strategies side by side, a chart of each, the triage and the offers."""
    from rich.table import Table
    out.print(_("A way out: plans from {start} over {months} months").format(
        start=model["start"], months=model["months"]), style="bold")
    table = Table(show_edge=False, pad_edge=False)
    for heading, justify in ((_("Strategy"), "left"), (_("Clears all?"), "left"),
                             (_("Total paid"), "right"), (_("Interest and fees"), "right"),
                             (_("Debt-free"), "right"), (_("Months in arrears"), "right")):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for s in model["strategies"]:
        mark = "★ " if s["name"] == model["recommended"] else ""
        table.add_row(mark + _(STRATEGY_NAMES[s["name"]]), _("yes") if s["feasible"] else
                      _("no ({left} left)").format(left=s["remaining"]), s["total_paid"],
                      s["total_interest_and_fees"], s["debt_free"] or "—",
                      str(s["months_in_arrears"]))
    out.print(table)
    out.print(_("Balances over time (what is owed at each month's end):"))
    for s in model["strategies"]:
        line = sparkline([Decimal(v) for v in s["balances"]])
        out.print(f"  {_(STRATEGY_NAMES[s['name']]):<32} {line}")
    out.print(_("Recommended: {name}").format(name=_(STRATEGY_NAMES[model["recommended"]])),
              style="bold")
    first = next(s for s in model["strategies"] if s["name"] == model["recommended"])
    if first["schedule"]:
        month = first["schedule"][0]
        out.print(_("This month ({month}): {payments}").format(
            month=month["month"],
            payments=", ".join(f"{k} {v}" for k, v in month["payments"].items()) or "—"))
    triage = model["triage"]
    if Decimal(triage["shortfall"]) > 0:
        out.print()
        out.print(_("What is due now ({due}) is more than you have ({available}): short by "
                    "{shortfall}. Offers to make, each lender's share of what you can pay "
                    "each month:").format(**triage), style="bold")
        offers = Table(show_edge=False, pad_edge=False)
        offers.add_column(_("Debt"))
        offers.add_column(_("Owed"), justify="right")
        offers.add_column(_("Offer a month"), justify="right")
        offers.add_column(_("Why"))
        for offer in triage["offers"]:
            offers.add_row(offer["debt"], offer["owed"], offer["monthly"],
                           _("priority: keep paying as agreed") if offer["priority"]
                           else _("pro rata by what is owed"))
        out.print(offers)
    if negotiation:
        print_negotiation(model["negotiation"], out)


def print_negotiation(negotiation: dict[str, list[dict[str, Any]]], out: Console) -> None:
    """What each negotiated outcome would cost, and the monthly amount to propose."""
    from rich.table import Table

    for debt_id, scenarios in negotiation.items():
        if len(scenarios) < 2:
            continue
        out.print()
        out.print(_("What to ask {debt} for:").format(debt=debt_id), style="bold")
        table = Table(show_edge=False, pad_edge=False)
        for heading, justify in ((_("Outcome"), "left"), (_("Months"), "right"),
                                 (_("Propose a month"), "right"), (_("Total paid"), "right"),
                                 (_("Saving"), "right"), (_("Fits?"), "left")):
            table.add_column(heading, justify=justify)  # type: ignore[arg-type]
        for scenario in scenarios:
            name = _(SCENARIO_NAMES[scenario["kind"]])
            if scenario["percent"]:
                name += f" {Decimal(scenario['percent']) * 100:.0f}%"
            table.add_row(name, str(scenario["months"]),
                          scenario["monthly"], scenario["total_paid"], scenario["saving"],
                          _("yes") if scenario["fits"] else _("no"))
        out.print(table)


@app.command(
    help=_("A way out: repayment strategies compared side by side, the least-cost plan, and "
           "pro-rata offers when the budget cannot cover what is due — every figure "
           "replayed through the exact engine."),
    epilog=_("Example: arrears plan examples/demo.toml --months 36 --strategy avalanche"),
)
def plan(
    case_file: CaseFile,
    strategy: Annotated[list[str] | None, _opt("NAME", _(
        "overdue_first, avalanche, snowball, custom or optimal; repeat to compare several "
        "(default: all)."))] = None,
    months: Annotated[int, _opt("N", _("How many months to plan (1–360)."))] = 60,
    arrears_weight: Annotated[str, _opt("WEIGHT", _(
        "For the optimiser: the cost, per yuan in arrears per month, of a worse credit "
        "record. The default 0.05 keeps every debt current whenever the budget allows; 0 "
        "minimises cost alone."))]
    = "0.05",
    as_of: AsOf = None,
    as_json: AsJson = False,
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Compare repayment strategies and recommend one."""
    _use_language(lang)
    from arrears.plan.report import ALL_STRATEGIES, plan_model
    from arrears.terminal import console, print_notice

    names = tuple(strategy) if strategy else ALL_STRATEGIES
    for name in names:
        if name not in ALL_STRATEGIES:
            raise InputError.one("--strategy", _('"{text}" is not a strategy; use one of '
                                                 '{choices}'), text=name,
                                 choices=", ".join(ALL_STRATEGIES))
    if not 1 <= months <= 360:
        raise InputError.one("--months", _("must be from 1 to {most}, not {value}"),
                             most=360, value=months)
    from arrears.rate import RateBasis, parse_rate

    weight = parse_rate(arrears_weight, RateBasis.MONTHLY, "--arrears-weight").value
    case = read_case(case_file)
    model = plan_model(case, resolve_as_of(case, as_of), months, names, weight)
    if as_json:
        _print_json(model)
        return
    out = console()
    print_plan(model, out)
    print_notice(out)
