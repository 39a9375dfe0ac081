"""Never a traceback, never a hang (issue 10, item 9): every command fed hostile case files,
options and books exits 0 or 2, and a refusal is located lines only.

The generated inputs come from :mod:`tests.hostile`; each trap the fuzzing harness found is
also a regression test of its own below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import hostile
from .hostile import Outcome, run

LETTERS = ("instalment", "deferment", "settlement", "dispute-charges", "complaint")


def _commands(case: Path, out: Path, offer: Path) -> list[list[str]]:
    c = str(case)
    return [
        ["status", c], ["status", c, "--json"], ["ledger", c, "--debt", "loan"],
        ["ledger", c, "--debt", "card", "--json"], ["audit", c], ["audit", c, "--json"],
        ["credit", c, "--json"], ["credit", c], ["plan", c, "--months", "24", "--json"],
        ["afford", c, "--offer", str(offer), "--json"], ["contacts", "check", c],
        ["contacts", "report", c, "-o", str(out / "evidence.html")],
        *(["letter", c, "--debt", debt, "--kind", kind, "-o", str(out / "letter.md")]
          for debt in ("loan", "card") for kind in LETTERS),
    ]


def check(result: Outcome, argv: list[str]) -> None:
    """Exit 0 or 2, no traceback; a refusal prints only lines ``arrears: where: what``."""
    assert result.crash is None, (argv, repr(result.crash))
    assert result.code in (0, 2), (argv, result.code, result.err)
    assert "Traceback" not in result.err, (argv, result.err)
    if result.code == 2:
        lines = result.err.strip().splitlines()
        assert lines, argv
        assert all(line.startswith("arrears: ") for line in lines), (argv, result.err)
        assert ": " in lines[0][len("arrears: "):], (argv, result.err)


@st.composite
def _hostile_case(draw: Any) -> dict[str, Any]:
    data = hostile.base_case()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(hostile.paths(data)))
        data = hostile.replaced(data, path, draw(st.sampled_from(hostile.HOSTILE)))
    return data


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=_hostile_case(), pick=st.integers(0, 10**6))
def test_hostile_case_files(tmp_path: Path, data: dict[str, Any], pick: int) -> None:
    case = tmp_path / "case.toml"
    case.write_text(hostile.toml_text(data), encoding="utf-8")
    offer = tmp_path / "offer.toml"
    offer.write_text('[offer]\nprincipal = "20000"\nrate = "18%"\nterm_months = 24\n',
                     encoding="utf-8")
    commands = _commands(case, tmp_path, offer)
    argv = commands[pick % len(commands)]
    check(run(argv), argv)
