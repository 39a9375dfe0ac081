"""What the person has already sent or arranged, which changes what a collector may do.

``[[letters_sent]]`` (top level): each letter the person sent, ``kind`` (a letter kind such
as ``stop-contact``, ``dispute`` or ``validation``; any kind ``arrears letter`` writes, or
``other``), ``date`` (the day it was sent) and ``to`` (whom it went to: the collector's or
the lender's name as the contacts' ``from`` writes it, or a debt id). A contact is covered by
a letter when its ``from`` or its ``debt`` is the letter's ``to`` (case and surrounding
spaces ignored), or when the contact names no sender.

``[case] represented_by`` (a date): the day the collector was told that an attorney
represents the person (FDCPA §1692c(a)(2)).

Pure reading: problems are returned located (``letters_sent[1].date``), never raised alone,
so the case reader and the contact-log reader report them with their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from arrears.errors import InputError, Problem
from arrears.i18n import N_

__all__ = ["LETTER_KEYS", "SENT_KINDS", "LetterSent", "covers", "read_day",
           "read_letters_sent", "read_represented_by"]

LETTER_KEYS = ("kind", "date", "to")
SENT_KINDS = ("instalment", "deferment", "settlement", "dispute-charges", "dispute-credit",
              "complaint", "validation", "dispute", "stop-contact", "goodwill", "other")


@dataclass(frozen=True, slots=True)
class LetterSent:
    """A letter the person sent: its kind, the day it was sent and whom it went to."""

    index: int
    kind: str
    day: date
    to: str


def read_day(value: Any, where: str) -> date:
    """A date as a case file writes it (TOML date or ``2026-11-27``)."""
    from arrears.cashflows import parse_date  # noqa: PLC0415
    from arrears.limits import check_date  # noqa: PLC0415

    if isinstance(value, datetime):
        return check_date(value.date(), where)
    if isinstance(value, date):
        return check_date(value, where)
    if isinstance(value, str):
        return parse_date(value, where)
    raise InputError.one(where, N_('"{text}" is not a date like 2026-11-27'), text=value)


def read_represented_by(meta: Mapping[str, Any]) -> tuple[date | None, list[Problem]]:
    """``[case] represented_by``, or ``None``; with its problem, if any."""
    if "represented_by" not in meta:
        return None, []
    try:
        return read_day(meta["represented_by"], "case.represented_by"), []
    except InputError as error:
        return None, list(error.problems)


def read_letters_sent(data: Mapping[str, Any]) -> tuple[tuple[LetterSent, ...],
                                                        list[Problem], list[Problem]]:
    """The ``[[letters_sent]]`` of a parsed case file: letters, problems, warnings."""
    raw = data.get("letters_sent", [])
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not isinstance(raw, list):
        return (), [Problem("letters_sent", N_("must be an array of tables "
                                               "([[letters_sent]])"))], []
    letters = []
    for index, entry in enumerate(raw):
        where = f"letters_sent[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem(where, N_("must be a table")))
            continue
        for key in entry:
            if key not in LETTER_KEYS:
                warnings.append(Problem(f"{where}.{key}", N_("unknown key, ignored")))
        failed = len(problems)
        kind = str(entry.get("kind", "")).strip().lower()
        if "kind" not in entry:
            problems.append(Problem(f"{where}.kind", N_("is required")))
        elif kind not in SENT_KINDS:
            problems.append(Problem(f"{where}.kind", N_('"{text}" is not one of {choices}'),
                                    {"text": entry["kind"], "choices": ", ".join(SENT_KINDS)}))
        day = None
        if "date" not in entry:
            problems.append(Problem(f"{where}.date", N_("is required")))
        else:
            try:
                day = read_day(entry["date"], f"{where}.date")
            except InputError as error:
                problems.extend(error.problems)
        to = entry.get("to")
        if to is None:
            problems.append(Problem(f"{where}.to", N_("is required")))
        elif not isinstance(to, str) or not to.strip():
            problems.append(Problem(f"{where}.to", N_("must be text, not {value}"),
                                    {"value": to}))
        if len(problems) == failed and day is not None and isinstance(to, str):
            letters.append(LetterSent(index, kind, day, to.strip()))
    return tuple(letters), problems, warnings


def covers(letter: LetterSent, sender: str, debt: str) -> bool:
    """Whether a contact from ``sender`` about ``debt`` is one the letter was sent about."""
    target = letter.to.casefold()
    return not sender or target in (sender.strip().casefold(), debt.strip().casefold())
