"""Evidence files named in the log: each one's SHA-256 and size, computed when the report is
made, so the report records exactly which recording or screenshot it rests on.

Paths are relative to the case file's folder (absolute paths are kept). A file that is
missing or cannot be read is reported as such; it never stops the report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from arrears.contacts.log import ContactLog

__all__ = ["Evidence", "gather", "sha256_of"]

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Evidence:
    """One evidence file: where the log names it, and what was found there.

    ``status`` is ``ok`` (``sha256`` and ``size`` set), ``missing`` or ``unreadable``
    (``reason`` set)."""

    path: str
    resolved: str
    contacts: tuple[str, ...]
    status: str
    sha256: str | None = None
    size: int | None = None
    reason: str = ""


def sha256_of(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size in bytes of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def gather(log: ContactLog, folder: Path) -> tuple[Evidence, ...]:
    """Every evidence path of the log once, in the order first named, hashed now."""
    named: dict[str, list[str]] = {}
    for contact in log.by_time():
        for path in contact.evidence:
            named.setdefault(path, []).append(contact.stamp)
    found = []
    for path, stamps in named.items():
        target = Path(path).expanduser()
        if not target.is_absolute():
            target = folder / target
        if not target.is_file():
            found.append(Evidence(path, str(target), tuple(stamps), "missing"))
            continue
        try:
            digest, size = sha256_of(target)
        except OSError as error:
            found.append(Evidence(path, str(target), tuple(stamps), "unreadable",
                                  reason=error.strerror or str(error)))
            continue
        found.append(Evidence(path, str(target), tuple(stamps), "ok", digest, size))
    return tuple(found)
