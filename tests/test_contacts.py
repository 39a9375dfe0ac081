"""The collection log (docs/contacts.md): a generated week of contacts with known violations
for each pack — every violation found, no finding on the lawful ones, US local time through
daylight saving time — located problems, ``contacts add`` keeping every other byte and
surviving a crash, and the evidence report.

A finding is compared as (rule id, the ``at`` of the contacts it rests on)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import tomllib
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from arrears.contacts import check, load_log
from arrears.contacts.append import NewContact, add_contact, toml_string
from arrears.contacts.conduct import CHECKS, LOG_CHECKS
from arrears.errors import InputError
from arrears.i18n import current, render, set_language
from arrears.rules import load_pack

from .conftest import run_cli

BEIJING = timezone(timedelta(hours=8))
NEW_YORK = ZoneInfo("America/New_York")
Expected = set[tuple[str, tuple[str, ...]]]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are compared in English; ``--lang`` in a test changes the process's language."""
    before = current()
    set_language("en")
    yield
    set_language(before)


def _in_process(*args: str) -> tuple[int, str, str]:
    """``arrears ARGS`` in this process (the commands registered by importing their module)."""
    import arrears.cli_contacts  # noqa: F401 - registers ``contacts``
    from arrears.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_string(v) for v in value) + "]"
    return toml_string(str(value))


@dataclass
class Week:
    """A collection log being generated, and the findings it must give."""

    head: str
    zone: tzinfo
    entries: list[str] = field(default_factory=list)
    expected: Expected = field(default_factory=set)

    def add(self, day: date, clock: str, channel: str, **keys: Any) -> str:
        """A contact at local ``day`` + ``clock``; returns its ``at`` as the JSON shows it.
        US contacts are written in UTC, so only the case's timezone gives their local time."""
        local = datetime.combine(day, time.fromisoformat(clock), self.zone)
        at = local if self.zone is BEIJING else local.astimezone(UTC)
        lines = ["[[contacts]]", f"at = {at.isoformat()}", f'channel = "{channel}"']
        lines += [f"{key} = {_value(value)}" for key, value in keys.items()]
        self.entries.append("\n".join(lines) + "\n")
        return at.isoformat()

    def expect(self, rule: str, *stamps: str) -> None:
        self.expected.add((rule, tuple(stamps)))

    def text(self, rng: random.Random) -> str:
        entries = list(self.entries)
        rng.shuffle(entries)  # the file's order must not matter
        return self.head + "\n" + "\n".join(entries)


def _found(text: str) -> Expected:
    log = load_log(text, "case.toml")
    return {(f.rule.id, tuple(c.stamp for c in f.contacts))
            for f in check(log, load_pack(log.jurisdiction))}


def _lawful_times(rng: random.Random, count: int, start: int = 8 * 60,
                  end: int = 22 * 60 - 1) -> Iterator[str]:
    for minute in sorted(rng.sample(range(start, end + 1), count)):
        yield f"{minute // 60:02d}:{minute % 60:02d}"


def cn_week(seed: int) -> tuple[str, Expected]:
    """Seven days, 2026-11-23 to 2026-11-29. Debt ``online-loan`` gets random lawful traffic
    (08:00–21:59, at most 3 answered and 6 unanswered calls a day, messages); debt ``card``
    gets the violations, each expected, and lawful contacts at the limits."""
    rng = random.Random(seed)
    w = Week('[case]\njurisdiction = "cn"\n\n[[debts]]\nid = "online-loan"\n\n'
             '[[debts]]\nid = "card"\n', BEIJING)
    days = [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    for day in days:
        answered, unanswered, messages = (rng.randint(0, 3), rng.randint(0, 6),
                                          rng.randint(0, 3))
        clocks = _lawful_times(rng, answered + unanswered + messages)
        for _ in range(answered):
            w.add(day, next(clocks), "call", debt="online-loan", answered=True,
                  **{"from": "95xxx"})
        for number in range(unanswered):
            w.add(day, next(clocks), "missed_call" if number % 2 else "call",
                  debt="online-loan", answered=False)
        for _ in range(messages):
            w.add(day, next(clocks), rng.choice(["sms", "app", "wechat"]), debt="online-loan")
    d0, d1, d2, d3, d4, d5, d6 = days
    # Hours: 22:00 is already too late, 08:00 and 21:59:59 are not; a letter has no hour.
    w.expect("cn.conduct.hours", w.add(d0, "22:40", "call", debt="card", answered=True))
    w.expect("cn.conduct.hours", w.add(d0, "07:59", "sms", debt="card"))
    w.expect("cn.conduct.hours", w.add(d0, "22:00", "wechat", debt="card"))
    w.add(d0, "08:00", "sms", debt="card")
    w.add(d0, "21:59:59", "app", debt="card")
    w.add(d0, "03:00", "letter", debt="card")
    # Four answered calls in a day about one debt; seven unanswered attempts.
    w.expect("cn.conduct.answered_calls",
             *[w.add(d1, f"{h}:00", "call", debt="card") for h in (10, 11, 12, 13)])
    w.expect("cn.conduct.unanswered_calls",
             *[w.add(d2, f"{h:02d}:00", "missed_call", debt="card") for h in range(9, 16)])
    # Third parties: only to locate an unreachable debtor, never about the debt.
    w.expect("cn.conduct.third_party", w.add(d3, "10:00", "call", debt="card", to="family"))
    w.add(d3, "11:00", "call", debt="card", to="contact",
          note="说联系不上本人，请转告回电")
    told = w.add(d3, "15:00", "visit", debt="card", to="employer", flags=["disclosure"],
                 note="到单位找领导说我欠钱")
    for rule in ("cn.conduct.third_party", "cn.conduct.disclosure", "cn.conduct.privacy"):
        w.expect(rule, told)
    # Prohibited practices.
    threat = w.add(d4, "10:00", "sms", debt="card", flags=["threat"], note="不还就去你家")
    for rule in ("cn.conduct.threat", "cn.conduct.harassment_punishable",
                 "cn.conduct.illegal_debt_crime"):
        w.expect(rule, threat)
    insult = w.add(d4, "11:00", "call", debt="card", flags=["insult"])
    for rule in ("cn.conduct.insult", "cn.conduct.harassment_punishable"):
        w.expect(rule, insult)
    for clock, flag in (("09:00", "impersonation"), ("10:00", "fake_legal"),
                        ("11:00", "extra_fee"), ("12:00", "new_loan")):
        w.expect(f"cn.conduct.{flag}",
                 w.add(d5, clock, "wechat", debt="card", flags=[flag]))
    posted = w.add(d5, "13:00", "app", debt="card", flags=["public_posting"])
    w.expect("cn.conduct.public_posting", posted)
    w.expect("cn.conduct.privacy", posted)
    # At the limits: three answered calls and six unanswered attempts in a day.
    for clock in ("09:00", "12:00", "21:59"):
        w.add(d6, clock, "call", debt="card")
    for clock in ("10:00", "10:10", "10:20", "10:30", "10:40", "10:50"):
        w.add(d6, clock, "missed_call", debt="card")
    return w.text(rng), w.expected


@pytest.mark.parametrize("seed", range(8))
def test_cn_week_every_violation_and_nothing_else(seed: int) -> None:
    text, expected = cn_week(seed)
    assert _found(text) == expected


def us_week(seed: int) -> tuple[str, Expected]:
    """Eight days in New York across the end of daylight saving time (2026-11-01, 02:00 EDT
    → 01:00 EST), every ``at`` written in UTC. ``medical`` gets one call a day on seven days
    (at the 7-in-7 limit) and texts; ``card`` eight calls in four days; ``auto`` a
    conversation, a call later that day and one on the seventh day (both presumed
    violations), then one on the eighth (lawful)."""
    rng = random.Random(seed)
    w = Week('[case]\njurisdiction = "us"\ntimezone = "America/New_York"\n', NEW_YORK)
    days = [date(2026, 10, 29) + timedelta(days=n) for n in range(8)]
    for day in days[:7]:
        w.add(day, next(_lawful_times(rng, 1, 8 * 60, 21 * 60)), "call", debt="medical",
              answered=False)
        for clock in _lawful_times(rng, rng.randint(0, 3), 8 * 60, 21 * 60):
            w.add(day, clock, "sms", debt="medical")
    w.expect("us.conduct.seven_in_seven",
             *[w.add(days[n // 2], f"{9 + n:02d}:15", "missed_call", debt="card")
               for n in range(8)])
    talk = w.add(days[0], "10:00", "call", debt="auto", answered=True)
    later = w.add(days[0], "16:00", "call", debt="auto", answered=False)
    seventh = w.add(days[6], "09:00", "missed_call", debt="auto")
    w.expect("us.conduct.after_conversation", talk, later, seventh)
    w.add(days[7], "09:00", "missed_call", debt="auto")
    # Hours in local time through the change: 12:30 UTC is 08:30 EDT on Oct 31 (lawful) but
    # 07:30 EST on Nov 1 (too early); 21:00 is still lawful, 21:01 is not.
    w.add(date(2026, 10, 31), "08:30", "sms", debt="phone")
    w.expect("us.conduct.hours", w.add(date(2026, 11, 1), "07:30", "sms", debt="phone"))
    w.add(date(2026, 11, 2), "21:00", "sms", debt="phone")
    w.expect("us.conduct.hours", w.add(date(2026, 11, 2), "21:01", "sms", debt="phone"))
    # Not the consumer: not counted by the hours or Reg F rules, but each, not a location
    # contact, is a §1692c(b) finding (issue 11: no third-party contact goes unchecked).
    for clock in ("22:30", "23:00"):
        w.expect("us.conduct.third_party",
                 w.add(days[1], clock, "call", debt="card", to="family", answered=True))
    return w.text(rng), w.expected


@pytest.mark.parametrize("seed", range(8))
def test_us_week_every_violation_and_nothing_else(seed: int) -> None:
    text, expected = us_week(seed)
    assert _found(text) == expected


def test_us_week_writes_utc_so_the_timezone_decides() -> None:
    """The same instants: 12:30 UTC on Oct 31 and Nov 1 straddle the change of offset."""
    text, _ = us_week(0)
    assert "2026-10-31T12:30:00+00:00" in text
    assert "2026-11-01T12:30:00+00:00" in text


@pytest.mark.parametrize(("at", "late"), [
    ("2026-07-10T00:30:00Z", False),  # 8:30 pm EDT
    ("2026-01-10T00:30:00Z", False),  # 7:30 pm EST
    ("2026-07-10T01:30:00Z", True),   # 9:30 pm EDT
    ("2026-01-10T01:30:00Z", False),  # 8:30 pm EST
    ("2026-03-08T12:30:00Z", False),  # 8:30 am EDT, the first morning of DST
    ("2026-03-07T12:30:00Z", True),   # 7:30 am EST, the day before
])
def test_us_hours_follow_daylight_saving_time(at: str, late: bool) -> None:
    text = (f'[case]\njurisdiction = "us"\ntimezone = "America/New_York"\n\n'
            f'[[contacts]]\nat = {at}\nchannel = "call"\nanswered = false\n')
    assert bool(_found(text)) is late


def test_without_a_timezone_the_written_offset_is_local_time() -> None:
    text = ('[case]\njurisdiction = "us"\n\n[[contacts]]\nat = 2026-07-09T21:30:00-04:00\n'
            'channel = "call"\n\n[[contacts]]\nat = 2026-07-10T01:30:00Z\nchannel = "sms"\n')
    assert _found(text) == {("us.conduct.hours", ("2026-07-09T21:30:00-04:00",)),
                            ("us.conduct.hours", ("2026-07-10T01:30:00+00:00",))}


def test_a_local_time_in_the_file_is_read_in_the_case_timezone() -> None:
    head = '[case]\njurisdiction = "us"\ntimezone = "America/New_York"\n\n'
    log = load_log(head + '[[contacts]]\nat = 2026-03-08T08:30:00\nchannel = "sms"\n', "c")
    assert log.contacts[0].stamp == "2026-03-08T08:30:00-04:00"
    with pytest.raises(InputError) as error:
        load_log(head + '[[contacts]]\nat = 2026-03-08T02:30:00\nchannel = "sms"\n', "c")
    assert [render(p) for p in error.value.problems] == [
        "c: contacts[0].at: 2026-03-08 02:30:00 does not exist in America/New_York: the "
        "clocks were put forward"]


def test_cn_local_time_without_offset_is_china_time() -> None:
    log = load_log('[[contacts]]\nat = "2026-11-27 22:40"\nchannel = "call"\n', "c")
    assert log.contacts[0].stamp == "2026-11-27T22:40:00+08:00"
    assert log.contacts[0].answered  # a call was answered unless it says otherwise


def test_every_conduct_kind_is_checked() -> None:
    for jurisdiction in ("cn", "us"):
        for rule in load_pack(jurisdiction).rules:
            if rule.kind.startswith("conduct_"):
                assert rule.kind in CHECKS or rule.kind in LOG_CHECKS or rule.kind in (
                    "conduct_scope", "conduct_deadline"), rule.id


# ---- problems ----------------------------------------------------------------------------

BAD = """[case]
jurisdiction = "cn"

[[debts]]
id = "online-loan"

[[contacts]]
at = 2026-11-27T22:40:00+08:00
channel = "call"
debt = "onlne-loan"
colour = "red"

[[contacts]]
channel = "fax"
to = "neighbour"

[[contacts]]
at = 2026-11-27
channel = "missed_call"
answered = true
flags = ["threat", "rude"]
evidence = "a.m4a"
"""


def test_every_problem_at_once_located() -> None:
    with pytest.raises(InputError) as error:
        load_log(BAD, "case.toml")
    assert [render(p) for p in error.value.problems] == [
        "case.toml: contacts[1].at: is required",
        'case.toml: contacts[1].channel: "fax" is not one of call, missed_call, sms, app, '
        "wechat, visit, letter",
        'case.toml: contacts[1].to: "neighbour" is not one of debtor, family, employer, '
        "contact, other",
        "case.toml: contacts[2].at: needs a time of day, like 2026-11-27T22:40:00+08:00",
        'case.toml: contacts[2].answered: a missed call was not answered; write channel = '
        '"call"',
        'case.toml: contacts[2].flags[1]: "rude" is not one of threat, insult, '
        "impersonation, disclosure, extra_fee, new_loan, fake_legal, public_posting, at_work, "
        "employer_forbids",
        "case.toml: contacts[2].evidence: must be a list of text",
    ]


def test_warnings_for_unknown_keys_and_debts() -> None:
    log = load_log(BAD.split("[[contacts]]\nchannel", maxsplit=1)[0], "case.toml")
    assert [render(p) for p in log.warnings] == [
        'case.toml: contacts[0].colour: unknown key, ignored; did you mean "collector"?',
        'case.toml: contacts[0].debt: no debt has the id "onlne-loan"; the case has '
        "online-loan",
    ]


def test_case_level_problems() -> None:
    with pytest.raises(InputError) as error:
        load_log('contacts = 3\n[case]\njurisdiction = "fr"\ntimezone = "Mars/Olympus"\n',
                 "c")
    assert [render(p) for p in error.value.problems] == [
        'c: case.jurisdiction: "fr" is not one of cn, us',
        'c: case.timezone: "Mars/Olympus" is not a time zone; use a name like Asia/Shanghai '
        "or America/New_York",
        "c: contacts: must be an array of tables ([[contacts]])",
    ]
    with pytest.raises(InputError) as error:
        load_log('[case]\njurisdiction = "us"\n[[contacts]]\nat = 2026-01-01T10:00:00\n'
                 'channel = "sms"\n', "c")
    assert [render(p) for p in error.value.problems] == [
        "c: contacts[0].at: needs its UTC offset, like 2026-11-27T22:40:00-05:00, or a "
        "[case] timezone"]


def test_problems_exit_2_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(BAD, encoding="utf-8")
    code, out, err = _in_process("contacts", str(path), "--lang", "en")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 7
    assert lines[0] == f"arrears: {path}: contacts[1].at: is required"
    assert "Traceback" not in err


# ---- the command and its JSON ------------------------------------------------------------

ISSUE = """# 催收记录
[case]
jurisdiction = "cn"

[[contacts]]
at = 2026-11-27T22:40:00+08:00   # date and time with its UTC offset
channel = "call"                  # call | missed_call | sms | app | wechat | visit | letter
from = "某催收公司 138xxxx0000"
to = "debtor"                     # debtor | family | employer | contact | other
debt = "online-loan"
answered = true
note = "说今晚不还就去单位"
flags = ["threat"]                # threat | insult | impersonation | disclosure | ...
evidence = ["recordings/2026-11-27.m4a"]   # paths; SHA-256 recorded in the report

[[contacts]]
at = 2026-11-28T10:00:00+08:00
channel = "sms"
debt = "online-loan"
"""


def _check_contract(data: dict[str, Any]) -> None:
    assert set(data) == {"findings", "contacts", "notes", "warnings"}
    assert data["contacts"] == 2
    hours = data["findings"][0]
    assert set(hours) >= {"rule", "confidence", "at", "message", "source"}
    assert hours["rule"] == "cn.conduct.hours"
    assert hours["confidence"] == "guideline"
    assert hours["at"] == ["2026-11-27T22:40:00+08:00"]
    assert "22:40" in hours["message"]
    # Criminal Law Art. 293-1 (cn.conduct.illegal_debt_crime) needs an illegal debt: the
    # case names no debts the audit could find illegal, so it is not a finding.
    assert [f["rule"] for f in data["findings"]] == [
        "cn.conduct.hours", "cn.conduct.threat", "cn.conduct.harassment_punishable"]


def test_json_contract_in_process(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    code, out, err = _in_process("contacts", str(path), "--json", "--lang", "en")
    assert code == 0, err
    _check_contract(json.loads(out))
    # The same through the explicit subcommand, options first.
    code, again, _ = _in_process("contacts", "check", "--json", str(path))
    assert code == 0
    assert json.loads(again)["findings"][0]["rule"] == "cn.conduct.hours"


def test_json_contract_as_a_user_runs_it(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    result = run_cli("contacts", str(path), "--json")
    assert result.code == 0, result.err
    _check_contract(result.json())


def test_terminal_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    code, out, _ = _in_process("contacts", str(path), "--lang", "en")
    assert code == 0
    # The terminal names a rule by its title; only the JSON carries the rule ids.
    assert "No collection between 22:00 and 08:00" in out
    assert "cn.conduct." not in out
    assert "China Banking Association" in out
    code, out, _ = _in_process("contacts", str(path), "--lang", "zh")
    assert code == 0
    assert "22:00至次日8:00不得催收" in out
    assert "cn.conduct." not in out
    assert "中国银行业协会" in out


# ---- contacts add ------------------------------------------------------------------------


def _add(path: Path, *args: str) -> tuple[int, str, str]:
    return _in_process("contacts", "add", str(path), *args, "--lang", "en")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("ending", ["", "\n", "# the last line is a comment"])
def test_add_keeps_every_other_byte(tmp_path: Path, newline: str, ending: str) -> None:
    path = tmp_path / "case.toml"
    old = ("\ufeff" + ISSUE + ending).replace("\n", newline).encode("utf-8")
    path.write_bytes(old)
    code, out, err = _add(path, "--at", "2026-11-29 23:05", "--channel", "call", "--from",
                          '某催收公司 "王" 138xxxx0000', "--note", "说要\\去单位\n第二行",
                          "--debt", "online-loan", "--flag", "threat", "--flag", "insult",
                          "--evidence", "recordings/2026-11-29.m4a")
    assert code == 0, err
    assert "contacts[2]" in out
    new = path.read_bytes()
    assert new.startswith(old)
    assert newline.encode() + b"[[contacts]]" in new[len(old):]
    if newline == "\n":
        assert b"\r" not in new[len(old):]
    before = tomllib.loads(old.decode("utf-8-sig"))
    after = tomllib.loads(new.decode("utf-8-sig"))
    assert after["contacts"][:2] == before["contacts"]
    assert after["contacts"][2] == {
        "at": datetime(2026, 11, 29, 23, 5, tzinfo=BEIJING), "channel": "call",
        "from": '某催收公司 "王" 138xxxx0000', "to": "debtor", "debt": "online-loan",
        "answered": True, "note": "说要\\去单位\n第二行", "flags": ["threat", "insult"],
        "evidence": ["recordings/2026-11-29.m4a"]}
    assert list(tmp_path.iterdir()) == [path]


def test_add_prints_the_new_contacts_findings(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    code, out, _ = _in_process("contacts", "add", str(path), "--at", "2026-11-30 07:10",
                               "--channel", "missed_call", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["index"] == 2
    assert data["at"] == "2026-11-30T07:10:00+08:00"
    assert [f["rule"] for f in data["findings"]] == ["cn.conduct.hours"]
    assert "answered = false" in path.read_text(encoding="utf-8")


def test_add_in_a_us_timezone(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text('[case]\njurisdiction = "us"\ntimezone = "America/New_York"\n',
                    encoding="utf-8")
    assert _add(path, "--at", "2026-03-08 08:30", "--channel", "sms")[0] == 0
    assert _add(path, "--at", "2026-03-07 08:30", "--channel", "sms")[0] == 0
    stamps = [c.stamp for c in load_log(path.read_text(encoding="utf-8"), "c").contacts]
    assert stamps == ["2026-03-08T08:30:00-04:00", "2026-03-07T08:30:00-05:00"]


def test_add_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text('[case]\njurisdiction = "us"\n', encoding="utf-8")
    old = path.read_bytes()
    code, out, err = _add(path, "--at", "2026-11-27 22:40", "--channel", "fax", "--flag",
                          "rude")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "arrears: --at: needs its UTC offset, like 2026-11-27T22:40:00-05:00, or a [case] "
        "timezone"]
    code, _, err = _add(path, "--at", "2026-11-27 22:40-05:00", "--channel", "fax", "--flag",
                        "rude", "--to", "boss")
    assert code == 2
    assert err.splitlines() == [
        'arrears: --channel: "fax" is not one of call, missed_call, sms, app, wechat, visit, '
        "letter",
        'arrears: --to: "boss" is not one of debtor, family, employer, contact, other',
        'arrears: --flag: "rude" is not one of threat, insult, impersonation, disclosure, '
        "extra_fee, new_loan, fake_legal, public_posting, at_work, employer_forbids",
    ]
    assert path.read_bytes() == old
    assert list(tmp_path.iterdir()) == [path]


def test_add_to_an_inline_contacts_array_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text("contacts = []\n", encoding="utf-8")
    code, _, err = _add(path, "--at", "2026-11-27 22:40", "--channel", "sms")
    assert code == 2
    assert "a [[contacts]] table cannot be appended to this file" in err
    assert path.read_text(encoding="utf-8") == "contacts = []\n"


def _crash(*_: Any, **__: Any) -> None:
    raise OSError(5, "Input/output error")


class Torn:
    """A file that writes the first 10 bytes, then fails (a disk that fills up)."""

    real = os.fdopen

    def __init__(self, fd: int, mode: str) -> None:
        self.handle = Torn.real(fd, mode)

    def __enter__(self) -> Torn:
        return self

    def __exit__(self, *_: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[:10])
        self.handle.flush()
        raise OSError(5, "Input/output error")


@pytest.mark.parametrize("step", ["replace", "fsync", "write"])
def test_a_crash_mid_write_leaves_the_old_file(tmp_path: Path, step: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    old = path.read_bytes()
    new = NewContact(at="2026-11-29 10:00", channel="sms")
    if step == "write":
        monkeypatch.setattr(os, "fdopen", Torn)
    else:
        monkeypatch.setattr(os, step, _crash)
    with pytest.raises(InputError) as error:
        add_contact(path, new)
    assert "cannot be written: Input/output error" in render(error.value.problems[0])
    assert path.read_bytes() == old
    assert list(tmp_path.iterdir()) == [path]


def test_an_interrupt_mid_write_leaves_the_old_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    old = path.read_bytes()

    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        add_contact(path, NewContact(at="2026-11-29 10:00", channel="sms"))
    assert path.read_bytes() == old
    assert list(tmp_path.iterdir()) == [path]


def test_a_change_during_the_add_is_not_overwritten(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    real = os.fsync

    def meanwhile(fd: int) -> None:
        real(fd)
        path.write_text(ISSUE + "# edited elsewhere\n", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", meanwhile)
    with pytest.raises(InputError) as error:
        add_contact(path, NewContact(at="2026-11-29 10:00", channel="sms"))
    assert "changed while the contact was being added" in render(error.value.problems[0])
    assert path.read_text(encoding="utf-8").endswith("# edited elsewhere\n")
    assert list(tmp_path.iterdir()) == [path]


# ---- the evidence report -----------------------------------------------------------------


def test_report_html(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE.replace('debt = "online-loan"\n"""', "")
                    + 'evidence = ["shots/sms.png"]\n', encoding="utf-8")
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "sms.png").write_bytes(b"\x89PNG fake screenshot")
    digest = hashlib.sha256(b"\x89PNG fake screenshot").hexdigest()
    output = tmp_path / "evidence.html"
    code, out, err = _in_process("contacts", "report", str(path), "-o", str(output),
                                 "--lang", "en")
    assert code == 0, err
    assert "2 contacts, 3 findings, 2 evidence files (1 missing or unreadable)" in out
    html = output.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert digest in html
    assert "recordings/2026-11-27.m4a" in html
    assert "missing" in html
    assert 'data-rule="cn.conduct.hours"' in html  # the id, kept out of sight
    assert ">No collection between 22:00 and 08:00<" in html  # the title, shown
    assert "Criminal Law Art. 293-1" in html  # a note: the debt is not found illegal
    assert "Not a finding: it applies only to an illegal debt" in html
    assert "China Banking Association" in html
    assert "12378" in html
    assert "2026-11-27 22:40" in html
    assert "<script" not in html
    assert "<link" not in html
    assert "http" not in html.lower().replace("consumerfinance.gov", "")
    assert "说今晚不还就去单位" in html
    code, _, _ = _in_process("contacts", "report", str(path), "-o", str(output),
                             "--lang", "zh")
    assert code == 0
    assert '<html lang="zh-CN">' in output.read_text(encoding="utf-8")


def test_report_us_names_the_cfpb(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    text, _ = us_week(1)
    path.write_text(text, encoding="utf-8")
    output = tmp_path / "evidence.htm"
    code, _, err = _in_process("contacts", "report", str(path), "-o", str(output))
    assert code == 0, err
    html = output.read_text(encoding="utf-8")
    assert "consumerfinance.gov/complaint" in html
    assert "us.conduct.seven_in_seven" in html
    assert "us.conduct.scope" in html


def test_report_escapes_what_the_log_says(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text('[[contacts]]\nat = 2026-11-27T10:00:00+08:00\nchannel = "sms"\n'
                    'note = "<script>alert(1)</script>"\n', encoding="utf-8")
    output = tmp_path / "r.html"
    assert _in_process("contacts", "report", str(path), "-o", str(output))[0] == 0
    html = output.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(("name", "message"), [
    ("evidence.txt", "must end in .html or .pdf"),
])
def test_report_other_formats(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / "case.toml"
    path.write_text(ISSUE, encoding="utf-8")
    code, out, err = _in_process("contacts", "report", str(path), "-o",
                                 str(tmp_path / name), "--lang", "en")
    assert code == 2
    assert out == ""
    assert message in err
    assert not (tmp_path / name).exists()


def test_check_shows_an_unestablished_consequence_rule_as_a_note() -> None:
    """tests/data/contacts.toml logs a threat about the demo's online loan, which the audit
    finds within the lawful caps (28.85 % against the 36 % line): Criminal Law Art. 293-1
    (collecting an *illegal* debt) is a note with its reason, never a finding (issue 10)."""
    case = str(Path(__file__).parent / "data" / "contacts.toml")
    result = run_cli("contacts", "check", case, "--json")
    assert result.code == 0, result.err
    model = result.json()
    assert "cn.conduct.illegal_debt_crime" not in {f["rule"] for f in model["findings"]}
    assert [n["rule"] for n in model["notes"]] == ["cn.conduct.illegal_debt_crime"]
    assert "illegal debt" in model["notes"][0]["why"][0]
    text = run_cli("contacts", "check", case, columns=80)
    assert "Notes: rules whose condition is not established" in text.out
