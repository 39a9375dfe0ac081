"""Which database holds the stored cases: ``--db URL``, else ``$ARREARS_DATABASE_URL``, else a
SQLite file in the user data folder (``platformdirs.user_data_dir("arrears")``).

Light on purpose: the ``--db`` option of every report command records its value here, and
nothing heavy is imported until a stored case is read.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV", "choose", "chosen", "data_dir", "database_url", "default_url", "normalise"]

ENV = "ARREARS_DATABASE_URL"
_chosen: list[str | None] = [None]


def choose(url: str | None) -> None:
    """Record the ``--db`` of the running command (``None``: not given)."""
    _chosen[0] = url


def chosen() -> str | None:
    """The ``--db`` of the running command, if one was given."""
    return _chosen[0]


def data_dir() -> Path:
    """The user data folder of arrears (created, private to the user)."""
    from platformdirs import user_data_dir  # noqa: PLC0415 - only when the default is used

    folder = Path(user_data_dir("arrears", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def default_url() -> str:
    """The default database: ``cases.sqlite3`` in the user data folder."""
    return f"sqlite:///{data_dir() / 'cases.sqlite3'}"


def normalise(url: str) -> str:
    """A URL with the driver arrears ships: ``postgresql://`` means psycopg 3."""
    text = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix):]
    return text


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``explicit``, the command's ``--db``, the environment, the default."""
    for url in (explicit, chosen(), os.environ.get(ENV)):
        if url is not None and url.strip():
            return normalise(url)
    return default_url()
