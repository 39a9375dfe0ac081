"""The answers as a commented case file (TOML), with only keys the reader accepts.

Comments are in the current language. A rate is written with its period in its text and
in ``rate_basis`` too (``rate = "0.05%/day"``, ``rate_basis = "daily"``), so no reader can
take it in another unit. "Every instalment up to …" becomes one ``[[debts.payments]]`` per
scheduled instalment, each with its note. ``docs/case-file.md`` documents every key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from arrears.casebuilder.answers import Answers, scheduled_paid
from arrears.casebuilder.checks import PERIOD_WORDS, SYMBOLS, rate_text
from arrears.casebuilder.questions import LENDER_TYPES, METHOD_NAMES, Choice
from arrears.i18n import _
from arrears.overdue import Penalty
from arrears.rate import Rate
from arrears.report import fmt_money

__all__ = ["case_text", "toml_string"]

_CURRENCY = {"cn": "CNY", "us": "USD"}
_BASIS = {"year": "annual", "month": "monthly", "day": "daily"}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in {'"', "\\"}:
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return toml_string(fmt_money(value))
    if isinstance(value, int | date):
        return str(value) if isinstance(value, int) else value.isoformat()
    return toml_string(str(value))


def _line(key: str, value: Any, comment: str = "") -> str:
    text = f"{key} = {_value(value)}"
    return f"{text}  # {comment}" if comment else text


def _label(choices: Sequence[Choice], value: str) -> str:
    return next(_(c.label) for c in choices if c.value == value)


def _percent(fraction: Decimal) -> str:
    return format((fraction * 100).normalize(), "f") + "%"


def case_text(answers: Answers, name: str = "case.toml") -> str:
    """The case file for ``answers``; ``name`` is the file's name, quoted in its header."""
    lines = [
        "# " + _("A case file written by arrears new on {date}.").format(
            date=answers.today.isoformat()),
        "# " + _("Check every figure against the contract and the statements; each key is "
                 "explained in docs/case-file.md."),
        "# " + _("Then run: arrears status {name} | arrears audit {name} | arrears plan "
                 "{name}").format(name=name),
        "",
    ]
    case = answers.case
    lines += [
        "[case]",
        _line("currency", _CURRENCY[case["jurisdiction"]]),
        _line("jurisdiction", case["jurisdiction"], _("the rule pack")),
        _line("as_of", case["as_of"], _("the date the figures are for")),
        "",
    ]
    h = answers.household
    lines += [
        "[household]",
        _line("monthly_income", h["monthly_income"], _("income a month, now")),
        _line("essential_expenses", h["essential_expenses"],
              _("rent, food, transport, utilities, medical, a month")),
        _line("savings", h["savings"], _("money at hand")),
        _line("emergency_fund_months", h["emergency_fund_months"]),
        "# " + _("If income is expected to change, add a table like this one:"),
        "# [[household.income_changes]]",
        '# month = "2027-03"',
        '# monthly_income = "7500"',
    ]
    for number, debt in enumerate(answers.debts, start=1):
        lines += ["", *_debt_lines(number, debt)]
    return "\n".join(lines) + "\n"


def _rate_lines(debt: dict[str, Any]) -> list[str]:
    rate: Rate = debt["rate"]
    scale = debt["rate_scale"]
    typed = (rate.value * {"percent": 100, "permille": 1000, "permyriad": 10_000}[scale])
    said = _("as you gave it: {number}{symbol} {period}").format(
        number=format(typed.normalize(), "f"), symbol=SYMBOLS[scale],
        period=_(PERIOD_WORDS[debt["rate_period"]]))
    return [_line("rate", rate_text(rate), said),
            _line("rate_basis", _BASIS[debt["rate_period"]])]


def _debt_lines(number: int, debt: dict[str, Any]) -> list[str]:
    card = debt["kind"] == "credit_card"
    lines = [
        "# " + _("Debt {number}: {lender}").format(number=number, lender=debt["lender"]),
        "[[debts]]",
        _line("id", debt["id"]),
        _line("kind", debt["kind"]),
        _line("lender", debt["lender"]),
        _line("lender_type", debt["lender_type"], _label(LENDER_TYPES, debt["lender_type"])),
    ]
    if card:
        lines += [
            _line("balance", debt["balance"], _("principal owed")),
            _line("balance_date", debt["balance_date"]),
            _line("statement_day", debt["statement_day"]),
            _line("payment_due_days", debt["payment_due_days"]),
            *_rate_lines(debt),
            _line("min_payment", _percent(debt["min_payment"])),
        ]
        if debt.get("credit_limit") is not None:
            lines.append(_line("credit_limit", debt["credit_limit"]))
    else:
        lines.append(_line("principal", debt["principal"]))
        if debt.get("received") is not None:
            lines.append(_line("received", debt["received"], _("the amount actually "
                                                               "received")))
        lines += [
            _line("disbursed", debt["disbursed"]),
            *_rate_lines(debt),
            _line("method", debt["method"], _(METHOD_NAMES[debt["method"]])),
            _line("term_months", debt["term_months"]),
            _line("first_due", debt["first_due"]),
            _line("fee_rate", _percent(debt["fee_rate"]), _("a month, on the original "
                                                            "principal")),
            _line("secured", debt["secured"]),
        ]
    lines += ["", *_overdue_lines(debt), *_payment_lines(debt)]
    return lines


def _penalty_text(penalty: Penalty) -> str:
    if penalty.rate is not None:
        return rate_text(penalty.rate)
    return f"{format((penalty.multiplier or Decimal(1)).normalize(), 'f')}x"


def _overdue_lines(debt: dict[str, Any]) -> list[str]:
    header = "[debts.overdue]  # " + (_("from the contract") if debt["overdue"] == "contract"
                                      else _("the common terms, not read from the contract: "
                                             "check them against it"))
    lines = [header]
    for key, value in debt.items():
        if not key.startswith("overdue.") or value is None:
            continue
        name = key.removeprefix("overdue.")
        if name == "penalty":
            lines.append(_line(name, _penalty_text(value), _("penalty interest (罚息)")))
        elif name == "late_fee":
            fixed, percent = value
            lines.append(_line(name, _percent(percent) if percent else fmt_money(fixed),
                               _("late fee (违约金)")))
        else:
            lines.append(_line(name, value))
    return lines


def _payment_lines(debt: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    until = debt.get("paid_until")
    if until is not None:
        rows = scheduled_paid(debt, until)
        lines += ["", "# " + _("Every instalment paid on its due date up to {date} ({count} "
                                "instalments, as the contract's schedule has them).").format(
            date=until.isoformat(), count=len(rows))]
        for row in rows:
            lines += ["[[debts.payments]]", _line("date", row.due), _line("amount", row.payment),
                      _line("note", _("instalment {number}").format(number=row.period)), ""]
    if debt["payments"]:
        lines += ["", "# " + _("Payments as you typed them.")]
        for on, amount in debt["payments"]:
            lines += ["[[debts.payments]]", _line("date", on), _line("amount", amount), ""]
    if debt["paid"] == "none":
        lines += ["", "# " + _("Nothing paid yet. Add each payment like this:"),
                  "# [[debts.payments]]", "# date = 2026-12-15", '# amount = "500"']
    while lines and not lines[-1]:
        lines.pop()
    return lines
