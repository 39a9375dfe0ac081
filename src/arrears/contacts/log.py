"""The collection log: ``[[contacts]]`` tables of a case file → :class:`ContactLog`.

Every problem is located (``case.toml: contacts[3].channel: …``, indexes from 0 in the file's
order) and all are reported at once; unknown keys are warnings. The case file's other tables
are read only for ``[case] jurisdiction``, ``[case] timezone``, ``[case] represented_by``,
``[[letters_sent]]`` (:mod:`arrears.contacts.sent`) and the debts' ids.

Local time. A contact's ``at`` is a date and time with its UTC offset, as written. The rules
read it in the consumer's local time: in ``[case] timezone`` (an IANA name such as
``America/New_York``, so daylight saving time is followed) when the case names one, else in
the offset written in ``at``. A time written without an offset is read in ``[case] timezone``,
or for the cn pack in China Standard Time (UTC+8, no daylight saving time); a us case needs
one or the other.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from arrears.collector import Collector, is_creditor, read_collectors
from arrears.contacts.sent import LetterSent, read_letters_sent, read_represented_by
from arrears.errors import InputError, Problem
from arrears.i18n import N_

__all__ = ["CHINA_TIME", "Channel", "Contact", "ContactLog", "Flag", "Recipient",
           "case_zone", "load_log", "localize", "parse_at", "parse_log"]

CHINA_TIME = timezone(timedelta(hours=8), "UTC+08:00")
JURISDICTIONS = ("cn", "us")
KEYS = ("at", "channel", "from", "to", "debt", "answered", "note", "flags", "evidence",
        "collector")


class Channel(Enum):
    """How the collector got in touch."""

    CALL = "call"
    MISSED_CALL = "missed_call"
    SMS = "sms"
    APP = "app"
    WECHAT = "wechat"
    VISIT = "visit"
    LETTER = "letter"


class Recipient(Enum):
    """Whom the contact was with."""

    DEBTOR = "debtor"
    FAMILY = "family"
    EMPLOYER = "employer"
    CONTACT = "contact"
    OTHER = "other"


class Flag(Enum):
    """A prohibited practice the person noted in the contact."""

    THREAT = "threat"
    INSULT = "insult"
    IMPERSONATION = "impersonation"
    DISCLOSURE = "disclosure"
    EXTRA_FEE = "extra_fee"
    NEW_LOAN = "new_loan"
    FAKE_LEGAL = "fake_legal"
    PUBLIC_POSTING = "public_posting"
    # Facts rather than practices (us pack, FDCPA §1692c(a)(3)): the contact reached the
    # person at work; in this contact the person said the employer forbids such contacts.
    AT_WORK = "at_work"
    EMPLOYER_FORBIDS = "employer_forbids"


@dataclass(frozen=True, slots=True)
class Contact:
    """One contact by a collector, as logged.

    ``at`` is the moment as written (with its offset); ``local`` the same moment in the
    consumer's local time, which the rules read. ``index`` is its place in the file.
    """

    index: int
    at: datetime
    local: datetime
    channel: Channel
    sender: str = ""
    to: Recipient = Recipient.DEBTOR
    debt: str = ""
    answered: bool = False
    note: str = ""
    flags: tuple[Flag, ...] = ()
    evidence: tuple[str, ...] = ()
    collector: str = ""

    @property
    def is_call(self) -> bool:
        """A telephone call placed, whether or not it was answered."""
        return self.channel in (Channel.CALL, Channel.MISSED_CALL)

    @property
    def is_conversation(self) -> bool:
        """An answered call: an effective call (cn), a telephone conversation (Reg F)."""
        return self.channel is Channel.CALL and self.answered

    @property
    def stamp(self) -> str:
        """``at`` as written, ISO 8601 with its offset."""
        return self.at.isoformat()


@dataclass(frozen=True, slots=True)
class ContactLog:
    """A case's collection log and what the rules need to read it."""

    source: str
    jurisdiction: str = "cn"
    timezone: str | None = None
    contacts: tuple[Contact, ...] = ()
    debts: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())
    represented_by: date | None = None
    letters_sent: tuple[LetterSent, ...] = ()
    collectors: Mapping[str, Collector] = field(default_factory=dict)
    lenders: Mapping[str, str] = field(default_factory=dict)

    def collector_of(self, contact: Contact) -> str:
        """Who collected in ``contact``: its own ``collector``, else its debt's collector
        from ``since``, else ``""`` (not named)."""
        if contact.collector:
            return contact.collector
        named = self.collectors.get(contact.debt)
        if named is None or (named.since is not None and contact.local.date() < named.since):
            return ""
        return named.name

    def creditor_collects(self, contact: Contact) -> bool:
        """Whether the collector in ``contact`` is the debt's own lender (FDCPA §1692a(6))."""
        return is_creditor(self.collector_of(contact), self.lenders.get(contact.debt, ""))

    def by_time(self) -> tuple[Contact, ...]:
        """The contacts in time order (file order among equal times)."""
        return tuple(sorted(self.contacts, key=lambda c: (c.at, c.index)))


def case_zone(name: str | None, where: str = "case.timezone") -> tzinfo | None:
    """The time zone an IANA name stands for (``None`` for none)."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError.one(where, N_('"{text}" is not a time zone; use a name like '
                                       "Asia/Shanghai or America/New_York"),
                             text=name) from None


def localize(naive: datetime, zone: tzinfo | None, where: str) -> datetime:
    """A wall-clock time without an offset, read in ``zone``.

    A time the clocks skipped (spring forward) is refused; a time that happened twice (fall
    back) is the first of the two, as ``fold = 0`` means.
    """
    if zone is None:
        raise InputError.one(where, N_("needs its UTC offset, like 2026-11-27T22:40:00-05:00, "
                                       "or a [case] timezone"))
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise InputError.one(where, N_("{text} does not exist in {zone}: the clocks were put "
                                       "forward"), text=naive.isoformat(sep=" "), zone=str(zone))
    return aware


_SPACED_OFFSET = re.compile(r"\s+(Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)


def parse_at(value: Any, zone: tzinfo | None, where: str) -> datetime:
    """A contact's moment: a TOML date-time or text such as ``2026-11-27 22:40`` or
    ``2026-11-27T22:40:00+08:00``. Without an offset it is read in ``zone``."""
    if isinstance(value, str):
        text = _SPACED_OFFSET.sub(r"\1", value.strip())
        text = re.sub(r"^(\d{4})/(\d{1,2})/(\d{1,2})", r"\1-\2-\3", text)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise InputError.one(where, N_('"{text}" is not a date and time like '
                                           "2026-11-27T22:40:00+08:00"), text=value) from None
        if len(text) <= 10:  # a date alone
            value = value.date()
    if isinstance(value, datetime):
        from arrears.limits import check_date  # noqa: PLC0415

        check_date(value.date(), where)
        if value.tzinfo is None:
            return localize(value, zone, where)
        return value
    if isinstance(value, date):
        raise InputError.one(where, N_("needs a time of day, like 2026-11-27T22:40:00+08:00"))
    raise InputError.one(where, N_('"{text}" is not a date and time like '
                                   "2026-11-27T22:40:00+08:00"), text=value)


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError.one(where, N_("must be text or a number, not {value}"), value=value)
    return str(value)


def _choice(enum_type: type[Enum], value: Any, where: str) -> Any:
    text = str(value).strip().lower().replace("-", "_")
    for member in enum_type:
        if member.value == text:
            return member
    raise InputError.one(where, N_('"{text}" is not one of {choices}'), text=value,
                         choices=", ".join(str(m.value) for m in enum_type))


class _Reader:
    """Collects problems and warnings while reading one table."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def known(self, table: Mapping[str, Any], where: str) -> None:
        for key in table:
            if key in KEYS:
                continue
            close = difflib.get_close_matches(key, KEYS, n=1)
            if close:
                self.warnings.append(Problem(f"{where}.{key}", N_(
                    'unknown key, ignored; did you mean "{text}"?'), {"text": close[0]}))
            else:
                self.warnings.append(Problem(f"{where}.{key}", N_("unknown key, ignored")))

    def catch(self, error: InputError) -> None:
        self.problems.extend(error.problems)


def _texts(r: _Reader, value: Any, where: str) -> list[tuple[str, str]]:
    """(where, text) of each item of a list of text."""
    if not isinstance(value, list):
        r.problems.append(Problem(where, N_("must be a list of text")))
        return []
    items = []
    for number, item in enumerate(value):
        spot = f"{where}[{number}]"
        if not isinstance(item, str) or not item.strip():
            r.problems.append(Problem(spot, N_("must be a list of text")))
        else:
            items.append((spot, item.strip()))
    return items


def _answered(r: _Reader, raw: Mapping[str, Any], channel: Channel | None,
              where: str) -> bool:
    """Whether a call was answered: as written, else a call was and a missed call was not."""
    default = channel is Channel.CALL
    if "answered" not in raw:
        return default
    value = raw["answered"]
    if not isinstance(value, bool):
        r.problems.append(Problem(f"{where}.answered", N_("must be true or false, not {value}"),
                                  {"value": value}))
        return default
    if value and channel is Channel.MISSED_CALL:
        r.problems.append(Problem(f"{where}.answered", N_(
            'a missed call was not answered; write channel = "call"')))
        return default
    return value


def _flags(r: _Reader, raw: Mapping[str, Any], where: str) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    for spot, text in _texts(r, raw.get("flags", []), f"{where}.flags"):
        try:
            flag = _choice(Flag, text, spot)
        except InputError as error:
            r.catch(error)
        else:
            if flag not in flags:
                flags.append(flag)
    return tuple(flags)


def _parsed(r: _Reader, raw: Mapping[str, Any], key: str, where: str,
            parse: Any, *args: Any, required: bool = False, default: Any = None) -> Any:
    """``parse(raw[key], *args, where.key)``, or ``default`` with the problem recorded."""
    if key not in raw:
        if required:
            r.problems.append(Problem(f"{where}.{key}", N_("is required")))
        return default
    try:
        return parse(*args, raw[key], f"{where}.{key}")
    except InputError as error:
        r.catch(error)
        return default


def _contact(r: _Reader, raw: Any, index: int, zones: tuple[tzinfo | None, tzinfo | None],
             debts: tuple[str, ...]) -> Contact | None:
    where = f"contacts[{index}]"
    if not isinstance(raw, Mapping):
        r.problems.append(Problem(where, N_("must be a table")))
        return None
    r.known(raw, where)
    failed = len(r.problems)
    case_tz, written_tz = zones
    at = _parsed(r, raw, "at", where, lambda value, spot: parse_at(value, written_tz, spot),
                 required=True)
    channel = _parsed(r, raw, "channel", where, _choice, Channel, required=True)
    sender, debt, note, collector = (_parsed(r, raw, key, where, _text, default="").strip()
                                     for key in ("from", "debt", "note", "collector"))
    to = _parsed(r, raw, "to", where, _choice, Recipient, default=Recipient.DEBTOR)
    answered = _answered(r, raw, channel, where)
    flags = _flags(r, raw, where)
    evidence = tuple(text for _, text in _texts(r, raw.get("evidence", []),
                                                f"{where}.evidence"))
    if debt and debts and debt not in debts:
        r.warnings.append(Problem(f"{where}.debt", N_(
            'no debt has the id "{text}"; the case has {choices}'),
            {"text": debt, "choices": ", ".join(debts)}))
    if len(r.problems) > failed or at is None or channel is None:
        return None
    local = at.astimezone(case_tz) if case_tz is not None else at
    return Contact(index=index, at=at, local=local, channel=channel, sender=sender, to=to,
                   debt=debt, answered=answered, note=note, flags=flags, evidence=evidence,
                   collector=collector)


def parse_log(data: Mapping[str, Any], source: str = "case.toml") -> ContactLog:
    """The collection log of a parsed case file. Problems are located as
    ``source: contacts[i].key``; all are raised together as one :class:`InputError`."""
    r = _Reader()
    meta = data.get("case", {})
    if not isinstance(meta, Mapping):
        meta = {}  # the case parser reports it
    jurisdiction = str(meta.get("jurisdiction", "cn")).strip().lower()
    if jurisdiction not in JURISDICTIONS:
        r.problems.append(Problem("case.jurisdiction", N_('"{text}" is not one of {choices}'),
                                  {"text": jurisdiction, "choices": ", ".join(JURISDICTIONS)}))
    zone_name = meta.get("timezone")
    case_tz = None
    if zone_name is not None:
        try:
            case_tz = case_zone(str(zone_name).strip())
        except InputError as error:
            r.catch(error)
    represented_by, problems = read_represented_by(meta)
    r.problems.extend(problems)
    letters_sent, problems, _ = read_letters_sent(data)
    r.problems.extend(problems)
    collectors, lenders, problems, _ = read_collectors(data)
    r.problems.extend(problems)
    written_tz = case_tz or (CHINA_TIME if jurisdiction == "cn" else None)
    listed = data.get("debts", [])
    if not isinstance(listed, list):
        r.problems.append(Problem("debts", N_("must be an array of tables ([[debts]])")))
    debts = tuple(str(d["id"]) for d in (listed if isinstance(listed, list) else ())
                  if isinstance(d, Mapping) and isinstance(d.get("id"), str))
    raw = data.get("contacts", [])
    if not isinstance(raw, list):
        r.problems.append(Problem("contacts", N_("must be an array of tables ([[contacts]])")))
        raw = []
    from arrears.limits import MAX_ROWS  # noqa: PLC0415

    if len(raw) > MAX_ROWS:
        r.problems.append(Problem("contacts", N_("{value} is out of range: at most {most}"),
                                  {"value": len(raw), "most": MAX_ROWS}))
        raw = []
    contacts = []
    for index, entry in enumerate(raw):
        contact = _contact(r, entry, index, (case_tz, written_tz), debts)
        if contact is not None:
            contacts.append(contact)
    if r.problems:
        raise InputError(p.located(f"{source}: ") for p in r.problems)
    return ContactLog(source=source, jurisdiction=jurisdiction,
                      timezone=str(zone_name).strip() if zone_name is not None else None,
                      contacts=tuple(contacts), debts=debts,
                      represented_by=represented_by, letters_sent=letters_sent,
                      collectors=collectors, lenders=lenders,
                      warnings=tuple(p.located(f"{source}: ") for p in r.warnings))


def load_log(text: str, source: str) -> ContactLog:
    """Parse a case file's text; ``source`` names it in problems (usually its path)."""
    from arrears.limits import load_toml  # noqa: PLC0415

    return parse_log(load_toml(text, source), source)
