"""The FDCPA checked on a contact log (issue 11, item 2), worked by hand.

One week in Ohio (America/New_York; eastern standard time from 2026-11-01): each rule of the
us pack broken once, with lawful contacts beside each breach, so a rule that fires too widely
or not at all fails here. Sections and figures: ``/work/shared/domain/rules-cn-us.md``,
"FDCPA conduct rules that a contact log can check".
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from arrears.case import parse_case
from arrears.contacts import check
from arrears.contacts.log import parse_log
from arrears.errors import InputError
from arrears.rules import load_pack
from arrears.store import document

from .conftest import run_cli

CASE = """
[case]
jurisdiction = "us"
currency = "USD"
timezone = "America/New_York"
represented_by = 2026-11-07

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

[[debts]]
id = "loan"
lender = "Small Lender"
principal = "3000"
rate = "12%"
rate_basis = "annual"
term_months = 24
disbursed = 2025-06-01

[[debts]]
id = "medical"
lender = "City Hospital"
principal = "900"
rate = "0%"
rate_basis = "annual"
term_months = 12
disbursed = 2026-01-01

[[letters_sent]]
kind = "dispute"
date = 2026-11-03
to = "ABC Collections"

[[letters_sent]]
kind = "stop-contact"
date = 2026-11-05
to = "XYZ Recovery"
"""

# (local time, channel, from, debt, extra keys); the index is the contact's place in the file.
CONTACTS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    # 0-7: DEF Agency, 8 missed calls in 4 days about the medical bill: the 8th is the 8th
    # within 7 consecutive days (Reg F 1006.14(b)(2)(i)); the first 7 are lawful.
    *[(f"2026-11-0{1 + n // 2}T{10 + 5 * (n % 2)}:00:00", "missed_call", "DEF Agency",
       "medical", {}) for n in range(8)],
    # 8: ABC, the first contact about the card: an answered call, lawful; the person says
    # the employer forbids calls at work.
    ("2026-11-02T09:00:00", "call", "ABC Collections", "card", {"flags": ["employer_forbids"]}),
    # 9: a text at 18:00: lawful.  10: a text at 21:30: after 9 p.m. (§1692c(a)(1)).
    ("2026-11-02T18:00:00", "sms", "ABC Collections", "card", {}),
    ("2026-11-02T21:30:00", "sms", "ABC Collections", "card", {}),
    # 11: a text to the work phone after being told the employer forbids it (§1692c(a)(3)).
    ("2026-11-03T11:00:00", "sms", "ABC Collections", "card", {"flags": ["at_work"]}),
    # 12: a call the day after the conversation of 2026-11-02 (Reg F 1006.14(b)(2)(ii)).
    ("2026-11-03T14:00:00", "missed_call", "ABC Collections", "card", {}),
    # 13: a call to the employer that tells it about the debt (§1692c(b) and §1692b(2)).
    ("2026-11-03T15:00:00", "call", "ABC Collections", "card",
     {"to": "employer", "flags": ["disclosure"]}),
    # 14: a call to the family to find the person, saying nothing of the debt: lawful
    # (§1692b location contact).
    ("2026-11-03T16:00:00", "call", "ABC Collections", "card",
     {"to": "family", "note": "trying to locate you, could not reach you"}),
    # 15: a text the day after the written dispute of 2026-11-03, within 30 days of the
    # first contact (2026-11-02) (§1692g(b)).
    ("2026-11-04T10:00:00", "sms", "ABC Collections", "card", {}),
    # 16-18: XYZ Recovery about the loan: a threat (§1692d), posing as a court official
    # (§1692e), an extra fee demanded by letter (§1692f(1)).  19: a text, lawful.
    ("2026-11-04T10:00:00", "sms", "XYZ Recovery", "loan", {"flags": ["threat"]}),
    ("2026-11-04T11:00:00", "sms", "XYZ Recovery", "loan", {"flags": ["impersonation"]}),
    ("2026-11-04T12:00:00", "letter", "XYZ Recovery", "loan", {"flags": ["extra_fee"]}),
    ("2026-11-04T13:00:00", "sms", "XYZ Recovery", "loan", {}),
    # 20: a text on the day of the stop-contact letter: lawful (not yet after it).
    # 21: a text the day after it (§1692c(c)).  22: a letter after it: lawful (the collector
    # may write to say collection ends or a remedy will be used).
    ("2026-11-05T17:00:00", "sms", "XYZ Recovery", "loan", {}),
    ("2026-11-06T10:00:00", "sms", "XYZ Recovery", "loan", {}),
    ("2026-11-07T10:00:00", "letter", "XYZ Recovery", "loan", {}),
    # 23: DEF texts the person the day after the collector was told an attorney
    # represents them (represented_by = 2026-11-07) (§1692c(a)(2)).
    ("2026-11-08T10:00:00", "sms", "DEF Agency", "medical", {}),
]

EXPECTED = {
    ("us.conduct.seven_in_seven", (0, 1, 2, 3, 4, 5, 6, 7)),
    ("us.conduct.hours", (10,)),
    ("us.conduct.at_work", (8, 11)),
    ("us.conduct.after_conversation", (8, 12)),
    ("us.conduct.third_party", (13,)),
    ("us.conduct.location_disclosure", (13,)),
    ("us.conduct.dispute_window", (15,)),
    ("us.conduct.harassment", (16,)),
    ("us.conduct.false_representation", (17,)),
    ("us.conduct.unfair_means", (18,)),
    ("us.conduct.stop_contact", (21,)),
    ("us.conduct.represented", (23,)),
}


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value)


def case_text(contacts: list[tuple[str, str, str, str, dict[str, Any]]] = CONTACTS,
              head: str = CASE) -> str:
    out = [head]
    for at, channel, sender, debt, keys in contacts:
        out.append(f'\n[[contacts]]\nat = "{at}"\nchannel = "{channel}"\nfrom = "{sender}"\n'
                   f'debt = "{debt}"\n')
        out.extend(f"{k} = {_toml_value(v)}\n" for k, v in keys.items())
    return "".join(out)


def _findings(text: str) -> set[tuple[str, tuple[int, ...]]]:
    log = parse_log(tomllib.loads(text), "week.toml")
    return {(f.rule.id, tuple(c.index for c in f.contacts))
            for f in check(log, load_pack("us"))}


def test_a_week_with_one_breach_of_each_rule_and_lawful_contacts_beside() -> None:
    assert _findings(case_text()) == EXPECTED


def test_every_us_conduct_rule_is_exercised_by_the_week() -> None:
    kinds = {r.id for r in load_pack("us").rules if r.kind.startswith("conduct_")
             and r.kind not in ("conduct_scope", "conduct_deadline")}
    assert kinds == {rule for rule, _ in EXPECTED}


def test_each_finding_shows_the_last_day_to_sue_one_year_on() -> None:
    log = parse_log(tomllib.loads(case_text()), "week.toml")
    for finding in check(log, load_pack("us")):
        day = finding.first.local.date()
        assert finding.sue_by == date(day.year + 1, day.month, day.day), finding.rule.id


def test_a_contact_one_day_after_a_stop_contact_letter() -> None:
    head = CASE.replace("represented_by = 2026-11-07\n", "")
    text = case_text([("2026-11-06T09:00:00", "sms", "XYZ Recovery", "loan", {})], head)
    assert _findings(text) == {("us.conduct.stop_contact", (0,))}
    # the same text on the day of the letter is lawful; from another collector too
    same_day = case_text([("2026-11-05T20:00:00", "sms", "XYZ Recovery", "loan", {}),
                          ("2026-11-06T09:00:00", "sms", "Other Co", "card", {})], head)
    assert _findings(same_day) == set()


def test_a_call_to_the_employer_flagged_disclosure_is_a_finding_even_to_locate() -> None:
    head = CASE.replace("represented_by = 2026-11-07\n", "")
    text = case_text([("2026-11-02T12:00:00", "call", "ABC Collections", "card",
                       {"to": "employer", "flags": ["disclosure"],
                        "note": "trying to locate you"})], head)
    assert _findings(text) == {("us.conduct.third_party", (0,)),
                               ("us.conduct.location_disclosure", (0,))}


def test_no_third_party_contact_goes_unchecked_under_the_us_pack() -> None:
    """Any contact with someone else, not a location contact, is a §1692c(b) finding."""
    head = CASE.replace("represented_by = 2026-11-07\n", "")
    for to in ("family", "employer", "contact", "other"):
        text = case_text([("2026-11-02T12:00:00", "sms", "ABC Collections", "card",
                           {"to": to})], head)
        assert _findings(text) == {("us.conduct.third_party", (0,))}, to


def test_the_json_carries_sue_by(tmp_path: Path) -> None:
    path = tmp_path / "week.toml"
    path.write_text(case_text(), encoding="utf-8")
    run = run_cli("contacts", str(path), "--json")
    assert run.code == 0, run.err
    findings = json.loads(run.out)["findings"]
    stop = [f for f in findings if f["rule"] == "us.conduct.stop_contact"]
    assert [f["sue_by"] for f in stop] == ["2027-11-06"]
    assert "November 6, 2027" in stop[0]["message"]  # US date (issue 11, item 3)


@pytest.mark.parametrize(("extra", "where"), [
    ('[[letters_sent]]\nkind = "nope"\ndate = 2026-11-01\nto = "X"\n', "letters_sent[2].kind"),
    ('[[letters_sent]]\nkind = "dispute"\ndate = "soon"\nto = "X"\n', "letters_sent[2].date"),
    ('[[letters_sent]]\nkind = "dispute"\ndate = 2026-11-01\n', "letters_sent[2].to"),
])
def test_a_bad_letter_sent_is_one_located_line(extra: str, where: str,
                                                tmp_path: Path) -> None:
    text = CASE + extra
    with pytest.raises(InputError) as caught:
        parse_log(tomllib.loads(text), "c.toml")
    assert [p.where for p in caught.value.problems] == [f"c.toml: {where}"]
    with pytest.raises(InputError) as by_case:
        parse_case(tomllib.loads(text), "c.toml")
    assert [p.where for p in by_case.value.problems] == [f"c.toml: {where}"]
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    run = run_cli("status", str(path))
    assert run.code == 2, run.err
    assert run.err.count("\n") == 1, run.err
    assert where in run.err


def test_represented_by_must_be_a_date() -> None:
    text = CASE.replace("represented_by = 2026-11-07", 'represented_by = "later"')
    with pytest.raises(InputError) as caught:
        parse_case(tomllib.loads(text), "c.toml")
    assert [p.where for p in caught.value.problems] == ["c.toml: case.represented_by"]


def test_the_store_keeps_letters_sent_and_represented_by() -> None:
    data = tomllib.loads(case_text())
    back = document.normalise(data)
    assert back["letters_sent"] == data["letters_sent"]
    assert back["case"]["represented_by"] == date(2026, 11, 7)
