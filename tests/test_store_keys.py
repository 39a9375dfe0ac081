"""Every key a case-file reader accepts has a column in the store.

A key without one would still be kept (in the row's ``extra``), but it would be invisible to
the database and the web pages. When a reader learns a new key, this test fails until
``arrears/store/document.py`` (and a migration) gives it a column."""

from __future__ import annotations

from typing import Any

import pytest

from arrears import case as case_reader
from arrears.case import parse_case
from arrears.contacts import log as contact_reader
from arrears.store import document


def keys(fields: tuple[document.Field, ...], children: tuple[str, ...] = ()) -> set[str]:
    return {f.key for f in fields} | set(children)


@pytest.mark.parametrize(("table", "accepted", "stored"), [
    ("top level", case_reader._TOP, set(document.TOP_TABLES)),
    ("[case]", case_reader._CASE, keys(document.CASE)),
    ("[household]", case_reader._HOUSEHOLD,
     keys(document.HOUSEHOLD, document.HOUSEHOLD_CHILDREN)),
    ("[[debts]]", case_reader._LOAN | case_reader._CARD,
     keys(document.DEBT, document.DEBT_CHILDREN)),
    ("[debts.overdue]", case_reader._OVERDUE, keys(document.OVERDUE)),
    ("[[debts.payments]]", case_reader._PAYMENT, keys(document.PAYMENT)),
    ("[[contacts]]", set(contact_reader.KEYS), keys(document.CONTACT,
                                                    document.CONTACT_CHILDREN)),
])
def test_every_key_the_reader_accepts_has_a_column(table: str, accepted: set[str],
                                                   stored: set[str]) -> None:
    assert accepted - stored == set(), f"{table}: keys without a column in the store"
    assert stored - accepted == set(), f"{table}: columns for keys the reader does not know"


def _warned(data: dict[str, Any]) -> list[str]:
    return [w.where for w in parse_case(data, "c.toml").warnings]


def test_the_plan_keys_are_the_readers() -> None:
    """``[plan]``'s keys are not a constant of the reader: ask it."""
    debt = {"id": "a", "principal": "1000", "rate": "5%", "term_months": 12,
            "disbursed": "2026-01-01"}
    plan = {f.key: ["a"] if f.key == "priority" else "x" for f in document.PLAN}
    assert _warned({"debts": [debt], "plan": plan}) == []
    assert _warned({"debts": [debt], "plan": {"not_a_plan_key": 1}}) == [
        "c.toml: plan.not_a_plan_key"]


def test_columns_are_on_the_tables() -> None:
    from arrears.store import schema

    for fields, model in ((document.CASE, schema.MetaRow), (document.PLAN, schema.MetaRow),
                          (document.HOUSEHOLD, schema.HouseholdRow),
                          (document.INCOME_CHANGE, schema.IncomeChangeRow),
                          (document.DEBT, schema.DebtRow), (document.OVERDUE, schema.OverdueRow),
                          (document.PAYMENT, schema.PaymentRow),
                          (document.CONTACT, schema.ContactRow)):
        columns = set(model.__table__.columns.keys())
        assert {f.column for f in fields} <= columns, model.__tablename__
