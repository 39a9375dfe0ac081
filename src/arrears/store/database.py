"""Engines and migrations: the Alembic scripts ship inside the package and run from here.

A SQLite database is created and brought to the newest schema on first use. A PostgreSQL
database is shared, so its schema changes only when someone runs ``arrears db upgrade``;
until then commands say so instead of touching it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from arrears.errors import InputError
from arrears.i18n import N_
from arrears.store.location import database_url
from arrears.store.sql import SqlRepository

__all__ = ["MIGRATIONS", "current", "engine_for", "head", "open_store", "shown", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"


def shown(url: str) -> str:
    """A URL fit to print: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def engine_for(url: str) -> Engine:
    """An engine for a database URL; a bad URL is a problem of ``--db``."""
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError, ImportError) as error:
        raise InputError.one("--db", N_('"{text}" is not a database URL arrears can use: '
                                        "{reason}"), text=shown(url),
                             reason=str(error).splitlines()[0]) from None
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.close()
    return engine


def _config(connection: Connection) -> Any:

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest schema revision this arrears knows."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    revision = ScriptDirectory.from_config(config).get_current_head()
    if revision is None:  # pragma: no cover - the package ships its migrations
        raise RuntimeError("no migrations shipped")
    return revision


def _unreachable(url: str, error: OperationalError) -> InputError:
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return InputError.one("--db", N_("cannot open {text}: {reason}"), text=shown(url),
                          reason=reason)


def current(engine: Engine) -> str | None:
    """The schema revision the database is at (``None``: no arrears tables yet)."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        raise _unreachable(engine.url.render_as_string(hide_password=True), error) from None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision, in one transaction; (before, after)."""
    before = current(engine)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "head")
    except OperationalError as error:
        raise _unreachable(engine.url.render_as_string(hide_password=True), error) from None
    return before, head()


@contextmanager
def open_store(url: str | None = None) -> Iterator[SqlRepository]:
    """The repository of ``url`` (else ``--db``, ``$ARREARS_DATABASE_URL``, the default),
    its schema checked — SQLite brought up to date, PostgreSQL asked to be upgraded."""
    chosen = database_url(url)
    engine = engine_for(chosen)
    try:
        at = current(engine)
        if at != head():
            if engine.dialect.name != "sqlite":
                raise InputError.one("--db", N_(
                    "{text} is at schema {value}, arrears needs {head}: run "
                    '"arrears db upgrade --db URL" first'), text=shown(chosen),
                    value=at or "-", head=head())
            upgrade(engine)
        yield SqlRepository(engine)
    except OperationalError as error:
        raise _unreachable(chosen, error) from None
    finally:
        engine.dispose()
