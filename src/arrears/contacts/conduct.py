"""The collection log against the conduct rules of a rule pack (``kind = "conduct_*"``).

Pure: a :class:`~arrears.contacts.log.ContactLog` and a :class:`~arrears.rules.RulePack` in,
findings out. Each rule's figures are read from the pack; each kind is one function here:

==============================  ==========================================================
``conduct_hours``               a contact outside ``allowed_from``–``allowed_until``
                                (consumer's local time) on one of ``channels``
``conduct_daily_calls``         more than ``max_calls`` answered calls in a local day, per
                                debt (the cn standard's "effective calls")
``conduct_daily_attempts``      more than ``max_attempts`` unanswered calls in a local day
                                to one person (one number) about one debt
``conduct_calls_in_days``       more than ``max_calls`` calls within ``days`` consecutive
                                local days to one person about one debt (Reg F 7-in-7)
``conduct_after_conversation``  a call within ``days`` days after a telephone conversation
                                with the person about the debt, the conversation's day
                                being the first (Reg F)
``conduct_third_party``         a contact with someone other than the debtor, unless its
                                note says the collector was trying to locate an
                                unreachable debtor (and no flag is set)
``conduct_flag``                a contact flagged with one of ``flags``
``conduct_represented``         a contact with the person on a day after ``[case]
                                represented_by`` (an attorney represents them)
``conduct_after_letter``        a contact on a day after a ``[[letters_sent]]`` of kind
                                ``letter`` that covers it, except on ``except_channels``
``conduct_at_work``             a contact flagged ``at_work`` after an earlier one flagged
                                ``employer_forbids`` from the same collector
``conduct_dispute_window``      a contact after a ``letter`` (a dispute) sent within
                                ``days`` days of the first contact about the debt
``conduct_deadline``            no check: each finding gets ``sue_by``, ``years`` after its
                                first contact's day (FDCPA §1692k)
``conduct_scope``               no check: a note on whom the rules bind
==============================  ==========================================================

``recipients`` (optional) limits a rule to contacts with those people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from types import MappingProxyType
from typing import Any

from arrears.contacts.log import Channel, Contact, ContactLog, Flag, Recipient
from arrears.contacts.sent import covers
from arrears.i18n import N_
from arrears.rules import Rule, RulePack

__all__ = ["LOCATING_WORDS", "Finding", "check", "notes"]

# A note containing one of these says the collector was trying to find a debtor it could not
# reach, the one reason to contact someone else (cn rules). Matching is case-insensitive.
LOCATING_WORDS = ("联系不上", "联系不到", "找不到", "失联", "下落", "locate", "locating",
                  "unreachable", "cannot reach", "can't reach", "could not reach",
                  "whereabouts")


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule a set of contacts appears to break.

    ``message`` is a message id (``N_``) formatted with ``params`` once translated; values of
    ``channel``, ``recipient`` and ``practice`` are message ids too. ``contacts`` are the ones
    the finding rests on, in time order.
    """

    rule: Rule
    contacts: tuple[Contact, ...]
    message: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    sue_by: date | None = None
    creditor: bool = False  # the lender collects its own debt: the FDCPA may not apply

    @property
    def first(self) -> Contact:
        return self.contacts[0]


CHANNEL_NAMES = {
    Channel.CALL: N_("call"),
    Channel.MISSED_CALL: N_("missed call"),
    Channel.SMS: N_("text message"),
    Channel.APP: N_("app message"),
    Channel.WECHAT: N_("WeChat message"),
    Channel.VISIT: N_("visit"),
    Channel.LETTER: N_("letter"),
}
RECIPIENT_NAMES = {
    Recipient.DEBTOR: N_("you"),
    Recipient.FAMILY: N_("your family"),
    Recipient.EMPLOYER: N_("your employer"),
    Recipient.CONTACT: N_("one of your contacts"),
    Recipient.OTHER: N_("someone else"),
}
PRACTICE_NAMES = {
    Flag.THREAT: N_("threats"),
    Flag.INSULT: N_("insults"),
    Flag.IMPERSONATION: N_("posing as a government, police or court official"),
    Flag.DISCLOSURE: N_("telling others about the debt"),
    Flag.EXTRA_FEE: N_("an extra fee demanded in the name of collection"),
    Flag.NEW_LOAN: N_("pressure to borrow elsewhere to pay"),
    Flag.FAKE_LEGAL: N_("false or exaggerated legal consequences"),
    Flag.PUBLIC_POSTING: N_("public notices or posts about the debt"),
    Flag.AT_WORK: N_("reached you at work"),
    Flag.EMPLOYER_FORBIDS: N_("you said your employer forbids such contacts"),
}


def _hhmm(text: Any) -> time:
    return time.fromisoformat(str(text))


def _covers(rule: Rule, contact: Contact) -> bool:
    recipients = rule.params.get("recipients")
    return recipients is None or contact.to.value in recipients


def _when(contact: Contact) -> dict[str, Any]:
    return {"date": contact.local.date().isoformat(),
            "time": contact.local.strftime("%H:%M"),
            "channel": CHANNEL_NAMES[contact.channel],
            "recipient": RECIPIENT_NAMES[contact.to],
            "sender": contact.sender or "?", "debt": contact.debt}


def _finding(rule: Rule, contacts: Iterable[Contact], message: str,
             **params: Any) -> Finding:
    ordered = tuple(sorted(contacts, key=lambda c: (c.at, c.index)))
    return Finding(rule, ordered, message, MappingProxyType(params))


def _hours(rule: Rule, contacts: tuple[Contact, ...]) -> list[Finding]:
    start, end = _hhmm(rule.params["allowed_from"]), _hhmm(rule.params["allowed_until"])
    inclusive = bool(rule.params.get("until_inclusive", False))
    channels = rule.params.get("channels")
    found = []
    for contact in contacts:
        if not _covers(rule, contact) or (channels and contact.channel.value not in channels):
            continue
        moment = contact.local.time()
        late = moment > end if inclusive else moment >= end
        if moment < start or late:
            found.append(_finding(
                rule, [contact], N_("On {date} at {time} (local time), {channel} to {recipient}: "
                                    "outside {start}–{end}, the hours collectors may use"),
                **_when(contact), start=start.strftime("%H:%M"), end=end.strftime("%H:%M")))
    return found


def _per_day(contacts: Iterable[Contact], *, by_person: bool) -> dict[tuple[Any, ...],
                                                                     list[Contact]]:
    groups: dict[tuple[Any, ...], list[Contact]] = defaultdict(list)
    for contact in contacts:
        person = contact.to if by_person else None
        groups[(contact.debt, person, contact.local.date())].append(contact)
    return groups


def _daily_calls(rule: Rule, contacts: tuple[Contact, ...]) -> list[Finding]:
    limit = int(rule.params["max_calls"])
    calls = [c for c in contacts if c.is_conversation and _covers(rule, c)]
    return [_finding(rule, group, N_("On {date}, {count} answered collection calls about "
                                     "{debt}: at most {limit} a day"),
                     count=len(group), date=day.isoformat(), debt=debt, limit=limit)
            for (debt, _, day), group in _per_day(calls, by_person=False).items()
            if len(group) > limit]


def _daily_attempts(rule: Rule, contacts: tuple[Contact, ...]) -> list[Finding]:
    limit = int(rule.params["max_attempts"])
    calls = [c for c in contacts if c.is_call and not c.answered and _covers(rule, c)]
    return [_finding(rule, group, N_("On {date}, {count} unanswered call attempts to "
                                     "{recipient} about {debt}: at most {limit} a day to one "
                                     "number"),
                     count=len(group), date=day.isoformat(), debt=debt, limit=limit,
                     recipient=RECIPIENT_NAMES[person])
            for (debt, person, day), group in _per_day(calls, by_person=True).items()
            if len(group) > limit]


def _per_person(rule: Rule, contacts: Iterable[Contact]) -> dict[tuple[str, Recipient],
                                                                 list[Contact]]:
    groups: dict[tuple[str, Recipient], list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.is_call and _covers(rule, contact):
            groups[(contact.debt, contact.to)].append(contact)
    return groups


def _calls_in_days(rule: Rule, contacts: tuple[Contact, ...]) -> list[Finding]:
    """More than ``max_calls`` calls whose local days fall within ``days`` consecutive days.

    A call is over the limit when, counting it, more than ``max_calls`` calls to the person
    about the debt fall in the ``days`` local days ending on its day. Overlapping windows of
    such calls make one finding."""
    limit, days = int(rule.params["max_calls"]), int(rule.params["days"])
    found = []
    for (debt, person), calls in _per_person(rule, contacts).items():
        runs: list[tuple[date, date, set[int]]] = []
        for position, call in enumerate(calls):
            day = call.local.date()
            first = day - timedelta(days=days - 1)
            window = [i for i in range(position + 1) if calls[i].local.date() >= first]
            if len(window) <= limit:
                continue
            start = calls[window[0]].local.date()
            if runs and start <= runs[-1][1]:
                runs[-1] = (runs[-1][0], day, runs[-1][2] | set(window))
            else:
                runs.append((start, day, set(window)))
        for start, end, members in runs:
            found.append(_finding(
                rule, (calls[i] for i in members),
                N_("From {start} to {end}, {count} calls to {recipient} about {debt}: more than "
                   "{limit} within {days} consecutive days is presumed harassment"),
                count=len(members), recipient=RECIPIENT_NAMES[person], debt=debt,
                start=start.isoformat(), end=end.isoformat(), limit=limit, days=days))
    return found


def _after_conversation(rule: Rule, contacts: tuple[Contact, ...]) -> list[Finding]:
    """Calls placed after a conversation, on its day or the ``days - 1`` days after."""
    days = int(rule.params["days"])
    found = []
    for (debt, person), calls in _per_person(rule, contacts).items():
        after: dict[int, list[Contact]] = defaultdict(list)
        for position, call in enumerate(calls):
            for earlier in range(position - 1, -1, -1):
                talk = calls[earlier]
                if not talk.is_conversation or talk.at >= call.at:
                    continue
                if call.local.date() <= talk.local.date() + timedelta(days=days - 1):
                    after[earlier].append(call)
                break  # the latest conversation before the call decides
        for talk_at, following in after.items():
            talk = calls[talk_at]
            found.append(_finding(
                rule, [talk, *following],
                N_("After the telephone conversation on {date} at {time}, {count} more calls to "
                   "{recipient} about {debt} within {days} days, that day included"),
                count=len(following), recipient=RECIPIENT_NAMES[person], debt=debt,
                days=days, time=talk.local.strftime("%H:%M"),
                date=talk.local.date().isoformat()))
    return found


def _locating(contact: Contact) -> bool:
    note = contact.note.lower()
    return not contact.flags and any(word in note for word in LOCATING_WORDS)


def _third_party(rule: Rule, contacts: tuple[Contact, ...]) -> list[Finding]:
    return [_finding(rule, [c], N_("On {date} at {time}, {channel} to {recipient}: collectors "
                                   "may contact others only to locate a debtor they cannot "
                                   "reach, and never about the debt"), **_when(c))
            for c in contacts
            if c.to is not Recipient.DEBTOR and _covers(rule, c) and not _locating(c)]


def _flags(rule: Rule, contacts: tuple[Contact, ...]) -> list[Finding]:
    wanted = set(rule.params.get("flags", ()))
    found = []
    for contact in contacts:
        for flag in contact.flags:
            if flag.value in wanted and _covers(rule, contact):
                found.append(_finding(
                    rule, [contact], N_("On {date} at {time}, {channel} from {sender}: "
                                        "{practice}"),
                    **_when(contact), practice=PRACTICE_NAMES[flag]))
    return found


def _represented(rule: Rule, contacts: tuple[Contact, ...], log: ContactLog) -> list[Finding]:
    since = log.represented_by
    if since is None:
        return []
    return [_finding(rule, [c], N_("On {date} at {time}, {channel} to {recipient}, after "
                                   "{since}, when the collector was told an attorney "
                                   "represents you"), **_when(c), since=since.isoformat())
            for c in contacts if _covers(rule, c) and c.local.date() > since]


def _after_letter(rule: Rule, contacts: tuple[Contact, ...], log: ContactLog) -> list[Finding]:
    kind = str(rule.params["letter"])
    spared = set(rule.params.get("except_channels", ()))
    letters = [s for s in log.letters_sent if s.kind == kind]
    found = []
    for c in contacts:
        if not _covers(rule, c) or c.channel.value in spared:
            continue
        sent = [s for s in letters if c.local.date() > s.day and covers(s, c.sender, c.debt)]
        if sent:
            first = min(sent, key=lambda s: s.day)
            found.append(_finding(rule, [c], N_("On {date} at {time}, {channel} to {recipient} "
                                                "from {sender}, after your letter of {sent} "
                                                "to {to}"),
                                  **_when(c), sent=first.day.isoformat(), to=first.to))
    return found


def _same_sender(a: Contact, b: Contact) -> bool:
    return not a.sender or not b.sender or a.sender.casefold() == b.sender.casefold()


def _at_work(rule: Rule, contacts: tuple[Contact, ...], _log: ContactLog) -> list[Finding]:
    found = []
    for position, c in enumerate(contacts):
        if Flag.AT_WORK not in c.flags or not _covers(rule, c):
            continue
        told = [e for e in contacts[:position]
                if Flag.EMPLOYER_FORBIDS in e.flags and e.at < c.at and _same_sender(e, c)]
        if told:
            found.append(_finding(rule, [told[0], c], N_(
                "On {date} at {time}, {channel} to you at work from {sender}, after you said "
                "on {told} that your employer forbids it"),
                **_when(c), told=told[0].local.date().isoformat()))
    return found


def _dispute_window(rule: Rule, contacts: tuple[Contact, ...],
                    log: ContactLog) -> list[Finding]:
    days = int(rule.params["days"])
    kind = str(rule.params["letter"])
    spared = set(rule.params.get("except_channels", ()))
    first: dict[str, date] = {}
    for c in contacts:
        if _covers(rule, c):
            first.setdefault(c.debt, c.local.date())
    found = []
    for c in contacts:
        if not _covers(rule, c) or c.channel.value in spared:
            continue
        start = first[c.debt]
        end = start + timedelta(days=days)
        sent = [s for s in log.letters_sent if s.kind == kind and start <= s.day <= end
                and s.day < c.local.date() and covers(s, c.sender, c.debt)]
        if sent:
            found.append(_finding(rule, [c], N_(
                "On {date} at {time}, {channel} to {recipient} about {debt}: you disputed the "
                "debt in writing on {sent}, within {days} days of the first contact ({first}); "
                "collection must stop until verification is mailed to you"),
                **_when(c), sent=sent[0].day.isoformat(), days=days, first=start.isoformat()))
    return found


LOG_CHECKS: dict[str, Callable[[Rule, tuple[Contact, ...], ContactLog], list[Finding]]] = {
    "conduct_represented": _represented,
    "conduct_after_letter": _after_letter,
    "conduct_at_work": _at_work,
    "conduct_dispute_window": _dispute_window,
}


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


CHECKS: dict[str, Callable[[Rule, tuple[Contact, ...]], list[Finding]]] = {
    "conduct_hours": _hours,
    "conduct_daily_calls": _daily_calls,
    "conduct_daily_attempts": _daily_attempts,
    "conduct_calls_in_days": _calls_in_days,
    "conduct_after_conversation": _after_conversation,
    "conduct_third_party": _third_party,
    "conduct_flag": _flags,
}


def check(log: ContactLog, pack: RulePack) -> tuple[Finding, ...]:
    """Every finding of the pack's conduct rules on the log, in time order, then by rule."""
    contacts = log.by_time()
    found: list[Finding] = []
    for rule in pack.rules:
        run = CHECKS.get(rule.kind)
        if run is not None:
            found.extend(run(rule, contacts))
        with_log = LOG_CHECKS.get(rule.kind)
        if with_log is not None:
            found.extend(with_log(rule, contacts, log))
    for deadline in pack.of_kind("conduct_deadline"):
        years = int(deadline.params["years"])
        found = [replace(f, sue_by=_years_later(f.first.local.date(), years)) for f in found]
    if pack.of_kind("conduct_scope"):
        found = [replace(f, creditor=True) if any(log.creditor_collects(c) for c in f.contacts)
                 else f for f in found]
    order = {rule.id: number for number, rule in enumerate(pack.rules)}
    return tuple(sorted(found, key=lambda f: (f.first.at, f.first.index, order[f.rule.id])))


def notes(pack: RulePack) -> tuple[Rule, ...]:
    """The pack's conduct notes (``conduct_scope``): whom the rules bind."""
    return pack.of_kind("conduct_scope")
