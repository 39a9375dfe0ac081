"""The glossary behind ``arrears explain``: the words a person in arrears meets (罚息, 违约金,
征信, M1–M7 …), each in plain Chinese and English with its sources and confidence.

The entries are data (``glossary.toml`` beside this file, described in ``docs/explain.md``);
this module loads and checks them and finds an entry from whatever a person types:

1. **exactly** — any Chinese or English name, the id or the pinyin, ignoring case, spaces,
   punctuation, full-width forms and tone marks (``"fa xi"``, ``"fàxī"``, ``"ＡＰＲ"``,
   ``"4×LPR"``); then pinyin with tone numbers (``"fa2xi1"``);
2. **fuzzily** — :mod:`difflib` similarity over every name, or a name contained in what was
   typed (``"penalty intrest"``, ``"信用卡滞纳金"``), when one entry clearly comes first.

Reports point to the entries with :func:`see` and :data:`REPORT_TERMS`. Pinyin is data, so no
pinyin library is needed at run time. Information, not legal advice.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from arrears.i18n import N_, _, current

__all__ = [
    "CONFIDENCES",
    "REPORT_TERMS",
    "VERIFIED",
    "Entry",
    "Glossary",
    "entries",
    "find",
    "get",
    "load_glossary",
    "normalise",
    "parse_glossary",
    "see",
    "suggest",
    "terms_footer",
]

CONFIDENCES = ("statute", "guideline", "practice")
VERIFIED = ("V1", "V2")
_REQUIRED = ("id", "names_zh", "names_en", "pinyin", "text_zh", "text_en", "sources",
             "confidence", "verified", "see_also", "commands")
_LISTS = ("names_zh", "names_en", "pinyin", "sources", "see_also", "commands")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_RULE_ID = re.compile(r"(cn|us)(\.[a-z0-9_]+)+")
_PINYIN = re.compile(r"[a-z0-9]+")
_SHELL_WORD = re.compile(r"[A-Za-z0-9-]+")
_TONE_NUMBER = re.compile(r"(?<=[a-z])[1-5]")
_TIMES = str.maketrans({"×": "x", "*": "x", "✕": "x", "✖": "x"})

#: How sure a match must be to answer with it, and to be offered as a suggestion.
RESOLVE_AT = 0.8
SUGGEST_AT = 0.5
#: A fuzzy winner must beat the next entry by this much, else the term is ambiguous.
MARGIN = 0.02

#: Report components (``Position.outstanding`` keys and status columns) → entry ids.
REPORT_TERMS: Mapping[str, str] = MappingProxyType({
    "principal": "principal",
    "interest": "interest",
    "penalty_interest": "penalty-interest",
    "compound_interest": "compound-interest",
    "fees": "fees",
    "late_fees": "late-fee",
    "dpd": "days-past-due",
    "bucket": "overdue-bucket",
    "apr": "apr",
})

_FOOTER = N_("Terms: {terms} — arrears explain TERM")


@dataclass(frozen=True, slots=True)
class Entry:
    """One term: its names, its text in both languages, where it comes from and how sure."""

    id: str
    names_zh: tuple[str, ...]
    names_en: tuple[str, ...]
    pinyin: tuple[str, ...]
    text_zh: str
    text_en: str
    sources: tuple[str, ...]
    confidence: str
    verified: str
    see_also: tuple[str, ...]
    commands: tuple[str, ...]

    def name(self, lang: str | None = None) -> str:
        """The usual name in ``lang`` (default: the current UI language)."""
        return self.names_zh[0] if (lang or current()) == "zh" else self.names_en[0]

    def text(self, lang: str | None = None) -> str:
        return self.text_zh if (lang or current()) == "zh" else self.text_en

    def names(self) -> tuple[str, ...]:
        """Everything the entry answers to: id, Chinese and English names, pinyin."""
        return (self.id, *self.names_zh, *self.names_en, *self.pinyin)

    def rule_ids(self) -> tuple[str, ...]:
        """The sources that are rule ids of a rule pack (``cn.credit.retention``)."""
        return tuple(s for s in self.sources if _RULE_ID.fullmatch(s))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "names_zh": list(self.names_zh),
            "names_en": list(self.names_en),
            "pinyin": list(self.pinyin),
            "text_zh": self.text_zh,
            "text_en": self.text_en,
            "sources": list(self.sources),
            "confidence": self.confidence,
            "verified": self.verified,
            "see_also": list(self.see_also),
            "commands": list(self.commands),
        }


def normalise(text: str) -> str:
    """The key a name is matched by: full-width folded (NFKC), case-folded, tone marks
    dropped (ü → v, as pinyin is typed), × and * read as x, and only letters and digits
    kept. ``"Fà Xī"`` → ``"faxi"``, ``"４ × LPR"`` → ``"4xlpr"``, ``"M1–M7"`` → ``"m1m7"``."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    folded = folded.replace("u\u0308", "v").replace("u:", "v").translate(_TIMES)
    kept = (ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch for ch in unicodedata.normalize("NFC", "".join(kept))
                   if unicodedata.category(ch)[0] in "LN")


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _similarity(query: str, key: str) -> float:
    """How alike two keys are, 0 to 1: difflib's ratio, raised when one contains the other
    (at least 2 Chinese characters or 3 letters) by how much of the longer it covers."""
    score = SequenceMatcher(None, query, key, autojunk=False).ratio()
    short, long_ = sorted((query, key), key=len)
    if len(short) >= (2 if _is_cjk(short) else 3) and short in long_:
        score = max(score, 0.75 + 0.25 * len(short) / len(long_))
    return score


class Glossary:
    """The checked entries and the index of every name."""

    def __init__(self, items: Iterable[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(items)
        self.by_id: Mapping[str, Entry] = MappingProxyType({e.id: e for e in self.entries})
        index: dict[str, str] = {}
        pinyin: dict[str, str] = {}
        for entry in self.entries:
            for name in entry.names():
                key = normalise(name)
                if index.setdefault(key, entry.id) != entry.id:
                    raise ValueError(f"glossary: {name!r} names both {index[key]!r} and "
                                     f"{entry.id!r}")
            for spelling in entry.pinyin:
                pinyin[spelling] = entry.id
                if "v" in spelling:  # lü typed as lu
                    pinyin.setdefault(spelling.replace("v", "u"), entry.id)
        self._index = MappingProxyType(index)
        self._pinyin = MappingProxyType(pinyin)

    def get(self, term_id: str) -> Entry:
        """The entry with this id; ``KeyError`` if there is none."""
        return self.by_id[term_id]

    def _exact(self, key: str) -> Entry | None:
        if key in self._index:
            return self.by_id[self._index[key]]
        if key in self._pinyin:
            return self.by_id[self._pinyin[key]]
        toneless = _TONE_NUMBER.sub("", key)
        if toneless != key and toneless in self._pinyin:
            return self.by_id[self._pinyin[toneless]]
        return None

    def ranked(self, term: str) -> list[tuple[float, Entry]]:
        """Every entry with its best similarity to ``term``, most similar first."""
        key = normalise(term)
        if not key:
            return []
        best: dict[str, float] = {}
        for name, term_id in {**self._pinyin, **self._index}.items():
            score = _similarity(key, name)
            if score > best.get(term_id, 0.0):
                best[term_id] = score
        order = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [(score, self.by_id[term_id]) for term_id, score in order]

    def find(self, term: str) -> Entry | None:
        """The entry ``term`` means: an exact match, else a clear fuzzy winner, else None."""
        key = normalise(term)
        if not key:
            return None
        exact = self._exact(key)
        if exact is not None:
            return exact
        ranked = self.ranked(term)
        if not ranked or ranked[0][0] < RESOLVE_AT:
            return None
        if len(ranked) > 1 and ranked[1][0] > ranked[0][0] - MARGIN:
            return None
        return ranked[0][1]

    def suggest(self, term: str, limit: int = 3) -> list[Entry]:
        """Up to ``limit`` entries ``term`` may have meant, closest first."""
        return [entry for score, entry in self.ranked(term)[:limit] if score >= SUGGEST_AT]


def _entry(raw: Mapping[str, Any], where: str) -> Entry:
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    extra = sorted(set(raw) - set(_REQUIRED))
    if extra:
        raise ValueError(f"{where}: unknown keys {', '.join(extra)}")
    for key in _LISTS:
        if not isinstance(raw[key], list) or not all(isinstance(v, str) for v in raw[key]):
            raise ValueError(f"{where}: {key} must be a list of strings")
    for key in ("names_zh", "names_en", "pinyin", "sources"):
        if not raw[key]:
            raise ValueError(f"{where}: {key} is empty")
    if not _ID.fullmatch(raw["id"]):
        raise ValueError(f"{where}: id {raw['id']!r} is not lowercase-with-hyphens")
    if raw["confidence"] not in CONFIDENCES:
        raise ValueError(f"{where}: confidence {raw['confidence']!r} is not one of "
                         f"{CONFIDENCES}")
    if raw["verified"] not in VERIFIED:
        raise ValueError(f"{where}: only verified facts (V1, V2) belong in the glossary, not "
                         f"{raw['verified']!r}")
    bad = [p for p in raw["pinyin"] if not _PINYIN.fullmatch(p)]
    if bad:
        raise ValueError(f"{where}: pinyin must be toneless lowercase without spaces: {bad}")
    for key in ("text_zh", "text_en"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ValueError(f"{where}: {key} is empty")
    return Entry(
        id=raw["id"], names_zh=tuple(raw["names_zh"]), names_en=tuple(raw["names_en"]),
        pinyin=tuple(raw["pinyin"]), text_zh=raw["text_zh"].strip(),
        text_en=raw["text_en"].strip(), sources=tuple(raw["sources"]),
        confidence=raw["confidence"], verified=raw["verified"],
        see_also=tuple(raw["see_also"]), commands=tuple(raw["commands"]),
    )


def parse_glossary(data: Mapping[str, Any], name: str = "glossary.toml") -> Glossary:
    """A glossary from parsed TOML; raises ``ValueError`` naming the bad entry."""
    items = [_entry(raw, f"{name}: entries[{i}] ({raw.get('id', '?')})")
             for i, raw in enumerate(data.get("entries", []))]
    ids = [e.id for e in items]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{name}: duplicate ids")
    for entry in items:
        unknown = [i for i in entry.see_also if i not in ids or i == entry.id]
        if unknown:
            raise ValueError(f"{name}: {entry.id}: see_also names no other entry: {unknown}")
    return Glossary(items)


@cache
def load_glossary() -> Glossary:
    """The glossary shipped with arrears (read once)."""
    text = files("arrears.glossary").joinpath("glossary.toml").read_text(encoding="utf-8")
    return parse_glossary(tomllib.loads(text))


def entries() -> tuple[Entry, ...]:
    """Every entry, in the order of the data file."""
    return load_glossary().entries


def get(term_id: str) -> Entry:
    """The entry with this id; ``KeyError`` if there is none."""
    return load_glossary().get(term_id)


def find(term: str) -> Entry | None:
    """The entry ``term`` means (see the module docstring), or None."""
    return load_glossary().find(term)


def suggest(term: str, limit: int = 3) -> list[Entry]:
    """Up to ``limit`` entries ``term`` may have meant, closest first."""
    return load_glossary().suggest(term, limit)


def _command_word(entry: Entry, lang: str) -> str:
    """What to type after ``arrears explain``: the Chinese name in zh; in en the English
    name when it is one plain word (``APR``), else the id."""
    if lang == "zh":
        return entry.names_zh[0]
    return entry.names_en[0] if _SHELL_WORD.fullmatch(entry.names_en[0]) else entry.id


def see(term_id: str, lang: str | None = None) -> str:
    """A pointer to an entry for a report: ``(arrears explain 罚息)``; in English
    ``(arrears explain penalty-interest)``. ``KeyError`` for an unknown id."""
    return f"(arrears explain {_command_word(get(term_id), lang or current())})"


def terms_footer(components: Iterable[str], lang: str | None = None) -> str:
    """One line for the end of a report naming the terms it used: ``Terms: 本金, 罚息,
    违约金 — arrears explain TERM`` (translated). Components without an entry are skipped;
    "" when none has one."""
    language = lang or current()
    ids = list(dict.fromkeys(REPORT_TERMS[c] for c in components if c in REPORT_TERMS))
    if not ids:
        return ""
    names = ", ".join(get(i).name(language) for i in ids)
    return _(_FOOTER).format(terms=names)
