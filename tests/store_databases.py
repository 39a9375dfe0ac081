"""The databases the store tests run on: SQLite files in temporary folders, and a PostgreSQL
database each test run creates on 127.0.0.1:5432 and drops at its end.

A PostgreSQL server that cannot be reached FAILS the run: nothing is skipped silently. To run
without one on purpose (a laptop without PostgreSQL), set ``ARREARS_TEST_NO_POSTGRES=1``;
CI never sets it. ``ARREARS_TEST_POSTGRES`` overrides the server URL (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVER = os.environ.get("ARREARS_TEST_POSTGRES",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
NO_POSTGRES = os.environ.get("ARREARS_TEST_NO_POSTGRES") == "1"
ENGINES = ["sqlite", "postgresql"]


def _admin(url: str) -> str:
    """A libpq connection string for the server's maintenance database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A fresh database on the PostgreSQL server for this run (its URL), dropped after."""
    if NO_POSTGRES:
        pytest.skip("ARREARS_TEST_NO_POSTGRES=1: PostgreSQL tests switched off on purpose")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"arrears_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(_admin(SERVER), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {SERVER} ({error}); start it, or set "
                    "ARREARS_TEST_NO_POSTGRES=1 to run without it on purpose", pytrace=False)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_admin(SERVER), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty(url: str) -> None:
    """Bring the schema up to date and remove every row (one database, many tests)."""
    from sqlalchemy import text

    from arrears.store.database import engine_for, upgrade
    from arrears.store.schema import Base

    engine = engine_for(url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def fresh_url(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database of ``engine`` (sqlite or postgresql)."""
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    url: str = request.getfixturevalue("postgres_server")
    _empty(url)
    return url


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database of each engine."""
    return fresh_url(request.param, request, tmp_path)
