"""Money: ``Decimal`` amounts in yuan (or dollars), rounded to the fen (cent).

All rounding of amounts lives here. A ``float`` is never money: :func:`money` raises
``TypeError`` on one, so a float cannot slip into a figure a person reads.

Figures are rounded from their exact value. An accrual at a daily rate such as
0.0735 / 360 is not a terminating decimal, so the engines carry it as a
:class:`~fractions.Fraction` (or as an integer numerator of fen over a known denominator,
:func:`round_fen`) and round only what they post; a ``Decimal`` rounded to 28 digits first
can land a hair under half a fen and round the wrong way.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from arrears.errors import InputError
from arrears.i18n import N_

__all__ = ["CENT", "ZERO", "Money", "Rounding", "fen", "money", "parse_amount", "parse_rounding",
           "round_fen", "round_money", "round_product"]

Money = Decimal
"""An amount of money: a ``Decimal`` with two places (fen)."""

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """An exact amount rounded half-up to the fen. Floats are refused.

    >>> money("12.345")
    Decimal('12.35')
    """
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a str, int or Decimal")
    if isinstance(value, bool):
        raise TypeError("money must not be a bool")
    if isinstance(value, Decimal):
        return round_money(value)
    if isinstance(value, int):
        return Decimal(value).quantize(CENT)
    if isinstance(value, str):
        return round_money(Decimal(value))
    raise TypeError(f"money must be a str, int or Decimal, not {type(value).__name__}")


class Rounding(enum.Enum):
    """How a lender rounds what it posts to the fen.

    ``half_up`` (四舍五入, half a fen away from zero) is what most lenders do and the
    default; ``truncate`` (截位) drops what is below the fen; ``half_even`` (银行家舍入)
    rounds half a fen to the even fen."""

    HALF_UP = "half_up"
    TRUNCATE = "truncate"
    HALF_EVEN = "half_even"

    @property
    def decimal_mode(self) -> str:
        """The :mod:`decimal` rounding constant of this rule."""
        return _DECIMAL_MODES[self]


_DECIMAL_MODES = {Rounding.HALF_UP: ROUND_HALF_UP, Rounding.TRUNCATE: ROUND_DOWN,
                  Rounding.HALF_EVEN: ROUND_HALF_EVEN}
_ROUNDING_NAMES = {"四舍五入": Rounding.HALF_UP, "截位": Rounding.TRUNCATE,
                   "截尾": Rounding.TRUNCATE, "银行家舍入": Rounding.HALF_EVEN}


def parse_rounding(text: str, where: str = "rounding") -> Rounding:
    """``half_up`` (also ``half-up``, ``四舍五入``), ``truncate`` (``截位``) or
    ``half_even`` (``银行家舍入``) → :class:`Rounding`."""
    key = str(text).strip().lower().replace("-", "_")
    if key in _ROUNDING_NAMES:
        return _ROUNDING_NAMES[key]
    for rule in Rounding:
        if rule.value == key:
            return rule
    raise InputError.one(where, N_('"{text}" is not a rounding rule; use one of {choices}'),
                         text=text, choices=", ".join(r.value for r in Rounding))


def round_fen(numerator: int, denominator: int,
              rounding: Rounding = Rounding.HALF_UP) -> int:
    """``numerator / denominator`` (in fen, exactly) rounded to whole fen by the rule;
    ``denominator`` is positive. Integer arithmetic only: the engines' hot loops keep
    running sums as numerators over one denominator and call this when they post.

    >>> round_fen(1837990, 2000)   # 918.995 fen
    919
    >>> round_fen(1837990, 2000, Rounding.TRUNCATE), round_fen(5, 2, Rounding.HALF_EVEN)
    (918, 2)
    """
    if numerator < 0:
        return -round_fen(-numerator, denominator, rounding)
    whole, rest = divmod(numerator, denominator)
    if rounding is Rounding.TRUNCATE or not rest:
        return whole
    twice = 2 * rest
    if twice > denominator or (twice == denominator
                               and (rounding is Rounding.HALF_UP or whole % 2)):
        return whole + 1
    return whole


def fen(count: int) -> Decimal:
    """A whole number of fen as an amount: ``fen(91900)`` is ``Decimal('919.00')``."""
    return Decimal(count).scaleb(-2)


def round_money(value: Decimal | Fraction, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """Round an exact ``Decimal`` or ``Fraction`` to the fen: half up (四舍五入) unless the
    lender rounds another way. Floats are refused."""
    if isinstance(value, Decimal):
        return value.quantize(CENT, rounding=_DECIMAL_MODES[rounding])
    if isinstance(value, Fraction):
        return fen(round_fen(value.numerator * 100, value.denominator, rounding))
    raise TypeError(f"round_money takes a Decimal or a Fraction, not {type(value).__name__}")


def round_product(amount: Decimal, factor: Fraction | int,
                  rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """``amount × factor`` exactly, rounded to the fen: interest as balance × an exact
    rate. Integer arithmetic, so it is quick as well as exact.

    >>> round_product(Decimal("60.00"), Fraction(49, 12000))   # 60 × 4.9 % / 12 = 0.245
    Decimal('0.25')
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"round_product takes a Decimal amount, not {type(amount).__name__}")
    num, den = amount.as_integer_ratio()
    return fen(round_fen(num * 100 * factor.numerator, den * factor.denominator, rounding))


_SCALE = {"万": Decimal(10_000), "w": Decimal(10_000), "k": Decimal(1000), "千": Decimal(1000)}
_AMOUNT = re.compile(r"^(?P<sign>[-+]?)(?P<num>\d+(?:\.\d+)?)(?P<scale>[万wk千]?)$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_amount(text: str, where: str = "") -> Decimal:
    """Parse an amount a person typed: ``"1,234.50"``, ``"1234.5"``, ``"¥3,000"``,
    ``"3000元"``, ``"1.2万"`` (12,000). More precision than the fen is an error.

    Raises :class:`InputError` naming ``where`` when the text is not an amount.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    body = raw.replace(" ", "").lower()
    for mark in ("¥", "￥", "cny", "rmb", "$", "usd", "元"):
        body = body.replace(mark, "")
    sign = ""
    if body[:1] in "+-":
        sign, body = body[:1], body[1:]
    if "," in body:
        if not _GROUPED.match(body):
            raise InputError.one(
                where, N_('"{text}" is not an amount like "1,234.50"'), text=text
            )
        body = body.replace(",", "")
    match = _AMOUNT.match(sign + body)
    if not match:
        raise InputError.one(where, N_('"{text}" is not an amount like "1,234.50"'), text=text)
    try:
        value = Decimal(match["sign"] + match["num"])
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numerals
        raise InputError.one(
            where, N_('"{text}" is not an amount like "1,234.50"'), text=text
        ) from None
    if match["scale"]:
        value *= _SCALE[match["scale"]]
    from arrears.limits import check_amount  # noqa: PLC0415 - limits imports errors only

    check_amount(value, where, text)
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise InputError.one(
            where, N_('"{text}" has more decimal places than the fen (0.01)'), text=text
        )
    return value.quantize(CENT)
