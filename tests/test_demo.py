"""``arrears demo`` — the main job — against reviewed golden files in both languages, on an
80-column terminal (the other commands' golden files: ``tests/test_terminal.py``).

Regenerate after a reviewed change with ``ARREARS_UPDATE_GOLDEN=1 python -m pytest
tests/test_demo.py`` and read the diff before committing it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import run_cli

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_report_matches_golden(lang: str) -> None:
    result = run_cli("demo", "--lang", lang, columns=80)
    assert result.code == 0, result.err
    assert result.err == ""
    path = GOLDEN / f"demo.{lang}.txt"
    if os.environ.get("ARREARS_UPDATE_GOLDEN"):
        path.write_text(result.out, encoding="utf-8")
    assert result.out == path.read_text(encoding="utf-8")


def test_demo_json_has_every_section() -> None:
    result = run_cli("demo", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"status", "audit", "credit", "plan", "warnings"}
    assert data["warnings"] == []  # the bundled case reads cleanly
    status = {d["id"]: d for d in data["status"]["debts"]}
    # The bundled case: the online loan four months behind, the card one to two months
    # behind, the car loan current; the online loan's true cost above 24 % a year.
    assert (status["online-loan"]["dpd"], status["online-loan"]["bucket"]) == (105, "M4")
    assert status["credit-card"]["bucket"] in ("M1", "M2")
    assert status["car-loan"]["dpd"] == 0
    audit = {d["id"]: d for d in data["audit"]["debts"]}
    assert float(audit["online-loan"]["contract_apr"]) > 0.24
    assert audit["online-loan"]["findings"][0]["rule"] == "cn.cap.licensed.24"
    plan = data["plan"]
    assert plan["recommended"] in {s["name"] for s in plan["strategies"]}
    assert float(plan["triage"]["shortfall"]) > 0  # the budget cannot cover what is due now
