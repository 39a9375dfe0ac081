"""Money: ``Decimal`` amounts in yuan (or dollars), rounded to the fen (cent).

All rounding of amounts lives here. A ``float`` is never money: :func:`money` raises
``TypeError`` on one, so a float cannot slip into a figure a person reads.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from arrears.errors import InputError
from arrears.i18n import N_

__all__ = ["CENT", "ZERO", "Money", "money", "parse_amount", "round_money"]

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


def round_money(value: Decimal) -> Decimal:
    """Round a ``Decimal`` half-up to the fen (四舍五入), as lenders post amounts."""
    if not isinstance(value, Decimal):
        raise TypeError(f"round_money takes a Decimal, not {type(value).__name__}")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


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
