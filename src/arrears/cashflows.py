"""Dated cash flows as people keep them: a CSV of ``date,amount`` rows.

Borrower's view: money received positive, payments negative. A header row, blank lines
and lines starting with ``#`` are skipped. Every bad line is reported (``flows.csv:7: …``),
not only the first.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.limits import MAX_ROWS, check_count, check_date
from arrears.money import parse_amount

__all__ = ["parse_date", "parse_flows_csv"]


def parse_date(text: str, where: str = "") -> date:
    """``2026-01-15`` or ``2026/01/15`` or ``20260115`` → ``date``."""
    raw = str(text).strip().replace("/", "-").replace(".", "-")
    if len(raw) == 8 and raw.isdigit():
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InputError.one(where, N_('"{text}" is not a date like 2026-01-15'),
                             text=text) from None
    return check_date(day, where)


def parse_flows_csv(text: str, name: str) -> list[tuple[date, Decimal]]:
    """The flows in a CSV text; ``name`` is used in problem locations."""
    flows: list[tuple[date, Decimal]] = []
    problems: list[Problem] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        where = f"{name}:{number}"
        if number == 1 and cells[0].lower() in {"date", "日期"}:
            continue
        if len(cells) < 2:
            problems.append(Problem(where, N_("expected two columns, date and amount")))
            continue
        try:
            when = parse_date(cells[0], where)
            amount = parse_amount(cells[1], where)
        except InputError as error:
            problems.extend(error.problems)
            continue
        flows.append((when, amount))
        if len(flows) > MAX_ROWS:
            check_count(len(flows), MAX_ROWS, name)
    if not flows and not problems:
        problems.append(Problem(name, N_("no cash flows were found")))
    if problems:
        raise InputError(problems)
    return flows
