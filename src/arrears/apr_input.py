"""The true cost from what a person knows: a level payment and a count, a flat fee rate,
or a file of dated cash flows. Used by ``arrears apr``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from arrears.cashflows import parse_flows_csv
from arrears.cost import (
    MONTH,
    Apr,
    UnitPeriod,
    parse_unit_period,
    pboc_apr,
    pboc_apr_dated,
    regz_apr,
    xirr_apr,
)
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.money import ZERO, parse_amount
from arrears.rate import Rate
from arrears.schedule import build_schedule
from arrears.terms import Method, Terms
from arrears.terms_input import Collector, parse_fraction

__all__ = ["METHODS", "apr_from_options"]

METHODS = ("pboc", "xirr", "regz")


def _relabel(result: Apr, method: str) -> Apr:
    """A periodic result under another method's name: Regulation Z's APR of equal unit
    periods is the PBOC figure; XIRR's is the effective annual rate."""
    if method == "pboc":
        return result
    if method == "regz":
        return Apr("regz", result.periodic_rate, result.periods_per_year, result.apr,
                   result.effective_annual, result.roots)
    return Apr("xirr", result.periodic_rate, result.periods_per_year,
               result.effective_annual, result.effective_annual, result.roots)


def apr_from_options(
    *, received: str | None, principal: str | None, payment: str | None,
    count: int | None, fee_rate: str | None, upfront_fee: str, period: str,
    flows_text: str | None, flows_name: str, method: str, unit_period: str | None,
) -> Apr:
    """One of three ways in, chosen by which options are present."""
    c = Collector()
    if method not in METHODS:
        c.problems.append(Problem("--method", N_('"{text}" is not a method; use one of '
                                                 '{choices}'),
                                  {"text": method, "choices": ", ".join(METHODS)}))
    unit = c.take(lambda: parse_unit_period(unit_period or period,
                                            "--unit-period" if unit_period else "--period"),
                  MONTH)
    if flows_text is not None:
        no_flows: list[tuple[date, Decimal]] = []
        dated = c.take(lambda: parse_flows_csv(flows_text, flows_name), no_flows)
        c.check()
        return _dated_apr(dated, method, unit, flows_name)
    fee = c.take(lambda: parse_amount(upfront_fee, "--upfront-fee"), ZERO)
    lent = (c.take(lambda: parse_amount(received, "--received"), None) if received
            else None)
    contract = (c.take(lambda: parse_amount(principal, "--principal"), None) if principal
                else None)
    n = count if count is not None else 0
    if count is None:
        c.problems.append(Problem("--count", N_("is needed with --payment or --fee-rate")))
    elif count < 1:
        c.problems.append(Problem("--count", N_("must be 1 or more, not {value}"),
                                  {"value": count}))
    if payment is not None:
        parsed = c.take(lambda: parse_amount(payment, "--payment"), None)
        level = parsed if parsed is not None else ZERO
        if parsed is not None and parsed <= 0:
            c.problems.append(Problem("--payment", N_("must be more than 0, not {value}"),
                                      {"value": payment}))
        amount = ZERO
        if lent is not None:
            amount = lent
        elif contract is not None:
            amount = contract - fee
        else:
            c.problems.append(Problem("--received", N_("give --received or --principal")))
        if (lent is not None or contract is not None) and amount <= 0:
            c.problems.append(Problem("--received", N_("must be more than 0, not {value}"),
                                      {"value": amount}))
        c.check()
        return _relabel(pboc_apr([amount] + [-level] * n, unit.per_year), method)
    if fee_rate is not None:
        rate = c.take(lambda: parse_fraction(fee_rate, "--fee-rate"), ZERO)
        if contract is None:
            c.problems.append(Problem("--principal", N_("is needed with --fee-rate")))
        c.check()
        terms = Terms(principal=contract or ZERO, rate=Rate(Decimal(0)), months=n,
                      start=date(2000, 1, 1), method=Method.FLAT_FEE, fee_rate=rate,
                      upfront_fee=fee, received=lent)
        plan = build_schedule(terms)
        flows = [terms.amount_received] + [-row.payment for row in plan.rows]
        return _relabel(pboc_apr(flows, unit.per_year), method)
    c.check()
    raise InputError.one("", N_("say what to measure: --payment and --count, --fee-rate and "
                                "--count, or --flows FILE"))


def _dated_apr(flows: list[tuple[date, Decimal]], method: str, unit: UnitPeriod,
               where: str) -> Apr:
    if method == "xirr":
        return xirr_apr(flows, where)
    if method == "regz":
        return regz_apr(flows, unit, where)
    return pboc_apr_dated(flows, unit, where)

