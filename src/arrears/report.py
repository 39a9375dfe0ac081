"""The report model: plain dicts of strings that every renderer (terminal, JSON, web,
letters) is built from, so they can never disagree. Money is a string with two places;
rates are strings of the ``Decimal`` fraction (``"0.128038018510"`` = 12.80 %)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from arrears.cost import Apr
from arrears.money import round_money
from arrears.schedule import Schedule

__all__ = ["apr_model", "fmt_money", "fmt_percent", "schedule_model"]


def fmt_money(value: Decimal) -> str:
    """``Decimal`` money as a string with exactly two places."""
    return str(round_money(value))


def fmt_percent(rate: Decimal, places: int = 2) -> str:
    """A fraction as a percentage for people: ``0.128038`` → ``"12.80%"``."""
    return f"{(rate * 100).quantize(Decimal(1).scaleb(-places))}%"


def apr_model(apr: Apr) -> dict[str, Any]:
    """An :class:`Apr` as JSON-ready data."""
    model: dict[str, Any] = {
        "method": apr.method,
        "periodic_rate": str(apr.periodic_rate),
        "periods_per_year": apr.periods_per_year,
        "apr": str(apr.apr),
        "effective_annual": str(apr.effective_annual),
    }
    if apr.ambiguous:
        model["roots"] = [str(r) for r in apr.roots]
    return model


def schedule_model(schedule: Schedule, apr: Apr) -> dict[str, Any]:
    """A schedule with its totals and true cost as JSON-ready data."""
    terms = schedule.terms
    return {
        "method": terms.method.value,
        "principal": fmt_money(terms.principal),
        "amount_received": fmt_money(terms.amount_received),
        "payment": fmt_money(schedule.payment),
        "rows": [
            {
                "period": row.period,
                "due": row.due.isoformat(),
                "payment": fmt_money(row.payment),
                "principal": fmt_money(row.principal),
                "interest": fmt_money(row.interest),
                "fee": fmt_money(row.fee),
                "balance": fmt_money(row.balance),
            }
            for row in schedule.rows
        ],
        "total_principal": fmt_money(schedule.total_principal),
        "total_interest": fmt_money(schedule.total_interest),
        "total_fees": fmt_money(schedule.total_fees),
        "total_paid": fmt_money(schedule.total_paid),
        "true_cost": apr_model(apr),
    }
