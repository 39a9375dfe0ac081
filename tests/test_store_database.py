"""What only a real database shows: two sessions racing, rows never overwritten, the money
column on each engine, migrations equal to the models and shipped in the package."""

from __future__ import annotations

import threading
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Table, func, insert, select

from arrears.errors import ConflictError
from arrears.store.columns import Money
from arrears.store.database import engine_for, head, open_store
from arrears.store.schema import PaymentRow
from tests.store_databases import database_url, postgres_server  # noqa: F401 - fixtures

DEMO = Path(__file__).parent.parent / "examples" / "demo.toml"


def test_money_column_is_exact_on_each_engine(database_url: str) -> None:  # noqa: F811
    engine = engine_for(database_url)
    table = Table("money_check", MetaData(), Column("amount", Money))
    amounts = [Decimal("9999999999999999.99"), Decimal("-9999999999999999.99"),
               Decimal("0.01"), Decimal("0.00"), Decimal("1234567.89")]
    try:
        with engine.begin() as connection:
            table.create(connection)
            connection.execute(insert(table), [{"amount": a} for a in amounts])
            back = connection.execute(select(table.c.amount)).scalars().all()
            assert back == amounts
            assert [str(a) for a in back] == [str(a) for a in amounts]
            for bad in (Decimal("0.001"), Decimal("10000000000000000.00")):
                with pytest.raises(Exception, match="stored exactly"):
                    connection.execute(insert(table), [{"amount": bad}])
            table.drop(connection)
    finally:
        engine.dispose()


def test_two_sessions_editing_one_case(database_url: str) -> None:  # noqa: F811
    """Two people read version 1 and each add a payment: the second is told, not lost."""
    data = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    with open_store(database_url) as one, open_store(database_url) as two:
        case_id = one.add_case(data, source="demo.toml", actor="ana")
        seen_by_one = one.get(case_id).version
        seen_by_two = two.get(case_id).version
        one.add_payment(case_id, "online-loan", {"date": "2026-11-20", "amount": "100"},
                        actor="ana", expected_version=seen_by_one)
        with pytest.raises(ConflictError):
            two.add_payment(case_id, "online-loan", {"date": "2026-11-21", "amount": "200"},
                            actor="bo", expected_version=seen_by_two)
        assert [p["amount"] for p in two.get(case_id).data["debts"][0]["payments"][-2:]] == [
            "2900.40", "100.00"]


def test_racing_writers_never_lose_an_update(database_url: str) -> None:  # noqa: F811
    """Writers in threads, each from the version it read: every write either lands (and its
    payment is there) or is refused as a conflict; the version counts the landed ones."""
    data = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    with open_store(database_url) as setup:
        case_id = setup.add_case(data, source="demo.toml", actor="ana")
    landed: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        with open_store(database_url) as repository:
            version = repository.get(case_id).version
            amount = f"{n + 1}.00"
            try:
                repository.add_payment(case_id, "online-loan",
                                       {"date": "2026-11-20", "amount": amount},
                                       actor=f"w{n}", expected_version=version)
            except ConflictError:
                with lock:
                    refused.append(amount)
            else:
                with lock:
                    landed.append(amount)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open_store(database_url) as repository:
        stored = repository.get(case_id)
    amounts = [p["amount"] for p in stored.data["debts"][0]["payments"][7:]]
    assert sorted(amounts) == sorted(landed)
    assert len(landed) + len(refused) == 6
    assert landed
    assert stored.version == 1 + len(landed)


def test_a_correction_appends_rows_and_never_overwrites(database_url: str) -> None:  # noqa: F811
    data = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    with open_store(database_url) as repository:
        case_id = repository.add_case(data, source="demo.toml", actor="ana")
        fixed = tomllib.loads(DEMO.read_text(encoding="utf-8"))
        fixed["debts"][0]["payments"][0]["amount"] = "2900.41"
        repository.replace(case_id, fixed, actor="bo", expected_version=1)
        with repository.engine.connect() as connection:
            rows = connection.execute(
                select(PaymentRow.amount, PaymentRow.added_in, PaymentRow.removed_in)
                .where(PaymentRow.case_id == case_id, PaymentRow.position == 0)
                .order_by(PaymentRow.row_id)).all()
            total = connection.scalar(select(func.count()).select_from(PaymentRow))
        first = [r for r in rows if r.amount in (Decimal("2900.40"), Decimal("2900.41"))]
        assert [(str(r.amount), r.added_in, r.removed_in) for r in first][:1] == [
            ("2900.40", 1, 2)]
        assert ("2900.41", 2, None) in [(str(r.amount), r.added_in, r.removed_in)
                                        for r in first]
        assert total == 2 * (7 + 2 + 17)  # every payment of version 1 is still stored
        assert repository.get(case_id).data["debts"][0]["payments"][0]["amount"] == "2900.41"


def test_migrations_match_the_models(database_url: str) -> None:  # noqa: F811
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from arrears.store.database import current, upgrade
    from arrears.store.schema import Base

    engine = engine_for(database_url)
    try:
        upgrade(engine)
        assert current(engine) == head()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_the_migrations_ship_in_the_package() -> None:
    """pyproject's package-data names every file under store/migrations."""
    from fnmatch import fnmatch

    root = Path(__file__).parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["arrears"]
    package = root / "src" / "arrears"
    files = [p for p in (package / "store" / "migrations").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert len(files) >= 3
    for path in files:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch(relative, pattern) and relative.count("/") == pattern.count("/")
                   for pattern in patterns), relative


def test_a_failed_write_leaves_nothing(database_url: str,  # noqa: F811
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction per call: a failure after the case and its debts were written (here,
    while writing the payments) leaves no row of it behind."""
    from sqlalchemy import text

    from arrears.store.schema import Base
    from arrears.store.sql import SqlRepository

    data = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    many = SqlRepository._many

    def failing(s: object, model: object, rows: object) -> None:
        if model is PaymentRow:
            raise RuntimeError("the disk is full")
        many(s, model, rows)  # type: ignore[arg-type]

    with open_store(database_url) as repository:
        monkeypatch.setattr(SqlRepository, "_many", staticmethod(failing))
        with pytest.raises(RuntimeError):
            repository.add_case(data, source="demo.toml", actor="ana")
        monkeypatch.setattr(SqlRepository, "_many", staticmethod(many))
        with repository.engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                assert connection.scalar(text(f"SELECT count(*) FROM {table.name}")) == 0
        assert repository.list_cases() == []


def test_a_missing_postgresql_fails_the_run(tmp_path: Path) -> None:
    """No silent skip: with the server unreachable the PostgreSQL tests fail, and only
    ARREARS_TEST_NO_POSTGRES=1 turns them off."""
    import os
    import subprocess
    import sys

    root = Path(__file__).parent.parent
    env = {**os.environ, "ARREARS_TEST_POSTGRES": "postgresql+psycopg://postgres@127.0.0.1:1/x"}
    env.pop("ARREARS_TEST_NO_POSTGRES", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               str(root / "tests" / "test_store_database.py"), "-k",
               "money_column and postgresql", "--rootdir", str(root)]
    failed = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root,
                            check=False)
    assert failed.returncode == 1, failed.stdout
    assert "PostgreSQL is not reachable" in failed.stdout
    skipped = subprocess.run(command, env={**env, "ARREARS_TEST_NO_POSTGRES": "1"},
                             capture_output=True, text=True, cwd=root, check=False)
    assert skipped.returncode == 0, skipped.stdout
    assert "1 skipped" in skipped.stdout
