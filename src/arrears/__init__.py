"""arrears: what an overdue loan really costs, whether it is lawful, and the way out.

The data flow (see ``../../docs/architecture.md`` and DESIGN §2) and the module for each
arrow:

1. parse + validate — :mod:`arrears.money` (amounts), :mod:`arrears.rate` (rates),
   :mod:`arrears.dates` (calendars, day counts), :mod:`arrears.terms_input` and
   :mod:`arrears.cashflows` (text → objects, every problem located);
2. contract — :mod:`arrears.terms` (what the contract says);
3. engine — :mod:`arrears.schedule` (contractual schedules);
4. analyses — :mod:`arrears.cost` (IRR, XIRR, PBOC APR, Regulation Z APR) over
   :mod:`arrears.solver` (root finding);
5. report model — :mod:`arrears.report` (plain data every renderer uses);
6. edges — :mod:`arrears.cli` (the ``arrears`` command), :mod:`arrears.i18n` (zh_CN, en).

Nothing here imports anything heavy; importing ``arrears`` does no work.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
