"""Who is collecting (issue 11, item 1): ``[debts.collector]``, a contact's ``collector``,
letters to the collector, and the creditor collecting its own debt (FDCPA §1692a(6);
``/work/shared/domain/rules-cn-us.md``)."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from arrears.case import load_case
from arrears.contacts import check
from arrears.contacts.log import parse_log
from arrears.errors import InputError
from arrears.letters.model import build_letter
from arrears.rules import load_pack
from arrears.store import document

from .conftest import run_cli

CARD = """
[case]
jurisdiction = "us"
currency = "USD"
timezone = "America/New_York"
as_of = 2026-11-28

[[debts]]
id = "card"
kind = "credit_card"
lender = "Big Bank"
balance = "4850"
balance_date = 2026-10-01
rate = "27.99%"
rate_basis = "annual"
statement_day = 1
payment_due_days = 25
min_payment = "2%"
"""

COLLECTOR = """
[debts.collector]
name = "ABC Collections"
address = "1 Main St, Columbus, OH 43215"
since = 2026-11-01
"""

OWN = """
[debts.collector]
name = "Big Bank"
address = "100 Bank Plaza, Cleveland, OH 44114"
"""

LATE = """
[[contacts]]
at = "2026-11-10 22:30"
channel = "call"
debt = "card"
"""


def _findings(text: str) -> list[tuple[str, bool]]:
    log = parse_log(tomllib.loads(text), "c.toml")
    return [(f.rule.id, f.creditor) for f in check(log, load_pack("us"))]


def test_a_late_call_by_a_third_party_collector_is_an_fdcpa_finding() -> None:
    assert _findings(CARD + COLLECTOR + LATE) == [("us.conduct.hours", False)]


def test_the_creditor_collecting_its_own_debt_is_said_to_be_outside_the_fdcpa() -> None:
    assert _findings(CARD + OWN + LATE) == [("us.conduct.hours", True)]
    # a contact's own collector decides, whatever the debt's
    named = LATE + 'collector = "big bank"\n'
    assert _findings(CARD + COLLECTOR + named) == [("us.conduct.hours", True)]
    # before the collector took over (since), nobody is named: no note either way
    early = LATE.replace("2026-11-10", "2026-10-20")
    assert _findings(CARD + COLLECTOR + early) == [("us.conduct.hours", False)]


def test_the_finding_message_and_json_say_so(tmp_path: Path) -> None:
    path = tmp_path / "own.toml"
    path.write_text(CARD + OWN + LATE, encoding="utf-8")
    run = run_cli("contacts", str(path), "--json")
    assert run.code == 0, run.err
    finding = json.loads(run.out)["findings"][0]
    assert finding["creditor_collects"] is True
    assert "FDCPA may not apply" in finding["message"]
    assert "Rosenthal" in finding["message"]


@pytest.mark.parametrize("kind", ["validation", "dispute", "stop-contact"])
def test_a_letter_to_the_collector_is_refused_without_one(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(CARD, encoding="utf-8")
    out = tmp_path / "letter.md"
    run = run_cli("letter", str(path), "--debt", "card", "--kind", kind, "-o", str(out))
    assert run.code == 2, run.err
    assert len(run.err.splitlines()) == 1, run.err
    assert "debts[0].collector" in run.err
    assert "[debts.collector]" in run.err
    assert not out.exists()


@pytest.mark.parametrize("kind", ["validation", "dispute", "stop-contact"])
def test_the_letter_goes_to_the_collector(kind: str) -> None:
    case = load_case(CARD + COLLECTOR, "c.toml")
    assert case.as_of is not None
    letter = build_letter(case, "card", kind, case.as_of, "en")
    assert letter.model["collector"]["name"] == "ABC Collections"
    assert letter.model["creditor_collects"] is False
    from arrears.letters.render import render_letter

    text = render_letter(letter, "md")
    assert isinstance(text, str)
    assert "To: ABC Collections, 1 Main St" in text
    assert "Rosenthal" not in text


def test_a_letter_to_the_creditor_collecting_itself_says_the_fdcpa_may_not_apply() -> None:
    case = load_case(CARD + OWN, "c.toml")
    assert case.as_of is not None
    from arrears.letters.render import render_letter

    letter = build_letter(case, "card", "validation", case.as_of, "en")
    assert letter.model["creditor_collects"] is True
    text = render_letter(letter, "md")
    assert isinstance(text, str)
    assert "may not apply" in text
    assert "Rosenthal" in text
    assert "licensed" not in text  # no collection licence asked of the creditor


@pytest.mark.parametrize(("table", "where"), [
    ('[debts.collector]\naddress = "x"\n', "debts[0].collector.name"),
    ('[debts.collector]\nname = ""\n', "debts[0].collector.name"),
    ('[debts.collector]\nname = "X"\nsince = "soon"\n', "debts[0].collector.since"),
])
def test_a_bad_collector_is_one_located_line(table: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        load_case(CARD + table, "c.toml")
    assert [p.where for p in caught.value.problems] == [f"c.toml: {where}"]


def test_the_store_keeps_the_collectors() -> None:
    data = tomllib.loads(CARD + COLLECTOR + LATE + 'collector = "Other Co"\n')
    back = document.normalise(data)
    assert back["debts"][0]["collector"] == data["debts"][0]["collector"]
    assert back["contacts"][0]["collector"] == "Other Co"


def test_a_goodwill_letter_goes_to_the_lender_and_lists_the_late_fees() -> None:
    """us-case.toml: the store card, unpaid from 2026-04-29, is charged 30.00 at seven
    missed due dates by 2026-11-28: 210.00."""
    from arrears.letters.render import render_letter

    path = Path(__file__).parent / "golden" / "letters" / "us-case.toml"
    case = load_case(path.read_text(encoding="utf-8"), "us-case.toml")
    assert case.as_of is not None
    letter = build_letter(case, "store-card", "goodwill", case.as_of, "en")
    assert letter.model["late_fees_total"] == "210.00"
    assert len(letter.model["late_fees"]) == 7
    text = render_letter(letter, "md")
    assert isinstance(text, str)
    assert "To: Example Store Card Bank" in text
    assert "1026.52(b)(2)(i)(A)" in text


def test_a_goodwill_letter_is_refused_without_a_late_fee() -> None:
    case = load_case(CARD, "c.toml")
    with pytest.raises(InputError) as caught:
        build_letter(case, "card", "goodwill", date(2026, 10, 20), "en")
    assert [p.where for p in caught.value.problems] == ["--kind"]
