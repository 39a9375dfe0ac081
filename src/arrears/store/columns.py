"""Exact money on both engines.

SQLite keeps ``Numeric`` as a float, so ``9999999999999999.99`` would come back as
``10000000000000000.00``: there an amount is an integer number of fen (``BIGINT``). On
PostgreSQL it is ``NUMERIC(18, 2)``. Either way Python sees a ``Decimal`` with two places; an
amount with more places, or too large for 18 digits, is refused rather than rounded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.types import BigInteger, Numeric, TypeDecorator, TypeEngine

__all__ = ["LIMIT", "Money", "fits"]

_CENT = Decimal("0.01")
LIMIT = Decimal("9999999999999999.99")
"""The largest amount a column holds (18 digits, 2 after the point)."""


def fits(value: Decimal) -> bool:
    """Whether an amount can be stored exactly: whole fen, at most 18 digits."""
    return (value.is_finite() and value == value.quantize(_CENT) and abs(value) <= LIMIT)


class Money(TypeDecorator[Decimal]):
    """An amount of money: integer fen on SQLite, ``NUMERIC(18, 2)`` elsewhere."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not fits(value):
            raise ValueError(f"not an amount that can be stored exactly: {value!r}")
        if dialect.name == "sqlite":
            return int(value.scaleb(2))
        return value.quantize(_CENT)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-2).quantize(_CENT)
        return Decimal(value).quantize(_CENT)
