"""``arrears letter``: every letter kind in both languages against reviewed golden files,
the figures against the engine, the audit and the plan, no acknowledgement of a disputed
amount, atomic output, and a PDF whose Chinese really shows.

Regenerate the golden files after a reviewed change with ``ARREARS_UPDATE_GOLDEN=1 python
-m pytest tests/test_letters.py`` and read the diff before committing it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import arrears.cli_letter  # noqa: F401 - registers `arrears letter` on the app
from arrears.case import Case, load_case
from arrears.cli import main
from arrears.errors import InputError
from arrears.i18n import set_language
from arrears.letters import KINDS, Conduct, Letter, build_letter, render_html, render_letter

GOLDEN = Path(__file__).parent / "golden" / "letters"
US_CASE = GOLDEN / "us-case.toml"
DEMO_TEXT = files("arrears").joinpath("examples", "demo.toml").read_text(encoding="utf-8")

# The debt each kind is written about in its golden file.
DEBTS = {
    "instalment": "online-loan",  # the plan pays it from this month, stepping up in 2027-03
    "deferment": "credit-card",  # the plan pays it nothing until 2027-06
    "settlement": "online-loan",
    "dispute-charges": "online-loan",  # above the 24 % line
    "dispute-credit": "online-loan",  # four negative months
    "complaint": "online-loan",
    "validation": "store-card",
    "dispute": "store-card",
    "stop-contact": "store-card",
    "goodwill": "store-card",  # seven late fees of 30.00 by 2026-11-28, 210.00
}
# The collection log's findings a complaint takes, as arrears.contacts gives them; titles and
# sources come from the rule pack.
CONDUCT = Conduct(
    findings=(
        {"rule": "cn.conduct.hours", "confidence": "guideline",
         "at": ["2026-10-03T22:40:00+08:00"], "message": "",
         "contacts": [{"at": "2026-10-03 22:40", "channel": "call", "to": "debtor",
                       "from": "某催收公司"}]},
        {"rule": "cn.conduct.third_party", "confidence": "guideline",
         "at": ["2026-10-05T10:15:00+08:00"], "message": "",
         "contacts": [{"at": "2026-10-05 10:15", "channel": "call", "to": "family",
                       "from": "某催收公司"}]},
        {"rule": "cn.conduct.threat", "confidence": "guideline",
         "at": ["2026-10-09T14:00:00+08:00"], "message": "",
         "contacts": [{"at": "2026-10-09 14:00", "channel": "sms", "to": "debtor",
                       "from": "某催收公司", "flags": ["threat"]}]},
    ),
    contacts=7,
)
# Words that would acknowledge a debt or an amount (a limitation period restarts when the
# debtor acknowledges: Civil Code Art. 195). No letter may contain any of them.
FORBIDDEN = {
    "en": ("i owe", "i still owe", "owed by me", "my debt", "my outstanding", "the debt i ",
           "amount i owe", "balance i owe", "money i owe", "i acknowledge", "i admit",
           "i accept the", "i accept that", "i agree that i", "i am liable", "i confirm the",
           "i recognise the debt", "i recognize the debt", "which i owe", "that i owe"),
    "zh": ("本人欠", "我欠", "尚欠", "所欠", "欠款", "欠贵", "拖欠", "本人承认", "我承认",
           "承认欠", "本人确认", "确认欠", "认可贵", "认可该", "同意偿还全部", "应还金额",
           "本人应还", "本人应付", "我的债务", "本人的债务", "本人债务"),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    set_language("en")


def _demo() -> Case:
    return load_case(DEMO_TEXT, "demo.toml")


def _us() -> Case:
    return load_case(US_CASE.read_text(encoding="utf-8"), "us-case.toml")


def _letter(kind: str, lang: str) -> Letter:
    case = _us() if kind in ("validation", "dispute", "stop-contact", "goodwill") else _demo()
    set_language(lang)
    assert case.as_of is not None
    return build_letter(case, DEBTS[kind], kind, case.as_of, lang,
                        conduct=CONDUCT if kind == "complaint" else None)


def _check_golden(path: Path, text: str) -> None:
    if os.environ.get("ARREARS_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs"


# -- golden files ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_letter_matches_golden(kind: str, lang: str) -> None:
    text = render_letter(_letter(kind, lang), "md")
    assert isinstance(text, str)
    _check_golden(GOLDEN / f"{kind}.{lang}.md", text)


def test_html_letter_matches_golden() -> None:
    html = render_html(_letter("instalment", "zh"))
    assert html.startswith("<!DOCTYPE html>")
    assert 'lang="zh-CN"' in html
    assert "http" not in html.split("<main", 1)[0]  # print-ready: no external assets
    _check_golden(GOLDEN / "instalment.zh.html", html)


def test_every_kind_has_a_golden_file_in_both_languages() -> None:
    names = {p.name for p in GOLDEN.glob("*.md")}
    assert names == {f"{kind}.{lang}.md" for kind in KINDS for lang in ("zh", "en")}


# -- nothing admits more than the person chose to admit --------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_letter_acknowledges_a_debt(kind: str, lang: str) -> None:
    letter = _letter(kind, lang)
    for fmt in ("md", "html"):
        text = str(render_letter(letter, fmt)).lower()
        found = [phrase for phrase in FORBIDDEN[lang] if phrase in text]
        assert not found, f"{kind}.{lang}.{fmt} acknowledges: {found}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_forbidden_list_catches_an_acknowledgement(lang: str) -> None:
    sample = {"en": "I acknowledge that I owe you 15,111.12.",
              "zh": "本人确认尚欠贵司15,111.12元。"}[lang].lower()
    assert any(phrase in sample for phrase in FORBIDDEN[lang])


@pytest.mark.parametrize("kind", ["dispute-charges", "dispute-credit", "complaint",
                                  "instalment", "deferment", "settlement"])
def test_every_cn_letter_says_it_confirms_no_amount(kind: str) -> None:
    zh = str(render_letter(_letter(kind, "zh"), "md"))
    en = str(render_letter(_letter(kind, "en"), "md"))
    assert "不构成本人对" in zh
    assert "do not confirm the amount you claim" in en or "does not confirm any amount" in en


# -- every figure comes from the engine, the audit or the plan --------------------------


def test_instalment_proposes_what_the_recommended_plan_pays_that_lender() -> None:
    """Trap: the instalment letter asked for 52 payments of 276.96, ignoring the income rise
    in the case file, while ``plan`` cleared the debt in 8 months.

    Worked by hand from the demo: income 5,500 less essentials 4,300 leaves 1,200 a month,
    plus 600 of savings in the first month; from 2027-03 income is 7,500, leaving 3,200. The
    recommended plan (``arrears plan demo.toml --json``) pays the online loan 1,800.00 in
    2026-11, 1,200.00 in each of 2026-12 to 2027-02, 3,200.00 from 2027-03. The frozen
    balance is principal 13,154.18 + interest 554.57 + fees 450.00 = 14,158.75; after
    1,800 + 3 × 1,200 + 2 × 3,200 = 11,800.00 there is 2,358.75 left for 2027-05: 7
    payments, against the plan's 8 at the contract rate."""
    from arrears.plan.report import plan_model

    case = _demo()
    assert case.as_of is not None
    proposal = _letter("instalment", "en").model["proposal"]
    assert proposal["balance"] == "14158.75" == str(Decimal("13154.18") + Decimal("554.57")
                                                      + Decimal("450.00"))
    amounts = [row["amount"] for row in proposal["schedule"]]
    assert amounts == ["1800.00", "1200.00", "1200.00", "1200.00", "3200.00", "3200.00",
                       "2358.75"]
    assert [s["amount"] for s in proposal["steps"]] == ["1800.00", "1200.00", "3200.00",
                                                        "2358.75"]
    assert sum(Decimal(a) for a in amounts) == Decimal(proposal["total"])
    assert proposal["schedule"][0]["date"] == proposal["first_payment"] == "2026-11-28"
    assert proposal["schedule"][4]["date"] == "2027-03-15"  # the step up, when income rises
    # The same payments as the plan's recommended schedule, never longer than it.
    plan = plan_model(case, case.as_of, 60, negotiate=False)
    best = next(s for s in plan["strategies"] if s["name"] == plan["recommended"])
    paid = [m["payments"]["online-loan"] for m in best["schedule"]
            if "online-loan" in m["payments"]]
    assert amounts[:-1] == paid[:len(amounts) - 1]
    assert Decimal(amounts[-1]) <= Decimal(paid[len(amounts) - 1])
    assert proposal["instalments"] <= proposal["plan_months"] == len(paid) == 8
    md = str(render_letter(_letter("instalment", "en"), "md"))
    assert "CNY 1,200.00 a month from 15 December 2026 to 15 February 2027 (3 payments)" in md
    assert "From March 2027 our income is expected to be CNY 7,500.00 a month" in md


def test_deferment_pauses_until_the_plan_pays_that_lender() -> None:
    """The plan pays the card nothing until 2027-06-25 (all the money goes to the online
    loan first). Worked by hand: the pause interest is the payoff 15,380.35 × 0.05 % a day ×
    209 days (2026-11-28 to 2027-06-25) = 1,607.25 (half up); the new balance 16,987.60 is
    repaid by the plan's 1,945.48, then 4 × 3,200.00, then what is left: 16,987.60 −
    1,945.48 − 12,800.00 = 2,242.12."""
    proposal = _letter("deferment", "en").model["proposal"]
    assert (proposal["resume"], proposal["pause"]) == ("2027-06-25", 7)
    assert proposal["interest"] == "1607.25"
    assert Decimal("15380.35") * Decimal("0.0005") * 209 == Decimal("1607.246575")
    assert proposal["new_balance"] == "16987.60"
    assert [r["amount"] for r in proposal["schedule"]] == [
        "1945.48", "3200.00", "3200.00", "3200.00", "3200.00", "2242.12"]


def test_instalment_and_deferment_refuse_what_the_plan_does_not_support() -> None:
    """No letter proposes a schedule the plan does not pay: the card gets nothing until
    2027-06 (an instalment plan would start with 7 empty months), the online loan is paid
    from this month (nothing to defer). Each refusal is one line on --kind."""
    case = _demo()
    assert case.as_of is not None
    for debt, kind, words in (("credit-card", "instalment", "until 2027-06"),
                              ("online-loan", "deferment", "from 2026-11")):
        with pytest.raises(InputError) as caught:
            build_letter(case, debt, kind, case.as_of, "en")
        problem = caught.value.problems[0]
        assert problem.where == "--kind"
        assert words in problem.message.format(**problem.params)


def test_claimed_amount_and_components_are_the_engines() -> None:
    from arrears.status import debt_status

    case = _demo()
    assert case.as_of is not None
    status = debt_status(case.debt("online-loan"), case.as_of)
    debt = _letter("dispute-charges", "en").model["debt"]
    assert debt["claimed"] == status["payoff"]
    parts = sum(Decimal(p["amount"]) for p in debt["components"])
    assert parts == Decimal(status["payoff"])


def test_dispute_charges_carries_the_audits_findings_with_rule_and_excess() -> None:
    from arrears.audit_report import audit_model

    case = _demo()
    assert case.as_of is not None
    set_language("en")
    audit = next(d for d in audit_model(case, case.as_of)["debts"] if d["id"] == "online-loan")
    grounds = _letter("dispute-charges", "en").model["grounds"]
    assert [g["rule"] for g in grounds] == [f["rule"] for f in audit["findings"]]
    cap = grounds[0]
    assert (cap["rule"], cap["excess"]) == ("cn.cap.licensed.24", audit["cap"]["excess"])
    md = str(render_letter(_letter("dispute-charges", "en"), "md"))
    assert f"CNY {Decimal(cap['excess']):,.2f}" in md
    # Findings carry the rule's title in the letter's language; ids stay in the JSON.
    assert cap["title"] in md
    assert "cn.cap.licensed.24" not in md
    assert "cn.late_fee" not in md
    zh = str(render_letter(_letter("dispute-charges", "zh"), "md"))
    assert "持牌金融机构" in zh
    assert "cn.cap" not in zh


def test_dispute_credit_lists_the_credit_timeline_and_the_20_day_rule() -> None:
    from arrears.credit import credit_timeline

    case = _demo()
    assert case.as_of is not None
    timeline = next(d for d in credit_timeline(case, case.as_of, lang="zh")["debts"]
                    if d["id"] == "online-loan")
    credit = _letter("dispute-credit", "zh").model["credit"]
    assert [m["code"] for m in credit["negative"]] == ["1", "2", "3", "4"]
    assert credit["months"] == [m for m in timeline["months"] if m["code"] != "*"]
    assert credit["dispute"]["days"] == 20
    md = str(render_letter(_letter("dispute-credit", "zh"), "md"))
    assert "20日内" in md
    assert "第二十五条" in md


def test_settlement_offers_the_smallest_share_and_warns_when_it_does_not_fit() -> None:
    letter = _letter("settlement", "en")
    proposal = letter.model["proposal"]
    assert proposal["percent"] == "60%"
    assert Decimal(proposal["lump"]) == (Decimal(letter.model["debt"]["claimed"])
                                         * Decimal("0.6")).quantize(Decimal("0.01"))
    assert [w.message for w in letter.warnings] == [
        "the lump sum of {amount} is more than the savings and one month's offer together "
        "({available})"]


def test_the_letter_states_what_is_attached() -> None:
    md = str(render_letter(_letter("instalment", "en"), "md"))
    for title in ("Repayment schedule", "Household budget", "List of supporting documents"):
        assert md.count(title) == 2  # listed under Enclosures, then the enclosure itself
    zh = str(render_letter(_letter("instalment", "zh"), "md"))
    for title in ("附件一：还款计划表", "附件二：家庭收支情况", "附件三：证明材料清单"):
        assert title in zh


# -- bad input -------------------------------------------------------------------------


def test_a_kind_must_belong_to_the_cases_rule_pack() -> None:
    case = _demo()
    assert case.as_of is not None
    with pytest.raises(InputError) as caught:
        build_letter(case, "online-loan", "stop-contact", case.as_of, "en")
    assert caught.value.problems[0].where == "--kind"
    with pytest.raises(InputError):
        build_letter(case, "online-loan", "apology", case.as_of, "en")


def test_nothing_to_dispute_is_an_error() -> None:
    case = _demo()
    assert case.as_of is not None
    with pytest.raises(InputError) as caught:
        build_letter(case, "car-loan", "dispute-charges", case.as_of, "en")
    assert caught.value.problems[0].where == "--debt"


def test_a_complaint_needs_the_collection_log() -> None:
    from arrears.letters.conduct import conduct_of_case

    with pytest.raises(InputError) as caught:
        conduct_of_case(DEMO_TEXT, "demo.toml", "online-loan", "en")
    assert "the case has no [[contacts]]" in caught.value.problems[0].message
    case = _demo()
    assert case.as_of is not None
    with pytest.raises(InputError):
        build_letter(case, "online-loan", "complaint", case.as_of, "en")
    with pytest.raises(InputError):
        build_letter(case, "online-loan", "complaint", case.as_of, "en",
                     conduct=Conduct((), 3))


# -- the command -----------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["letter", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(DEMO_TEXT, encoding="utf-8")
    return path


def test_cli_prints_markdown_and_html(capsys: pytest.CaptureFixture[str],
                                      demo_file: Path) -> None:
    code, out, err = _run(capsys, str(demo_file), "--debt", "online-loan", "--kind",
                          "instalment", "--lang", "zh")
    assert (code, err) == (0, "")
    assert out == (GOLDEN / "instalment.zh.md").read_text(encoding="utf-8")
    code, out, _ = _run(capsys, str(demo_file), "--debt", "online-loan", "--kind",
                        "instalment", "--lang", "zh", "--format", "html")
    assert code == 0
    assert out == (GOLDEN / "instalment.zh.html").read_text(encoding="utf-8")


def test_cli_json_is_the_letter_model(capsys: pytest.CaptureFixture[str],
                                      demo_file: Path) -> None:
    code, out, _ = _run(capsys, str(demo_file), "--debt", "online-loan", "--kind",
                        "dispute-charges", "--json")
    assert code == 0
    model = json.loads(out)
    assert model["kind"] == "dispute-charges"
    assert model["grounds"][0]["rule"] == "cn.cap.licensed.24"


def test_cli_writes_atomically(capsys: pytest.CaptureFixture[str], demo_file: Path,
                               tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old", encoding="utf-8")
    code, out, err = _run(capsys, str(demo_file), "--debt", "online-loan", "--kind",
                          "dispute-credit", "--lang", "en", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == (GOLDEN / "dispute-credit.en.md").read_text(
        encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.toml", "letter.md"]
    code, _, err = _run(capsys, str(demo_file), "--debt", "online-loan", "--kind",
                        "dispute-credit", "-o", str(tmp_path / "missing" / "letter.md"))
    assert code == 2
    assert err.startswith("arrears: ")
    assert "cannot be written" in err


def test_cli_deferment_and_a_refused_kind(capsys: pytest.CaptureFixture[str],
                                           demo_file: Path) -> None:
    code, out, err = _run(capsys, str(demo_file), "--debt", "credit-card", "--kind",
                          "deferment", "--lang", "en")
    assert (code, err) == (0, "")
    assert out == (GOLDEN / "deferment.en.md").read_text(encoding="utf-8")
    code, out, err = _run(capsys, str(demo_file), "--debt", "credit-card", "--kind",
                          "instalment", "--lang", "en")
    assert (code, out) == (2, "")
    assert err == ('arrears: --kind: the recommended plan pays nothing to "credit-card" until '
                   "2027-06: propose a deferment (--kind deferment) instead\n")


@pytest.mark.parametrize(("args", "where"), [
    (("--kind", "instalment", "--format", "pdf"), "--format: a PDF is written to a file"),
    (("--kind", "instalment", "--format", "docx"), '--format: "docx" is not a format'),
    (("--kind", "apology"), '--kind: "apology" is not a letter kind'),
    (("--kind", "validation"), '--kind: "validation" is not a letter of the cn rule pack'),
    (("--kind", "complaint"), "the case has no [[contacts]]"),
])
def test_cli_rejects_bad_input_with_one_line(capsys: pytest.CaptureFixture[str],
                                             demo_file: Path, args: tuple[str, ...],
                                             where: str) -> None:
    code, out, err = _run(capsys, str(demo_file), "--debt", "online-loan", "--lang", "en",
                          *args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert where in err


def test_cli_complaint_reads_the_collection_log(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    pytest.importorskip("arrears.contacts")
    path = tmp_path / "case.toml"
    path.write_text(DEMO_TEXT + """
[[contacts]]
at = 2026-10-03T22:40:00+08:00
channel = "call"
from = "某催收公司"
to = "debtor"
debt = "online-loan"
answered = true

[[contacts]]
at = 2026-10-12T09:30:00+08:00
channel = "call"
to = "debtor"
debt = "credit-card"
answered = true
""", encoding="utf-8")
    code, out, err = _run(capsys, str(path), "--debt", "online-loan", "--kind", "complaint",
                          "--lang", "zh")
    assert (code, err) == (0, "")
    assert "2026年10月3日 22:40，某催收公司以电话方式联系本人" in out
    assert "22:00至次日8:00不得催收" in out  # the rule's title, not its id
    assert "cn.conduct" not in out
    assert "共1次" in out  # the card's contact is not about this debt


# -- PDF -------------------------------------------------------------------------------


def test_pdf_refuses_a_character_the_font_lacks() -> None:
    case = load_case(DEMO_TEXT.replace("某消费金融平台", "𠀀平台"), "demo.toml")
    assert case.as_of is not None
    letter = build_letter(case, "online-loan", "instalment", case.as_of, "zh")
    with pytest.raises(InputError) as caught:
        render_letter(letter, "pdf")
    assert caught.value.problems[0].params["chars"] == "𠀀"


def _dark(image: Any, box: tuple[int, int, int, int]) -> int:
    histogram = image.crop(box).convert("L").histogram()
    return int(sum(histogram[:128]))


def test_pdf_renders_the_chinese(tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    from PIL import Image

    pdf = render_letter(_letter("instalment", "zh"), "pdf")
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png")
    mm = image.size[0] / 210  # A4 at 100 dpi
    # The title (个性化分期还款申请, 16 pt, centred on the first line) and the first body
    # line below it are drawn in CJK glyphs; the right margin stays white.
    title = (int(60 * mm), int(19 * mm), int(150 * mm), int(29 * mm))
    body = (int(22 * mm), int(29 * mm), int(188 * mm), int(45 * mm))
    margin = (int(192 * mm), int(30 * mm), int(208 * mm), int(280 * mm))
    assert _dark(image, title) > 400
    assert _dark(image, body) > 400
    assert _dark(image, margin) == 0
    # The glyphs carry their Unicode: the text comes back out of the PDF.
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        text = subprocess.run([pdftotext, "-f", "1", "-l", "1", str(path), "-"],
                              check=True, capture_output=True, text=True).stdout
        assert "个性化分期还款申请" in text
        assert "某消费金融平台" in text


def test_pdf_of_every_kind_embeds_its_font() -> None:
    for kind, lang in (("dispute-charges", "en"), ("complaint", "zh"), ("validation", "zh")):
        pdf = render_letter(_letter(kind, lang), "pdf")
        assert isinstance(pdf, bytes)
        assert b"/FontFile3" in pdf or b"/FontFile2" in pdf
        assert b"NotoSansCJKSC" in pdf


def test_cli_writes_a_pdf(capsys: pytest.CaptureFixture[str], demo_file: Path,
                          tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    code, out, err = _run(capsys, str(demo_file), "--debt", "online-loan", "--kind",
                          "dispute-credit", "--lang", "zh", "--format", "pdf", "-o",
                          str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_bytes().startswith(b"%PDF")
    assert len(CJK.findall(str(render_letter(_letter("dispute-credit", "zh"), "md")))) > 100
