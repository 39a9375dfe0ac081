"""Is it lawful? The true cost of each debt against the caps of its rule pack.

For each debt: the contract's annual cost by IRR (PBOC method, on the amount actually
received), the actual cost so far (what was received, every payment, and what is claimed
on the as-of date as a last payment), which caps apply and why, and findings — each with
its rule id, source, confidence and the amount in question. The method for the excess in
yuan is in ``docs/audit.md``:

*Lawful recomputation.* Start from the amount received on the contract date; let it grow at
the cap rate, compounded monthly as the APR is measured (the cap / 12 per month, a
fraction of a month as a fractional power), but only while the borrower still owes
something; subtract each payment on its date. What is left on the as-of date is the most a
lender could lawfully claim at that cap with the same payments on the same dates. The
**excess** is the claim (the payoff today) less that lawful balance — when the lawful balance
is negative the borrower has already overpaid, and the overpayment is part of the excess.
The contract excess does the same with the contractual schedule to maturity.

Findings are information, not legal advice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from arrears.case import Case
from arrears.cost import MONTH, Apr, apr_of_schedule, pboc_apr_dated, unit_periods
from arrears.debt import Debt
from arrears.engine import replay
from arrears.errors import NoRootError
from arrears.i18n import N_
from arrears.money import ZERO, round_money
from arrears.overdue import Component
from arrears.position import Position
from arrears.report import fmt_money, fmt_percent
from arrears.rules import LprFixing, Rule, RulePack, load_pack
from arrears.schedule import build_schedule
from arrears.terms import Method

__all__ = ["Cap", "DebtAudit", "Finding", "audit_case", "audit_debt", "lawful_balance"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: the rule it rests on and the amount in question. ``message`` is a
    message id rendered with ``params`` in the reader's language."""

    rule: Rule
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    excess: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Cap:
    """A cap that applies to a debt, and why: the rule, its annual rate, and for 4 × LPR
    the fixing on the contract date."""

    rule: Rule
    rate: Decimal
    lpr: Decimal | None = None
    lpr_date: date | None = None
    contract_excess: Decimal = ZERO
    excess: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class DebtAudit:
    """The audit of one debt on ``as_of``."""

    debt: Debt
    as_of: date
    contract_date: date
    contract_apr: Apr | None
    actual_apr: Apr | None
    caps: tuple[Cap, ...]
    findings: tuple[Finding, ...]
    charged: Decimal  # interest, penalties and fees charged to date (paid or owed)

    @property
    def cap(self) -> Cap | None:
        """The binding cap: the lowest rate that applies."""
        return min(self.caps, key=lambda c: c.rate) if self.caps else None


def _growth(cap: Decimal, periods: Decimal) -> Decimal:
    """Growth over ``periods`` months at ``cap`` a year, compounded monthly."""
    monthly = 1 + cap / 12
    whole = int(periods)
    factor = monthly ** whole
    fraction = periods - whole
    if fraction:
        factor *= (fraction * monthly.ln()).exp()
    return factor


def lawful_balance(received: Decimal, flows: Sequence[tuple[Decimal, Decimal]],
                   end: Decimal, cap: Decimal) -> Decimal:
    """The lawful balance at time ``end`` (in months from the start): ``received`` at 0
    grown at ``cap`` while positive, less each payment ``(time, amount)`` on its date."""
    balance = received
    clock = Decimal(0)
    for when, amount in sorted(flows):
        if balance > 0:
            balance *= _growth(cap, when - clock)
        balance -= amount
        clock = when
    if balance > 0 and end > clock:
        balance *= _growth(cap, end - clock)
    return round_money(balance)


def _months(start: date, when: date) -> Decimal:
    whole, fraction = unit_periods(start, when, MONTH)
    return whole + fraction


def _apr_or_none(flows: list[tuple[date, Decimal]]) -> Apr | None:
    try:
        return pboc_apr_dated(flows, MONTH)
    except NoRootError:
        return None


def _charged(position: Position, received: Decimal) -> Decimal:
    """Everything charged beyond principal: interest, penalty, compound, fees, late fees."""
    paid, owed = position.paid, position.outstanding
    total = ZERO
    for component in Component:
        if component is not Component.PRINCIPAL:
            total += paid.get(component) + owed.get(component)
    return total + position.accrued_interest


def _caps(pack: RulePack, lender_type: str,
          contract_date: date) -> list[tuple[Rule, Decimal, LprFixing | None]]:
    found: list[tuple[Rule, Decimal, LprFixing | None]] = []
    for rule in pack.of_kind("cap"):
        if not rule.applies(lender_type, contract_date):
            continue
        if "lpr_multiple" in rule.params:
            fixing = pack.lpr_on(contract_date)
            if fixing is None:
                continue
            found.append((rule, rule.number("lpr_multiple") * fixing.one_year, fixing))
        else:
            found.append((rule, rule.rate(), None))
    return found


def audit_debt(debt: Debt, as_of: date, pack: RulePack) -> DebtAudit:
    """The audit of one debt."""
    position, _ = replay(debt, as_of)
    if debt.terms is not None:
        terms = debt.terms
        start, received = terms.start, terms.amount_received
        schedule = build_schedule(terms)
        contract: Apr | None = apr_of_schedule(schedule)
        # Each instalment at its month (a bullet's single payment at maturity, not month 1).
        last = Decimal(terms.months)
        contract_flows = [(last if terms.method is Method.BULLET else Decimal(row.period),
                           row.payment) for row in schedule.rows]
        if terms.broken_first_period:
            odd = _months(terms.start, terms.anchor) - 1
            contract_flows = [(t + odd, a) for t, a in contract_flows]
        contract_end = contract_flows[-1][0]
    else:
        card = debt.card
        if card is None:  # pragma: no cover - a Debt is a loan or a card
            raise ValueError(debt.id)
        start, received = card.balance_date, card.balance
        contract = None
        contract_flows, contract_end = [], Decimal(0)
    payments = [(p.on, p.amount) for p in debt.payments if p.on <= as_of]
    actual_flows = [(start, received), *((d, -a) for d, a in payments)]
    if position.payoff:
        actual_flows.append((as_of, -position.payoff))
    actual = _apr_or_none(actual_flows)
    paid_flows = [(_months(start, d), a) for d, a in payments]
    now = _months(start, as_of)
    caps = []
    findings: list[Finding] = []
    for rule, rate, fixing in _caps(pack, debt.lender_type.value, start):
        lawful = lawful_balance(received, paid_flows, now, rate)
        excess = max(position.payoff - lawful, ZERO)
        contract_excess = ZERO
        if contract_flows:
            contract_excess = max(-lawful_balance(received, contract_flows, contract_end,
                                                  rate), ZERO)
        cap = Cap(rule, rate, fixing.one_year if fixing else None,
                  fixing.on if fixing else None, contract_excess, excess)
        caps.append(cap)
        above_contract = contract is not None and contract.apr > rate
        above_actual = actual is not None and actual.apr > rate
        if excess or contract_excess or above_contract or above_actual:
            findings.append(Finding(
                rule,
                N_("The true cost is above {cap} a year ({rule_title}). Contract: {contract}; "
                   "so far, with what is claimed today: {actual}. Above the cap: {excess} of "
                   "what was paid and is claimed; {contract_excess} over the whole contract "
                   "if paid as agreed."),
                {"cap": fmt_percent(rate),
                 "contract": fmt_percent(contract.apr) if contract else "—",
                 "actual": fmt_percent(actual.apr) if actual else "—",
                 "excess": fmt_money(excess), "contract_excess": fmt_money(contract_excess),
                 "rule_title": rule.title_en, "rule_title_zh": rule.title_zh},
                excess=excess, amount=contract_excess,
            ))
    findings += _other_findings(debt, position, pack, received)
    return DebtAudit(debt=debt, as_of=as_of, contract_date=start, contract_apr=contract,
                     actual_apr=actual, caps=tuple(caps), findings=tuple(findings),
                     charged=_charged(position, received))


def _other_findings(debt: Debt, position: Position, pack: RulePack,
                    received: Decimal) -> list[Finding]:
    found: list[Finding] = []
    rules = {r.kind: r for r in pack.rules}
    terms = debt.terms
    if terms is not None and "received" in rules and received < terms.principal:
        found.append(Finding(
            rules["received"],
            N_("{deducted} was deducted in advance: the principal is the {received} actually "
               "received, not the {principal} in the contract; interest on the difference is "
               "not owed."),
            {"deducted": fmt_money(terms.principal - received),
             "received": fmt_money(received), "principal": fmt_money(terms.principal)},
            amount=terms.principal - received,
        ))
    late_fees = position.paid.late_fees + position.outstanding.late_fees
    if late_fees and "late_fee" in rules:
        found.append(Finding(
            rules["late_fee"],
            N_("{amount} of late fees (违约金) charged so far. Where a late fee is more than 30% "
               "above the lender's actual loss you may ask for it to be reduced."),
            {"amount": fmt_money(late_fees)}, amount=late_fees,
        ))
    found.extend(_late_fee_ceiling(debt, position.as_of, rules.get("late_fee_ceiling")))
    rule = rules.get("penalty_multiple")
    if (rule is not None and terms is not None and rule.applies(debt.lender_type.value,
                                                                terms.start)):
        multiple = debt.overdue.penalty.annual(terms.rate, terms.day_count)
        contract_rate = terms.rate.annual(terms.day_count)
        ceiling = rule.number("max_multiple")
        if contract_rate and multiple / contract_rate > ceiling:
            penalty = position.paid.penalty_interest + position.outstanding.penalty_interest
            above = round_money(penalty * (1 - ceiling * contract_rate / multiple))
            found.append(Finding(
                rule,
                N_("The penalty rate is {multiple} times the contract rate, above the "
                   "{ceiling} times banks may charge; {above} of the penalty interest lies "
                   "above it."),
                {"multiple": str(round(multiple / contract_rate, 2)), "ceiling": str(ceiling),
                 "above": fmt_money(above)},
                excess=above,
            ))
    rule = rules.get("malicious_overdraft")
    if rule is not None and debt.card is not None:
        threshold = rule.number("principal_threshold")
        if position.outstanding.principal >= threshold * Decimal("0.8"):
            found.append(Finding(
                rule,
                N_("Unpaid card principal is {principal}; {threshold} is the amount at which, "
                   "after two collection notices at least 30 days apart and more than 3 "
                   "months unpaid, non-payment can be prosecuted as malicious overdraft. "
                   "Talk to the bank before it gets there; repaying principal first lowers "
                   "this figure."),
                {"principal": fmt_money(position.outstanding.principal),
                 "threshold": fmt_money(threshold)},
                amount=position.outstanding.principal,
            ))
    return found


def _late_fee_ceiling(debt: Debt, as_of: date, rule: Rule | None) -> list[Finding]:
    """Reg Z 12 CFR 1026.52(b)(2)(i)(A): a card's late fee never above the minimum payment
    due it was charged for. One finding with every fee above it, the excess their sum."""
    if rule is None or debt.card is None:
        return []
    from arrears.card import CardRun  # noqa: PLC0415
    from arrears.ledger import EntryKind  # noqa: PLC0415

    run = CardRun(debt)
    run.run(as_of)
    minimums = {s.number: s.minimum for s in run.statements()}
    above = [(e.on, e.amount, minimums[e.installment]) for e in run.entries
             if e.kind is EntryKind.CHARGE and e.installment in minimums
             and e.amount > minimums[e.installment]]
    if not above:
        return []
    on, fee, minimum = above[0]
    excess = sum((f - m for _, f, m in above), ZERO)
    return [Finding(rule, N_("Late fees above the minimum payment due they were charged for: "
                             "{count} (the first on {date}: {fee} for a minimum of "
                             "{minimum}). A card late fee may never exceed it; {excess} of "
                             "these fees is above that ceiling."),
                    {"count": str(len(above)), "date": on.isoformat(), "fee": fmt_money(fee),
                     "minimum": fmt_money(minimum), "excess": fmt_money(excess)},
                    excess=excess)]


def audit_case(case: Case, as_of: date) -> tuple[DebtAudit, ...]:
    """Every debt of a case."""
    pack = load_pack(case.jurisdiction)
    return tuple(audit_debt(debt, as_of, pack) for debt in case.debts)
