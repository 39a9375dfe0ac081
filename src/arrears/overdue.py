"""What a contract says happens when a payment is missed: grace, penalty interest (罚息)
and its base, compound interest (复利), late fees (违约金), acceleration, and the order in
which payments are allocated.

The semantics are written out in ``docs/overdue.md``; :mod:`arrears.engine` applies them.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from arrears.dates import DayCount
from arrears.errors import InputError
from arrears.i18n import N_
from arrears.money import ZERO, parse_amount
from arrears.rate import Rate, RateBasis, parse_rate

__all__ = [
    "ART_561_ORDER",
    "Component",
    "LateFee",
    "OverdueTerms",
    "Penalty",
    "PenaltyBase",
    "parse_allocation",
    "parse_late_fee",
    "parse_penalty",
    "parse_penalty_base",
]


class Component(enum.Enum):
    """The parts of what is owed, as the ledger and the position split them."""

    PRINCIPAL = "principal"
    INTEREST = "interest"
    PENALTY_INTEREST = "penalty_interest"
    COMPOUND_INTEREST = "compound_interest"
    FEES = "fees"
    LATE_FEES = "late_fees"


ART_561_ORDER: tuple[Component, ...] = (
    Component.LATE_FEES,
    Component.FEES,
    Component.PENALTY_INTEREST,
    Component.COMPOUND_INTEREST,
    Component.INTEREST,
    Component.PRINCIPAL,
)
"""Civil Code Art. 561, the default when the contract is silent: costs → interest →
principal (charges and fees first, then penalty, compound and contract interest)."""


class PenaltyBase(enum.Enum):
    """What penalty interest is charged on."""

    OVERDUE_PRINCIPAL = "overdue_principal"  # banks: overdue principal at the penalty rate
    OVERDUE_INSTALLMENT = "overdue_installment"  # platforms: the unpaid instalment
    OUTSTANDING_PRINCIPAL = "outstanding_principal"  # all principal while in default


@dataclass(frozen=True, slots=True)
class Penalty:
    """A penalty rate: ``multiplier`` × the contract rate, or an absolute ``rate``."""

    multiplier: Decimal | None = None
    rate: Rate | None = None

    def daily(self, contract: Rate, day_count: DayCount) -> Decimal:
        """The penalty rate per day."""
        if self.rate is not None:
            return self.rate.daily(day_count)
        return contract.daily(day_count) * (self.multiplier or Decimal(1))

    def daily_exact(self, contract: Rate, day_count: DayCount) -> Fraction:
        """:meth:`daily` as an exact fraction: what the engine accrues with."""
        if self.rate is not None:
            return self.rate.daily_exact(day_count)
        return contract.daily_exact(day_count) * Fraction(self.multiplier or Decimal(1))

    def annual(self, contract: Rate, day_count: DayCount) -> Decimal:
        return self.daily(contract, day_count) * day_count.year_days


@dataclass(frozen=True, slots=True)
class LateFee:
    """违约金 per missed instalment: a fixed ``amount`` or a ``percent`` of the missed
    instalment, kept between ``minimum`` and ``maximum`` (``None``: no cap)."""

    amount: Decimal = ZERO
    percent: Decimal = ZERO
    minimum: Decimal = ZERO
    maximum: Decimal | None = None

    def charge(self, missed: Decimal) -> Decimal:
        """The fee for a missed instalment of ``missed`` yuan (unrounded)."""
        fee = self.amount + self.percent * missed
        if fee <= 0:
            return ZERO
        fee = max(fee, self.minimum)
        return min(fee, self.maximum) if self.maximum is not None else fee


@dataclass(frozen=True, slots=True)
class OverdueTerms:
    """The overdue clauses of a loan contract."""

    grace_days: int = 0
    penalty: Penalty = Penalty(multiplier=Decimal("1.5"))
    penalty_base: PenaltyBase = PenaltyBase.OVERDUE_PRINCIPAL
    compound: bool = False
    late_fee: LateFee = LateFee()
    accelerate_after_days: int | None = None
    allocation: tuple[Component, ...] = ART_561_ORDER


_MULTIPLIER = re.compile(r"^(\d+(?:\.\d+)?)\s*[x×倍]$")


# Refusals of a rate that say more than "not a penalty": kept as they are.
_SPECIFIC = ('"{text}" does not say per what', '"{text}" is out of range')


def parse_penalty(text: str, where: str = "penalty") -> Penalty:
    """``"1.5x"`` (1.5 × the contract rate, also ``1.5倍``) or an absolute rate such as
    ``"0.05%/day"`` or ``"27%"`` (annual unless a unit is given)."""
    raw = str(text).strip().lower().replace(" ", "")
    match = _MULTIPLIER.match(raw)
    if match:
        return Penalty(multiplier=Decimal(match.group(1)))
    try:
        rate = parse_rate(raw, RateBasis.ANNUAL, where)
    except InputError as error:
        if any(p.message.startswith(_SPECIFIC) for p in error.problems):
            raise  # a rate that says what is wrong with it (no period, out of range)
        raise InputError.one(
            where,
            N_('"{text}" is not a multiple like "1.5x" or a rate like "0.05%/day"'),
            text=text,
        ) from None
    return Penalty(rate=rate)


def parse_penalty_base(text: str, where: str = "penalty_base") -> PenaltyBase:
    key = str(text).strip().lower()
    for base in PenaltyBase:
        if base.value == key:
            return base
    raise InputError.one(where, N_('"{text}" is not a penalty base; use one of {choices}'),
                         text=text, choices=", ".join(b.value for b in PenaltyBase))


def parse_late_fee(text: str, where: str = "late_fee") -> tuple[Decimal, Decimal]:
    """``"50"`` → (50, 0): a fixed amount; ``"5%"`` → (0, 0.05): a percent."""
    raw = str(text).strip()
    if raw.endswith(("%", "％")):
        return ZERO, parse_rate(raw, RateBasis.ANNUAL, where).value
    return parse_amount(raw, where), ZERO


def parse_allocation(items: list[str], where: str = "allocation") -> tuple[Component, ...]:
    """An allocation order: every component once, e.g. ``["principal", "interest", …]``."""
    names = {c.value: c for c in Component}
    order = []
    for index, item in enumerate(items):
        if item not in names:
            raise InputError.one(f"{where}[{index}]",
                                 N_('"{text}" is not a component; use {choices}'),
                                 text=item, choices=", ".join(names))
        order.append(names[item])
    if sorted(c.value for c in order) != sorted(names):
        raise InputError.one(where, N_("must list each of {choices} exactly once"),
                             choices=", ".join(names))
    return tuple(order)
