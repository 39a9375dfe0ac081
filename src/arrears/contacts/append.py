"""``arrears contacts add``: append one ``[[contacts]]`` table to a case file.

The new table is appended as text after the file's last byte, so every byte already in the
file (comments, order, spacing, line endings) stays exactly as it was. Before anything is
written the whole new text is parsed: the new entry must be valid, and everything else in
the file must read exactly as before. The file is then replaced atomically by
:func:`arrears.atomic.write_atomically` (a staged file beside it, synced, renamed over it), so
a crash at any moment leaves either the old file or the new one, never a mix, and nothing
else behind once the next command has run. A change to the file while this runs is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arrears.atomic import write_atomically
from arrears.contacts.log import CHINA_TIME, ContactLog, case_zone, load_log, parse_at
from arrears.errors import InputError, Problem
from arrears.i18n import N_
from arrears.limits import load_toml

__all__ = ["NewContact", "add_contact", "entry_text", "replace_atomically", "toml_string"]

OPTIONS = {"at": "--at", "channel": "--channel", "from": "--from", "to": "--to",
           "debt": "--debt", "answered": "--answered", "note": "--note", "flags": "--flag",
           "evidence": "--evidence"}


@dataclass(frozen=True, slots=True)
class NewContact:
    """A contact as given on the command line (``at`` as typed)."""

    at: str
    channel: str
    sender: str = ""
    to: str = "debtor"
    debt: str | None = None
    answered: bool | None = None
    note: str = ""
    flags: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _array(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(toml_string(item) for item in items) + "]"


def entry_text(new: NewContact, at: str, newline: str = "\n") -> str:
    """The ``[[contacts]]`` table for ``new`` (``at`` already an RFC 3339 date-time)."""
    channel = new.channel.strip().lower().replace("-", "_")
    lines = ["[[contacts]]", f"at = {at}", f"channel = {toml_string(channel)}"]
    if new.sender:
        lines.append(f"from = {toml_string(new.sender)}")
    lines.append(f"to = {toml_string(new.to.strip().lower())}")
    if new.debt:
        lines.append(f"debt = {toml_string(new.debt)}")
    answered = new.answered
    if answered is None and channel in ("call", "missed_call"):
        answered = channel == "call"
    if answered is not None:
        lines.append(f"answered = {'true' if answered else 'false'}")
    if new.note:
        lines.append(f"note = {toml_string(new.note)}")
    if new.flags:
        lines.append(f"flags = {_array(tuple(f.strip().lower() for f in new.flags))}")
    if new.evidence:
        lines.append(f"evidence = {_array(new.evidence)}")
    return newline.join(lines) + newline


def _zone_of(data: dict[str, Any]) -> Any:
    meta = data.get("case", {})
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("timezone")
    zone = case_zone(str(name).strip()) if name is not None else None
    if zone is None and str(meta.get("jurisdiction", "cn")).strip().lower() == "cn":
        return CHINA_TIME
    return zone


def _as_options(error: InputError, source: str, index: int) -> InputError:
    """Problems of the new entry named by the option that set them."""
    prefix = f"{source}: contacts[{index}]."
    problems = []
    for problem in error.problems:
        if problem.where.startswith(prefix):
            key = re.split(r"[.\[]", problem.where[len(prefix):])[0]
            problems.append(Problem(OPTIONS.get(key, problem.where), problem.message,
                                    problem.params))
        else:
            problems.append(problem)
    return InputError(problems)


def _read(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError.one(str(path), N_("cannot be read: {reason}"),
                             reason=error.strerror or str(error)) from None
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.one(str(path), N_("is not UTF-8 text")) from None


def add_contact(path: Path, new: NewContact) -> tuple[ContactLog, int]:
    """Append ``new`` to the case file at ``path``; return the log as now written and the
    new contact's index. Nothing is written when anything is wrong."""
    source = str(path)
    raw, text = _read(path)
    before = load_toml(text, source)
    at = parse_at(new.at, _zone_of(before), "--at")
    newline = "\r\n" if b"\r\n" in raw else "\n"
    gap = ""
    if raw.strip():
        gap = newline if raw.endswith(b"\n") else newline * 2
    added = (gap + entry_text(new, at.isoformat(), newline)).encode("utf-8")
    updated = raw + added
    new_text = updated.decode("utf-8-sig")
    try:
        after = load_toml(new_text, source)
    except InputError as error:
        raise InputError.one(source, N_("a [[contacts]] table cannot be appended to this file: "
                                        "{reason}"), reason=error.problems[0].params.get(
                                            "reason", "")) from None
    contacts = before.get("contacts", [])
    index = len(contacts) if isinstance(contacts, list) else 0
    try:
        log = load_log(new_text, source)
    except InputError as error:
        raise _as_options(error, source, index) from None
    rest = dict(after)
    rest["contacts"] = list(rest.get("contacts", []))[:-1]
    if not rest["contacts"] and "contacts" not in before:
        del rest["contacts"]
    if rest != before:  # pragma: no cover - appending a table never changes the others
        raise InputError.one(source, N_("a [[contacts]] table cannot be appended to this file: "
                                        "{reason}"), reason="the rest of the file would change")
    write_atomically(path, updated, expected=raw)
    return log, index


def replace_atomically(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Replace the file at ``path`` by ``data`` atomically: :func:`arrears.atomic.write_atomically`
    (kept under this name for its callers)."""
    write_atomically(path, data, expected=expected)
