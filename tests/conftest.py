"""Shared test helpers: run the real ``arrears`` command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(*args: str, lang: str = "en", stdin: str | None = None,
            columns: int = 120) -> Run:
    """Run ``python -m arrears ARGS`` as a user would, in a clean locale, on a terminal
    ``columns`` wide."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env["LANG"] = "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8"
    env["COLUMNS"] = str(columns)
    proc = subprocess.run(
        [sys.executable, "-m", "arrears", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=120, check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli() -> Any:
    return run_cli


@pytest.fixture(autouse=True)
def _restore_language() -> Any:
    """In-process CLI calls set the UI language; put it back after every test."""
    from arrears import i18n

    before = i18n.current()
    yield
    i18n.set_language(before)
