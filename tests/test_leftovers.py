"""Nothing left behind (issue 16): temporary files and scratch folders are named for their
process, removed on every exit the command controls, and swept by the next run once their
process is gone; a kill -9 at any moment leaves the old file or the new one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from arrears import atomic

from .conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo.toml"
KILLS = 24  # per writing command: "a few dozen", bounded


def _leftovers(folder: Path) -> list[str]:
    """Everything in ``folder`` (recursively) a command may leave: staged files, partial
    outputs, scratch folders."""
    found = []
    for path in folder.rglob("*"):
        name = path.name
        if (name.endswith((".tmp", ".partial")) or ".arrears-" in name
                or name.startswith(("arrears-portfolio-", ".arrears-"))):
            found.append(str(path.relative_to(folder)))
    return sorted(found)


def _shared_scratch() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("arrears-portfolio-*")}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env["LANG"] = "C.UTF-8"
    return env


def _kill_at_random(argv: list[str], cwd: Path, rng: random.Random, longest: float) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "arrears", *argv], cwd=cwd, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.2, longest))
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _timed(argv: list[str], cwd: Path) -> float:
    clock = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "arrears", *argv], cwd=cwd, env=_env(),
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - clock


def _kills(argv: list[str], cwd: Path, seed: int) -> None:
    """KILLS kills at random moments of an ordinary run's length, then one ordinary run."""
    longest = _timed(argv, cwd) * 1.1
    rng = random.Random(seed)
    for _ in range(KILLS):
        _kill_at_random(argv, cwd, rng, longest)
    _timed(argv, cwd)


def test_kill_contacts_add(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    original = DEMO.read_bytes()
    case.write_bytes(original)
    argv = ["contacts", "add", "case.toml", "--at", "2026-11-27 22:40", "--channel", "call",
            "--from", "138xxxx0000"]
    _kills(argv, tmp_path, 1)
    assert _leftovers(tmp_path) == []
    text = case.read_bytes()
    assert text.startswith(original)  # every version is the old one plus whole entries
    added = text[len(original):].decode()
    assert added.count("[[contacts]]") >= 2  # the two ordinary runs at least
    assert run_cli("contacts", "check", str(case), "--json").code == 0


@pytest.mark.parametrize("fmt", ["md", "pdf"])
def test_kill_letter(tmp_path: Path, fmt: str) -> None:
    argv = ["letter", str(DEMO), "--debt", "online-loan", "--kind", "instalment", "--format",
            fmt, "-o", f"letter.{fmt}", "--as-of", "2026-11-28"]
    _timed(argv, tmp_path)
    first = (tmp_path / f"letter.{fmt}").read_bytes()
    _kills(argv, tmp_path, 2)
    assert _leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"letter.{fmt}"]
    if fmt == "md":
        assert (tmp_path / "letter.md").read_bytes() == first
    else:
        assert (tmp_path / "letter.pdf").read_bytes().rstrip().endswith(b"%%EOF")


def test_kill_contacts_report(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_bytes(DEMO.read_bytes())
    assert run_cli("contacts", "add", str(case), "--at", "2026-11-27 22:40", "--channel",
                   "call").code == 0
    argv = ["contacts", "report", "case.toml", "-o", "evidence.html"]
    _kills(argv, tmp_path, 3)
    assert _leftovers(tmp_path) == []
    assert (tmp_path / "evidence.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_kill_portfolio(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    before = _shared_scratch()
    synth = ["portfolio", "synth", "--loans", "8000", "-o", "book.parquet", "--payments",
             "pay.parquet", "--as-of", "2025-06-30"]
    _kills(synth, tmp_path, 4)
    assert _leftovers(tmp_path) == []
    assert pq.read_metadata(tmp_path / "book.parquet").num_rows == 8000
    audit = ["portfolio", "audit", "book.parquet", "--payments", "pay.parquet", "--as-of",
             "2025-06-30", "-o", "out/audit.parquet", "--partition-rows", "2000"]
    (tmp_path / "out").mkdir()
    _kills(audit, tmp_path, 5)
    assert _leftovers(tmp_path) == []
    assert pq.read_metadata(tmp_path / "out" / "audit.parquet").num_rows == 8000
    assert _shared_scratch() <= before  # nothing in the shared temp folder


def test_sigterm_cleans_up_at_once(tmp_path: Path) -> None:
    """SIGTERM (and Ctrl-C) are exits the command controls: its scratch folder and staged
    output go at once, with no next run needed."""
    pytest.importorskip("pyarrow")
    assert run_cli("portfolio", "synth", "--loans", "20000", "-o", str(tmp_path / "b.parquet"),
                   "--payments", str(tmp_path / "p.parquet"), "--as-of", "2025-06-30").code == 0
    argv = ["portfolio", "audit", "b.parquet", "--payments", "p.parquet", "--as-of",
            "2025-06-30", "-o", "o.parquet", "--partition-rows", "2000"]
    for delay in (0.8, 1.2, 1.6):
        proc = subprocess.Popen([sys.executable, "-m", "arrears", *argv], cwd=tmp_path,
                                env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate()
        assert "Traceback" not in err
        assert _leftovers(tmp_path) == []
        (tmp_path / "o.parquet").unlink(missing_ok=True)


def test_sweep_removes_only_what_is_stale(tmp_path: Path) -> None:
    """A name whose process is gone is swept; this live process's own names are kept; a file
    of someone else's naming is never touched."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    stale = [tmp_path / f".case.toml.arrears-{pid}-12345.tmp",
             tmp_path / f".out.parquet.arrears-{pid}-12345.partial"]
    scratch = tmp_path / f".arrears-scratch-{pid}-12345-0"
    mine = tmp_path / f".other.toml.arrears-{atomic.OWNER}.tmp"
    reused = tmp_path / f".x.arrears-{os.getpid()}-1.tmp"  # our pid, another start: stale
    foreign = tmp_path / ".case.toml.abc123.tmp"
    for path in (*stale, mine, reused, foreign):
        path.write_text("x")
    scratch.mkdir()
    (scratch / "part-00000.bin").write_bytes(b"\0" * 16)
    atomic.write_atomically(tmp_path / "case.toml", b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [mine.name, foreign.name, "case.toml"])
    assert (tmp_path / "case.toml").read_bytes() == b"new"
