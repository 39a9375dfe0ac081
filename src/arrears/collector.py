"""Who is collecting a debt: ``[debts.collector]`` (``name``, ``address``, ``since``).

The FDCPA binds third-party debt collectors and debt buyers, not an original creditor
collecting its own debt (15 U.S.C. §1692a(6)). A debt's collector is the one named in its
``[debts.collector]`` table from ``since`` (the day it took over; always, without one); a
contact may name its own (``[[contacts]] collector``). A collector whose name is the debt's
``lender`` is the creditor collecting itself: the FDCPA may not apply, state law may (e.g.
California's Rosenthal Act).

Pure reading, problems returned located (``debts[0].collector.name``), so the case reader and
the contact-log reader report them with their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from arrears.errors import InputError, Problem
from arrears.i18n import N_

__all__ = ["COLLECTOR_KEYS", "Collector", "is_creditor", "read_collectors"]

COLLECTOR_KEYS = ("name", "address", "since")


@dataclass(frozen=True, slots=True)
class Collector:
    """The collector of a debt, as the case names it."""

    name: str
    address: str = ""
    since: date | None = None


def _text(value: Any, where: str, problems: list[Problem]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(where, N_("must be text, not {value}"), {"value": value}))
        return ""
    return value.strip()


def _collector(raw: Any, where: str, problems: list[Problem],
               warnings: list[Problem]) -> Collector | None:
    from arrears.contacts.sent import read_day  # noqa: PLC0415

    if not isinstance(raw, Mapping):
        problems.append(Problem(where, N_("must be a table")))
        return None
    for key in raw:
        if key not in COLLECTOR_KEYS:
            warnings.append(Problem(f"{where}.{key}", N_("unknown key, ignored")))
    failed = len(problems)
    if "name" not in raw:
        problems.append(Problem(f"{where}.name", N_("is required")))
    name = _text(raw["name"], f"{where}.name", problems) if "name" in raw else ""
    address = _text(raw["address"], f"{where}.address", problems) if "address" in raw else ""
    since = None
    if "since" in raw:
        try:
            since = read_day(raw["since"], f"{where}.since")
        except InputError as error:
            problems.extend(error.problems)
    return Collector(name, address, since) if len(problems) == failed else None


def read_collectors(data: Mapping[str, Any]) -> tuple[dict[str, Collector], dict[str, str],
                                                      list[Problem], list[Problem]]:
    """Each debt's collector by debt id, each debt's lender by id, problems, warnings."""
    collectors: dict[str, Collector] = {}
    lenders: dict[str, str] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    debts = data.get("debts", [])
    for index, raw in enumerate(debts if isinstance(debts, list) else []):
        if not isinstance(raw, Mapping):
            continue
        debt_id = raw.get("id")
        if isinstance(debt_id, str):
            lenders[debt_id] = str(raw.get("lender", ""))
        if "collector" in raw:
            found = _collector(raw["collector"], f"debts[{index}].collector", problems,
                               warnings)
            if found is not None and isinstance(debt_id, str):
                collectors[debt_id] = found
    return collectors, lenders, problems, warnings


def is_creditor(name: str, lender: str) -> bool:
    """Whether a collector named ``name`` is the lender itself."""
    return bool(name.strip()) and name.strip().casefold() == lender.strip().casefold()
