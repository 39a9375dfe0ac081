"""Portfolio mode: the true cost, caps and ageing of millions of loans at once.

* :mod:`arrears.portfolio.schema` — the book and payments tables, parsed column by column;
  every bad value reported by row and column.
* :mod:`arrears.portfolio.kernels` — vectorised schedules in integer fen, the contract APR
  by IRR for every loan, the lawful balance at a cap, days past due and buckets.
* :mod:`arrears.portfolio.run` — the audit of a whole book, in one process or over Dask
  partitions, with the ageing report and the roll-rate matrix.
* :mod:`arrears.portfolio.synth` — realistic synthetic books for tests and benchmarks.

numpy and pyarrow (and dask, numba) are imported inside functions, so importing this
package costs nothing; they come with the ``portfolio`` extra. The method and its
simplifications are written out in ``docs/portfolio.md``.
"""

from __future__ import annotations

__all__: list[str] = []
