"""What a loan contract says: principal, rate, term, repayment method, fees.

:class:`Terms` is frozen and validates itself, reporting every problem at once with the
name of the term at fault (``principal``, ``months`` …); the CLI and the case-file
reader put their own prefix (``--principal``, ``case.toml: debts[0].principal``) on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from arrears.dates import DayCount, add_months
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.money import ZERO, Rounding, round_money
from arrears.rate import Rate

__all__ = ["Accrual", "LastPayment", "Method", "Terms", "parse_day_count", "parse_last_payment",
           "parse_method"]

MAX_MONTHS = 600


class Method(enum.Enum):
    """How a loan is repaid."""

    EQUAL_INSTALLMENT = "equal_installment"  # 等额本息: the same payment every period
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金: the same principal every period
    INTEREST_FIRST = "interest_first"  # 先息后本: interest each period, principal at the end
    BULLET = "bullet"  # 到期一次还本付息: everything at maturity
    FLAT_FEE = "flat_fee"  # 等本等费: principal / n plus a fee on the original principal


class Accrual(enum.Enum):
    """How interest for a whole period is worked out.

    ``monthly``: balance × the monthly rate (annual / 12), as bank calculators and most
    contracts do; ``daily``: balance × the daily rate × the days in the period under the
    day count (按日计息), as many consumer lenders do. A broken first period (a first due
    date that is not one month after disbursement) always accrues daily.
    """

    MONTHLY = "monthly"
    DAILY = "daily"


class LastPayment(enum.Enum):
    """What the last payment of an equal-instalment (等额本息) loan does with the residue
    left by rounding the level payment to the fen.

    ``absorb``: the last payment is the principal left plus its interest, so it may differ
    from the others by a few fen; ``equal``: every payment is the level payment and the
    last one's interest absorbs the residue (level payment − the principal left), as many
    calculators show it.
    """

    ABSORB = "absorb"
    EQUAL = "equal"


def parse_last_payment(text: str, where: str = "last_payment") -> LastPayment:
    """``absorb`` or ``equal`` → :class:`LastPayment`."""
    key = str(text).strip().lower()
    for choice in LastPayment:
        if choice.value == key:
            return choice
    raise InputError.one(where, N_('"{text}" is not one of {choices}'), text=text,
                         choices=", ".join(c.value for c in LastPayment))


_METHOD_NAMES = {
    "等额本息": Method.EQUAL_INSTALLMENT,
    "等额本金": Method.EQUAL_PRINCIPAL,
    "先息后本": Method.INTEREST_FIRST,
    "到期还本付息": Method.BULLET,
    "到期一次还本付息": Method.BULLET,
    "等本等费": Method.FLAT_FEE,
}


def parse_method(text: str, where: str = "method") -> Method:
    """``equal-installment``, ``equal_installment`` or ``等额本息`` → :class:`Method`."""
    key = str(text).strip().lower().replace("-", "_")
    if key in _METHOD_NAMES:
        return _METHOD_NAMES[key]
    for method in Method:
        if method.value == key:
            return method
    raise InputError.one(
        where,
        N_('"{text}" is not a repayment method; use one of {choices}'),
        text=text,
        choices=", ".join(m.value for m in Method),
    )


def parse_day_count(text: str, where: str = "day_count") -> DayCount:
    """``ACT/360``, ``act/365``, ``30/360`` → :class:`DayCount`."""
    key = str(text).strip().upper().replace("A/", "ACT/")
    for convention in DayCount:
        if convention.value == key:
            return convention
    raise InputError.one(
        where,
        N_('"{text}" is not a day count; use one of {choices}'),
        text=text,
        choices=", ".join(c.value for c in DayCount),
    )


@dataclass(frozen=True, slots=True)
class Terms:
    """A loan's contractual terms. Amounts are ``Decimal`` yuan; ``fee_rate`` is per period."""

    principal: Decimal
    rate: Rate
    months: int
    start: date
    method: Method = Method.EQUAL_INSTALLMENT
    first_due: date | None = None
    day_count: DayCount = DayCount.ACT_360
    accrual: Accrual = Accrual.MONTHLY
    fee_rate: Decimal = ZERO
    upfront_fee: Decimal = ZERO
    received: Decimal | None = None
    rounding: Rounding = Rounding.HALF_UP  # how the lender rounds what it posts
    last_payment: LastPayment = LastPayment.ABSORB  # 等额本息: where the residue goes

    def __post_init__(self) -> None:
        for name in ("principal", "fee_rate", "upfront_fee"):
            if not isinstance(getattr(self, name), Decimal):
                raise TypeError(f"Terms.{name} must be a Decimal")
        if self.received is not None and not isinstance(self.received, Decimal):
            raise TypeError("Terms.received must be a Decimal")
        problems = list(self._problems())
        if problems:
            raise InputError(problems)

    def _problems(self) -> list[Problem]:
        found: list[Problem] = []

        def bad(key: str, message: str, **params: object) -> None:
            found.append(Problem(key, message, dict(params)))

        if self.principal <= 0:
            bad("principal", N_("must be more than 0, not {value}"), value=self.principal)
        elif round_money(self.principal) != self.principal:
            bad("principal", N_("must be whole fen (0.01), not {value}"), value=self.principal)
        if self.rate.value < 0:
            bad("rate", N_("must be 0 or more, not {value}"), value=self.rate.value)
        if not 1 <= self.months <= MAX_MONTHS:
            bad("months", N_("must be from 1 to {most}, not {value}"), most=MAX_MONTHS,
                value=self.months)
        if self.fee_rate < 0:
            bad("fee_rate", N_("must be 0 or more, not {value}"), value=self.fee_rate)
        if self.upfront_fee < 0:
            bad("upfront_fee", N_("must be 0 or more, not {value}"), value=self.upfront_fee)
        elif self.principal > 0 and self.upfront_fee >= self.principal:
            bad("upfront_fee", N_("must be less than the principal ({principal})"),
                principal=self.principal)
        if self.received is not None and not 0 < self.received <= self.principal:
            bad("received", N_("must be more than 0 and at most the principal ({principal})"),
                principal=self.principal)
        if self.first_due is not None and self.first_due <= self.start:
            bad("first_due", N_("must be after the start date {start}"), start=self.start)
        if (self.last_payment is not LastPayment.ABSORB
                and self.method is not Method.EQUAL_INSTALLMENT):
            bad("last_payment", N_('"{text}" applies only to equal_installment (等额本息) '
                                   'loans'), text=self.last_payment.value)
        return found

    @property
    def amount_received(self) -> Decimal:
        """What the borrower actually got (Civil Code Art. 670): ``received`` if stated,
        else the principal less any upfront fee deducted from it."""
        if self.received is not None:
            return self.received
        return self.principal - self.upfront_fee

    @property
    def anchor(self) -> date:
        """The first due date: ``first_due`` or one month after ``start``."""
        return self.first_due if self.first_due is not None else add_months(self.start, 1)

    def due_date(self, period: int) -> date:
        """The due date of instalment ``period`` (1-based), stepped from one anchor so
        month ends roll correctly: a loan made on Jan 31 falls due on Feb 28 (29), then
        Mar 31; with a stated ``first_due`` the steps start from it."""
        if self.first_due is None:
            return add_months(self.start, period)
        return add_months(self.first_due, period - 1)

    def due_dates(self) -> tuple[date, ...]:
        """Every contractual due date."""
        return tuple(self.due_date(k) for k in range(1, self.months + 1))

    @property
    def maturity(self) -> date:
        """The last due date."""
        return self.due_date(self.months)

    @property
    def broken_first_period(self) -> bool:
        """True when the first due date is not one calendar month after disbursement."""
        return self.anchor != add_months(self.start, 1)
