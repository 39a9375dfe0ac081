"""Write docs/cli.md from the real ``--help`` of every command (English, 100 columns).

    python scripts/cli_docs.py          # rewrite docs/cli.md
    python scripts/cli_docs.py --check  # exit 1 if docs/cli.md is out of date

tests/test_docs.py runs the check, so the documented help can never drift from the code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
COMMANDS: tuple[tuple[str, ...], ...] = (
    (), ("demo",), ("new",), ("status",), ("ledger",), ("audit",), ("credit",), ("plan",),
    ("afford",), ("contacts",), ("contacts", "check"), ("contacts", "add"), ("contacts", "report"),
    ("explain",), ("letter",), ("portfolio",), ("portfolio", "synth"), ("portfolio", "audit"),
    ("case",), ("case", "import"), ("case", "export"), ("case", "list"), ("case", "history"),
    ("case", "assign"),
    ("db",), ("db", "upgrade"), ("db", "current"), ("user",), ("user", "add"),
    ("schedule",), ("apr",),
)


def help_text(command: tuple[str, ...]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update({"LANG": "C.UTF-8", "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"})
    proc = subprocess.run([sys.executable, "-m", "arrears", *command, "--help"],
                          capture_output=True, text=True, env=env, check=True)
    return proc.stdout.rstrip() + "\n"


def render() -> str:
    parts = ["# Command reference\n",
             "Generated from each command's `--help` by `python scripts/cli_docs.py`; "
             "`tests/test_docs.py` fails when it drifts. Run any command with `--lang zh` "
             "for Chinese.\n"]
    for command in COMMANDS:
        title = " ".join(("arrears", *command))
        parts.append(f"## `{title}`\n\n```\n{help_text(command)}```\n")
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if DOC.read_text(encoding="utf-8") == text else 1
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
