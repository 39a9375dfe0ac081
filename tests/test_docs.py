"""The documentation stays honest: the command reference is the real ``--help``, and every
module's ``__all__`` names only what exists."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import arrears

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current() -> None:
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_docs.py"), "--check"],
                           check=False)
    assert check.returncode == 0, "docs/cli.md is stale: run python scripts/cli_docs.py"


def test_every_public_name_exists() -> None:
    for info in pkgutil.walk_packages(arrears.__path__, "arrears."):
        if info.name == "arrears.__main__":
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            assert hasattr(module, name), f"{info.name}.__all__ names missing {name}"


def test_docs_name_every_command() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("demo", "status", "ledger", "audit", "credit", "plan", "afford", "contacts",
                    "explain", "letter", "portfolio", "schedule", "apr"):
        assert f"## `arrears {command}`" in reference
        assert f"arrears {command}" in readme
