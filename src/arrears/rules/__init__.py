"""Jurisdiction rule packs: caps, LPR history, credit-report and conduct rules as data.

``cn.toml`` and ``us.toml`` beside this file hold every rule with an id, its figures, its
source and a confidence (``statute``, ``guideline``, ``practice``); see ``docs/rules.md``.
This module loads and checks them; the analyses (:mod:`arrears.audit`,
:mod:`arrears.credit`) read them.
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from arrears.rate import RateBasis, parse_rate

__all__ = ["CONDITIONS", "CONFIDENCES", "LprFixing", "Rule", "RulePack", "load_pack"]

CONFIDENCES = ("statute", "guideline", "practice")
CONDITIONS = ("conduct", "illegal_debt")
"""What a consequence rule may require (``requires = [...]``): the conduct itself found on the
same contacts, and an illegal debt (:mod:`arrears.contacts.conditions`)."""
_REQUIRED = ("id", "kind", "confidence", "verified", "source_en", "source_zh", "title_en",
             "title_zh")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its id, kind, confidence, sources and figures (``params``)."""

    id: str
    kind: str
    confidence: str
    verified: str
    source_en: str
    source_zh: str
    title_en: str
    title_zh: str
    params: Mapping[str, Any]

    def source(self, lang: str) -> str:
        return self.source_zh if lang == "zh" else self.source_en

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def requires(self) -> tuple[str, ...]:
        """The conditions a consequence rule needs before it is a finding (``()``: none)."""
        return tuple(str(c) for c in self.params.get("requires", ()))

    @property
    def illegal_above(self) -> bool:
        """Whether a cost above this cap makes the debt illegal (a cap rule)."""
        return bool(self.params.get("illegal_above", False))

    def rate(self, key: str = "rate") -> Decimal:
        """A rate figure (``"24%"``) as a fraction."""
        return parse_rate(str(self.params[key]), RateBasis.ANNUAL, f"{self.id}.{key}").value

    def number(self, key: str) -> Decimal:
        return Decimal(str(self.params[key]))

    def applies(self, lender_type: str, contract_date: date) -> bool:
        """Whether the rule covers this lender type and contract date."""
        lenders = self.params.get("lenders")
        if lenders is not None and lender_type not in lenders:
            return False
        start, end = self.params.get("from"), self.params.get("until")
        if start is not None and contract_date < start:
            return False
        return not (end is not None and contract_date > end)


@dataclass(frozen=True, slots=True)
class LprFixing:
    """A one-year (and five-year) Loan Prime Rate in force from ``on``."""

    on: date
    one_year: Decimal
    five_year: Decimal
    verified: str


@dataclass(frozen=True, slots=True)
class RulePack:
    """A jurisdiction's rules."""

    id: str
    currency: str
    name_en: str
    name_zh: str
    rules: tuple[Rule, ...]
    lpr: tuple[LprFixing, ...]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == kind)

    def lpr_on(self, day: date) -> LprFixing | None:
        """The fixing in force on ``day`` (None before the first fixing)."""
        dates = [f.on for f in self.lpr]
        index = bisect.bisect_right(dates, day) - 1
        return self.lpr[index] if index >= 0 else None


def _rule(raw: Mapping[str, Any], where: str) -> Rule:
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    if raw["confidence"] not in CONFIDENCES:
        raise ValueError(f"{where}: confidence {raw['confidence']!r} is not one of "
                         f"{CONFIDENCES}")
    if raw["verified"] not in ("V1", "V2"):
        raise ValueError(f"{where}: only V1 and V2 rules belong in a pack, not "
                         f"{raw['verified']!r}")
    params = {k: tuple(v) if isinstance(v, list) else v
              for k, v in raw.items() if k not in _REQUIRED}
    unknown = [c for c in params.get("requires", ()) if c not in CONDITIONS]
    if unknown:
        raise ValueError(f"{where}: requires {unknown!r}: the conditions are {CONDITIONS}")
    return Rule(id=raw["id"], kind=raw["kind"], confidence=raw["confidence"],
                verified=raw["verified"], source_en=raw["source_en"],
                source_zh=raw["source_zh"], title_en=raw["title_en"],
                title_zh=raw["title_zh"], params=MappingProxyType(params))


def parse_pack(data: Mapping[str, Any], name: str) -> RulePack:
    """A pack from parsed TOML; raises ``ValueError`` naming the bad entry."""
    meta = data["pack"]
    rules = tuple(_rule(raw, f"{name}: rules[{i}]") for i, raw in enumerate(data["rules"]))
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{name}: duplicate rule ids")
    lpr = tuple(
        LprFixing(on=row["date"], one_year=parse_rate(row["one_year"]).value,
                  five_year=parse_rate(row["five_year"]).value, verified=row["verified"])
        for row in data.get("lpr", [])
    )
    if list(lpr) != sorted(lpr, key=lambda f: f.on):
        raise ValueError(f"{name}: LPR fixings must be in date order")
    return RulePack(id=meta["id"], currency=meta["currency"], name_en=meta["name_en"],
                    name_zh=meta["name_zh"], rules=rules, lpr=lpr)


@cache
def load_pack(jurisdiction: str) -> RulePack:
    """The rule pack shipped for ``jurisdiction`` (``cn`` or ``us``)."""
    text = files("arrears.rules").joinpath(f"{jurisdiction}.toml").read_text(encoding="utf-8")
    return parse_pack(tomllib.loads(text), f"{jurisdiction}.toml")
