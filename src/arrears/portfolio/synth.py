"""Realistic synthetic books: who lends what on which terms, and how borrowers pay.

The mix is a consumer-credit book of mainland China: banks (some mortgages), consumer
finance companies, micro-lenders, online platforms, card instalments (等本等费) and private
loans; rates spelled the ways contracts spell them (``18%``, ``0.18``, ``0.05%/day``,
``1.5%`` a month); some upfront fees (砍头息), fixed repayment days (a broken first
period), daily accrual, and the overdue terms. Borrowers mostly pay on time; some pay late,
some pay part, some stop. Everything is drawn from one seed, so a book is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arrears.portfolio import dates as vd

if TYPE_CHECKING:
    import numpy.typing as npt
    import pyarrow as pa

    Array = npt.NDArray[Any]

__all__ = ["SynthStats", "book_batches", "fen_array", "payments_of", "write_synth"]

_LENDERS = ("bank", "consumer_finance", "micro_loan", "platform", "card_issuer", "private")
_LENDER_P = (0.28, 0.2, 0.12, 0.2, 0.1, 0.1)
_METHODS = ("equal_installment", "equal_principal", "interest_first", "bullet", "flat_fee")
# Method mix by lender type (rows in _LENDERS order, columns in _METHODS order).
_METHOD_P = (
    (0.6, 0.25, 0.1, 0.05, 0.0),
    (0.85, 0.05, 0.05, 0.05, 0.0),
    (0.6, 0.05, 0.2, 0.15, 0.0),
    (0.8, 0.05, 0.05, 0.1, 0.0),
    (0.0, 0.0, 0.0, 0.0, 1.0),
    (0.3, 0.0, 0.4, 0.3, 0.0),
)
# Annual rates by lender type, as percentages; spelled in several ways below.
_RATES = (
    (3.45, 3.85, 4.2, 4.35, 4.9, 5.6, 6.0, 7.2, 9.9),
    (8.9, 9.9, 12.0, 15.4, 18.0, 21.6, 23.9, 24.0),
    (12.0, 18.0, 21.6, 24.0, 28.8, 35.9, 36.0),
    (7.2, 10.8, 14.4, 18.0, 23.9, 24.0, 27.0, 35.9),
    (0.0,),
    (6.0, 10.0, 12.0, 13.8, 15.4, 18.0, 24.0, 30.0, 36.0),
)
_TERMS = (3, 6, 6, 12, 12, 12, 18, 24, 24, 36, 36, 48, 60)
_MORTGAGE_TERMS = (120, 180, 240, 360)
_CARD_FEES = ("0.5%", "0.6%", "0.65%", "0.72%", "0.75%")
_PENALTIES = ("1.5x", "1.5x", "1.3x", "1.5倍", "0.05%/day", "24%", "1x")
_BASES_OF_PENALTY = ("overdue_principal", "overdue_installment", "outstanding_principal")
_LATE_FEES = ("", "", "", "50", "30", "5%", "3%")


@dataclass(frozen=True, slots=True)
class SynthStats:
    """What :func:`write_synth` wrote."""

    loans: int
    payments: int


def fen_array(fen: Array, valid: Array | None = None) -> pa.Array:
    """int64 fen as an exact ``decimal128(18, 2)`` Arrow array (yuan with two places)."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    values = np.ascontiguousarray(fen, dtype=np.int64)
    words = np.empty((len(values), 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63
    mask = None
    if valid is not None and not np.all(valid):
        mask = pa.array(np.asarray(valid, dtype=bool)).buffers()[1]
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(values),
                                 [mask, pa.py_buffer(words.tobytes())],
                                 null_count=-1 if mask is not None else 0)


def _strings(codes: Array, names: tuple[str, ...], valid: Array | None = None) -> pa.Array:
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    indices = pa.array(np.asarray(codes, dtype=np.int32),
                       mask=None if valid is None else ~np.asarray(valid, dtype=bool))
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(names), pa.string()))


def _rates(rng: Any, lender: Array) -> tuple[Array, Array]:
    """Rates by lender type, spelled as contracts do (``18%``, ``0.18``, ``0.05%`` a day,
    ``1.5%`` a month, ``年化18%``), and the basis a bare figure is per (0 annual, 1 monthly,
    2 daily); card instalments are priced by their monthly fee, at a zero rate."""
    import numpy as np  # noqa: PLC0415

    count = len(lender)
    rate_text = np.empty(count, dtype=object)
    basis = np.zeros(count, dtype=np.int64)  # annual, monthly, daily
    spelling = rng.random(count)
    for code, table in enumerate(_RATES):
        rows = np.flatnonzero(lender == code)
        picked = np.asarray(table)[rng.integers(0, len(table), size=len(rows))]
        for j, (row, pct) in enumerate(zip(rows.tolist(), picked.tolist(), strict=True)):
            how = spelling[row]
            if code == 4 or pct == 0:
                rate_text[row] = "0"
            elif how < 0.45:
                rate_text[row] = f"{pct:g}%"
            elif how < 0.75:
                rate_text[row] = f"{pct / 100:.6g}"
            elif how < 0.88 and code in (1, 2, 3):
                rate_text[row] = f"{pct / 360:.4g}%"
                basis[row] = 2
            elif how < 0.95:
                rate_text[row] = f"{pct / 12:.4g}%"
                basis[row] = 1
            else:
                rate_text[row] = f"年化{pct:g}%" if j % 2 else f"{pct:g}% p.a."
    return rate_text, basis


def book_batch(first: int, count: int, as_of: date, seed: int) -> pa.Table:
    """Loans ``first`` … ``first + count - 1`` of the book with this seed."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    rng = np.random.default_rng([seed, first])
    lender = rng.choice(len(_LENDERS), size=count, p=_LENDER_P)
    method = np.empty(count, dtype=np.int64)
    for code, probabilities in enumerate(_METHOD_P):
        rows = np.flatnonzero(lender == code)
        method[rows] = rng.choice(len(_METHODS), size=len(rows), p=probabilities)
    last = vd.to_day(as_of) - 20
    start = rng.integers(vd.to_day(date(2019, 1, 1)), last, size=count)
    mortgage = (lender == 0) & (rng.random(count) < 0.08)
    months = np.where(mortgage, rng.choice(_MORTGAGE_TERMS, size=count),
                      rng.choice(_TERMS, size=count))
    months = np.where(method == 3, np.minimum(months, 12), months)  # bullets are short
    principal = np.exp(rng.normal(np.log(20_000), 0.9, size=count))
    principal = np.where(mortgage, rng.uniform(300_000, 2_000_000, size=count), principal)
    principal = np.clip(np.round(principal / 100) * 100, 500, 5_000_000)
    principal_fen = (principal * 100).astype(np.int64)
    odd_cents = rng.random(count) < 0.05
    principal_fen += np.where(odd_cents, rng.integers(1, 9999, size=count), 0)

    rate_text, basis = _rates(rng, lender)
    fee_text = np.full(count, "0", dtype=object)
    card = method == 4
    fee_text[card] = np.asarray(_CARD_FEES)[rng.integers(0, len(_CARD_FEES), card.sum())]
    service = (lender == 3) & ~card & (rng.random(count) < 0.15)
    fee_text[service] = np.asarray(("0.1%", "0.2%", "0.3%"))[
        rng.integers(0, 3, service.sum())]
    upfront = np.zeros(count, dtype=np.int64)
    cut = np.isin(lender, (2, 3, 5)) & (rng.random(count) < 0.12)
    upfront[cut] = (principal_fen[cut] * rng.uniform(0.02, 0.12, cut.sum())).astype(np.int64)
    received_given = cut & (rng.random(count) < 0.3)
    first_due = np.full(count, -1, dtype=np.int64)
    fixed = rng.random(count) < 0.1
    fixed_day = rng.choice((5, 10, 15, 20, 25), size=count)
    y, m, _ = vd.ymd(start)
    month_index = (y - 1970) * 12 + (m - 1) + 1
    candidate = (np.asarray(month_index).astype("datetime64[M]").astype("datetime64[D]")
                 .astype(np.int64) + fixed_day - 1)
    first_due[fixed] = np.maximum(candidate, start + 1)[fixed]
    daily = (rng.random(count) < 0.1) & ~card
    act365 = rng.random(count) < 0.2
    grace = rng.choice((0, 0, 0, 1, 3), size=count)
    penalty = rng.integers(0, len(_PENALTIES), size=count)
    late_fee = rng.integers(0, len(_LATE_FEES), size=count)
    accelerate = rng.random(count) < 0.1
    ids = pa.array([f"L{i:09d}" for i in range(first, first + count)], pa.string())
    text = pa.array(rate_text.tolist(), pa.string())
    return pa.table({
        "loan_id": ids,
        "lender_type": _strings(lender, _LENDERS),
        "contract_date": pa.array(start.astype(np.int32), pa.int32()).cast(pa.date32()),
        "principal": fen_array(principal_fen),
        "received": fen_array(principal_fen - upfront, received_given),
        "method": _strings(method, _METHODS),
        "rate": text.dictionary_encode(),
        "rate_basis": _strings(basis, ("annual", "monthly", "daily")),
        "term_months": pa.array(months.astype(np.int32)),
        "fee_rate": pa.array(fee_text.tolist(), pa.string()).dictionary_encode(),
        "upfront_fee": fen_array(np.where(received_given, 0, upfront)),
        "first_due": pa.array(first_due.astype(np.int32), pa.int32(),
                              mask=first_due < 0).cast(pa.date32()),
        "day_count": _strings(act365.astype(np.int64), ("ACT/360", "ACT/365")),
        "accrual": _strings(daily.astype(np.int64), ("monthly", "daily")),
        "grace_days": pa.array(grace.astype(np.int32)),
        "penalty": _strings(penalty, _PENALTIES),
        "penalty_base": _strings(rng.integers(0, 3, size=count), _BASES_OF_PENALTY),
        "compound": pa.array(rng.random(count) < 0.1),
        "late_fee": _strings(late_fee, _LATE_FEES, np.asarray(_LATE_FEES)[late_fee] != ""),
        "late_fee_min": fen_array(np.zeros(count, dtype=np.int64)),
        "late_fee_max": fen_array(np.full(count, 20_000, dtype=np.int64),
                                  np.isin(late_fee, (5, 6))),
        "accelerate_after_days": pa.array(np.full(count, 90, dtype=np.int32),
                                          mask=~accelerate),
    })


def book_batches(loans: int, as_of: date, seed: int = 0,
                 batch: int = 250_000) -> Iterator[pa.Table]:
    """The book in batches of ``batch`` loans."""
    for first in range(0, loans, batch):
        yield book_batch(first, min(batch, loans - first), as_of, seed)


def payments_of(book: pa.Table, as_of: date, seed: int = 0) -> pa.Table:
    """Payments up to ``as_of`` of the loans of ``book``: most pay each instalment within
    a few days of its due date, some pay weeks late, some pay half, some stop paying."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    from arrears.portfolio.kernels import blocks, build_block  # noqa: PLC0415
    from arrears.portfolio.schema import parse_book  # noqa: PLC0415

    loans, _ = parse_book(book)
    rng = np.random.default_rng([seed, 7, len(loans)])
    limit = vd.to_day(as_of)
    cache: dict[str, Any] = {}
    parts_loan: list[Array] = []
    parts_day: list[Array] = []
    parts_amount: list[Array] = []
    for index in blocks(loans):
        block = build_block(loans, index, cache)
        size, n = block.payment.shape
        behaviour = np.asarray(rng.choice(4, size=size, p=(0.72, 0.12, 0.08, 0.08)))
        lag = rng.integers(-3, 3, size=(size, n))
        lag = np.where(behaviour[:, None] == 1, rng.integers(5, 75, size=(size, n)), lag)
        stop = np.where(behaviour == 2, rng.integers(0, n + 1, size=size), n)
        share = np.where(behaviour == 3, rng.uniform(0.3, 0.9, size=size), 1.0)
        amount = np.round(block.payment * share[:, None]).astype(np.int64)
        day = np.maximum(block.due + lag, loans.start[index][:, None])
        keep = ((np.arange(n)[None, :] < stop[:, None]) & (day <= limit) & (amount > 0))
        rows, cols = np.nonzero(keep)
        parts_loan.append(index[rows])
        parts_day.append(day[rows, cols])
        parts_amount.append(amount[rows, cols])
    loan = np.concatenate(parts_loan) if parts_loan else np.zeros(0, dtype=np.int64)
    day = np.concatenate(parts_day) if parts_day else np.zeros(0, dtype=np.int64)
    amount = np.concatenate(parts_amount) if parts_amount else np.zeros(0, dtype=np.int64)
    order = np.lexsort((day, loan))
    loan, day, amount = loan[order], day[order], amount[order]
    return pa.table({
        "loan_id": loans.loan_id.take(pa.array(loan)),
        "date": pa.array(day.astype(np.int32), pa.int32()).cast(pa.date32()),
        "amount": fen_array(amount),
    })


def write_synth(path: Path, loans: int, *, as_of: date, seed: int = 0,
                payments: Path | None = None, row_group: int = 131_072,
                progress: Callable[[int], None] | None = None) -> SynthStats:
    """Write a synthetic book of ``loans`` rows to ``path`` (Parquet, or CSV by its suffix)
    and, with ``payments``, the payments up to ``as_of`` to that file."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pcsv  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    from arrears.atomic import Staged  # noqa: PLC0415

    writers: dict[Path, Any] = {}
    staged = {target: Staged(target) for target in (path, payments) if target is not None}

    def write(target: Path, table: pa.Table) -> None:
        suffix = target.suffix.lower()
        target = staged[target].path
        if suffix == ".csv":
            plain = pa.table({name: (column.cast(column.type.value_type)
                                     if pa.types.is_dictionary(column.type) else column)
                              for name, column in zip(table.column_names, table.columns,
                                                      strict=True)})
            if target not in writers:
                writers[target] = pcsv.CSVWriter(str(target), plain.schema)
            writers[target].write_table(plain)
            return
        if target not in writers:
            writers[target] = pq.ParquetWriter(str(target), table.schema, compression="zstd")
        writers[target].write_table(table, row_group_size=row_group)

    paid = 0
    try:
        for batch in book_batches(loans, as_of, seed):
            write(path, batch)
            if payments is not None:
                table = payments_of(batch, as_of, seed)
                paid += table.num_rows
                write(payments, table)
            if progress is not None:
                progress(batch.num_rows)
        for writer in writers.values():
            writer.close()
        writers.clear()
        for file in staged.values():
            file.commit()
    finally:
        for writer in writers.values():
            writer.close()
        for file in staged.values():
            file.discard()
    return SynthStats(loans=loans, payments=paid)
