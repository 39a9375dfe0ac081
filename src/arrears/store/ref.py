"""``@ID`` in place of a case file: every command that reads a case reads a stored one the
same way — the stored case is written out as TOML text and read by the same readers, so
``arrears status @ID`` prints exactly what ``arrears status case.toml`` prints for the file
that was imported. The case's ``source`` (named in every problem) is ``@ID``.
"""

from __future__ import annotations

from arrears.case import Case, load_case
from arrears.store.database import open_store
from arrears.store.repository import StoredCase
from arrears.store.toml_text import document

__all__ = ["export_text", "is_ref", "load_stored", "stored_case", "stored_text"]


def is_ref(name: str) -> bool:
    """Whether a case-file argument names a stored case (``@ID``)."""
    return name.startswith("@")


def export_text(stored: StoredCase) -> str:
    """A stored case as a case file (TOML); comments are not kept, every value is."""
    header = (f"arrears case {stored.id}, version {stored.version} "
              f"(imported from {stored.source}).\nSee docs/case-file.md.")
    return document(stored.data, header)


def stored_case(ref: str, url: str | None = None) -> StoredCase:
    """The stored case ``@ID`` names, from ``url`` (else ``--db``, the environment, the
    default database)."""
    with open_store(url) as repository:
        return repository.get(ref.removeprefix("@"))


def stored_text(ref: str, url: str | None = None) -> str:
    """The case file text of ``@ID``, for the case-file readers."""
    return export_text(stored_case(ref, url))


def load_stored(ref: str, url: str | None = None) -> Case:
    """The :class:`~arrears.case.Case` of ``@ID``: the one the case-file reader gives for the
    imported file, with ``source`` ``@ID``."""
    return load_case(stored_text(ref, url), ref)
