"""``arrears plan``: strategies side by side, the recommendation, and offers when money is
short. Registered on :data:`arrears.cli.app`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arrears.cli import AsJson, Db, Lang, _opt, _print_json, _use_language, app, with_warnings
from arrears.cli_case import AsOf, CaseFile, read_case, resolve_as_of
from arrears.errors import InputError
from arrears.i18n import N_, _

if TYPE_CHECKING:
    from rich.console import Console

STRATEGY_NAMES = {
    "overdue_first": N_("Overdue first"),
    "avalanche": N_("Avalanche"),
    "snowball": N_("Snowball"),
    "custom": N_("Your order"),
    "optimal": N_("Least cost"),
}
"""Short names, so that a table of strategies fits 80 columns in both languages; what each
means is said once under the table (:data:`STRATEGY_LEGEND`)."""
STRATEGY_LEGEND = N_("Overdue first: debts past due first. Avalanche: the highest cost "
                     "first. Snowball: the smallest debt first. Your order: the case's "
                     "[plan] priority. Least cost: optimised, then replayed exactly.")
SCENARIO_NAMES = {
    "status_quo": N_("As agreed (status quo)"),
    "deferment": N_("Deferment"),
    "instalment_frozen": N_("Instalment plan, interest frozen"),
    "instalment_interest": N_("Instalment plan with interest"),
    "settlement": N_("Settlement"),
}


def print_plan(model: dict[str, Any], out: Console, *, negotiation: bool = True,
               detail: bool = False) -> None:
    """Where the plan starts, the strategies side by side, a chart of what is owed, the
    recommendation, the triage and the offers (and, with ``detail``, the recommended plan
    month by month)."""
    from rich.table import Table

    from arrears.terminal import print_text

    opening = model["opening"]
    print_text(out, _("A way out: plans from {start} over {months} months").format(
        start=model["start"], months=model["months"]), style="bold")
    print_text(out, _("Owed on {date}: {payoff}, of which overdue {overdue} (the figures of "
                      "arrears status on that date).").format(
        date=opening["date"], payoff=opening["total_payoff"],
        overdue=opening["total_overdue"]))
    table = Table(show_edge=False, pad_edge=False)
    for heading in (_("Strategy"), _("Debt-free"), _("Total paid"), _("Interest and fees"),
                    _("Owed at the end"), _("Months in arrears")):
        table.add_column(heading, justify="left" if not table.columns else "right",
                         no_wrap=not table.columns)
    for s in model["strategies"]:
        mark = "★ " if s["name"] == model["recommended"] else ""
        table.add_row(mark + _(STRATEGY_NAMES[s["name"]]), s["debt_free"] or "—",
                      s["total_paid"], s["total_interest_and_fees"], s["remaining"],
                      str(s["months_in_arrears"]))
    out.print(table)
    print_text(out, _(STRATEGY_LEGEND), style="dim")
    print_balances(model, out)
    out.print(_("Recommended: {name}").format(name=_(STRATEGY_NAMES[model["recommended"]])),
              style="bold")
    first = _recommended(model)
    if first["schedule"]:
        month = first["schedule"][0]
        print_text(out, _("This month ({month}): {payments}").format(
            month=month["month"],
            payments=", ".join(f"{k} {v}" for k, v in month["payments"].items()) or "—"))
    print_triage(model, out)
    if detail:
        print_detail(model, out)
    if negotiation:
        print_negotiation(model["negotiation"], out)


def _recommended(model: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in model["strategies"] if s["name"] == model["recommended"])


def print_balances(model: dict[str, Any], out: Console) -> None:
    """What is owed at each month's end under each strategy: bars on one scale, every row
    from the same column, months on an axis, then the amounts at the labelled months."""
    from rich.table import Table

    from arrears.terminal import bar_chart, print_text

    strategies = model["strategies"]
    if not strategies or not strategies[0]["schedule"]:
        return
    months = [m["month"] for m in strategies[0]["schedule"]]
    rows = [(_(STRATEGY_NAMES[s["name"]]), [Decimal(v) for v in s["balances"]])
            for s in strategies]
    top = max((max(values) for _name, values in rows), default=Decimal(0))
    out.print()
    print_text(out, _("Owed at each month's end (a full bar is {top}):").format(top=top),
               style="bold")
    lines, marked = bar_chart(rows, months, out.width)
    for line in lines:
        out.print(line, markup=False, no_wrap=True, overflow="ignore", crop=False)
    table = Table(show_edge=False, pad_edge=False)
    table.add_column(_("Strategy"), no_wrap=True)
    shown = marked[:max((out.width - 14) // 11, 1)]
    for index in shown:
        table.add_column(months[index], justify="right", no_wrap=True)
    for s in strategies:
        table.add_row(_(STRATEGY_NAMES[s["name"]]), *(s["balances"][i] for i in shown))
    out.print(table)
    out.print()


def print_triage(model: dict[str, Any], out: Console) -> None:
    """When what is due is more than there is: the shortfall and each lender's offer."""
    from rich.table import Table

    from arrears.terminal import print_text

    triage = model["triage"]
    if Decimal(triage["shortfall"]) <= 0:
        return
    opening = model["opening"]
    out.print()
    if Decimal(triage.get("falling_due") or 0) > 0:
        due = _("Overdue on {date}: {due}; falling due by {due_by}: {falling}.").format(
            date=opening["date"], due=triage["due"], due_by=triage["due_by"],
            falling=triage["falling_due"])
    else:
        due = _("Overdue on {date}: {due}.").format(date=opening["date"], due=triage["due"])
    print_text(out, _("{overdue} That is more than you have ({available}): short by "
                      "{shortfall}. Offers to make, each lender's share of what you can pay "
                      "each month:").format(overdue=due, **triage), style="bold")
    offers = Table(show_edge=False, pad_edge=False)
    offers.add_column(_("Debt"), overflow="fold")
    offers.add_column(_("Owed on {date}").format(date=opening["date"]), justify="right")
    offers.add_column(_("Offer a month"), justify="right")
    offers.add_column(_("Why"))
    for offer in triage["offers"]:
        offers.add_row(offer["debt"], offer["owed"], offer["monthly"],
                       _("priority: keep paying as agreed") if offer["priority"]
                       else _("pro rata by what is owed"))
    out.print(offers)


def _debt_ids(strategy: dict[str, Any], opening: dict[str, Any]) -> list[str]:
    ids = [d["debt"] for d in opening["debts"]]
    for month in strategy["schedule"]:
        ids.extend(k for k in month["payments"] if k not in ids)
    return ids


def print_detail(model: dict[str, Any], out: Console) -> None:
    """The recommended plan month by month: what each debt is paid, the month's total, and
    what is owed at the month's end — until everything is paid (as many debts to a table
    as fit the terminal)."""
    from rich.table import Table

    from arrears.terminal import print_text

    chosen = _recommended(model)
    schedule = chosen["schedule"]
    last = next((i for i, v in enumerate(chosen["balances"]) if Decimal(v) == 0),
                len(schedule) - 1)
    ids = _debt_ids(chosen, model["opening"])
    per_table = max((out.width - 8 - 2 * 12) // 12, 1)
    for start in range(0, max(len(ids), 1), per_table):
        chunk = ids[start:start + per_table]
        out.print()
        print_text(out, _("Month by month: {name} (what each debt is paid; what is owed at "
                          "the month's end)").format(name=_(STRATEGY_NAMES[chosen["name"]])),
                   style="bold")
        table = Table(show_edge=False, pad_edge=False)
        table.add_column(_("Month"), no_wrap=True)
        for debt_id in chunk:
            table.add_column(debt_id, justify="right", overflow="fold")
        table.add_column(_("Paid"), justify="right")
        table.add_column(_("Owed"), justify="right")
        for month, balance in zip(schedule[:last + 1], chosen["balances"], strict=False):
            payments = month["payments"]
            paid = sum((Decimal(v) for v in payments.values()), Decimal(0))
            table.add_row(month["month"], *(payments.get(d, "") for d in chunk),
                          f"{paid:.2f}", balance)
        out.print(table)


def print_negotiation(negotiation: dict[str, list[dict[str, Any]]], out: Console) -> None:
    """What each negotiated outcome would cost, and the monthly amount to propose."""
    from rich.table import Table

    for debt_id, scenarios in negotiation.items():
        if len(scenarios) < 2:
            continue
        out.print()
        out.print(_("What to ask {debt} for:").format(debt=debt_id), style="bold",
                  markup=False)
        table = Table(show_edge=False, pad_edge=False)
        for heading, justify in ((_("Outcome"), "left"), (_("Months"), "right"),
                                 (_("Propose a month"), "right"), (_("Total paid"), "right"),
                                 (_("Saving"), "right"), (_("Fits?"), "left")):
            table.add_column(heading, justify=justify,  # type: ignore[arg-type]
                             overflow="fold")
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
    detail: Annotated[bool, typer.Option("--detail", help=_(
        "Also print the recommended plan month by month: what each debt is paid and what "
        "is owed at each month's end."))] = False,
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
        _print_json(with_warnings(model, case.warnings))
        return
    out = console()
    print_plan(model, out, detail=detail)
    print_notice(out)
