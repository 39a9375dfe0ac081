"""The portfolio book: one row per loan, read from an Arrow table (Parquet or CSV).

Values are spelled as in case files (``docs/case-file.md``): ``equal_installment``,
``0.18`` or ``18%``, ``0.05%/day``, ``1.5x``, ``3万``. Every bad value is a :class:`BadRow`
naming its row (1 = the first data row) and column; the rows that pass are returned as
numpy arrays in a :class:`Loans`. Parsing is vectorised: a column is dictionary-encoded and
each distinct value goes once through the same parser the case files use, so a book of a
million rows with a few hundred distinct rates parses each rate a few hundred times.
The schema is documented in ``docs/portfolio.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

from arrears.cashflows import parse_date
from arrears.dates import DayCount
from arrears.debt import LenderType
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.money import parse_amount
from arrears.overdue import PenaltyBase, parse_late_fee, parse_penalty, parse_penalty_base
from arrears.rate import Rate, RateBasis, parse_rate
from arrears.terms import MAX_MONTHS, Accrual, Method, parse_day_count, parse_method
from arrears.terms_input import parse_accrual, parse_basis

if TYPE_CHECKING:
    import numpy.typing as npt
    import pyarrow as pa

    from arrears.overdue import Penalty

    Array = npt.NDArray[Any]

__all__ = [
    "LENDERS",
    "METHODS",
    "OPTIONAL",
    "PAYMENT_COLUMNS",
    "REQUIRED",
    "BadRow",
    "Loans",
    "Payments",
    "RateInfo",
    "parse_book",
    "parse_payments",
]

T = TypeVar("T")

REQUIRED = ("loan_id", "lender_type", "contract_date", "principal", "received", "method",
            "rate", "rate_basis", "term_months", "fee_rate", "upfront_fee")
"""Columns every book has (``received`` may be empty: the principal less the upfront fee)."""
OPTIONAL: dict[str, str | None] = {
    "first_due": None, "day_count": "ACT/360", "accrual": "monthly", "grace_days": "0",
    "penalty": "1.5x", "penalty_base": "overdue_principal", "compound": "false",
    "late_fee": None, "late_fee_min": "0", "late_fee_max": None,
    "accelerate_after_days": None,
}
"""Columns a book may have, with the value an absent column or an empty cell means."""
PAYMENT_COLUMNS = ("loan_id", "date", "amount")

METHODS = tuple(m.value for m in Method)
LENDERS = tuple(t.value for t in LenderType)
DAY_COUNTS = tuple(DayCount)
BASES = tuple(RateBasis)
MAX_FEN = 10**15  # ten trillion yuan: beyond any loan, far inside int64 arithmetic
_PLAIN_AMOUNT = r"^\s*[0-9]{1,15}(\.[0-9]{1,2})?\s*$"
_LAST = 84_005  # 2199-12-31, days since 1970-01-01
_DATE_RANGE = N_("must be from 1970-01-01 to 2199-12-31, not {value}")
_TRUE = {"true", "1", "yes", "y", "t", "是"}
_FALSE = {"false", "0", "no", "n", "f", "否", ""}


@dataclass(frozen=True, slots=True)
class BadRow:
    """One bad value: its row (1-based, the header not counted), column and problem."""

    row: int
    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def problem(self, name: str) -> Problem:
        """As a :class:`Problem` located ``name: row N: column``."""
        return Problem(f"{name}: row {self.row}: {self.column}", self.message, self.params)


@dataclass(frozen=True, slots=True)
class RateInfo:
    """A distinct contract rate with its monthly and daily rates as the exact fractions
    the exact engine computes with (:meth:`arrears.rate.Rate.monthly_exact`)."""

    rate: Rate
    day_count: DayCount
    monthly_q: Fraction
    daily_q: Fraction

    @classmethod
    def of(cls, rate: Rate, day_count: DayCount) -> RateInfo:
        return cls(rate, day_count, rate.monthly_exact(day_count), rate.daily_exact(day_count))


@dataclass(slots=True)
class Loans:
    """The good rows of a book, column by column. Money is ``int64`` fen; dates are
    ``int64`` days since 1970-01-01 (``first_due`` is -1 when not given)."""

    row: Array
    loan_id: pa.Array
    lender: Array
    start: Array
    first_due: Array
    principal: Array
    received: Array
    received_given: Array
    upfront: Array
    method: Array
    rate: Array  # index into rates
    months: Array
    fee_rate: Array  # index into fee_rates
    day_count: Array
    accrual: Array
    grace_days: Array
    penalty: Array  # index into penalties
    penalty_base: Array
    compound: Array
    late_fee: Array  # index into late_fees
    late_fee_min: Array
    late_fee_max: Array  # -1: no cap
    accelerate: Array  # -1: never
    rates: list[RateInfo]
    fee_rates: list[Decimal]
    penalties: list[Penalty]
    late_fees: list[tuple[Decimal, Decimal]]

    def __len__(self) -> int:
        return len(self.row)


@dataclass(slots=True)
class Payments:
    """Payments of a set of loans: the loan's index in its :class:`Loans`, the date (days),
    the amount in fen and the payment's row in its table."""

    loan: Array
    day: Array
    amount: Array
    row: Array


class _Columns:
    """Reads a table's columns into numpy arrays, collecting bad values by row."""

    def __init__(self, table: pa.Table, first_row: int) -> None:
        import numpy as np  # noqa: PLC0415 - numpy only when the portfolio runs

        self.table = table
        self.size = table.num_rows
        self.first_row = first_row
        self.bad = np.zeros(self.size, dtype=bool)
        self.found: list[BadRow] = []

    def has(self, name: str) -> bool:
        return name in self.table.column_names

    def report(self, column: str, rows: Array, message: str,
               params: Callable[[int], dict[str, Any]] | dict[str, Any] | None = None) -> None:
        """Mark ``rows`` (indexes) bad in ``column`` with ``message``."""
        import numpy as np  # noqa: PLC0415

        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        self.bad[rows] = True
        for index in rows.tolist():
            values = params(index) if callable(params) else dict(params or {})
            self.found.append(BadRow(self.first_row + index, column, message, values))

    def array(self, name: str) -> pa.Array:
        import pyarrow as pa  # noqa: PLC0415

        column = self.table.column(name)
        array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        if pa.types.is_dictionary(array.type):
            array = array.cast(array.type.value_type)
        return array

    # -- text columns, parsed once per distinct value -------------------------------------

    def codes(self, name: str) -> tuple[Array, list[str]]:
        """Each row's index into the distinct texts of the column (-1: empty cell)."""
        return _codes(self.array(name))

    def parsed(self, name: str, parse: Callable[[str, str], T], default: T | None,
               *, required: bool = False) -> tuple[Array, list[T]]:
        """Each row's index into the distinct parsed values; an empty cell (or an absent
        column) is ``default``, or a bad row when ``required``."""
        import numpy as np  # noqa: PLC0415

        if not self.has(name):
            if default is None:
                raise InputError.one(name, N_("the table has no column {column}"), column=name)
            return np.zeros(self.size, dtype=np.int64), [default]
        codes, texts = self.codes(name)
        fallback = default if default is not None else parse(OPTIONAL_SAMPLE[name], name)
        values: list[T] = []
        failures: dict[int, Problem] = {}
        for index, text in enumerate(texts):
            try:
                values.append(parse(text, name))
            except InputError as error:
                failures[index] = error.problems[0]
                values.append(fallback)
        empty = codes < 0
        if required:
            self.report(name, np.flatnonzero(empty), N_("is required"))
        if failures:
            rows = np.flatnonzero(np.isin(codes, np.fromiter(failures, dtype=np.int64)))
            for index in rows.tolist():
                problem = failures[int(codes[index])]
                self.bad[index] = True
                self.found.append(BadRow(self.first_row + index, name, problem.message,
                                         dict(problem.params)))
        values.append(fallback)
        return np.where(empty, len(values) - 1, codes), values

    # -- amounts, dates and whole numbers -------------------------------------------------

    def amount(self, name: str, *, required: bool) -> tuple[Array, Array]:
        """Fen (int64) and whether the cell was given (and is an amount)."""
        import numpy as np  # noqa: PLC0415

        if not self.has(name):
            if required:
                raise InputError.one(name, N_("the table has no column {column}"), column=name)
            return np.zeros(self.size, dtype=np.int64), np.zeros(self.size, dtype=bool)
        fen, given, problems = _fen(self.array(name))
        if required:
            self.report(name, np.flatnonzero(~given), N_("is required"))
        for index, problem in problems:
            self.bad[index] = True
            given[index] = False
            self.found.append(BadRow(self.first_row + index, name, problem.message,
                                     dict(problem.params)))
        return fen, given

    def day(self, name: str, *, required: bool) -> Array:
        """Days since 1970-01-01 (-1 for an empty optional cell)."""
        import numpy as np  # noqa: PLC0415

        if not self.has(name):
            if required:
                raise InputError.one(name, N_("the table has no column {column}"), column=name)
            return np.full(self.size, -1, dtype=np.int64)
        days, problems = _days(self.array(name))
        if required:
            failed = np.zeros(self.size, dtype=bool)
            failed[[index for index, _ in problems]] = True
            self.report(name, np.flatnonzero((days < 0) & ~failed), N_("is required"))
        for index, problem in problems:
            self.bad[index] = True
            self.found.append(BadRow(self.first_row + index, name, problem.message,
                                     dict(problem.params)))
        return days

    def whole(self, name: str, low: int, high: int, default: int | None,
              *, required: bool = False) -> Array:
        """Whole numbers from ``low`` to ``high``; an empty cell is ``default`` (-1: none)."""
        import numpy as np  # noqa: PLC0415
        import pyarrow as pa  # noqa: PLC0415

        fill = -1 if default is None else default
        if not self.has(name):
            if required:
                raise InputError.one(name, N_("the table has no column {column}"), column=name)
            return np.full(self.size, fill, dtype=np.int64)
        array = self.array(name)
        message = N_("must be a whole number from {low} to {high}, not {value}")
        if pa.types.is_integer(array.type):
            valid = ~np.asarray(array.is_null())
            values = np.asarray(array.fill_null(0).to_numpy(zero_copy_only=False),
                                dtype=np.int64)
            out = np.where(valid, values, fill)
            wrong = valid & ((values < low) | (values > high))
            self.report(name, np.flatnonzero(wrong), message,
                        lambda i: {"low": low, "high": high, "value": int(values[i])})
        else:
            codes, texts = _codes(array)
            parsed: list[int | None] = []
            for text in texts:
                try:
                    number = Decimal(text.strip())
                    parsed.append(int(number) if number == int(number) and
                                  low <= number <= high else None)
                except (ArithmeticError, ValueError):
                    parsed.append(None)
            table = np.array([fill if p is None else p for p in parsed] + [fill],
                             dtype=np.int64)
            out = table[np.where(codes < 0, len(parsed), codes)]
            wrong_codes = np.array([i for i, p in enumerate(parsed) if p is None],
                                   dtype=np.int64)
            rows = np.flatnonzero(np.isin(codes, wrong_codes))
            self.report(name, rows, message,
                        lambda i: {"low": low, "high": high, "value": texts[int(codes[i])]})
            valid = codes >= 0
        if required:
            self.report(name, np.flatnonzero(~valid), N_("is required"))
        return out


OPTIONAL_SAMPLE = {"lender_type": "bank", "method": "equal_installment", "rate": "0",
                   "rate_basis": "annual", "fee_rate": "0", "day_count": "ACT/360",
                   "accrual": "monthly", "penalty": "1.5x", "penalty_base": "overdue_principal",
                   "compound": "false", "late_fee": "0", "loan_id": "x"}
"""A valid value of each parsed column: what a bad cell stands for until it is dropped."""


def _codes(array: pa.Array) -> tuple[Array, list[str]]:
    """Each value's index into the column's distinct values as text (-1: null or empty)."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    kind = array.type
    if pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_boolean(kind) \
            or pa.types.is_decimal(kind):
        valid = ~np.asarray(array.is_null())
        values = array.to_pylist()
        present = [v for v, ok in zip(values, valid.tolist(), strict=True) if ok]
        if pa.types.is_floating(kind):
            texts_all = [repr(float(v)) for v in present]
        elif pa.types.is_boolean(kind):
            texts_all = ["true" if v else "false" for v in present]
        else:
            texts_all = [str(v) for v in present]
        uniques, inverse = np.unique(np.array(texts_all, dtype=object), return_inverse=True) \
            if texts_all else (np.array([], dtype=object), np.array([], dtype=np.int64))
        codes = np.full(len(array), -1, dtype=np.int64)
        codes[valid] = inverse
        return codes, [str(u) for u in uniques]
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        array = array.cast(pa.string())
    encoded = pc.dictionary_encode(array)
    texts = encoded.dictionary.to_pylist()
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False),
                       dtype=np.int64)
    blank = [i for i, t in enumerate(texts) if not str(t).strip()]
    if blank:
        codes = np.where(np.isin(codes, blank), -1, codes)
    return codes, [str(t) for t in texts]


def _blank(array: pa.Array) -> Array:
    """Null or empty (after trimming) cells of a text column."""
    import numpy as np  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    empty = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(array), ""), True)
    result: Array = np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)
    return result


def _decimal_fen(array: pa.Array) -> tuple[Array, Array]:
    """Fen of a decimal128 array and a mask of values that are not whole fen or too large."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    scale = array.type.scale
    if array.type.bit_width != 128:
        array = array.cast(pa.decimal128(38, scale))
    words = np.frombuffer(array.buffers()[1], dtype="<i8").reshape(-1, 2)
    words = words[array.offset: array.offset + len(array)]
    low, high = words[:, 0].copy(), words[:, 1]
    wrong = high != (low >> 63)
    if scale <= 2:
        factor = 10 ** (2 - scale)
        wrong |= np.abs(low) > MAX_FEN // factor
        fen = low * factor
    else:
        factor = 10 ** (scale - 2)
        wrong |= low % factor != 0
        fen = low // factor
    return fen, wrong


def _fen(array: pa.Array) -> tuple[Array, Array, list[tuple[int, Problem]]]:
    """Fen (int64), whether given, and the problems of an amount column of any type."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    size = len(array)
    given = ~np.asarray(array.is_null())
    fen = np.zeros(size, dtype=np.int64)
    problems: list[tuple[int, Problem]] = []
    kind = array.type
    if pa.types.is_decimal(kind):
        values, wrong = _decimal_fen(array)
        fen = np.where(given, values, 0)
        slow = given & wrong
    elif pa.types.is_integer(kind):
        values = np.asarray(array.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
        slow = given & (np.abs(values) > MAX_FEN // 100)
        fen = np.where(given & ~slow, values * 100, 0)
    elif pa.types.is_floating(kind):
        values = np.asarray(array.fill_null(0).to_numpy(zero_copy_only=False),
                            dtype=np.float64) * 100
        finite = np.isfinite(values)
        values = np.where(finite, values, 0.0)
        rounded = np.round(values)
        slow = given & (~finite | (np.abs(values - rounded) > 1e-6)
                        | (np.abs(rounded) > MAX_FEN))
        fen = np.where(given & ~slow, rounded, 0).astype(np.int64)
    else:
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            array = array.cast(pa.string())
        blank = np.asarray(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(array), ""), False))
        given &= ~blank
        plain = np.asarray(pc.fill_null(pc.match_substring_regex(array, _PLAIN_AMOUNT), False))
        if plain.any():
            picked = pc.utf8_trim_whitespace(array.filter(pa.array(plain)))
            values, _ = _decimal_fen(pc.cast(picked, pa.decimal128(17, 2)))
            fen[plain] = values
        slow = given & ~plain
    for index in np.flatnonzero(slow).tolist():
        text = array[index].as_py()
        try:
            value = parse_amount(str(text))
        except InputError as error:
            problems.append((index, error.problems[0]))
            continue
        if abs(value) * 100 > MAX_FEN:
            problems.append((index, Problem("", N_("is too large (at most {most})"),
                                            {"most": MAX_FEN // 100})))
            continue
        fen[index] = int(value * 100)
    return fen, given, problems


def _days(array: pa.Array) -> tuple[Array, list[tuple[int, Problem]]]:
    """Days since 1970-01-01 (-1: empty) and the problems of a date column of any type."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    kind = array.type
    problems: list[tuple[int, Problem]] = []
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        days = array.cast(pa.date32()) if not pa.types.is_date32(kind) else array
        values = np.asarray(days.cast(pa.int32()).fill_null(-1).to_numpy(
            zero_copy_only=False), dtype=np.int64)
        values = np.where(np.asarray(array.is_null()), -1, values)
        wrong = np.flatnonzero(~np.asarray(array.is_null()) & ((values < 0) | (values > _LAST)))
        problems.extend((int(i), Problem("", _DATE_RANGE, {"value": _iso(int(values[i]))}))
                        for i in wrong.tolist())
        return np.where((values < 0) | (values > _LAST), -1, values), problems
    codes, texts = _codes(array)
    table = np.full(len(texts) + 1, -1, dtype=np.int64)
    failures: dict[int, Problem] = {}
    for i, text in enumerate(texts):
        if table[i] < 0:
            try:
                table[i] = (parse_date(text) - date(1970, 1, 1)).days
            except InputError as error:
                failures[i] = error.problems[0]
                continue
        if not 0 <= table[i] <= _LAST:
            failures[i] = Problem("", _DATE_RANGE, {"value": text})
            table[i] = -1
    days = table[np.where(codes < 0, len(texts), codes)]
    if failures:
        bad_codes = np.fromiter(failures, dtype=np.int64)
        for index in np.flatnonzero(np.isin(codes, bad_codes)).tolist():
            problems.append((index, failures[int(codes[index])]))
    return days, problems


def _lender(text: str, where: str) -> int:
    key = text.strip().lower()
    if key in LENDERS:
        return LENDERS.index(key)
    raise InputError.one(where, N_('"{text}" is not one of {choices}'), text=text,
                         choices=", ".join(LENDERS))


def _flag(text: str, where: str) -> bool:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise InputError.one(where, N_("must be true or false, not {value}"), value=text)


def _fraction(text: str, where: str) -> Decimal:
    return parse_rate(text, RateBasis.MONTHLY, where).value


def _rate_column(c: _Columns, basis_code: Array, dc_code: Array) -> tuple[Array, list[RateInfo]]:
    """Each row's index into the distinct (rate, basis, day count) it has: a rate is read
    with the basis of its row (a unit written in the rate overrides it)."""
    import numpy as np  # noqa: PLC0415

    rate_codes, rate_texts = c.codes("rate")
    c.report("rate", np.flatnonzero(rate_codes < 0), N_("is required"))
    pair = np.where(rate_codes < 0, -1, (rate_codes * len(BASES) + basis_code) * 3 + dc_code)
    pairs, pair_index = np.unique(pair, return_inverse=True)
    rates: list[RateInfo] = []
    failures: dict[int, Problem] = {}
    for k, key in enumerate(pairs.tolist()):
        if key < 0:
            rates.append(RateInfo.of(Rate(Decimal(0)), DayCount.ACT_360))
            continue
        text_code, rest = divmod(key, len(BASES) * 3)
        base_code, dc = divmod(rest, 3)
        try:
            rate = parse_rate(rate_texts[text_code], BASES[base_code], "rate")
        except InputError as error:
            failures[k] = error.problems[0]
            rate = Rate(Decimal(0))
        rates.append(RateInfo.of(rate, DAY_COUNTS[dc]))
    for index in np.flatnonzero(np.isin(pair_index, list(failures))).tolist():
        problem = failures[int(pair_index[index])]
        c.bad[index] = True
        c.found.append(BadRow(c.first_row + index, "rate", problem.message,
                              dict(problem.params)))
    return pair_index.astype(np.int64), rates


def _check_terms(c: _Columns, *, principal: Array, principal_given: Array, upfront: Array,
                 received: Array, received_given: Array, fee: Array, fee_rates: list[Decimal],
                 first_due: Array, start: Array, late_min: Array, late_max: Array,
                 late_max_given: Array) -> None:
    """The checks :class:`~arrears.terms.Terms` makes, row by row."""
    import numpy as np  # noqa: PLC0415

    idx = np.arange(c.size)

    def value(amounts: Array) -> Callable[[int], dict[str, Any]]:
        return lambda i: {"value": _yuan(int(amounts[i]))}

    def principal_of(i: int) -> dict[str, Any]:
        return {"principal": _yuan(int(principal[i]))}

    c.report("principal", idx[principal_given & (principal <= 0)],
             N_("must be more than 0, not {value}"), value(principal))
    ok_p = principal > 0
    c.report("upfront_fee", idx[upfront < 0], N_("must be 0 or more, not {value}"),
             value(upfront))
    c.report("upfront_fee", idx[ok_p & (upfront >= principal) & (upfront > 0)],
             N_("must be less than the principal ({principal})"), principal_of)
    c.report("received", idx[ok_p & received_given & ((received <= 0) | (received > principal))],
             N_("must be more than 0 and at most the principal ({principal})"), principal_of)
    negative = np.array([f < 0 for f in fee_rates], dtype=bool)
    c.report("fee_rate", idx[negative[fee]], N_("must be 0 or more, not {value}"),
             lambda i: {"value": fee_rates[int(fee[i])]})
    c.report("first_due", idx[(first_due >= 0) & (start >= 0) & (first_due <= start)],
             N_("must be after the start date {start}"),
             lambda i: {"start": _iso(int(start[i]))})
    c.report("late_fee_max", idx[late_max_given & (late_max < 0)],
             N_("must be 0 or more, not {value}"), value(late_max))
    c.report("late_fee_min", idx[late_min < 0], N_("must be 0 or more, not {value}"),
             value(late_min))


def parse_book(table: pa.Table, name: str = "book", first_row: int = 1,
               duplicates: Sequence[tuple[int, int]] = ()) -> tuple[Loans, list[BadRow]]:
    """The good rows of ``table`` and every bad value. ``first_row`` is the book row of the
    table's first row; ``duplicates`` lists (row, first row) of repeated loan ids found
    across the whole book. A missing required column is an :class:`InputError`."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    missing = [c for c in REQUIRED if c not in table.column_names]
    if missing:
        raise InputError(Problem(f"{name}: {c}", N_("the table has no column {column}"),
                                 {"column": c}) for c in missing)
    c = _Columns(table, first_row)
    ids = c.array("loan_id")
    if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        ids = ids.cast(pa.string())
    c.report("loan_id", np.flatnonzero(_blank(ids)), N_("is required"))
    for row, first in duplicates:
        c.report("loan_id", np.array([row - first_row]),
                 N_("duplicate loan_id; first in row {row}"), {"row": first})

    lender, lenders = c.parsed("lender_type", _lender, None, required=True)
    start = c.day("contract_date", required=True)
    principal, principal_given = c.amount("principal", required=True)
    received, received_given = c.amount("received", required=False)
    upfront, _ = c.amount("upfront_fee", required=False)
    method, methods = c.parsed("method", lambda t, w: METHODS.index(parse_method(t, w).value),
                               None, required=True)
    basis, bases = c.parsed("rate_basis", lambda t, w: BASES.index(parse_basis(t, w)),
                            BASES.index(RateBasis.ANNUAL))
    months = c.whole("term_months", 1, MAX_MONTHS, None, required=True)
    fee, fee_rates = c.parsed("fee_rate", _fraction, Decimal(0))
    day_count, day_counts = c.parsed(
        "day_count", lambda t, w: DAY_COUNTS.index(parse_day_count(t, w)), 0)
    accrual, accruals = c.parsed(
        "accrual", lambda t, w: list(Accrual).index(parse_accrual(t, w)), 0)
    first_due = c.day("first_due", required=False)
    grace = c.whole("grace_days", 0, 3650, 0)
    penalty, penalties = c.parsed("penalty", parse_penalty, parse_penalty("1.5x"))
    penalty_base, penalty_bases = c.parsed(
        "penalty_base", lambda t, w: list(PenaltyBase).index(parse_penalty_base(t, w)), 0)
    compound, flags = c.parsed("compound", _flag, False)
    late_fee, late_fees = c.parsed("late_fee", parse_late_fee, (Decimal(0), Decimal(0)))
    late_min, _ = c.amount("late_fee_min", required=False)
    late_max, late_max_given = c.amount("late_fee_max", required=False)
    accelerate = c.whole("accelerate_after_days", 0, 36500, None)

    dc_code = np.asarray(day_counts, dtype=np.int64)[day_count]
    rate, rates = _rate_column(c, np.asarray(bases, dtype=np.int64)[basis], dc_code)
    _check_terms(c, principal=principal, principal_given=principal_given, upfront=upfront,
                 received=received, received_given=received_given, fee=fee,
                 fee_rates=fee_rates, first_due=first_due, start=start, late_min=late_min,
                 late_max=late_max, late_max_given=late_max_given)

    keep = ~c.bad
    c.found.sort(key=lambda b: (b.row, REQUIRED.index(b.column) if b.column in REQUIRED
                                else len(REQUIRED)))
    pick = np.flatnonzero(keep)
    lender_codes = np.asarray(lenders, dtype=np.int8)[lender]
    received_all = np.where(received_given, received, principal - upfront)
    loans = Loans(
        row=(first_row + pick).astype(np.int64),
        loan_id=ids.filter(pa.array(keep)),
        lender=lender_codes[pick],
        start=start[pick],
        first_due=first_due[pick],
        principal=principal[pick],
        received=received_all[pick],
        received_given=received_given[pick],
        upfront=upfront[pick],
        method=np.asarray(methods, dtype=np.int8)[method][pick],
        rate=rate[pick],
        months=months[pick],
        fee_rate=fee[pick],
        day_count=dc_code.astype(np.int8)[pick],
        accrual=np.asarray(accruals, dtype=np.int8)[accrual][pick],
        grace_days=grace[pick],
        penalty=penalty[pick],
        penalty_base=np.asarray(penalty_bases, dtype=np.int8)[penalty_base][pick],
        compound=np.asarray(flags, dtype=bool)[compound][pick],
        late_fee=late_fee[pick],
        late_fee_min=late_min[pick],
        late_fee_max=np.where(late_max_given, late_max, -1)[pick],
        accelerate=accelerate[pick],
        rates=rates,
        fee_rates=fee_rates,
        penalties=penalties,
        late_fees=late_fees,
    )
    return loans, c.found


def parse_payments(table: pa.Table, first_row: int = 1
                   ) -> tuple[pa.Array, Array, Array, Array, list[BadRow]]:
    """A payments table's loan ids, dates (days), amounts (fen), a mask of good rows, and
    every bad value (an amount must be more than 0)."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    missing = [c for c in PAYMENT_COLUMNS if c not in table.column_names]
    if missing:
        raise InputError(Problem(c, N_("the table has no column {column}"), {"column": c})
                         for c in missing)
    c = _Columns(table, first_row)
    ids = c.array("loan_id")
    if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        ids = ids.cast(pa.string())
    c.report("loan_id", np.flatnonzero(_blank(ids)), N_("is required"))
    day = c.day("date", required=True)
    amount, _ = c.amount("amount", required=True)
    c.report("amount", np.flatnonzero((amount <= 0) & ~c.bad),
             N_("must be more than 0, not {value}"), lambda i: {"value": _yuan(int(amount[i]))})
    return ids, day, amount, ~c.bad, c.found


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def _iso(days: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=days)).isoformat()
