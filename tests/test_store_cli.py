"""The store's commands as a person runs them: ``arrears case``, ``arrears db``,
``arrears user``, and ``@ID`` in place of a case file for every report command.

Most run in this process (``main()``, as the entry point does) to keep the suite fast; the
contracts that involve the process itself (standard input, the entry point) run it."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, run_cli
from tests.store_databases import ENGINES, fresh_url, postgres_server  # noqa: F401 - fixture

DEMO = Path(__file__).parent.parent / "examples" / "demo.toml"
CONTACTS = """
[[contacts]]
at = 2026-11-27T22:40:00+08:00
channel = "call"
from = "某催收公司 138xxxx0000"
debt = "online-loan"
note = "说今晚不还就去单位"
flags = ["threat"]
evidence = ["calls/2026-11-27.m4a"]

[[contacts]]
at = "2026-11-27 23:10"
channel = "missed_call"
from = "某催收公司 138xxxx0000"
to = "family"
"""


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never the real user data folder: the default database goes under tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ARREARS_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return tmp_path / "data"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """``arrears ARGS`` in this process: (code, out, err) as :class:`Run`."""
    import io

    from arrears.cli import main

    def run(*args: str, stdin: str | None = None) -> Run:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """The demo case with a collection log and one evidence file beside it."""
    path = tmp_path / "case.toml"
    path.write_text(DEMO.read_text(encoding="utf-8") + CONTACTS, encoding="utf-8")
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "2026-11-27.m4a").write_bytes(b"recording")
    return path


def ok(run: Run) -> Run:
    assert run.code == 0, run.err
    return run


def stored(path: Path, db: str, cli: Any = run_cli) -> str:
    case_id: str = ok(cli("case", "import", str(path), "--db", db, "--json")).json()["id"]
    assert len(case_id) == 12
    return case_id


REPORTS = [("status",), ("audit",), ("credit",), ("plan",), ("contacts",),
           ("contacts", "check"), ("ledger", "--debt", "online-loan"),
           ("letter", "--debt", "online-loan", "--kind", "instalment"),
           ("afford", "--offer", str(DEMO.parent / "offer.toml"))]


@pytest.mark.parametrize("engine", ENGINES)
def test_reports_of_a_stored_case_are_the_files(cli: Any, engine: str, case_file: Path,
                                                tmp_path: Path,
                                                request: pytest.FixtureRequest) -> None:
    db = fresh_url(engine, request, tmp_path)
    case_id = stored(case_file, db, cli)
    for command in REPORTS:
        name, *rest = command
        sub = [rest.pop(0)] if rest[:1] == ["check"] else []
        from_file = ok(cli(name, *sub, str(case_file), *rest, "--json"))
        from_store = ok(cli(name, *sub, f"@{case_id}", *rest, "--db", db, "--json"))
        assert from_store.out == from_file.out, command
    # in Chinese too, and as the terminal shows it
    assert (ok(cli("status", f"@{case_id}", "--db", db, "--lang", "zh")).out
            == ok(cli("status", str(case_file), "--lang", "zh")).out)


def test_export_then_import_gives_the_same_reports(cli: Any, case_file: Path,
                                                   tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    first = stored(case_file, db, cli)
    out = tmp_path / "exported.toml"
    ok(cli("case", "export", first, "-o", str(out), "--db", db))
    text = out.read_text(encoding="utf-8")
    assert f"# arrears case {first}, version 1" in text
    assert 'principal = "30000.00"' in text
    second = stored(out, db, cli)
    assert second != first
    for name in ("status", "audit", "plan"):
        assert (ok(cli(name, f"@{second}", "--db", db, "--json")).out
                == ok(cli(name, str(case_file), "--json")).out)
    assert ok(cli("case", "export", f"@{second}", "-o", "-", "--db", db)).out.replace(
        second, first).replace("exported.toml", "case.toml") == text


def test_a_corrected_file_is_a_new_version(cli: Any, case_file: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    case_id = stored(case_file, db, cli)
    fixed = tmp_path / "fixed.toml"
    fixed.write_text(case_file.read_text(encoding="utf-8").replace('rate = "18%"',
                                                                   'rate = "17%"'),
                     encoding="utf-8")
    assert ok(cli("case", "import", str(fixed), "--replace", f"@{case_id}", "--version", "1",
                  "--db", db, "--json")).json() == {"id": case_id, "version": 2}
    assert ok(cli("status", f"@{case_id}", "--db", db, "--json")).out == ok(
        cli("status", str(fixed), "--json")).out
    stale = cli("case", "import", str(case_file), "--replace", case_id, "--version", "1",
                "--db", db)
    assert stale.code == 2
    assert stale.err.startswith(f"arrears: @{case_id}: was changed by someone else")
    history = ok(cli("case", "history", case_id, "--db", db, "--json")).json()
    assert [(h["version"], h["action"]) for h in history] == [(1, "import"), (2, "replace")]
    assert history[0]["at"].endswith("+00:00")


def test_a_case_file_with_problems_stores_nothing(cli: Any, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    bad = tmp_path / "bad.toml"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace('rate = "18%"', 'rate = "abc"')
                   + '\n[[contacts]]\nat = "2026-11-27"\nchannel = "pigeon"\n',
                   encoding="utf-8")
    run = cli("case", "import", str(bad), "--db", db, "--json")
    assert run.code == 2
    assert run.out == ""
    lines = run.err.splitlines()
    assert any(line.startswith(f"arrears: {bad}: debts[0].rate: ") for line in lines)
    assert any(line.startswith(f"arrears: {bad}: contacts[0].at: ") for line in lines)
    assert any(line.startswith(f"arrears: {bad}: contacts[0].channel: ") for line in lines)
    assert "Traceback" not in run.err
    broken = tmp_path / "broken.toml"
    broken.write_text("[case\n", encoding="utf-8")
    run = cli("case", "import", str(broken), "--db", db)
    assert run.code == 2
    assert f"arrears: {broken}: is not valid TOML" in run.err
    assert ok(cli("case", "list", "--db", db, "--json")).json() == []


def test_a_stored_case_is_named_at_id_in_messages(cli: Any, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    typo = tmp_path / "typo.toml"
    typo.write_text(DEMO.read_text(encoding="utf-8").replace(
        'lender = "某消费金融平台"', 'lender = "某消费金融平台"\nlendr = "x"'), encoding="utf-8")
    case_id = stored(typo, db, cli)
    run = ok(cli("status", f"@{case_id}", "--db", db, "--json"))
    assert f"arrears: warning: @{case_id}: debts[0].lendr: unknown key" in run.err
    from arrears.case import load_case
    from arrears.store.ref import load_stored

    case = load_stored(f"@{case_id}", db)
    assert case.source == f"@{case_id}"
    assert case == load_case(typo.read_text(encoding="utf-8"), f"@{case_id}")
    missing = cli("status", "@000000000000", "--db", db)
    assert missing.code == 2
    assert missing.err == "arrears: @000000000000: no stored case has this id\n"


def test_the_default_database_is_in_the_user_data_folder(cli: Any, case_file: Path,
                                                         tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    case_id = ok(run_cli("case", "import", str(case_file), "--json")).json()["id"]
    assert (data / "arrears" / "cases.sqlite3").is_file()
    assert ok(cli("status", f"@{case_id}", "--json")).out == ok(
        cli("status", str(case_file), "--json")).out
    other = tmp_path / "env.sqlite3"
    monkeypatch.setenv("ARREARS_DATABASE_URL", f"sqlite:///{other}")
    assert ok(cli("case", "list", "--json")).json() == []
    assert other.is_file()
    # --db wins over the environment
    listed = ok(cli("case", "list", "--json", "--db",
                        f"sqlite:///{data / 'arrears' / 'cases.sqlite3'}")).json()
    assert [c["id"] for c in listed] == [case_id]


def test_accounts_and_assignment(cli: Any, case_file: Path, tmp_path: Path) -> None:
    from arrears.store.accounts import verify_password
    from arrears.store.database import open_store

    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    case_id = stored(case_file, db, cli)
    ok(run_cli("user", "add", "wang", "--role", "counsellor", "--password-stdin", "--db", db,
               stdin="correct horse battery\n"))
    bad = cli("user", "add", "wang two", "--role", "boss", "--password-stdin", "--db", db,
                  stdin="short\n")
    assert bad.code == 2
    assert [line.split(":")[1].strip() for line in bad.err.splitlines()] == [
        "NAME", "--role", "--password-stdin"]
    again = cli("user", "add", "wang", "--role", "client", "--password-stdin", "--db", db,
                    stdin="another password\n")
    assert again.code == 2
    assert "arrears: NAME: " in again.err
    ok(cli("case", "assign", case_id, "--to", "wang", "--db", db))
    nobody = cli("case", "assign", case_id, "--to", "nobody", "--db", db)
    assert nobody.code == 2
    assert nobody.err.startswith("arrears: --to: ")
    listed = ok(cli("case", "list", "--db", db, "--json")).json()
    assert listed[0]["assigned"] == ["wang"]
    assert listed[0]["version"] == 2
    assert set(listed[0]) == {"id", "name", "source", "version", "debts", "updated_at",
                              "updated_by", "assigned"}
    with open_store(db) as repository:
        user = repository.user("wang")
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
        assert verify_password(user, "correct horse battery")
        assert not verify_password(user, "correct horse battery ")
        assert repository.get(case_id).evidence == (
            ("calls/2026-11-27.m4a", hashlib.sha256(b"recording").hexdigest(), 9),)


def test_db_current_and_upgrade(cli: Any, tmp_path: Path) -> None:
    from arrears.store.database import head

    db = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    before: dict[str, Any] = ok(cli("db", "current", "--db", db, "--json")).json()
    assert before == {"database": db, "current": None, "head": head(), "up_to_date": False}
    assert "to 0001" in ok(cli("db", "upgrade", "--db", db)).out
    assert "the newest" in ok(cli("db", "upgrade", "--db", db)).out
    assert ok(cli("db", "current", "--db", db)).out == f"{head()} (the newest)\n"


def test_postgresql_needs_an_upgrade_first(cli: Any, postgres_server: str,  # noqa: F811
                                           case_file: Path) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from arrears.store.database import engine_for
    from tests.store_databases import _admin

    name = f"{make_url(postgres_server).database}_empty"
    with psycopg.connect(_admin(postgres_server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    try:
        run = cli("case", "import", str(case_file), "--db", url)
        assert run.code == 2
        assert 'run "arrears db upgrade --db URL" first' in run.err
        ok(cli("db", "upgrade", "--db", url))
        stored(case_file, url, cli)
    finally:
        engine_for(url).dispose()
        with psycopg.connect(_admin(postgres_server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_bad_database_urls(cli: Any, tmp_path: Path) -> None:
    for url, text in (("nonsense", "is not a database URL"),
                      ("mysql+nodriver://x/y", "is not a database URL"),
                      ("postgresql://postgres@127.0.0.1:1/none", "cannot open")):
        run = cli("case", "list", "--db", url)
        assert run.code == 2, url
        assert run.err.startswith("arrears: --db: "), run.err
        assert text in run.err, run.err
        assert "Traceback" not in run.err


def test_help_imports_no_database_library() -> None:
    code = ("import sys\nfrom arrears.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'alembic', 'psycopg', 'argon2', 'platformdirs')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
