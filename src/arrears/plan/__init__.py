"""A way out: the household budget, triage when the budget cannot cover what is due,
repayment strategies compared side by side, the least-cost plan (HiGHS), negotiation
scenarios — every plan replayed through the exact engine (``docs/plan.md``).

Modules: :mod:`.model` (inputs: budget, months, payment dates), :mod:`.replay` (a schedule
of payments through the exact engine → figures), :mod:`.strategies` (overdue-first,
avalanche, snowball, the user's order), :mod:`.optimal` (the linear programme),
:mod:`.triage` (shortfall and pro-rata offers), :mod:`.negotiate` (deferment, instalment
plan, settlement), :mod:`.report` (the JSON model).
"""
