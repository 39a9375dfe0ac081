"""The audit of a whole book: plan the partitions, run the kernels on each (in this process
or on Dask workers), write one row per loan and sum up the ageing and the roll rates.

The plan reads only the ``loan_id`` and ``contract_date`` columns of the book: repeated
ids are found across the whole book, and the payments table is read in batches, each
payment checked and routed to the partition of its loan (a spill file per partition in a
scratch directory), so neither table is ever held whole. Each partition is then
independent: it reads its rows of the book and its spill file, and returns its output rows
and partial sums. The same function runs a partition in this process or on a worker, so a
Dask run and a single-process run give the same rows.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arrears.atomic import Staged, scratch_folder
from arrears.errors import InputError
from arrears.i18n import N_
from arrears.portfolio import dates as vd
from arrears.portfolio.schema import LENDERS, BadRow, Loans

if TYPE_CHECKING:
    import numpy.typing as npt
    import pyarrow as pa

    from arrears.rules import RulePack

    Array = npt.NDArray[Any]

__all__ = ["BUCKETS", "Audit", "Options", "audit_book", "caps_of", "read_table"]

BUCKETS = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+")
_SPILL = [("loan", "<i4"), ("day", "<i4"), ("amount", "<i8"), ("row", "<i8")]
_PAY_BATCH = 4_000_000


@dataclass(frozen=True, slots=True)
class Options:
    """What an audit is asked for."""

    as_of: date
    roll_from: date | None = None
    jurisdiction: str = "cn"
    partition_rows: int = 250_000
    threads: int = 0  # partitions audited at once in this process (0: one per core)


@dataclass(frozen=True, slots=True)
class _Part:
    """One partition: rows ``first_row`` … of the book (1-based), where to read them, and
    its spill file of payments."""

    index: int
    first_row: int
    rows: int
    path: str | None
    row_groups: tuple[int, ...]
    skip: int  # rows to drop from the start of the row groups read
    table: Any  # a pyarrow Table when the book is not Parquet
    name: str
    spill: str | None
    duplicates: tuple[tuple[int, int], ...]
    options: Options
    has_payments: bool


@dataclass(slots=True)
class _Sums:
    """Counts and sums in fen, added up across partitions."""

    bucket: Array  # (8, 5): count, balance, excess, contract_excess, payoff
    lender: Array  # (6, 5)
    roll_count: Array  # (8, 8)
    roll_balance: Array  # (8, 8)
    totals: dict[str, int]

    @classmethod
    def zero(cls) -> _Sums:
        import numpy as np  # noqa: PLC0415

        return cls(np.zeros((8, 5), dtype=np.int64), np.zeros((len(LENDERS), 5), dtype=np.int64),
                   np.zeros((8, 8), dtype=np.int64), np.zeros((8, 8), dtype=np.int64), {})

    def add(self, other: _Sums) -> None:
        self.bucket += other.bucket
        self.lender += other.lender
        self.roll_count += other.roll_count
        self.roll_balance += other.roll_balance
        for key, value in other.totals.items():
            self.totals[key] = self.totals.get(key, 0) + value


@dataclass(slots=True)
class _PartResult:
    index: int
    table: Any  # pyarrow Table of output rows
    sums: _Sums
    bad: list[BadRow]
    seconds: float


@dataclass(slots=True)
class Audit:
    """The result of :func:`audit_book`: the summary model (JSON-ready), every bad row of
    the book and of the payments, and whether the output was written."""

    summary: dict[str, Any]
    bad_book: list[BadRow] = field(default_factory=list)
    bad_payments: list[BadRow] = field(default_factory=list)
    written: bool = False


# -- reading tables -------------------------------------------------------------------------

def _is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".txt")


def read_table(path: Path, columns: list[str] | None = None) -> pa.Table:
    """A Parquet or CSV table (CSV cells read as text, as a case file's would be)."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pcsv  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        if _is_csv(path):
            names = _csv_header(path)
            table = pcsv.read_csv(
                str(path), read_options=pcsv.ReadOptions(use_threads=True),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    include_columns=columns, strings_can_be_null=True,
                    null_values=[""]))
            return table
        return pq.read_table(str(path), columns=columns)
    except (OSError, pa.ArrowException) as error:
        raise InputError.one(str(path), N_("cannot be read: {reason}"),
                             reason=str(error).splitlines()[0]) from None
    except UnicodeDecodeError:
        raise InputError.one(str(path), N_("is not UTF-8 text")) from None
    except KeyError as error:
        raise InputError.one(str(path), N_("the table has no column {column}"),
                             column=str(error).strip("'\"")) from None


def _csv_header(path: Path) -> list[str]:
    import csv  # noqa: PLC0415

    with path.open(encoding="utf-8-sig", newline="") as handle:
        names = [name.strip() for name in next(csv.reader(handle), [])]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError.one(f"{path.name}: {name}", N_("the header names this column "
                                                             "more than once"))
        seen.add(name)
    return names


def _column(path: Path, name: str) -> pa.Array:
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    if not _is_csv(path):
        try:
            schema = pq.read_schema(str(path))
        except (OSError, pa.ArrowException) as error:
            raise InputError.one(str(path), N_("cannot be read: {reason}"),
                                 reason=str(error).splitlines()[0]) from None
        if name not in schema.names:
            raise InputError.one(f"{path.name}: {name}", N_("the table has no column {column}"),
                                 column=name)
    column = read_table(path, [name]).column(name)
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _batches(path: Path, batch: int) -> Iterator[pa.Table]:
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    if _is_csv(path):
        table = read_table(path)
        for lo in range(0, table.num_rows, batch):
            yield table.slice(lo, batch)
        return
    try:
        reader = pq.ParquetFile(str(path))
        for record in reader.iter_batches(batch_size=batch):
            yield pa.Table.from_batches([record])
    except (OSError, pa.ArrowException) as error:
        raise InputError.one(str(path), N_("cannot be read: {reason}"),
                             reason=str(error).splitlines()[0]) from None


# -- caps ----------------------------------------------------------------------------------

@dataclass(slots=True)
class Caps:
    """The binding cap of each loan: its annual rate (NaN: none applies), the rule (an
    index into ``rules``, -1: none) and the LPR fixing it rests on (-1: none)."""

    rate: Array
    rule: Array
    fixing: Array
    rules: list[str]
    pack: RulePack

    def exact(self, i: int) -> Decimal | None:
        """Loan ``i``'s cap as the exact engine computes it."""
        rule_index = int(self.rule[i])
        if rule_index < 0:
            return None
        rule = self.pack.rule(self.rules[rule_index])
        if "lpr_multiple" in rule.params:
            return rule.number("lpr_multiple") * self.pack.lpr[int(self.fixing[i])].one_year
        return rule.rate()


def caps_of(pack: RulePack, lender: Array, start: Array) -> Caps:
    """The lowest cap of the pack that applies to each loan by lender type and contract
    date (:func:`arrears.audit._caps`; 4 × LPR takes the fixing in force on the contract
    date)."""
    import numpy as np  # noqa: PLC0415

    size = len(lender)
    best = np.full(size, np.inf)
    rule_of = np.full(size, -1, dtype=np.int64)
    fixing_of = np.full(size, -1, dtype=np.int64)
    fixing_days = np.array([vd.to_day(f.on) for f in pack.lpr], dtype=np.int64)
    names: list[str] = []
    for rule in pack.of_kind("cap"):
        lenders = rule.params.get("lenders")
        applies = np.ones(size, dtype=bool)
        if lenders is not None:
            codes = [LENDERS.index(x) for x in lenders if x in LENDERS]
            applies &= np.isin(lender, codes)
        if rule.params.get("from") is not None:
            applies &= start >= vd.to_day(rule.params["from"])
        if rule.params.get("until") is not None:
            applies &= start <= vd.to_day(rule.params["until"])
        fixing = np.full(size, -1, dtype=np.int64)
        if "lpr_multiple" in rule.params:
            fixing = np.searchsorted(fixing_days, start, side="right") - 1
            applies &= fixing >= 0
            one_year = np.array([float(f.one_year) for f in pack.lpr] or [np.nan])
            rate = float(rule.number("lpr_multiple")) * one_year[np.maximum(fixing, 0)]
        else:
            rate = np.full(size, float(rule.rate()))
        lower = applies & (rate < best)
        if lower.any():
            names.append(rule.id)
            best = np.where(lower, rate, best)
            rule_of = np.where(lower, len(names) - 1, rule_of)
            fixing_of = np.where(lower, fixing, fixing_of)
    return Caps(np.where(np.isinf(best), np.nan, best), rule_of, fixing_of, names, pack)


# -- one partition -------------------------------------------------------------------------

def _one_thread_per_worker() -> None:
    """On a Dask worker, run numba kernels on one thread: the workers share the cores."""
    import sys  # noqa: PLC0415

    if "distributed" not in sys.modules:
        return
    from distributed import get_worker  # noqa: PLC0415

    from arrears.portfolio import jit  # noqa: PLC0415

    try:
        get_worker()
    except ValueError:
        return
    if jit.available():
        import numba  # noqa: PLC0415 - present when jit is available

        numba.set_num_threads(1)


def _read_part(part: _Part) -> pa.Table:
    import pyarrow.parquet as pq  # noqa: PLC0415

    if part.table is not None:
        table: pa.Table = part.table
        return table
    assert part.path is not None
    table = pq.ParquetFile(part.path).read_row_groups(list(part.row_groups))
    return table.slice(part.skip, part.rows)


def _payments(part: _Part, loans: Loans) -> tuple[Array, Array, Array, int]:
    """This partition's payments as (loan position, day, amount) sorted by loan and date,
    and how many belonged to rows that were skipped."""
    import numpy as np  # noqa: PLC0415

    empty = np.zeros(0, dtype=np.int64)
    if part.spill is None or not os.path.exists(part.spill):
        return empty, empty, empty, 0
    records = np.fromfile(part.spill, dtype=np.dtype(_SPILL))
    position = np.full(part.rows, -1, dtype=np.int64)
    position[loans.row - part.first_row] = np.arange(len(loans))
    loan = position[records["loan"]]
    kept = loan >= 0
    skipped = int((~kept).sum())
    loan, day, amount = loan[kept], records["day"][kept].astype(np.int64), \
        records["amount"][kept]
    key = loan * (1 << 32) + day
    if len(key) and np.any(np.diff(key) < 0):
        order = np.argsort(key, kind="stable")
        loan, day, amount = loan[order], day[order], amount[order]
    return loan, day, amount, skipped


def _paid_by(loan: Array, day: Array, amount: Array, size: int, on: int) -> Array:
    """What each loan had paid by day ``on`` (payments sorted by loan)."""
    import numpy as np  # noqa: PLC0415

    counted = np.concatenate([[0], np.cumsum(np.where(day <= on, amount, 0))])
    bounds = np.searchsorted(loan, np.arange(size + 1))
    result: Array = counted[bounds[1:]] - counted[bounds[:-1]]
    return result


def _audit_blocks(loans: Loans, caps: Caps, *, as_of: int, roll: int | None,
                  paid_now: Array | None, paid_then: Array | None
                  ) -> tuple[dict[str, Array], Array, Array]:
    """Schedules block by block, and from them the APR, the contract excess and where
    each loan stands on ``as_of`` (and on ``roll``)."""
    import numpy as np  # noqa: PLC0415

    from arrears.portfolio.kernels import (  # noqa: PLC0415
        BULLET,
        apr,
        blocks,
        build_block,
        lawful_contract,
        standing,
    )

    size = len(loans)
    out = {name: np.zeros(size, dtype=np.int64) for name in (
        "contract_excess", "paid", "balance", "overdue", "payoff", "dpd", "dpd_from",
        "balance_from")}
    contract_apr = np.zeros(size)
    exact = np.zeros(size, dtype=bool)
    cache: dict[str, Any] = {}
    for index in blocks(loans):
        block = build_block(loans, index, cache)
        bullet = loans.method[index] == BULLET
        received = loans.received[index]
        contract_apr[index] = apr(block.payment, received, block.odd)
        exact[index] = block.exact
        has_cap = ~np.isnan(caps.rate[index])
        if has_cap.any():

            def cap_exact(j: int, rows: Array = index) -> Decimal | None:
                return caps.exact(int(rows[j]))

            lawful = lawful_contract(block, received, caps.rate[index], cap_exact, bullet)
            out["contract_excess"][index] = np.where(has_cap, np.maximum(-lawful, 0), 0)
        for when, paid_all, prefix in ((as_of, paid_now, ""), (roll, paid_then, "_from")):
            if when is None:
                continue
            if paid_all is None:  # no payments table: every instalment paid on its due date
                cumulative = np.cumsum(block.payment, axis=1)
                count = (block.due <= when).sum(axis=1)
                paid = np.where(count > 0, cumulative[np.arange(len(index)),
                                                      np.maximum(count - 1, 0)], 0)
            else:
                paid = paid_all[index]
            state = standing(block, loans.start[index], bullet, paid, when)
            out["dpd" + prefix][index] = state.dpd
            out["balance" + prefix][index] = state.balance
            if not prefix:
                out["paid"][index] = state.paid
                out["overdue"][index] = state.overdue
                out["payoff"][index] = state.payoff
    return out, contract_apr, exact


def audit_part(part: _Part) -> _PartResult:
    """Audit one partition: parse its rows, build schedules block by block, and return its
    output rows and partial sums."""
    import numpy as np  # noqa: PLC0415

    from arrears.portfolio.kernels import bucket_index, lawful_paid  # noqa: PLC0415
    from arrears.portfolio.schema import parse_book  # noqa: PLC0415
    from arrears.rules import load_pack  # noqa: PLC0415

    clock = time.perf_counter()
    options = part.options
    _one_thread_per_worker()
    loans, bad = parse_book(_read_part(part), part.name, part.first_row, part.duplicates)
    size = len(loans)
    as_of = vd.to_day(options.as_of)
    roll = vd.to_day(options.roll_from) if options.roll_from is not None else None
    caps = caps_of(load_pack(options.jurisdiction), loans.lender, loans.start)
    p_loan, p_day, p_amount, skipped = _payments(part, loans)
    has_pay = part.has_payments
    paid_now = _paid_by(p_loan, p_day, p_amount, size, as_of) if has_pay else None
    paid_then = (_paid_by(p_loan, p_day, p_amount, size, roll)
                 if has_pay and roll is not None else None)

    out, contract_apr, exact = _audit_blocks(loans, caps, as_of=as_of, roll=roll,
                                             paid_now=paid_now, paid_then=paid_then)
    if has_pay:
        mine = p_day <= as_of
        lawful = lawful_paid(loans.start, loans.received, caps.rate, cap_exact=caps.exact,
                             loan=p_loan[mine], day=p_day[mine], amount=p_amount[mine],
                             as_of=as_of)
        started = (loans.start <= as_of) & ~np.isnan(caps.rate)
        excess = np.where(started, np.maximum(out["payoff"] - lawful, 0), 0)
    else:
        excess = out["contract_excess"]
    bucket = bucket_index(out["dpd"])
    table = _table(loans, caps, contract_apr=contract_apr, excess=excess, bucket=bucket,
                   out=out, exact=exact, roll=roll is not None)
    sums = _sums(loans, caps, bucket=bucket, excess=excess, out=out,
                 contract_apr=contract_apr, roll=roll, exact=exact)
    sums.totals["payments"] = len(p_loan)
    sums.totals["skipped_payments"] = skipped
    return _PartResult(part.index, table, sums, bad, time.perf_counter() - clock)


def _table(loans: Loans, caps: Caps, *, contract_apr: Array, excess: Array, bucket: Array,
           out: dict[str, Array], exact: Array, roll: bool) -> pa.Table:
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    from arrears.portfolio.schema import METHODS  # noqa: PLC0415
    from arrears.portfolio.synth import fen_array  # noqa: PLC0415

    def labels(codes: Array, names: tuple[str, ...] | list[str]) -> pa.Array:
        valid = np.asarray(codes) >= 0
        indices = pa.array(np.where(valid, codes, 0).astype(np.int32), mask=~valid)
        return pa.DictionaryArray.from_arrays(indices, pa.array(list(names), pa.string()))

    columns: dict[str, pa.Array] = {
        "loan_id": loans.loan_id,
        "row": pa.array(loans.row),
        "lender_type": labels(loans.lender, LENDERS),
        "contract_date": pa.array(loans.start.astype(np.int32)).cast(pa.date32()),
        "method": labels(loans.method, METHODS),
        "term_months": pa.array(loans.months.astype(np.int32)),
        "principal": fen_array(loans.principal),
        "received": fen_array(loans.received),
        "contract_apr": pa.array(contract_apr),
        "cap_rate": pa.array(caps.rate, mask=np.isnan(caps.rate)),
        "cap_rule": labels(caps.rule, caps.rules),
        "contract_excess": fen_array(out["contract_excess"]),
        "excess": fen_array(excess),
        "paid": fen_array(out["paid"]),
        "balance": fen_array(out["balance"]),
        "overdue": fen_array(out["overdue"]),
        "payoff": fen_array(out["payoff"]),
        "dpd": pa.array(out["dpd"].astype(np.int32)),
        "bucket": labels(bucket, BUCKETS),
        "exact_schedule": pa.array(exact),
    }
    if roll:
        columns["dpd_from"] = pa.array(out["dpd_from"].astype(np.int32))
        columns["bucket_from"] = labels(bucket_from(out["dpd_from"]), BUCKETS)
    return pa.table(columns)


def bucket_from(dpd: Array) -> Array:
    from arrears.portfolio.kernels import bucket_index  # noqa: PLC0415

    return bucket_index(dpd)


def _sums(loans: Loans, caps: Caps, *, bucket: Array, excess: Array, out: dict[str, Array],
          contract_apr: Array, roll: int | None, exact: Array) -> _Sums:
    import numpy as np  # noqa: PLC0415

    sums = _Sums.zero()
    values = np.stack([np.ones(len(loans), dtype=np.int64), out["balance"], excess,
                       out["contract_excess"], out["payoff"]], axis=1)
    for k in range(values.shape[1]):
        sums.bucket[:, k] = _sum_by(bucket, values[:, k], 8)
        sums.lender[:, k] = _sum_by(loans.lender.astype(np.int64), values[:, k], len(LENDERS))
    if roll is not None:
        on_book = loans.start <= roll
        before = bucket_from(out["dpd_from"])[on_book]
        after = bucket[on_book]
        cell = before * 8 + after
        sums.roll_count += _sum_by(cell, np.ones(len(cell), dtype=np.int64), 64).reshape(8, 8)
        sums.roll_balance += _sum_by(cell, out["balance_from"][on_book], 64).reshape(8, 8)
    above = ~np.isnan(caps.rate) & (contract_apr > np.nan_to_num(caps.rate, nan=np.inf))
    sums.totals.update({
        "loans": len(loans), "principal": int(loans.principal.sum()),
        "received": int(loans.received.sum()), "paid": int(out["paid"].sum()),
        "above_cap": int(above.sum()), "exact_schedules": int(exact.sum()),
        "no_cap": int(np.isnan(caps.rate).sum()),
    })
    return sums


def _sum_by(keys: Array, values: Array, size: int) -> Array:
    """Exact int64 sums of ``values`` by ``keys`` (0 … size - 1)."""
    import numpy as np  # noqa: PLC0415

    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    bounds = np.searchsorted(sorted_keys, np.arange(size + 1))
    counted = np.concatenate([[0], np.cumsum(values[order].astype(np.int64))])
    result: Array = counted[bounds[1:]] - counted[bounds[:-1]]
    return result


# -- the plan ------------------------------------------------------------------------------

def _duplicates(ids: pa.Array) -> list[tuple[int, int]]:
    """(row, first row) of every repeated loan id (rows 1-based)."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        ids = ids.cast(pa.string())
    first = pc.index_in(ids, value_set=ids)
    valid = ~np.asarray(ids.is_null())
    first_np = np.asarray(pc.fill_null(first, -1).to_numpy(zero_copy_only=False),
                          dtype=np.int64)
    rows = np.flatnonzero(valid & (first_np != np.arange(len(ids))) & (first_np >= 0))
    return [(int(r) + 1, int(first_np[r]) + 1) for r in rows]


def _parts(book: Path, total: int, options: Options, name: str) -> list[dict[str, Any]]:
    """Row ranges of the partitions, aligned to Parquet row groups where they can be."""
    import pyarrow.parquet as pq  # noqa: PLC0415

    size = max(1, options.partition_rows)
    if _is_csv(book):
        table = read_table(book)
        return [{"first_row": lo + 1, "rows": min(size, total - lo), "path": None,
                 "row_groups": (), "skip": 0, "table": table.slice(lo, size)}
                for lo in range(0, total, size)]
    meta = pq.ParquetFile(str(book)).metadata
    group_rows = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    group_start = [sum(group_rows[:g]) for g in range(len(group_rows))]
    parts: list[dict[str, Any]] = []
    lo = 0
    while lo < total:
        # Whole row groups up to about `size` rows; a row group larger than that is split.
        g = max(i for i, s in enumerate(group_start) if s <= lo)
        hi = min(total, lo + size)
        ends = [group_start[i] + group_rows[i] for i in range(g, len(group_rows))]
        fitting = [e for e in ends if lo < e <= lo + size]
        if fitting:
            hi = max(fitting)
        last = max(i for i, s in enumerate(group_start) if s < hi)
        parts.append({"first_row": lo + 1, "rows": hi - lo, "path": str(book),
                      "row_groups": tuple(range(g, last + 1)), "skip": lo - group_start[g],
                      "table": None})
        lo = hi
    return parts


def _book_rows(pay_ids: pa.Array, book_ids: pa.Array) -> Array:
    """The book row (0-based, the first if repeated; -1: none) of each payment's loan.
    The batch's distinct ids are hashed and the book's ids looked up in them: a batch has
    far fewer distinct ids than a large book, so this is cheaper than hashing the book
    for every batch."""
    import numpy as np  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    encoded = pc.dictionary_encode(pay_ids)
    hit = np.asarray(pc.fill_null(pc.index_in(book_ids, value_set=encoded.dictionary), -1)
                     .to_numpy(zero_copy_only=False), dtype=np.int64)
    rows = np.flatnonzero(hit >= 0)[::-1]  # backwards, so the first row of an id wins
    row_of = np.full(len(encoded.dictionary) + 1, -1, dtype=np.int64)
    row_of[hit[rows]] = rows
    codes = np.asarray(pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(
        zero_copy_only=False), dtype=np.int64)
    result: Array = row_of[codes]
    return result


def _route(table: pa.Table, first_row: int, book_ids: pa.Array, starts: Array,
           bounds: Array) -> tuple[list[BadRow], Array, Array]:
    """Check one batch of payments; return its bad rows and its good ones as spill records
    with the partition of each."""
    import numpy as np  # noqa: PLC0415

    from arrears.portfolio.schema import parse_payments  # noqa: PLC0415

    pay_ids, day, amount, good, bad = parse_payments(table, first_row)
    row = _book_rows(pay_ids, book_ids)
    unknown = np.flatnonzero(good & (row < 0))
    bad.extend(BadRow(first_row + int(i), "loan_id",
                      N_('no loan in the book has the loan_id "{text}"'),
                      {"text": pay_ids[int(i)].as_py()}) for i in unknown.tolist())
    good &= row >= 0
    start = np.where(row >= 0, starts[np.maximum(row, 0)], -1)
    early = good & (start >= 0) & (day < start)
    bad.extend(BadRow(first_row + int(i), "date", N_("is before the contract date {start}"),
                      {"start": vd.from_day(int(start[i])).isoformat()})
               for i in np.flatnonzero(early).tolist())
    keep = np.flatnonzero(good & ~early)
    part = np.searchsorted(bounds, row[keep], side="right") - 1
    records = np.empty(len(keep), dtype=np.dtype(_SPILL))
    records["loan"] = row[keep] - bounds[part]
    records["day"] = day[keep]
    records["amount"] = amount[keep]
    records["row"] = first_row + keep
    order = np.argsort(part, kind="stable")
    return bad, part[order], records[order]


def _spill_payments(payments: Path, ids: pa.Array, *, starts: Array, bounds: Array,
                    directory: Path, threads: int) -> tuple[list[BadRow], int]:
    """Check every payment and append it to its partition's spill file (batches are
    checked in ``threads`` threads and written in order)."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    book_ids = ids if pa.types.is_string(ids.type) else ids.cast(pa.string())
    bad: list[BadRow] = []
    count = 0

    def tasks() -> Iterator[tuple[pa.Table, int]]:
        first_row = 1
        for table in _batches(payments, _PAY_BATCH):
            yield table, first_row
            first_row += table.num_rows

    def route(task: tuple[pa.Table, int]) -> tuple[list[BadRow], Array, Array]:
        return _route(task[0], task[1], book_ids, starts, bounds)

    for found, part, records in _ordered(route, tasks(), threads):
        bad.extend(found)
        edges = np.searchsorted(part, np.arange(len(bounds)))
        for p in range(len(bounds) - 1):
            chunk = records[edges[p]:edges[p + 1]]
            if len(chunk):
                with (directory / f"part-{p:05d}.bin").open("ab") as handle:
                    chunk.tofile(handle)
        count += len(records)
    bad.sort(key=lambda b: b.row)
    return bad, count


def _ordered(work: Callable[[Any], Any], items: Iterator[Any], threads: int) -> Iterator[Any]:
    """``work`` over ``items`` in ``threads`` threads, results in order, a few ahead."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    if threads <= 1:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(threads) as pool:
        pending = []
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) > threads:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


# -- running and writing -------------------------------------------------------------------

def _run_local(parts: list[_Part], threads: int) -> Iterator[_PartResult]:
    yield from _ordered(audit_part, iter(parts), threads)


def _run_dask(parts: list[_Part], client: Any) -> Iterator[_PartResult]:
    """Results in partition order, at most a few partitions ahead of the writer."""
    import distributed  # noqa: PLC0415

    completed: Any = distributed.as_completed  # untyped in distributed
    waiting: dict[int, _PartResult] = {}
    following = 0
    ahead = max(4, 2 * len(client.scheduler_info().get("workers", {})))
    queue = list(parts)
    running = completed()
    for part in queue[:ahead]:
        running.add(client.submit(audit_part, part, pure=False))
    queue = queue[ahead:]
    for future in running:
        result: _PartResult = future.result()
        future.release()
        waiting[result.index] = result
        if queue:
            running.add(client.submit(audit_part, queue.pop(0), pure=False))
        while following in waiting:
            yield waiting.pop(following)
            following += 1


class _Writer:
    """Writes result tables to ``out`` (Parquet, or CSV by its suffix) through a temporary
    file that becomes ``out`` only when the audit succeeds."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self.staged = Staged(out) if out is not None else None
        self.temp = self.staged.path if self.staged is not None else None
        self.writer: Any = None

    def write(self, table: pa.Table) -> None:
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.csv as pcsv  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        if self.temp is None:
            return
        if self.out is not None and _is_csv(self.out):
            table = pa.table({n: c.cast(c.type.value_type) if pa.types.is_dictionary(c.type)
                              else c for n, c in zip(table.column_names, table.columns,
                                                     strict=True)})
            if self.writer is None:
                self.writer = pcsv.CSVWriter(str(self.temp), table.schema)
        elif self.writer is None:
            self.writer = pq.ParquetWriter(str(self.temp), table.schema, compression="zstd")
        self.writer.write_table(table)

    def finish(self, keep: bool) -> bool:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        if self.staged is None or self.temp is None:
            return False
        if keep and self.temp.exists():
            self.staged.commit()
            return True
        self.staged.discard()
        return False

    def abandon(self) -> None:
        """The audit failed or was interrupted: close and remove the staged file."""
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.close()
            self.writer = None
        if self.staged is not None:
            self.staged.discard()


def audit_book(book: Path, *, options: Options, payments: Path | None = None,
               out: Path | None = None, skip_bad_rows: bool = False,
               client: Any = None, scratch: Path | None = None,
               progress: Callable[[int, int], None] | None = None) -> Audit:
    """Audit every loan of ``book`` (Parquet or CSV) on ``options.as_of``, with
    ``payments`` if given, writing one row per loan to ``out``. With ``client`` (a
    ``distributed.Client``) the partitions run on its workers. Bad rows are skipped with
    ``skip_bad_rows``; otherwise any bad row means nothing is written. ``progress`` is
    called with (loans done, loans in all)."""
    import numpy as np  # noqa: PLC0415

    from arrears.portfolio.schema import _days  # noqa: PLC0415

    clock = time.perf_counter()
    threads = options.threads or os.cpu_count() or 1
    name = book.name
    ids = _column(book, "loan_id")
    total = len(ids)
    if total == 0:
        raise InputError.one(str(book), N_("has no loans: the table has a header and no rows"))
    duplicates = _duplicates(ids)
    plan = _parts(book, total, options, name)
    bounds = np.array([p["first_row"] - 1 for p in plan] + [total], dtype=np.int64)
    home = scratch or (out.parent if out is not None and str(out.parent) else Path("."))
    writer = _Writer(out)
    with scratch_folder(home) as work:
        try:
            bad_payments: list[BadRow] = []
            paid_rows = 0
            if payments is not None:
                starts, _ = _days(_column(book, "contract_date"))
                bad_payments, paid_rows = _spill_payments(payments, ids, starts=starts,
                                                          bounds=bounds, directory=work,
                                                          threads=threads)
            parts = []
            dup = np.array([d[0] for d in duplicates], dtype=np.int64)
            for index, spec in enumerate(plan):
                lo, hi = spec["first_row"], spec["first_row"] + spec["rows"]
                mine = tuple(d for d, keep in zip(duplicates, (dup >= lo) & (dup < hi),
                                                  strict=True) if keep)
                spill = work / f"part-{index:05d}.bin"
                parts.append(_Part(index=index, name=name, duplicates=mine, options=options,
                                   spill=str(spill) if payments is not None else None,
                                   has_payments=payments is not None, **spec))
            sums = _Sums.zero()
            bad_book: list[BadRow] = []
            done = 0
            results = (_run_dask(parts, client) if client is not None
                       else _run_local(parts, threads))
            for result in results:
                writer.write(result.table)
                sums.add(result.sums)
                bad_book.extend(result.bad)
                done += parts[result.index].rows
                if progress is not None:
                    progress(done, total)
            problems = bool(bad_book or bad_payments)
            written = writer.finish(keep=skip_bad_rows or not problems)
        finally:
            writer.abandon()
    summary = _summary(sums, options, bad_rows=len({b.row for b in bad_book}),
                       bad_payments=len({b.row for b in bad_payments}), paid_rows=paid_rows,
                       seconds=time.perf_counter() - clock, client=client,
                       has_payments=payments is not None)
    return Audit(summary, bad_book, bad_payments, written)


def _yuan(fen: int) -> str:
    return str(Decimal(int(fen)).scaleb(-2))


def _summary(sums: _Sums, options: Options, *, bad_rows: int, bad_payments: int,
             paid_rows: int, seconds: float, client: Any, has_payments: bool
             ) -> dict[str, Any]:
    from arrears.portfolio import jit  # noqa: PLC0415

    def row(values: Any) -> dict[str, Any]:
        return {"count": int(values[0]), "balance": _yuan(values[1]), "excess": _yuan(values[2]),
                "contract_excess": _yuan(values[3]), "payoff": _yuan(values[4])}

    totals = sums.totals
    model: dict[str, Any] = {
        "as_of": options.as_of.isoformat(),
        "jurisdiction": options.jurisdiction,
        "payments_given": has_payments,
        "loans": totals.get("loans", 0),
        "bad_rows": bad_rows,
        "bad_payment_rows": bad_payments,
        "payments": paid_rows - totals.get("skipped_payments", 0),
        "skipped_payments": totals.get("skipped_payments", 0),
        "exact_schedules": totals.get("exact_schedules", 0),
        "above_cap": totals.get("above_cap", 0),
        "no_cap": totals.get("no_cap", 0),
        "totals": {"count": totals.get("loans", 0), "principal": _yuan(totals.get("principal", 0)),
                   "received": _yuan(totals.get("received", 0)),
                   "paid": _yuan(totals.get("paid", 0)),
                   **{k: v for k, v in row(sums.bucket.sum(axis=0)).items() if k != "count"}},
        "by_bucket": [{"bucket": b, **row(sums.bucket[i])} for i, b in enumerate(BUCKETS)],
        "by_lender_type": [{"lender_type": t, **row(sums.lender[i])}
                           for i, t in enumerate(LENDERS) if sums.lender[i, 0]],
        "roll_rates": None,
        "run": {"seconds": round(seconds, 3), "jit": jit.available(),
                "workers": len(client.scheduler_info().get("workers", {})) if client else 0},
    }
    if options.roll_from is not None:
        counts = sums.roll_count
        rates = [[round(int(c) / int(counts[i].sum()), 6) if counts[i].sum() else 0.0
                  for c in counts[i]] for i in range(8)]
        model["roll_rates"] = {
            "from": options.roll_from.isoformat(), "to": options.as_of.isoformat(),
            "buckets": list(BUCKETS), "counts": counts.tolist(), "rates": rates,
            "balances": [[_yuan(v) for v in line] for line in sums.roll_balance.tolist()],
        }
    return model
