"""The rule packs load, every rule is complete, and the LPR table answers by date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from arrears.rules import CONFIDENCES, load_pack, parse_pack


@pytest.mark.parametrize("jurisdiction", ["cn", "us"])
def test_packs_load_and_are_complete(jurisdiction: str) -> None:
    pack = load_pack(jurisdiction)
    assert pack.rules
    for rule in pack.rules:
        assert rule.id.startswith(f"{jurisdiction}.")
        assert rule.confidence in CONFIDENCES
        assert rule.verified in ("V1", "V2")
        for text in (rule.source_en, rule.source_zh, rule.title_en, rule.title_zh):
            assert text.strip()


def test_lpr_on_a_date() -> None:
    """rules-cn-us.md §2e: 3.85 % from 2020-04-20, 3.00 % from 2025-05-20."""
    pack = load_pack("cn")
    assert pack.lpr_on(date(2019, 8, 19)) is None
    fixing = pack.lpr_on(date(2021, 1, 1))
    assert fixing is not None
    assert fixing.one_year == Decimal("0.0385")
    latest = pack.lpr_on(date(2026, 11, 28))
    assert latest is not None
    assert latest.one_year == Decimal("0.03")


def test_a_bad_pack_is_refused() -> None:
    meta = {"id": "x", "currency": "X", "name_en": "x", "name_zh": "x"}
    rule = {"id": "x.a", "kind": "cap", "confidence": "statute", "verified": "V1",
            "source_en": "s", "source_zh": "s", "title_en": "t", "title_zh": "t"}
    assert parse_pack({"pack": meta, "rules": [rule]}, "x.toml").rules[0].id == "x.a"
    for key, value in (("confidence", "rumour"), ("verified", "U")):
        bad = {"pack": meta, "rules": [{**rule, key: value}]}
        with pytest.raises(ValueError, match=r"x.toml: rules\[0\]"):
            parse_pack(bad, "x.toml")
