"""Access to ``tests/data/published_examples.toml``: worked examples printed by outside
sources (regulators, banks, spreadsheet documentation), each naming its source."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data" / "published_examples.toml"


@cache
def _load() -> dict[str, list[dict[str, Any]]]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def examples(table: str) -> list[Any]:
    """``pytest.param`` per example of ``table``, with its id (the source is in the data)."""
    return [pytest.param(e, id=e.get("id", f"{table}-{i}")) for i, e in enumerate(_load()[table])]


def number(text: str) -> Decimal:
    """``"0.08/12"`` or ``"19/30"`` or ``"1037.03"`` as an exact ``Decimal``."""
    top, _, bottom = str(text).partition("/")
    value = Decimal(top)
    return value / Decimal(bottom) if bottom else value
