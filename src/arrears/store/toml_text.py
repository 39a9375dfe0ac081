"""TOML text from plain values: the writer behind ``arrears case export`` and the store's
``extra`` columns. Comments are not kept; every value is (the reader gets back what it read).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from arrears.contacts.append import toml_string

__all__ = ["document", "inline", "read_inline", "value"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def key(name: str) -> str:
    """A key, bare when it can be."""
    return name if _BARE.match(name) else toml_string(name)


def value(item: Any) -> str:
    """One TOML value (inline tables and arrays included)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item):
            return "nan"
        if math.isinf(item):
            return "inf" if item > 0 else "-inf"
        return repr(item)
    if isinstance(item, str):
        return toml_string(item)
    if isinstance(item, Decimal):
        return toml_string(str(item))
    if isinstance(item, datetime | date | time):
        return item.isoformat()
    if isinstance(item, list | tuple):
        return "[" + ", ".join(value(v) for v in item) + "]"
    if isinstance(item, Mapping):
        return inline(item)
    raise TypeError(f"no TOML value for {type(item).__name__}")


def inline(table: Mapping[str, Any]) -> str:
    """An inline table: ``{a = 1, b = "x"}``."""
    return "{" + ", ".join(f"{key(k)} = {value(v)}" for k, v in table.items()) + "}"


def read_inline(text: str) -> Any:
    """The value written by :func:`value` (an inline table, an array, a scalar)."""
    return tomllib.loads(f"v = {text}")["v"]


def _tables(items: Any) -> bool:
    return isinstance(items, list) and bool(items) and all(isinstance(i, Mapping) for i in items)


def _write(lines: list[str], path: list[str], table: Mapping[str, Any]) -> None:
    for name, item in table.items():
        if not isinstance(item, Mapping) and not _tables(item):
            lines.append(f"{key(name)} = {value(item)}")
    for name, item in table.items():
        dotted = ".".join(key(p) for p in [*path, name])
        if isinstance(item, Mapping):
            lines.extend(["", f"[{dotted}]"])
            _write(lines, [*path, name], item)
        elif _tables(item):
            for entry in item:
                lines.extend(["", f"[[{dotted}]]"])
                _write(lines, [*path, name], entry)


def document(data: Mapping[str, Any], header: str = "") -> str:
    """A TOML document: plain keys first, then each table and array of tables."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    _write(lines, [], data)
    return "\n".join(lines).lstrip("\n") + "\n"
