"""The range of every input, in one place (``docs/case-file.md``, "Ranges").

Every reader — case files, offers, contact logs, command-line options, cash-flow CSVs and
portfolio books — checks what it reads against these bounds and refuses anything outside
them with a located line (exit code 2). Inside them every command answers in bounded time
and no figure overflows the exact arithmetic:

* dates from :data:`FIRST_DATE` to :data:`LAST_DATE` (1900-01-01 … 2200-12-31);
* amounts up to :data:`MAX_AMOUNT` (10¹⁵ yuan or dollars) either way;
* terms up to :data:`MAX_TERM_MONTHS` (600 months), ``apr --count`` up to :data:`MAX_COUNT`
  and any list (payments of a debt, contacts, flows) up to :data:`MAX_ROWS` rows;
* rates up to :data:`MAX_ANNUAL_RATE` a year (10,000 %: far above any lender, lawful or
  not, so an explicit unit is still always accepted);
* TOML nested at most :data:`MAX_DEPTH` tables or arrays deep.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from arrears.errors import InputError
from arrears.i18n import N_

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "MAX_AMOUNT",
    "MAX_ANNUAL_RATE",
    "MAX_BOOK_LOANS",
    "MAX_COUNT",
    "MAX_DEPTH",
    "MAX_ROWS",
    "MAX_TERM_MONTHS",
    "MAX_WORKERS",
    "check_amount",
    "check_count",
    "check_date",
    "check_rate",
    "load_toml",
]

FIRST_DATE = date(1900, 1, 1)
"""The earliest date any input may name."""
LAST_DATE = date(2200, 12, 31)
"""The latest date any input may name."""
MAX_AMOUNT = Decimal(10) ** 15
"""The largest amount (in yuan or dollars) either way."""
MAX_TERM_MONTHS = 600
"""The longest loan term, in months."""
MAX_COUNT = 36_500
"""The most payments ``arrears apr --count`` solves for (a daily loan of 100 years)."""
MAX_ROWS = 100_000
"""The most rows of one list: payments of a debt, contacts of a log, flows of a CSV."""
MAX_BOOK_LOANS = 100_000_000
"""The most loans ``portfolio synth --loans`` writes."""
MAX_WORKERS = 64
"""The most local Dask workers ``portfolio audit --local-workers`` starts."""
MAX_ANNUAL_RATE = Decimal(100)
"""The highest rate, as its annual equivalent (100 = 10,000 % a year)."""
MAX_DEPTH = 32
"""How deeply tables and arrays may nest in a TOML file."""

_PERIODS_A_YEAR = {"annual": Decimal(1), "monthly": Decimal(12), "daily": Decimal(360)}


def check_amount(value: Decimal, where: str, text: Any = None) -> Decimal:
    """``value`` if within ±:data:`MAX_AMOUNT`; else an :class:`InputError` at ``where``."""
    if not value.is_finite() or abs(value) > MAX_AMOUNT:
        raise InputError.one(where, N_('"{text}" is out of range: an amount is at most '
                                       '{most} either way'),
                             text=value if text is None else text, most="10^15")
    return value


def check_count(count: int, most: int, where: str) -> None:
    """Refuse ``count`` above ``most`` (a count of payments, rows, periods …)."""
    if count > most:
        raise InputError.one(where, N_("{value} is out of range: at most {most}"),
                             value=count, most=most)


def check_date(day: date, where: str) -> date:
    """``day`` if from :data:`FIRST_DATE` to :data:`LAST_DATE`; else an :class:`InputError`."""
    plain = day.date() if isinstance(day, datetime) else day
    if not FIRST_DATE <= plain <= LAST_DATE:
        raise InputError.one(where, N_("{value} is out of range: dates run from {first} to "
                                       "{last}"), value=plain.isoformat(),
                             first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat())
    return day


def check_rate(value: Decimal, basis: str, where: str, text: Any) -> None:
    """Refuse a rate whose annual equivalent is above :data:`MAX_ANNUAL_RATE`."""
    annual = value * _PERIODS_A_YEAR.get(basis, Decimal(1))
    if not value.is_finite() or annual > MAX_ANNUAL_RATE:
        raise InputError.one(where, N_('"{text}" is out of range: a rate is at most {most} '
                                       'a year'), text=text, most="10,000%")


def depth(data: Any) -> int:
    """How deeply tables and arrays nest in parsed TOML (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level + 1)
        if level + 1 > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def load_toml(text: str, source: str) -> dict[str, Any]:
    """Parse a user's TOML file: invalid TOML, or nesting deeper than :data:`MAX_DEPTH`, is an
    :class:`InputError` naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError.one(source, N_("is not valid TOML: {reason}"),
                             reason=str(error)) from None
    except RecursionError:
        data = None
    if data is None or depth(data) > MAX_DEPTH:
        raise InputError.one(source, N_("nests tables or arrays more than {most} deep"),
                             most=MAX_DEPTH)
    return data
