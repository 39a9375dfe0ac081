"""The README's quick start stays true: two commands, the second is what CI runs, and the
first's main job works."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from .conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has a ```sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands() -> None:
    commands = quick_start()
    assert len(commands) == 2
    assert commands[0].startswith("python -m pip install . && ")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start()[1] in ci, ".ci/run must run the README's test command verbatim"
    assert any(line.startswith("ruff check") for line in ci)
    assert "mypy" in ci


def test_main_job_runs() -> None:
    main_job = quick_start()[0].split(" && ", 1)[1]
    words = shlex.split(main_job)
    assert words[:3] == ["python", "-m", "arrears"]
    result = run_cli(*words[3:])
    assert result.code == 0, result.err
    assert "online-loan" in result.out
    assert "M4" in result.out
