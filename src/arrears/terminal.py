"""Terminal rendering of the report models with Rich: aligned amounts, both languages.

Only the CLI imports this module (Rich is imported here, not at start-up)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from arrears.i18n import N_, _
from arrears.report import fmt_percent

__all__ = ["COMPONENT_NAMES", "print_audit", "print_ledger", "print_notice", "print_status"]

COMPONENT_NAMES = {
    "principal": N_("Principal"),
    "interest": N_("Interest"),
    "penalty_interest": N_("Penalty interest"),
    "compound_interest": N_("Compound interest"),
    "fees": N_("Fees"),
    "late_fees": N_("Late fees"),
}
KIND_NAMES = {
    "installment_loan": N_("instalment loan"),
    "credit_card": N_("credit card"),
    "private_loan": N_("private loan"),
}
ENTRY_NAMES = {
    "due": N_("due"),
    "accrual": N_("accrual"),
    "charge": N_("charge"),
    "payment": N_("payment"),
    "allocation": N_("allocation"),
    "credit": N_("credit"),
    "acceleration": N_("acceleration"),
}


def console() -> Console:
    """A console that writes plain text when not on a terminal (pipes, files, tests)."""
    return Console(highlight=False, soft_wrap=False)


def _money_table(title: str) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    return table


def print_status(model: dict[str, Any], out: Console | None = None) -> None:
    """Where every debt stands, what each is made of, and what waiting costs."""
    out = out or console()
    out.print(_("Where you stand on {date} ({currency})").format(
        date=model["as_of"], currency=model["currency"]), style="bold")
    if "household" in model:
        h = model["household"]
        grid = Table.grid(padding=(0, 2))
        grid.add_column()
        grid.add_column(justify="right")
        grid.add_row(_("Monthly income"), h["monthly_income"])
        grid.add_row(_("Essential expenses"), h["essential_expenses"])
        grid.add_row(_("Left after essentials"), h["left_after_essentials"])
        grid.add_row(_("Savings"), h["savings"])
        out.print(grid)
        out.print()
    overview = _money_table(_("Debts"))
    for heading, justify in ((_("Debt"), "left"), (_("Kind"), "left"),
                             (_("Days past due"), "right"), (_("Bucket"), "left"),
                             (_("Overdue"), "right"), (_("Payoff today"), "right")):
        overview.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for debt in model["debts"]:
        overview.add_row(debt["id"], _(KIND_NAMES[debt["kind"]]), str(debt["dpd"]),
                         debt["bucket"], debt["overdue_amount"], debt["payoff"])
    overview.add_row(_("Total"), "", "", "", model["total_overdue"], model["total_payoff"],
                     style="bold")
    out.print(overview)
    out.print()
    parts = _money_table(_("What you owe, by component"))
    parts.add_column(_("Component"))
    for debt in model["debts"]:
        parts.add_column(debt["id"], justify="right")
    for key, name in COMPONENT_NAMES.items():
        parts.add_row(_(name), *(debt["outstanding"][key] for debt in model["debts"]))
    parts.add_row(_("Contract interest accrued"),
                  *(debt["accrued_interest"] for debt in model["debts"]))
    out.print(parts)
    out.print()
    waiting = _money_table(_("What waiting costs (payoff if nothing more is paid)"))
    waiting.add_column(_("Debt"))
    waiting.add_column(_("Today"), justify="right")
    for entry in model["total_cost_of_waiting"]:
        waiting.add_column(_("+{days} days").format(days=entry["days"]), justify="right")
    for debt in model["debts"]:
        waiting.add_row(debt["id"], debt["payoff"],
                        *(w["payoff"] for w in debt["cost_of_waiting"]))
    waiting.add_row(_("Total"), model["total_payoff"],
                    *(w["payoff"] for w in model["total_cost_of_waiting"]), style="bold")
    out.print(waiting)
    from arrears.glossary import terms_footer  # noqa: PLC0415 - only when rendering
    from arrears.i18n import current  # noqa: PLC0415

    out.print(terms_footer(["dpd", "bucket", *COMPONENT_NAMES], current()), style="dim",
              markup=False)


def print_ledger(model: dict[str, Any], out: Console | None = None) -> None:
    """A debt's ledger entries."""
    out = out or console()
    table = _money_table(_("Ledger of {debt} to {date}").format(debt=model["debt"],
                                                                 date=model["as_of"]))
    for heading, justify in ((_("Date"), "left"), (_("Entry"), "left"),
                             (_("Component"), "left"), (_("No."), "right"),
                             (_("Amount"), "right")):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for entry in model["entries"]:
        component = entry["component"]
        table.add_row(entry["date"], _(ENTRY_NAMES[entry["kind"]]),
                      _(COMPONENT_NAMES[component]) if component else "",
                      str(entry["installment"] or ""), entry["amount"])
    out.print(table)


def print_notice(out: Console | None = None) -> None:
    """The notice every report ends with."""
    (out or console()).print(_("This is information, not legal advice."), style="italic")


def print_audit(model: dict[str, Any], out: Console | None = None) -> None:
    """The true cost of each debt against its caps, and every finding with its rule."""
    out = out or console()
    out.print(_("Is it lawful? True cost against the caps, as of {date}").format(
        date=model["as_of"]), style="bold")
    table = _money_table("")
    for heading, justify in ((_("Debt"), "left"), (_("Contract APR"), "right"),
                             (_("Actual so far"), "right"), (_("Cap"), "right"),
                             (_("Above the cap"), "right")):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for debt in model["debts"]:
        cap = debt["cap"]
        table.add_row(debt["id"], _percent(debt["contract_apr"]), _percent(debt["actual_apr"]),
                      _percent(cap["rate"]) if cap else "—", cap["excess"] if cap else "—")
    out.print(table)
    for debt in model["debts"]:
        if debt["cap"]:
            out.print(f"[bold]{debt['id']}[/bold]: {debt['cap']['why']}")
        for finding in debt["findings"]:
            out.print(f"  • {finding['message']}")
            out.print(f"    [dim]{finding['rule']} · {_(CONFIDENCE_NAMES[finding['confidence']])}"
                      f" · {finding['source']}[/dim]")
    out.print(model["notice"], style="italic")


CONFIDENCE_NAMES = {
    "statute": N_("statute"),
    "guideline": N_("guideline"),
    "practice": N_("practice"),
}


def _percent(value: str | None) -> str:
    from decimal import Decimal  # noqa: PLC0415 - only when rendering rates

    return "—" if value is None else fmt_percent(Decimal(value))
