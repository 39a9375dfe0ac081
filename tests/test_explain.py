"""``arrears explain``: every term a person meets resolves by its Chinese name, its English
name and its pinyin, typos included; every entry has sources and a confidence; an unknown
term is one line and exit code 2, with suggestions (docs/explain.md)."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import arrears.cli_explain  # noqa: F401 - registers the command for the in-process tests
from arrears import glossary
from arrears.cli import _register, app, main
from arrears.i18n import current, set_language
from arrears.rules import CONFIDENCES, load_pack

from .conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent

# (entry id, a Chinese name, an English name, its pinyin): the terms of the issue, then the
# ones added beside them.
TERMS = [
    ("penalty-interest", "罚息", "penalty interest", "faxi"),
    ("compound-interest", "复利", "compound interest", "fuli"),
    ("late-fee", "违约金", "late fee", "weiyuejin"),
    ("late-payment-fee", "滞纳金", "late payment fee", "zhinajin"),
    ("apr", "年化利率", "APR", "nianhualilv"),
    ("irr", "内部收益率", "IRR", "neibushouyilv"),
    ("equal-installment", "等额本息", "equal instalment", "dengebenxi"),
    ("equal-principal", "等额本金", "equal principal", "dengebenjin"),
    ("interest-first", "先息后本", "interest only", "xianxihouben"),
    ("credit-report", "征信", "credit report", "zhengxin"),
    ("credit-codes", "征信代码", "repayment status", "zhengxindaima"),
    ("overdue-bucket", "逾期账龄", "M1–M7", "yuqizhangling"),
    ("personalized-installment", "个性化分期", "personalised instalment plan",
     "gexinghuafenqi"),
    ("stop-interest", "停息挂账", "interest freeze", "tingxiguazhang"),
    ("hotline-12378", "12378", "complaint hotline", "tousurexian"),
    ("lpr-cap", "4倍LPR", "4 × LPR", "sibeilpr"),
    ("principal", "本金", "principal", "benjin"),
    ("interest", "利息", "interest", "lixi"),
    ("days-past-due", "逾期天数", "days past due", "yuqitianshu"),
    ("minimum-payment", "最低还款额", "minimum payment", "zuidihuankuane"),
    ("full-balance-interest", "全额计息", "full-balance interest", "quanejixi"),
    ("malicious-overdraft", "恶意透支", "malicious overdraft", "eyitouzhi"),
    ("limitation", "诉讼时效", "limitation period", "susongshixiao"),
    ("amount-lent", "实际借款数额", "amount actually lent", "shijijiekuanshue"),
]


@pytest.fixture(autouse=True)
def _keep_language() -> Iterator[None]:
    """In-process runs set the process-wide language; put it back for other tests."""
    before = current()
    yield
    set_language(before)


def _id(term: str) -> str | None:
    entry = glossary.find(term)
    return entry.id if entry else None


def _flat(text: str) -> str:
    """Text without whitespace, so a terminal's line wrapping does not matter."""
    return "".join(text.split())


def _commands() -> set[str]:
    _register()
    return {c.name or (c.callback.__name__ if c.callback else "")
            for c in app.registered_commands}


# ---- lookup -----------------------------------------------------------------------------


@pytest.mark.parametrize(("term_id", "zh", "en", "pinyin"), TERMS,
                         ids=[t[0] for t in TERMS])
def test_every_term_resolves_by_chinese_english_and_pinyin(term_id: str, zh: str, en: str,
                                                           pinyin: str) -> None:
    assert _id(zh) == term_id
    assert _id(en) == term_id
    assert _id(en.upper()) == term_id
    assert _id(pinyin) == term_id
    assert _id(term_id) == term_id


def test_every_name_of_every_entry_resolves_to_it() -> None:
    for entry in glossary.entries():
        for name in entry.names():
            assert _id(name) == entry.id, name


@pytest.mark.parametrize(("typed", "term_id"), [
    ("penalty intrest", "penalty-interest"),
    ("fa xi", "penalty-interest"),
    ("fàxī", "penalty-interest"),
    ("fa2 xi1", "penalty-interest"),
    ("FaXi", "penalty-interest"),
    ("zhengxin", "credit-report"),
    ("zheng xin bao gao", "credit-report"),
    ("4xLPR", "lpr-cap"),
    ("４×ＬＰＲ", "lpr-cap"),
    ("四倍LPR", "lpr-cap"),
    ("ＡＰＲ", "apr"),
    ("late fee", "late-fee"),
    ("late fees", "late-fee"),
    ("laite fee", "late-fee"),
    ("penalty", "penalty-interest"),
    ("信用卡滞纳金", "late-payment-fee"),
    ("zhinajing", "late-payment-fee"),
    ("lilü", "interest"),
    ("M3", "overdue-bucket"),
    ("m7+", "overdue-bucket"),
    ("M1-M7", "overdue-bucket"),
    ("砍头息", "amount-lent"),
    ("statute of limitation", "limitation"),
    ("deng e ben xi", "equal-installment"),
])
def test_typed_forms_and_typos(typed: str, term_id: str) -> None:
    assert _id(typed) == term_id


@pytest.mark.parametrize("typed", ["xyzzy", "", "   ", "credit", "分期", "罚"])
def test_unknown_or_ambiguous_terms_find_nothing(typed: str) -> None:
    assert glossary.find(typed) is None


def test_ambiguous_terms_are_suggested() -> None:
    assert {e.id for e in glossary.suggest("credit")} >= {"credit-report", "credit-codes"}
    assert {e.id for e in glossary.suggest("分期")} >= {"personalized-installment",
                                                       "stop-interest"}
    assert glossary.suggest("penalti")[0].id == "penalty-interest"
    assert len(glossary.suggest("interest", limit=3)) <= 3
    assert glossary.suggest("xyzzy") == []


@pytest.mark.parametrize(("text", "key"), [
    ("Fà Xī", "faxi"),
    ("４ × LPR", "4xlpr"),
    ("M1–M7", "m1m7"),
    ("lǜ", "lv"),
    ("  Late-Fee ", "latefee"),
    ("罚息！", "罚息"),
])
def test_normalise(text: str, key: str) -> None:
    assert glossary.normalise(text) == key


# ---- the data ---------------------------------------------------------------------------


def test_every_issue_term_has_an_entry() -> None:
    ids = {e.id for e in glossary.entries()}
    assert {t[0] for t in TERMS} <= ids


def test_every_entry_has_sources_and_a_confidence() -> None:
    assert set(glossary.CONFIDENCES) == set(CONFIDENCES)
    for entry in glossary.entries():
        assert entry.sources, entry.id
        assert all(s.strip() for s in entry.sources), entry.id
        assert entry.confidence in CONFIDENCES, entry.id
        assert entry.verified in ("V1", "V2"), entry.id


def test_rule_ids_exist_and_statute_entries_rest_on_checked_text() -> None:
    pack = load_pack("cn")
    for entry in glossary.entries():
        for rule_id in entry.rule_ids():
            pack.rule(rule_id)  # KeyError if a rule was renamed
        if entry.verified == "V1":
            assert entry.confidence == "statute", entry.id


def test_see_also_and_commands_are_real() -> None:
    commands = _commands()
    for entry in glossary.entries():
        assert all(glossary.get(i) for i in entry.see_also)
        assert set(entry.commands) <= commands, entry.id


def test_texts_are_short_bilingual_and_name_the_commands_they_list() -> None:
    commands = _commands()
    for entry in glossary.entries():
        assert 2 <= entry.text_zh.count("。") <= 5, entry.id
        assert entry.text_zh.endswith("。"), entry.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.text_zh), entry.id
        assert entry.text_en.endswith("."), entry.id
        assert 150 <= len(entry.text_en) <= 700, entry.id
        named_en = set(re.findall(r"arrears ([a-z]+)", entry.text_en)) & commands
        named_zh = set(re.findall(r"arrears ([a-z]+)", entry.text_zh)) & commands
        assert named_en == named_zh, entry.id
        assert named_en <= set(entry.commands), entry.id


def test_pinyin_is_toneless_and_covers_the_first_chinese_name() -> None:
    for entry in glossary.entries():
        assert all(re.fullmatch(r"[a-z0-9]+", p) for p in entry.pinyin), entry.id
        assert any(re.search("[\u4e00-\u9fff]", n) for n in entry.names_zh), entry.id


@pytest.mark.parametrize(("raw", "message"), [
    ({"sources": []}, "sources is empty"),
    ({"confidence": "rumour"}, "confidence"),
    ({"verified": "U"}, "only verified"),
    ({"pinyin": ["fà xī"]}, "pinyin"),
    ({"id": "Penalty Interest"}, "id"),
    ({"see_also": ["nowhere"]}, "see_also"),
    ({"colour": "red"}, "unknown keys"),
])
def test_bad_data_is_refused(raw: dict[str, Any], message: str) -> None:
    good = glossary.get("penalty-interest").as_dict()
    with pytest.raises(ValueError, match=message):
        glossary.parse_glossary({"entries": [{**good, **raw}]})


def test_a_name_cannot_name_two_entries() -> None:
    first = glossary.get("penalty-interest").as_dict()
    second = {**glossary.get("late-fee").as_dict(), "see_also": [], "names_en": ["Fa Xi"]}
    with pytest.raises(ValueError, match="names both"):
        glossary.parse_glossary({"entries": [{**first, "see_also": []}, second]})


def test_the_data_file_ships_with_the_package() -> None:
    """pyproject's package-data must carry glossary/*.toml, or an installed arrears has no
    glossary (the rule packs are listed the same way)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["arrears"]
    assert any(fnmatch.fnmatch("glossary/glossary.toml", p) for p in patterns)


# ---- pointers from the reports ------------------------------------------------------------


def test_see_points_to_an_entry_in_each_language() -> None:
    assert glossary.see("penalty-interest", "zh") == "(arrears explain 罚息)"
    assert glossary.see("penalty-interest", "en") == "(arrears explain penalty-interest)"
    assert glossary.see("apr", "en") == "(arrears explain APR)"
    with pytest.raises(KeyError):
        glossary.see("no-such-term", "en")


def test_every_pointer_is_one_word_that_finds_its_entry() -> None:
    for entry in glossary.entries():
        for lang in ("zh", "en"):
            pointer = glossary.see(entry.id, lang)
            word = pointer.removeprefix("(arrears explain ").removesuffix(")")
            assert word, pointer
            assert not re.search(r"\s", word), pointer
            assert _id(word) == entry.id, pointer


def test_report_components_map_to_entries() -> None:
    from arrears.terminal import COMPONENT_NAMES

    assert set(COMPONENT_NAMES) | {"dpd", "bucket", "apr"} <= set(glossary.REPORT_TERMS)
    for term_id in glossary.REPORT_TERMS.values():
        glossary.get(term_id)
    assert glossary.REPORT_TERMS["penalty_interest"] == "penalty-interest"
    assert glossary.REPORT_TERMS["late_fees"] == "late-fee"


def test_terms_footer() -> None:
    set_language("en")
    line = glossary.terms_footer(["principal", "penalty_interest", "late_fees", "unknown",
                                  "principal"], "zh")
    assert line == "Terms: 本金, 罚息, 违约金 — arrears explain TERM"
    assert glossary.terms_footer(["unknown"]) == ""


# ---- the command, in process ----------------------------------------------------------------


def test_explain_prints_the_entry_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "罚息", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    entry = glossary.get("penalty-interest")
    assert _flat(entry.text_en) in _flat(out)
    assert "penalty interest · 罚息" in out
    assert "cn.penalty.bank_multiple" in out
    assert "arrears status" in out
    assert "information, not legal advice" in out


def test_explain_prints_the_entry_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "penalty", "interest", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    entry = glossary.get("penalty-interest")
    assert _flat(entry.text_zh) in _flat(out)
    assert entry.text_en not in out
    assert "《中国人民银行关于人民币贷款利率有关问题的通知》" in _flat(out)


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "4xLPR", "--json", "--lang", "en"]) == 0
    model = json.loads(capsys.readouterr().out)
    assert model["id"] == "lpr-cap"
    assert model["text_zh"]
    assert model["text_en"]
    assert model["confidence"] == "statute"
    assert [r["id"] for r in model["rules"]] == ["cn.cap.private.4lpr", "cn.cap.licensed.24"]
    assert model["rules"][0]["source"].startswith("SPC Provisions on Private Lending")
    assert model["see"] == {"zh": "(arrears explain 4倍LPR)",
                            "en": "(arrears explain lpr-cap)"}


def test_explain_lists_every_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for entry in glossary.entries():
        assert entry.id in out
        assert entry.names_zh[0] in out
    assert main(["explain", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["entries"]
    assert [e["id"] for e in listed] == [e.id for e in glossary.entries()]


def test_unknown_term_is_one_line_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "penalti", "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"arrears: penalti: no entry; did you mean (.+)\?", lines[0])
    suggested = lines[0].split("did you mean ")[1].rstrip("?").split(", ")
    assert 1 <= len(suggested) <= 3
    assert suggested[0] == "penalty interest"


def test_unknown_term_without_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "xyzzy", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err == "arrears: xyzzy: no entry; run arrears explain to list every entry\n"


def test_starting_the_cli_does_not_load_the_glossary() -> None:
    code = ("import sys, arrears.cli, arrears.cli_explain; "
            "sys.exit('arrears.glossary' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ---- the command, as a user runs it (needs the command registered in arrears.cli) ----------


def test_explain_subprocess() -> None:
    result = run_cli("explain", "fa xi", "--lang", "zh")
    assert result.code == 0, result.err
    assert _flat(glossary.get("penalty-interest").text_zh) in _flat(result.out)
    english = run_cli("explain", "late", "fee")
    assert english.code == 0, english.err
    assert _flat(glossary.get("late-fee").text_en) in _flat(english.out)
    typo = run_cli("explain", "zhengxinn", "--json")
    assert typo.code == 0  # a typo still finds 征信
    assert typo.json()["id"] == "credit-report"
    missing = run_cli("explain", "xyzzy")
    assert missing.code == 2
    assert missing.err.startswith("arrears: xyzzy: no entry")


def test_the_documentation_lists_every_entry() -> None:
    text = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")
    for entry in glossary.entries():
        assert f"| `{entry.id}` |" in text, entry.id
