"""The status report model: where every debt of a case stands on a date, and what waiting
costs. Plain JSON-ready data; renderers (terminal, JSON, web) are built from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from arrears.case import Case
from arrears.cost import apr_of_schedule
from arrears.debt import Debt
from arrears.engine import DEFAULT_WAITS, cost_of_waiting, replay
from arrears.ledger import Ledger
from arrears.money import ZERO
from arrears.position import Position
from arrears.report import fmt_money
from arrears.schedule import build_schedule

__all__ = ["debt_status", "ledger_model", "status_model"]


def _components(position: Position) -> dict[str, str]:
    return {name: fmt_money(value) for name, value in position.outstanding.as_dict().items()}


def debt_status(debt: Debt, as_of: date) -> dict[str, Any]:
    """One debt's status on ``as_of``."""
    position, _ = replay(debt, as_of)
    waits = cost_of_waiting(debt, as_of)
    model: dict[str, Any] = {
        "id": debt.id,
        "lender": debt.lender,
        "lender_type": debt.lender_type.value,
        "kind": debt.kind.value,
        "dpd": position.dpd,
        "bucket": position.bucket.value,
        "overdue_installments": position.overdue_installments,
        "outstanding": _components(position),
        "overdue_amount": fmt_money(position.overdue_amount),
        "accrued_interest": fmt_money(position.accrued_interest),
        "credit": fmt_money(position.credit),
        "payoff": fmt_money(position.payoff),
        "cost_of_waiting": [
            {"days": days, "payoff": fmt_money(payoff),
             "extra": fmt_money(payoff - position.payoff)}
            for days, payoff in waits
        ],
        "paid": {k: fmt_money(v) for k, v in position.paid.as_dict().items()},
        "accelerated_on": position.accelerated_on.isoformat() if position.accelerated_on
        else None,
        "settled_on": position.settled_on.isoformat() if position.settled_on else None,
    }
    if debt.terms is not None:
        model["contract_apr"] = str(apr_of_schedule(build_schedule(debt.terms)).apr)
    return model


def status_model(case: Case, as_of: date) -> dict[str, Any]:
    """Every debt of ``case`` on ``as_of``, with household totals."""
    debts = [debt_status(debt, as_of) for debt in case.debts]
    total = sum((Decimal(d["payoff"]) for d in debts), ZERO)
    overdue = sum((Decimal(d["overdue_amount"]) for d in debts), ZERO)
    waiting = [
        {"days": days,
         "payoff": fmt_money(sum((Decimal(d["cost_of_waiting"][i]["payoff"]) for d in debts),
                                 ZERO))}
        for i, days in enumerate(DEFAULT_WAITS)
    ]
    model: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "currency": case.currency,
        "debts": debts,
        "total_payoff": fmt_money(total),
        "total_overdue": fmt_money(overdue),
        "total_cost_of_waiting": waiting,
    }
    if case.household is not None:
        h = case.household
        model["household"] = {
            "monthly_income": fmt_money(h.monthly_income),
            "essential_expenses": fmt_money(h.essential_expenses),
            "savings": fmt_money(h.savings),
            "emergency_fund_months": h.emergency_fund_months,
            "left_after_essentials": fmt_money(h.monthly_income - h.essential_expenses),
        }
    return model


def ledger_model(debt: Debt, as_of: date, ledger: Ledger) -> dict[str, Any]:
    """A debt's ledger as JSON-ready data."""
    return {
        "debt": debt.id,
        "as_of": as_of.isoformat(),
        "entries": [
            {"date": e.on.isoformat(), "kind": e.kind.value,
             "component": e.component.value if e.component else None,
             "installment": e.installment, "amount": fmt_money(e.amount), "note": e.note}
            for e in ledger
        ],
    }
