"""The docs match the reader (issue 10, item 8): docs/case-file.md documents every key the case
reader accepts, and ``arrears --help`` follows ``--lang`` and the locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from arrears import case as reader
from arrears.cli import _argv_language
from tests.conftest import run_cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "case-file.md"

# Each of the reader's own key sets, and the heading of the section that must document it.
SECTIONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("## Top level", frozenset(reader._TOP)),
    ("## `[case]`", frozenset(reader._CASE)),
    ("## `[household]`", frozenset(reader._HOUSEHOLD)),
    ("### `[[household.income_changes]]`", frozenset(reader._INCOME_CHANGE)),
    ("## `[[debts]]` — an instalment loan", frozenset(reader._LOAN)),
    ("### `[debts.overdue]`", frozenset(reader._OVERDUE)),
    ("### `[[debts.payments]]`", frozenset(reader._PAYMENT)),
    ("## `[[debts]]` — a credit card",
     frozenset((reader._LOAN - reader._LOAN_ONLY) | reader._CARD)),
    ("## `[plan]`", frozenset(reader._PLAN)),
)


def _section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of its level or above."""
    start = text.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    rest = text[start + len(heading):]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.MULTILINE)
    return rest[: end.start()] if end else rest


def _documented(section: str) -> set[str]:
    """Every name written as code in a section: `key`, `[table]`, `[[array]]`, `[a.b]`."""
    names = set()
    for code in re.findall(r"`([^`]+)`", section):
        names.add(code.strip("[]").split(".")[-1].split(" ")[0])
    return names


@pytest.mark.parametrize(("heading", "keys"), SECTIONS, ids=[h for h, _ in SECTIONS])
def test_every_key_the_reader_accepts_is_documented(heading: str, keys: frozenset[str]) -> None:
    missing = sorted(keys - _documented(_section(DOC.read_text(encoding="utf-8"), heading)))
    assert not missing, f"docs/case-file.md, {heading}: undocumented keys {missing}"


def test_the_sections_cover_every_key_set_of_the_reader() -> None:
    """A key set added to the reader (a module constant of keys) must be given a section
    here, so a new table cannot go undocumented either."""
    sets = {name for name, value in vars(reader).items()
            if re.fullmatch(r"_[A-Z_]+", name) and isinstance(value, set | frozenset)
            and all(isinstance(k, str) for k in value)}
    assert "_CARD" in sets
    covered = {"_TOP", "_CASE", "_HOUSEHOLD", "_INCOME_CHANGE", "_LOAN", "_LOAN_ONLY",
               "_OVERDUE", "_OVERDUE_LOAN_ONLY", "_PAYMENT", "_CARD", "_PLAN"}
    assert sets <= covered, (f"key sets of arrears.case without a section in SECTIONS: "
                             f"{sorted(sets - covered)} (a set of values, not keys: add it "
                             "to `covered` here)")


def test_the_check_fails_on_an_undocumented_key() -> None:
    section = _section(DOC.read_text(encoding="utf-8"), "## `[case]`")
    assert "no_such_key" not in _documented(section)
    assert {"timezone", "as_of"} <= _documented(section)


@pytest.mark.parametrize(("argv", "lang"), [
    (["--lang", "zh", "--help"], "zh"), (["status", "--help", "--lang=zh"], "zh"),
    (["--lang", "zh_CN", "status"], "zh"), (["--lang", "en"], "en"), (["--help"], None),
    (["--lang", "fr"], None), (["status", "--", "--lang", "zh"], None),
])
def test_the_language_is_read_from_the_command_line_first(argv: list[str],
                                                          lang: str | None) -> None:
    assert _argv_language(argv) == lang


def test_help_follows_the_locale() -> None:
    zh = run_cli("--help", lang="zh")
    assert zh.code == 0
    assert "逾期贷款到底要还多少，以及出路在哪里。" in zh.out
    # Typer's own words too: the usage line, the sections, the --help line
    assert zh.out.startswith("用法: arrears")
    assert "选项:" in zh.out
    assert "显示此帮助并退出。" in zh.out
    assert "Show this message" not in zh.out
    en = run_cli("--help", lang="en")
    assert "What an overdue loan really costs, and the way out." in en.out
    assert en.out.startswith("Usage: arrears")
    assert "Show this message and exit." in en.out


def test_help_follows_lang() -> None:
    top = run_cli("--lang", "zh", "--help", lang="en")
    assert top.code == 0
    assert "逾期贷款到底要还多少" in top.out
    assert "每笔债务今天欠多少" in top.out  # the status command's line in the list
    command = run_cli("status", "--help", "--lang", "zh", lang="en")
    assert "每笔债务今天欠多少（按款项拆分）" in command.out
    back = run_cli("--lang", "en", "--help", lang="zh")
    assert "What an overdue loan really costs" in back.out


def test_lang_before_the_command_sets_the_output_language(tmp_path: Path) -> None:
    result = run_cli("--lang", "zh", "demo", lang="en")
    assert result.code == 0
    assert "债务状况" in result.out
