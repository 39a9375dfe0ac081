"""Import → export → import gives equal cases and equal reports (hypothesis, over generated
case files written in every spelling the reader takes: amounts as "1,234.50", "3万" or
numbers, dates as TOML dates, date-times or text, unknown keys with any TOML value)."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arrears.case import Case, parse_case
from arrears.contacts.log import parse_log
from arrears.errors import InputError
from arrears.store.document import normalise
from arrears.store.repository import CaseRepository
from arrears.store.toml_text import document

AS_OF = date(2026, 12, 31)

texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
amounts = st.one_of(
    st.decimals(min_value=1, max_value=10**6, places=2).map(str),
    st.integers(1, 10**6),
    st.integers(1, 99).map(lambda n: f"{n}万"),
    st.decimals(min_value=1000, max_value=999999, places=2).map(lambda d: f"{d:,}"),
    st.decimals(min_value=1, max_value=10**5, places=2).map(lambda d: float(str(d))),
)
days = st.dates(date(2022, 1, 1), date(2026, 6, 30))
spelled_days = st.one_of(days, days.map(date.isoformat),
                         days.map(lambda d: datetime(d.year, d.month, d.day, 9, 30)))
offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
toml_scalars = st.one_of(
    texts, st.integers(-(2**63), 2**63 - 1), st.booleans(),
    st.floats(allow_nan=False), st.dates(),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 2), timezones=offsets),
    st.times())
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(texts, inner, max_size=3)),
    max_leaves=6)
unknown = st.dictionaries(st.sampled_from(["colour", "备注", "x y", "principle", "version",
                                           "case_id"]), toml_values, max_size=2)


@st.composite
def loans(draw: st.DrawFn, index: int) -> dict[str, Any]:
    start = draw(days)
    debt: dict[str, Any] = {
        "id": f"loan-{index}", "kind": draw(st.sampled_from(["installment_loan",
                                                           "private_loan"])),
        "principal": draw(amounts), "disbursed": draw(st.sampled_from(
            [start, start.isoformat()])),
        "rate": draw(st.sampled_from(["18%", "4.9%", "0.05%/day", 0.12, "7.2%", "万分之五"])),
        "term_months": draw(st.integers(1, 36)),
    }
    optional = {
        "lender": texts, "lender_type": st.sampled_from(["bank", "consumer_finance",
                                                        "micro_loan", "platform"]),
        "method": st.sampled_from(["equal_installment", "equal_principal", "interest_first",
                                   "bullet", "等额本息"]),
        "day_count": st.sampled_from(["ACT/360", "ACT/365", "30/360"]),
        "accrual": st.sampled_from(["monthly", "daily"]),
        "fee_rate": st.sampled_from(["0.5%", "0", 0.003]),
        "upfront_fee": st.sampled_from(["0", "100", 50]), "secured": st.booleans(),
        "notes": toml_values,
        "allocation": st.permutations(["late_fees", "fees", "penalty_interest",
                                       "compound_interest", "interest", "principal"]),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            debt[key] = draw(values)
    if draw(st.booleans()):
        debt["overdue"] = {"grace_days": draw(st.integers(0, 10)),
                           "penalty": draw(st.sampled_from(["1.5x", "1.3倍", "0.05%/day"])),
                           "compound": draw(st.booleans()),
                           "late_fee": draw(st.sampled_from(["5%", "50"])),
                           "late_fee_min": draw(st.sampled_from(["0", "30"])),
                           "late_fee_max": "200",
                           **draw(unknown)}
        if draw(st.booleans()):
            debt["overdue"]["accelerate_after_days"] = draw(st.integers(1, 365))
    debt["payments"] = [
        {"date": start + timedelta(days=draw(st.integers(0, 900))), "amount": draw(amounts),
         **({"note": draw(texts)} if draw(st.booleans()) else {})}
        for _ in range(draw(st.integers(0, 6)))]
    debt.update(draw(unknown))
    return debt


@st.composite
def cards(draw: st.DrawFn, index: int) -> dict[str, Any]:
    debt: dict[str, Any] = {
        "id": f"card-{index}", "kind": "credit_card", "balance": draw(amounts),
        "balance_date": draw(spelled_days), "statement_day": draw(st.integers(1, 28)),
        "payment_due_days": draw(st.integers(1, 30)), "rate": "0.05%/day",
        "min_payment": draw(st.sampled_from(["10%", "5%"])),
        "min_payment_floor": draw(st.sampled_from(["100", 50])),
        "full_balance_interest": draw(st.booleans()),
    }
    if draw(st.booleans()):
        debt["credit_limit"] = "1000000"
    start = parse_case({"debts": [debt]}, "c").debts[0].card
    assert start is not None
    debt["payments"] = [{"date": start.balance_date + timedelta(days=draw(st.integers(0, 600))),
                         "amount": draw(amounts)} for _ in range(draw(st.integers(0, 4)))]
    return debt


@st.composite
def case_files(draw: st.DrawFn) -> dict[str, Any]:
    jurisdiction = draw(st.sampled_from(["cn", "us"]))
    data: dict[str, Any] = {"case": {"currency": draw(st.sampled_from(["CNY", "USD"])),
                                     "jurisdiction": jurisdiction, "as_of": AS_OF}}
    if jurisdiction == "us" or draw(st.booleans()):
        data["case"]["timezone"] = "America/New_York"
    if draw(st.booleans()):
        data["case"]["name"] = draw(texts)
    count = draw(st.integers(1, 3))
    data["debts"] = [draw(cards(i) if draw(st.booleans()) else loans(i)) for i in range(count)]
    if draw(st.booleans()):
        data["household"] = {"monthly_income": draw(amounts),
                             "essential_expenses": draw(amounts), "savings": draw(amounts),
                             "emergency_fund_months": draw(st.integers(0, 24)),
                             "income_changes": [{"month": "2027-03",
                                                 "monthly_income": draw(amounts)}]}
        if draw(st.booleans()):
            data["household"]["members"] = draw(st.integers(1, 6))
    ids = [d["id"] for d in data["debts"]]
    contacts = []
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.datetimes(datetime(2026, 1, 1), datetime(2026, 11, 30)))
        channel = draw(st.sampled_from(["call", "missed_call", "sms", "visit"]))
        contact: dict[str, Any] = {
            "at": draw(st.sampled_from([at.isoformat(sep=" ", timespec="minutes"),
                                        at.replace(tzinfo=timezone(timedelta(hours=8)))])),
            "channel": channel, "from": draw(texts), "debt": draw(st.sampled_from(ids)),
            "to": draw(st.sampled_from(["debtor", "family", "employer"])),
            "flags": draw(st.lists(st.sampled_from(["threat", "insult", "disclosure"]),
                                   unique=True)),
            "evidence": draw(st.lists(st.sampled_from(["a.m4a", "b/c.png"]), max_size=2)),
        }
        if channel == "call":
            contact["answered"] = draw(st.booleans())
        contacts.append(contact)
    if contacts:
        data["contacts"] = contacts
    if draw(st.booleans()):
        data["plan"] = {"priority": draw(st.permutations(ids))}
    data.update(draw(st.dictionaries(st.sampled_from(["extra_table", "version"]), toml_values,
                                     max_size=1)))
    return data


def readable(data: dict[str, Any]) -> dict[str, Any]:
    """Only case files the readers accept are stored."""
    try:
        parse_case(data, "c.toml")
        parse_log(data, "c.toml")
    except InputError:
        assume(False)
    return data


def same_case(one: Case, two: Case) -> None:
    assert dataclasses.replace(one, warnings=()) == dataclasses.replace(two, warnings=())
    assert sorted(map(repr, one.warnings)) == sorted(map(repr, two.warnings))


def exported(data: dict[str, Any]) -> dict[str, Any]:
    return tomllib.loads(document(normalise(data), "exported"))


@given(case_files())
def test_export_reads_back_as_the_same_case(data: dict[str, Any]) -> None:
    data = readable(data)
    again = exported(data)
    same_case(parse_case(data, "c.toml"), parse_case(again, "c.toml"))
    assert parse_log(data, "c.toml") == parse_log(again, "c.toml")
    assert normalise(again) == normalise(data)  # a second round changes nothing
    assert exported(again) == again


def report(model: Any, case: Case) -> str:
    """The report's JSON, or its problems (a case the engine refuses is refused alike)."""
    try:
        return json.dumps(model(case, AS_OF), ensure_ascii=False)
    except InputError as error:
        return repr(error.problems)


@settings(max_examples=25, deadline=None)
@given(case_files())
def test_export_gives_the_same_reports(data: dict[str, Any]) -> None:
    from arrears.audit_report import audit_model
    from arrears.status import status_model

    data = readable(data)
    one, two = parse_case(data, "c.toml"), parse_case(exported(data), "c.toml")
    for model in (status_model, audit_model):
        assert report(model, one) == report(model, two)


@pytest.fixture(scope="module")
def sqlite_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseRepository]:
    from arrears.store.database import open_store

    path = tmp_path_factory.mktemp("roundtrip") / "cases.sqlite3"
    with open_store(f"sqlite:///{path}") as repository:
        yield repository


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case_files())
def test_a_stored_case_comes_back_whole(sqlite_repo: CaseRepository,
                                        data: dict[str, Any]) -> None:
    data = readable(data)
    stored = sqlite_repo.get(sqlite_repo.add_case(data, source="c.toml", actor="t"))
    assert stored.data == normalise(data)
    same_case(parse_case(data, "c.toml"),
              parse_case(tomllib.loads(document(stored.data)), "c.toml"))


def test_the_demo_survives_the_round_trip() -> None:
    path = Path(__file__).parent.parent / "examples" / "demo.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    same_case(parse_case(data, "demo.toml"), parse_case(exported(data), "demo.toml"))
    text = document(normalise(data))
    assert 'principal = "30000.00"' in text
    assert "disbursed = 2025-12-15" in text
    assert Decimal(exported(data)["household"]["savings"]) == Decimal(600)
    assert isinstance(exported(data)["case"]["as_of"], date)
    assert not isinstance(exported(data)["case"]["as_of"], datetime | time)
