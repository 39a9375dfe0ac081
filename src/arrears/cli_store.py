"""CLI commands for stored cases: ``arrears db``, ``arrears case`` and ``arrears user``
(``docs/store.md``). Every report command reads a stored case as ``@ID`` with ``--db URL``.

Registered on :data:`arrears.cli.app`; SQLAlchemy and Alembic are imported inside the
commands, so ``arrears --help`` stays fast."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arrears.cli import AsJson, Db, Lang, _opt, _print_json, _use_language, app
from arrears.errors import InputError, Problem
from arrears.i18n import _, render

if TYPE_CHECKING:
    from arrears.store.repository import CaseSummary

db_app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                     help=_("The database of stored cases: bring its schema up to date, or "
                            "show the schema it is at."),
                     epilog=_("Example: arrears db upgrade --db "
                              "postgresql+psycopg://postgres@127.0.0.1:5432/arrears"))
case_app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                       help=_("Stored cases: import a case file, export one, list them, "
                              "assign one to a counsellor or client. Every report command "
                              "reads a stored case as @ID."),
                       epilog=_("Example: arrears case import examples/demo.toml --json, then "
                                "arrears status @ID"))
user_app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                       help=_("Accounts of the shared mode: admin, counsellor, client."),
                       epilog=_("Example: printf '%s\\n' \"$PASSWORD\" | arrears user add "
                                "wang --role counsellor --password-stdin"))
app.add_typer(db_app, name="db")
app.add_typer(case_app, name="case")
app.add_typer(user_app, name="user")

CaseId = Annotated[str, typer.Argument(metavar="ID", help=_("The stored case's id (with or "
                                                             "without the @)."))]


def actor() -> str:
    """Who is making a change from this terminal: the operating-system user."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # pragma: no cover - no user name in the environment
        return "local"


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


@db_app.command("upgrade", help=_("Create the tables, or bring them to this version's schema "
                                  "(in one transaction)."),
                epilog=_("Example: arrears db upgrade --db sqlite:///cases.db"))
def db_upgrade(db: Db = None, lang: Lang = None) -> None:
    """Bring the database's schema up to date."""
    _use_language(lang)
    from arrears.store.database import engine_for, shown, upgrade
    from arrears.store.location import database_url

    url = database_url(db)
    engine = engine_for(url)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        _say(_("{url} is at schema {revision}, the newest.").format(url=shown(url),
                                                                    revision=after))
    else:
        _say(_("Upgraded {url} from schema {before} to {after}.").format(
            url=shown(url), before=before or "-", after=after))


@db_app.command("current", help=_("Show the schema the database is at, and the newest this "
                                  "arrears knows."),
                epilog=_("Example: arrears db current --json"))
def db_current(db: Db = None, as_json: AsJson = False, lang: Lang = None) -> None:
    """Show the database's schema revision."""
    _use_language(lang)
    from arrears.store.database import current, engine_for, head, shown
    from arrears.store.location import database_url

    url = database_url(db)
    engine = engine_for(url)
    try:
        revision = current(engine)
    finally:
        engine.dispose()
    newest = head()
    if as_json:
        _print_json({"database": shown(url), "current": revision, "head": newest,
                     "up_to_date": revision == newest})
        return
    state = _("the newest") if revision == newest else _('run "arrears db upgrade"')
    _say(f"{revision or '-'} ({state})")


def _evidence(data: dict[str, Any], folder: Path) -> dict[str, tuple[str, int]]:
    """The SHA-256 and size of every evidence file the log names that can be read now."""
    from arrears.contacts.evidence import sha256_of

    found: dict[str, tuple[str, int]] = {}
    for contact in data.get("contacts", []) if isinstance(data.get("contacts"), list) else []:
        paths = contact.get("evidence", []) if isinstance(contact, dict) else []
        for path in paths if isinstance(paths, list) else []:
            if not isinstance(path, str) or path in found:
                continue
            target = Path(path).expanduser()
            target = target if target.is_absolute() else folder / target
            try:
                found[path] = sha256_of(target)
            except OSError:
                continue
    return found


def _warn(warnings: tuple[Problem, ...]) -> None:
    for line in dict.fromkeys(render(w) for w in warnings):
        sys.stderr.write(_("arrears: warning: {problem}").format(problem=line) + "\n")


@case_app.command("import", help=_("Store a case file (checked first; nothing is stored if it "
                                   "has a problem) and print its id."),
                  epilog=_("Example: arrears case import examples/demo.toml --json"))
def case_import(
    case_file: Annotated[Path, typer.Argument(metavar="CASE.toml", help=_("The case file."))],
    replace: Annotated[str | None, _opt("ID", _("Store the file as a correction of this "
                                                "stored case: a new version, the old one "
                                                "kept."))] = None,
    version: Annotated[int | None, _opt("N", _("With --replace: the version you corrected "
                                               "(refused if the case changed since; default: "
                                               "its current version)."))] = None,
    db: Db = None,
    as_json: AsJson = False,
    lang: Lang = None,
) -> None:
    """Store a case file."""
    _use_language(lang)
    import tomllib

    from arrears.cli_case import read_text
    from arrears.store.database import open_store
    from arrears.store.repository import check_case

    if str(case_file).startswith("@"):
        raise InputError.one(str(case_file), _("is a stored case already; import a case "
                                               "file"))
    source = str(case_file)
    try:
        data = tomllib.loads(read_text(case_file))
    except tomllib.TOMLDecodeError as error:
        raise InputError.one(source, _("is not valid TOML: {reason}"),
                             reason=str(error)) from None
    if version is not None and replace is None:
        raise InputError.one("--version", _("needs --replace ID"))
    with open_store(db) as repository:
        if replace is not None:
            case_id = replace.removeprefix("@")
            warnings = check_case(data, source)  # problems named by the file's path
            expected = version if version is not None else repository.get(case_id).version
            new = repository.replace(case_id, data, actor=actor(), expected_version=expected,
                                     evidence=_evidence(data, case_file.parent))
        else:
            case_id, warnings = repository.import_case(
                data, source=source, actor=actor(), evidence=_evidence(data, case_file.parent))
            new = 1
    _warn(warnings)
    if as_json:
        _print_json({"id": case_id, "version": new} if replace else {"id": case_id})
        return
    _say(_("Stored {path} as @{id}, version {version}. Read it with: arrears status @{id}")
         .format(path=source, id=case_id, version=new))


@case_app.command("export", help=_("Write a stored case as a case file (TOML): comments are "
                                   "not kept, every value is."),
                  epilog=_("Example: arrears case export 3f9a2c1b7d0e -o case.toml"))
def case_export(
    case_id: CaseId,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help=_("The case file to write (- for standard "
                                                "output)."))],
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Write a stored case as a case file."""
    _use_language(lang)
    from arrears.contacts.append import replace_atomically
    from arrears.store.ref import export_text, stored_case

    text = export_text(stored_case(case_id, db))
    if str(output) == "-":
        sys.stdout.write(text)
        return
    try:
        replace_atomically(output, text.encode("utf-8"))
    except OSError as error:
        raise InputError.one(str(output), _("cannot be written: {reason}"),
                             reason=error.strerror or str(error)) from None


def _summary(case: CaseSummary) -> dict[str, Any]:
    return {"id": case.id, "name": case.name, "source": case.source, "version": case.version,
            "debts": case.debts, "updated_at": case.updated_at.isoformat(timespec="seconds"),
            "updated_by": case.updated_by, "assigned": list(case.assigned)}


@case_app.command("list", help=_("The stored cases, the most recently changed first."),
                  epilog=_("Example: arrears case list --json"))
def case_list(db: Db = None, as_json: AsJson = False, lang: Lang = None) -> None:
    """List the stored cases."""
    _use_language(lang)
    from arrears.store.database import open_store

    with open_store(db) as repository:
        cases = [_summary(c) for c in repository.list_cases()]
    if as_json:
        _print_json(cases)
        return
    from rich.table import Table

    from arrears.terminal import console

    if not cases:
        _say(_('No stored cases yet: "arrears case import case.toml" stores one.'))
        return
    table = Table()
    for heading in (_("Case"), _("Name"), _("Debts"), _("Version"), _("Changed"), _("By"),
                    _("Assigned to")):
        table.add_column(heading, no_wrap=heading == _("Case"))
    for case in cases:
        table.add_row("@" + case["id"], case["name"], str(case["debts"]), str(case["version"]),
                      case["updated_at"], case["updated_by"], ", ".join(case["assigned"]))
    console().print(table)


@case_app.command("history", help=_("Every version of a stored case: who made it, when "
                                    "(UTC) and how."),
                  epilog=_("Example: arrears case history 3f9a2c1b7d0e --json"))
def case_history(case_id: CaseId, db: Db = None, as_json: AsJson = False,
                 lang: Lang = None) -> None:
    """Show a stored case's versions."""
    _use_language(lang)
    from arrears.store.database import open_store

    with open_store(db) as repository:
        revisions = repository.history(case_id.removeprefix("@"))
    rows: list[dict[str, Any]] = [
        {"version": r.version, "at": r.at.isoformat(timespec="seconds"), "by": r.actor,
         "action": r.action} for r in revisions]
    if as_json:
        _print_json(rows)
        return
    from rich.table import Table

    from arrears.terminal import console

    table = Table()
    for heading in (_("Version"), _("Changed"), _("By"), _("Change")):
        table.add_column(heading, no_wrap=True)
    for row in rows:
        table.add_row(str(row["version"]), row["at"], row["by"], row["action"])
    console().print(table)


@case_app.command("assign", help=_("Assign a stored case to a counsellor, or give it to a "
                                   "client: they see it when they sign in."),
                  epilog=_("Example: arrears case assign 3f9a2c1b7d0e --to wang"))
def case_assign(
    case_id: CaseId,
    to: Annotated[str, _opt("USER", _("The user's name (arrears user add)."))],
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Assign a stored case to a user."""
    _use_language(lang)
    from arrears.store.database import open_store

    with open_store(db) as repository:
        version = repository.assign(case_id.removeprefix("@"), to, actor=actor())
    _say(_("@{id} is assigned to {user} (version {version}).").format(
        id=case_id.removeprefix("@"), user=to, version=version))


@user_app.command("add", help=_("Create an account with its role; the password is read from "
                                "standard input and stored only as an argon2 hash."),
                  epilog=_("Example: printf '%s\\n' \"$PASSWORD\" | arrears user add wang "
                           "--role counsellor --password-stdin"))
def user_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help=_("The user's name."))],
    role: Annotated[str, _opt("admin|counsellor|client", _("What the user may see: every "
                                                           "case, the cases assigned to "
                                                           "them, or their own."))],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help=_("Read the password from standard input (its first "
                                   "line)."))] = False,
    db: Db = None,
    lang: Lang = None,
) -> None:
    """Create an account."""
    _use_language(lang)
    from arrears.store.accounts import new_user
    from arrears.store.database import open_store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(_("Password: "))
        if getpass.getpass(_("Password again: ")) != password:
            raise InputError.one("--password-stdin", _("the two passwords differ"))
    else:
        raise InputError.one("--password-stdin", _("give the password on standard input "
                                                    "with --password-stdin"))
    user = new_user(name, role, password)
    with open_store(db) as repository:
        repository.add_user(user, actor=actor())
    _say(_("Added {name} ({role}).").format(name=user.name, role=user.role.value))
