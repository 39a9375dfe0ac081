"""Terminal rendering of the report models with Rich: aligned amounts, both languages.

Only the CLI imports this module (Rich is imported here, not at start-up)."""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from arrears.i18n import N_, _
from arrears.money import ZERO
from arrears.report import fmt_percent

__all__ = [
    "COMPONENT_NAMES",
    "bar_chart",
    "pad",
    "print_audit",
    "print_indented",
    "print_item",
    "print_ledger",
    "print_notice",
    "print_status",
    "print_text",
    "wrap",
]

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


def _folded(table: Table) -> Table:
    """``table`` with every cell folded onto more lines rather than cut with "…" when the
    terminal is narrow: a debt's id is never shortened."""
    for column in table.columns:
        column.overflow = "fold"
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
    out.print(_folded(overview))
    out.print()
    debts = model["debts"]
    per_table = max((out.width - 24) // 14, 1)  # as many debts to a table as fit
    for first in range(0, len(debts), per_table):
        chunk = debts[first:first + per_table]
        parts = _money_table(_("What you owe, by component"))
        parts.add_column(_("Component"))
        for debt in chunk:
            parts.add_column(debt["id"], justify="right")
        for key, name in COMPONENT_NAMES.items():
            parts.add_row(_(name), *(debt["outstanding"][key] for debt in chunk))
        parts.add_row(_("Contract interest accrued"),
                      *(debt["accrued_interest"] for debt in chunk))
        out.print(_folded(parts))
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
    out.print(_folded(waiting))
    from arrears.glossary import terms_footer  # noqa: PLC0415 - only when rendering
    from arrears.i18n import current  # noqa: PLC0415

    print_indented(out, terms_footer(["dpd", "bucket", *COMPONENT_NAMES], current()),
                   indent=0, style="dim")


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
    out.print(_folded(table))


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
    out.print(_folded(table))
    for debt in model["debts"]:
        if debt["cap"]:
            out.print(f"{debt['id']}: {debt['cap']['why']}", style="bold", markup=False)
        for finding in debt["findings"]:
            print_item(out, finding["message"])
            print_indented(out, f"{finding['title']} · "
                                f"{_(CONFIDENCE_NAMES[finding['confidence']])} · "
                                f"{finding['source']}", style="dim")
    print_text(out, model["notice"], style="italic")


CONFIDENCE_NAMES = {
    "statute": N_("statute"),
    "guideline": N_("guideline"),
    "practice": N_("practice"),
}


def _percent(value: str | None) -> str:
    from decimal import Decimal  # noqa: PLC0415 - only when rendering rates

    return "—" if value is None else fmt_percent(Decimal(value))


# -- aligned text for a terminal: CJK characters are two cells wide --------------------

_BARS = "▁▂▃▄▅▆▇█"
_TICK_MONTHS = (1, 2, 3, 6, 12, 24, 36, 60, 120)
_LABEL_GAP = 1


def pad(text: str, cells: int) -> str:
    """``text`` followed by spaces to ``cells`` terminal cells (a CJK character is two)."""
    from rich.cells import cell_len  # noqa: PLC0415 - only when rendering

    return text + " " * max(cells - cell_len(text), 0)


def _bar(value: Decimal, top: Decimal) -> str:
    """One cell of a bar chart: blank for nothing, else at least the lowest bar."""
    if value <= 0 or top <= 0:
        return " "
    level = int((value / top * len(_BARS)).to_integral_value(rounding=ROUND_CEILING))
    return _BARS[min(max(level, 1), len(_BARS)) - 1]


def bar_chart(rows: list[tuple[str, list[Decimal]]], months: list[str],
              width: int) -> tuple[list[str], list[int]]:
    """Rows of bars on one scale (a full bar is the largest value of all rows), every row
    starting in the same column, then an axis with month labels under it: the first month,
    one every 12 months or so (as far apart as a label needs), and the last where it fits.
    ``rows`` are (label, one value per month); ``months`` the month of each value. When
    there are more months than cells, each cell is ``step`` months (the largest value among
    them). Returns the lines and the indices of the labelled months (for a table of amounts
    at the same months)."""
    from rich.cells import cell_len  # noqa: PLC0415 - only when rendering

    if not months or not rows:
        return [], []
    label_width = max(cell_len(label) for label, _values in rows)
    room = max(width - label_width - 1, 8)
    step = -(-len(months) // room)
    cells = -(-len(months) // step)
    top = max((max(values, default=ZERO) for _label, values in rows), default=ZERO)
    lines = []
    for label, values in rows:
        bars = "".join(_bar(max(values[i * step:(i + 1) * step], default=ZERO), top)
                       for i in range(cells))
        lines.append(f"{pad(label, label_width)} {bars}".rstrip())
    label_cells = max(cell_len(m) for m in months) + _LABEL_GAP
    every = next((k // step for k in _TICK_MONTHS
                  if k % step == 0 and k // step >= label_cells), cells)
    ticks = list(range(0, cells, max(every, 1)))
    last_fits = label_width + cells + label_cells - _LABEL_GAP <= width
    if cells - 1 >= ticks[-1] + label_cells and last_fits:  # the last month, if there is room
        ticks.append(cells - 1)
    axis = "".join("┬" if i in ticks else "─" for i in range(cells))
    names = ""
    for i in ticks:
        if cell_len(names) > i:
            continue
        names = pad(names, i) + months[i * step]
    lines.append(" " * label_width + " " + axis)
    lines.append((" " * label_width + " " + names).rstrip())
    return lines, [i * step for i in ticks]


_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_TOKENS = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+|\\s+")
_NO_LINE_START = set("，。、；：！？）》」』】〉”’,.;:!?)]%")
_NO_LINE_END = set("（《「『【〈“‘([")


def _fold(word: str, room: int) -> tuple[str, str]:
    """The longest head of ``word`` within ``room`` cells, and the rest."""
    from rich.cells import cell_len  # noqa: PLC0415 - only when rendering

    cut = 0
    while cut < len(word) and cell_len(word[:cut + 1]) <= room:
        cut += 1
    return word[:cut], word[cut:]


def _tokens(paragraph: str) -> list[str]:
    """Words, single Chinese characters and runs of spaces; a closing mark after a space
    (``24 %``) stays with what it follows."""
    tokens: list[str] = []
    for token in _TOKENS.findall(paragraph):
        if (len(tokens) >= 2 and tokens[-1].isspace() and token[0] in _NO_LINE_START
                and not tokens[-2].isspace()):
            space = tokens.pop()
            tokens[-1] += space + token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells: Latin words kept whole (folded only
    when longer than a line), Chinese broken between any two characters, never a closing
    mark at the start of a line or an opening one at its end."""
    from rich.cells import cell_len  # noqa: PLC0415 - only when rendering

    width = max(width, 4)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0
        for token in _tokens(paragraph):
            size = cell_len(token)
            if used + size <= width or (not line and not token.isspace() and size <= width):
                line.append(token)
                used += size
                continue
            if token.isspace():
                lines.append("".join(line).rstrip())
                line, used = [], 0
                continue
            carry: list[str] = []
            while len(line) > 1 and ((token[0] in _NO_LINE_START and not carry)
                                     or line[-1][-1] in _NO_LINE_END):
                carry.insert(0, line.pop())
            if line:
                lines.append("".join(line).rstrip())
            line = [t for t in carry if not t.isspace()]
            used = sum(cell_len(t) for t in line)
            rest = token
            while cell_len(rest) > width - used:  # a word longer than a line: fold it
                head, rest = _fold(rest, width - used)
                lines.append("".join(line) + head)
                line, used = [], 0
            line.append(rest)
            used += cell_len(rest)
        lines.append("".join(line).rstrip())
    return lines


def print_item(out: Console, text: str, *, indent: int = 2, bullet: str = "•",
               style: str | None = None) -> None:
    """``text`` as a list item: the bullet ``indent`` columns in, every wrapped line under
    the text's first character (a hanging indent); plain text, no markup."""
    from rich.cells import cell_len  # noqa: PLC0415 - only when rendering

    head = " " * indent + (bullet + " " if bullet else "")
    lead = cell_len(head)
    for number, line in enumerate(wrap(text, out.width - lead)):
        out.print((head if number == 0 else " " * lead) + line, style=style, markup=False,
                  highlight=False, no_wrap=True, overflow="ignore", crop=False)


def print_indented(out: Console, text: str, *, indent: int = 4,
                   style: str | None = None) -> None:
    """``text`` with every line, wrapped ones included, ``indent`` columns in."""
    print_item(out, text, indent=indent, bullet="", style=style)


def print_text(out: Console, text: str, *, style: str | None = None) -> None:
    """A paragraph wrapped to the terminal (Chinese broken between characters, not only at
    spaces); plain text, no markup."""
    print_item(out, text, indent=0, bullet="", style=style)
