"""One contract for every case store: the in-memory fake, SQLite and PostgreSQL.

The PostgreSQL runs need the server on 127.0.0.1:5432 (see ``tests/store_databases.py``): a
missing server fails them, it never skips them silently."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from arrears.errors import ConflictError, InputError
from arrears.store.document import normalise
from arrears.store.fake import FakeRepository
from arrears.store.repository import CaseRepository, LetterSent, Role, User
from tests.store_databases import ENGINES, fresh_url, postgres_server  # noqa: F401 - fixture

DEMO = Path(__file__).parent.parent / "examples" / "demo.toml"


def demo() -> dict[str, Any]:
    return tomllib.loads(DEMO.read_text(encoding="utf-8"))


@pytest.fixture(params=["fake", *ENGINES])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseRepository]:
    """The fake, then each database engine."""
    if request.param == "fake":
        yield FakeRepository()
        return
    from arrears.store.database import open_store

    with open_store(fresh_url(request.param, request, tmp_path)) as repository:
        yield repository


def where(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [p.where for p in error.value.problems]


def test_a_case_comes_back_as_imported(repo: CaseRepository) -> None:
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    stored = repo.get(case_id)
    assert stored.data == normalise(demo())
    assert stored.version == 1
    assert stored.source == "demo.toml"
    # amounts come back exact, written to the fen
    assert stored.data["debts"][0]["principal"] == "30000.00"
    assert stored.data["debts"][0]["payments"][0] == {"date": date(2026, 1, 15),
                                                      "amount": "2900.40"}
    assert [r.action for r in repo.history(case_id)] == ["import"]
    assert repo.history(case_id)[0].actor == "ana"
    assert repo.history(case_id)[0].at.utcoffset() == timedelta(0)


def test_listed_newest_first(repo: CaseRepository) -> None:
    first = repo.add_case(demo(), source="a.toml", actor="ana")
    second = repo.add_case({**demo(), "case": {**demo()["case"], "name": "Li Lei"}},
                           source="b.toml", actor="ana")
    repo.add_payment(first, "car-loan", {"date": date(2026, 12, 10), "amount": "538.36"},
                     actor="ana")
    listed = repo.list_cases()
    assert [c.id for c in listed] == [first, second]
    assert [c.name for c in listed] == ["a.toml", "Li Lei"]
    assert [c.debts for c in listed] == [3, 3]
    assert [c.version for c in listed] == [2, 1]


def test_a_case_with_a_problem_is_not_stored(repo: CaseRepository) -> None:
    data = demo()
    data["debts"][0]["rate"] = "abc"
    data["contacts"] = [{"at": "2026-11-27 22:40", "channel": "pigeon"}]
    with pytest.raises(InputError) as error:
        repo.add_case(data, source="case.toml", actor="ana")
    assert where(error) == ["case.toml: debts[0].rate", "case.toml: contacts[0].channel"]
    assert repo.list_cases() == []


def test_a_payment_is_a_new_version(repo: CaseRepository) -> None:
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    version = repo.add_payment(case_id, "online-loan",
                               {"date": "2026-11-20", "amount": "1,000", "note": "by app"},
                               actor="bo", expected_version=1)
    assert version == 2
    stored = repo.get(case_id)
    assert stored.version == 2
    assert stored.data["debts"][0]["payments"][-1] == {
        "date": date(2026, 11, 20), "amount": "1000.00", "note": "by app"}
    assert [(r.version, r.actor, r.action) for r in repo.history(case_id)] == [
        (1, "ana", "import"), (2, "bo", "payment")]


def test_a_bad_payment_is_refused_with_its_key_path(repo: CaseRepository) -> None:
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    with pytest.raises(InputError) as error:
        repo.add_payment(case_id, "online-loan", {"date": "2026-11-20", "amount": "-5"},
                         actor="bo")
    assert where(error) == [f"@{case_id}: debts[0].payments[7].amount"]
    with pytest.raises(InputError) as error:
        repo.add_payment(case_id, "online-loan", {"date": "2020-01-01", "amount": "5"},
                         actor="bo")
    # (the case reader numbers this one in date order: the new payment is the first)
    assert where(error) == [f"@{case_id}: debts[0].payments[0].date"]
    with pytest.raises(InputError) as error:
        repo.add_payment(case_id, "no-such-debt", {"date": "2026-11-20", "amount": "5"},
                         actor="bo")
    assert where(error) == ["--debt"]
    assert repo.get(case_id).version == 1


def test_mass_assignment_is_refused(repo: CaseRepository) -> None:
    """A payment carrying the store's own fields is refused as a whole, nothing written."""
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    other = repo.add_case(demo(), source="other.toml", actor="ana")
    with pytest.raises(InputError) as error:
        repo.add_payment(case_id, "online-loan",
                         {"date": "2026-11-20", "amount": "5", "case_id": other,
                          "added_in": 0, "version": 99}, actor="bo")
    assert where(error) == ["payment.case_id", "payment.added_in", "payment.version"]
    with pytest.raises(InputError) as error:
        repo.add_contact(case_id, {"at": "2026-11-27 22:40", "channel": "call",
                                   "removed_in": 1}, actor="bo")
    assert where(error) == ["contact.removed_in"]
    assert repo.get(case_id).version == 1
    assert repo.get(other).version == 1


def test_keys_in_a_case_file_never_reach_the_stores_own_columns(repo: CaseRepository) -> None:
    """``id``/``version``/``case_id`` written in a case file are data, kept as written."""
    data = demo()
    data["case"]["id"] = "someone-elses-case"
    data["version"] = 1000
    data["debts"][0]["case_id"] = "x"
    data["debts"][0]["row_id"] = 1
    case_id = repo.add_case(data, source="demo.toml", actor="ana")
    stored = repo.get(case_id)
    assert stored.id == case_id != "someone-elses-case"
    assert stored.version == 1
    assert stored.data["version"] == 1000
    assert stored.data["debts"][0]["case_id"] == "x"


def test_sql_injection_is_only_text(repo: CaseRepository) -> None:
    data = demo()
    evil = "'); DROP TABLE cases;--"
    data["debts"][0]["lender"] = evil
    data["debts"][0]["id"] = evil
    data["household"]["income_changes"][0]["month"] = "2027-03"
    case_id = repo.add_case(data, source=evil, actor=evil)
    repo.add_payment(case_id, evil, {"date": "2026-11-20", "amount": "1", "note": evil},
                     actor=evil)
    stored = repo.get(case_id)
    assert stored.data["debts"][0]["lender"] == evil
    assert stored.data["debts"][0]["payments"][-1]["note"] == evil
    with pytest.raises(InputError):
        repo.get("x' OR '1'='1")
    assert [c.id for c in repo.list_cases()] == [case_id]


def test_an_edit_from_an_old_version_is_a_conflict(repo: CaseRepository) -> None:
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    seen = repo.get(case_id).version
    repo.add_payment(case_id, "online-loan", {"date": "2026-11-20", "amount": "100"},
                     actor="ana", expected_version=seen)
    with pytest.raises(ConflictError) as error:
        repo.add_payment(case_id, "online-loan", {"date": "2026-11-21", "amount": "200"},
                         actor="bo", expected_version=seen)
    assert where(error) == [f"@{case_id}"]
    assert error.value.problems[0].params == {"current": 2, "expected": 1}
    payments = repo.get(case_id).data["debts"][0]["payments"]
    assert [p["amount"] for p in payments[-2:]] == ["2900.40", "100.00"]


def test_a_correction_keeps_the_history(repo: CaseRepository) -> None:
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    corrected = demo()
    corrected["debts"][0]["rate"] = "17%"
    assert repo.replace(case_id, corrected, actor="bo", expected_version=1) == 2
    assert repo.get(case_id).data["debts"][0]["rate"] == "17%"
    with pytest.raises(ConflictError):
        repo.replace(case_id, demo(), actor="cy", expected_version=1)
    assert [r.action for r in repo.history(case_id)] == ["import", "replace"]


def test_contacts_and_their_evidence(repo: CaseRepository) -> None:
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    digest = "a" * 64
    version = repo.add_contact(
        case_id, {"at": "2026-11-27T22:40:00+08:00", "channel": "call", "from": "138xxxx0000",
                  "flags": ["threat"], "evidence": ["calls/1.m4a"]},
        actor="ana", evidence={"calls/1.m4a": (digest, 1234)})
    assert version == 2
    stored = repo.get(case_id)
    assert stored.data["contacts"] == [{
        "at": "2026-11-27T22:40:00+08:00", "channel": "call", "from": "138xxxx0000",
        "flags": ["threat"], "evidence": ["calls/1.m4a"]}]
    assert stored.evidence == (("calls/1.m4a", digest, 1234),)
    with pytest.raises(InputError) as error:
        repo.add_contact(case_id, {"at": "2026-11-27", "channel": "call"}, actor="ana")
    assert where(error) == [f"@{case_id}: contacts[1].at"]


def test_letters_sent(repo: CaseRepository) -> None:
    case_id = repo.add_case(demo(), source="demo.toml", actor="ana")
    letter = LetterSent("hardship", date(2026, 12, 1), debt="online-loan", note="by post")
    assert repo.record_letter(case_id, letter, actor="ana") == 2
    assert repo.get(case_id).letters == (letter,)
    with pytest.raises(InputError):
        repo.record_letter(case_id, LetterSent("hardship", date(2026, 12, 1), debt="nope"),
                           actor="ana")


def test_who_sees_what(repo: CaseRepository) -> None:
    for name, role in (("root", Role.ADMIN), ("wang", Role.COUNSELLOR),
                       ("zhao", Role.COUNSELLOR), ("li", Role.CLIENT)):
        repo.add_user(User(name, role, "$argon2id$x"), actor="setup")
    mine = repo.add_case(demo(), source="li.toml", actor="ana")
    theirs = repo.add_case(demo(), source="other.toml", actor="ana")
    repo.assign(mine, "wang", actor="root")
    repo.assign(mine, "li", actor="root")
    assert repo.assign(mine, "li", actor="root") == 3  # already: no new version
    users = {name: repo.user(name) for name in ("root", "wang", "zhao", "li")}
    assert users["wang"] is not None
    assert users["wang"].role is Role.COUNSELLOR

    def seen(name: str) -> set[str]:
        return {c.id for c in repo.list_cases(viewer=users[name])}

    assert seen("root") == {mine, theirs}
    assert seen("wang") == seen("li") == {mine}
    assert seen("zhao") == set()
    assert repo.get(mine, viewer=users["li"]).assigned == ("wang", "li")
    for name in ("zhao", "li"):
        with pytest.raises(InputError) as error:  # not found, exactly as a missing case
            repo.get(theirs, viewer=users[name])
        assert where(error) == [f"@{theirs}"]
    with pytest.raises(InputError) as error:
        repo.assign(mine, "nobody", actor="root")
    assert where(error) == ["--to"]
    with pytest.raises(InputError) as error:
        repo.add_user(User("wang", Role.CLIENT, "$argon2id$y"), actor="setup")
    assert where(error) == ["NAME"]


def test_a_missing_case(repo: CaseRepository) -> None:
    for case_id in ("000000000000", "x" * 40, ""):
        with pytest.raises(InputError) as error:
            repo.get(case_id)
        assert where(error) == [f"@{case_id}"]
    with pytest.raises(InputError):
        repo.add_payment("000000000000", "a", {"date": "2026-01-01", "amount": "1"},
                         actor="ana")


def test_the_largest_amounts_round_trip(repo: CaseRepository) -> None:
    """SQLite keeps NUMERIC as a float: the largest amount a case may hold (10^15 less a
    fen, docs/case-file.md, Ranges), 999999999999999.99, would come back as
    1000000000000000.00. The store keeps it exact on both engines (the column itself is
    checked at 9999999999999999.99 in test_store_database.py)."""
    data = demo()
    data["household"]["savings"] = "999999999999999.99"
    data["household"]["monthly_income"] = "0.01"
    data["household"]["essential_expenses"] = "-999999999999999.99"
    data["household"]["floor"] = "999999999999999.99"
    case_id = repo.add_case(data, source="demo.toml", actor="ana")
    household = repo.get(case_id).data["household"]
    assert household["savings"] == "999999999999999.99"
    assert household["monthly_income"] == "0.01"
    assert household["essential_expenses"] == "-999999999999999.99"
    assert household["floor"] == "999999999999999.99"
    assert Decimal(household["savings"]) == Decimal("999999999999999.99")
