"""Regression tests for the letter traps of issue 10 ("Safe in a person's own hands"), each
worked by hand from the demo case (``src/arrears/examples/demo.toml``, as of 2026-11-28):

* the complaint cited Criminal Law Art. 293-1 (collecting an *illegal* debt) as a finding on a
  loan the audit finds lawful; its annex listed calls twice, out of time order, and printed
  rule ids where a regulator expects the rule's name;
* the card dispute letter printed "年化成本（内部收益率法）为—" with a literal dash;
* disputed amounts mixed what is still claimed with what was already paid;
* a letter's PDF could leave a page holding only a date or a signature.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest

import arrears.cli_letter  # noqa: F401 - registers `arrears letter` on the app
from arrears.case import load_case
from arrears.cli import main
from arrears.i18n import set_language
from arrears.letters import KINDS, Conduct, build_letter, render_letter

DEMO = files("arrears").joinpath("examples", "demo.toml").read_text(encoding="utf-8")
GOLDEN = Path(__file__).parent / "golden" / "letters"

# Five contacts about the online loan, written out of time order. On 2026-10-03 four answered
# calls (10:00, 11:00, 12:00, 22:40): more than 3 a day, and the 22:40 one is also after
# 22:00, so it rests on two rules. On 2026-10-09 a text message with a threat.
LOG = """
[[contacts]]
at = 2026-10-03T22:40:00+08:00
channel = "call"
from = "某催收公司"
debt = "online-loan"
answered = true

[[contacts]]
at = 2026-10-09T14:00:00+08:00
channel = "sms"
from = "某催收公司"
debt = "online-loan"
flags = ["threat"]

[[contacts]]
at = 2026-10-03T10:00:00+08:00
channel = "call"
from = "某催收公司"
debt = "online-loan"
answered = true

[[contacts]]
at = 2026-10-03T12:00:00+08:00
channel = "call"
from = "某催收公司"
debt = "online-loan"
answered = true

[[contacts]]
at = 2026-10-03T11:00:00+08:00
channel = "call"
from = "某催收公司"
debt = "online-loan"
answered = true
"""


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    set_language("en")


def _complaint(tmp_path: Path, text: str, debt: str, lang: str,
               capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["letter", str(path), "--debt", debt, "--kind", "complaint", "--lang", lang])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- the complaint ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_293_1_is_a_note_on_a_lawful_loan(tmp_path: Path, lang: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The online loan costs 28.85 % a year (``arrears audit``): above the 24 % line a court
    may reduce, below the 36 % line marked ``illegal_above``. The threat is a finding (No
    threats; reportable to the police); Art. 293-1 is only a note."""
    code, out, err = _complaint(tmp_path, DEMO + LOG, "online-loan", lang, capsys)
    assert (code, err) == (0, "")
    facts = out.split("## 二、" if lang == "zh" else "## 2.")[0]
    assert ("第二百九十三条之一" if lang == "zh" else "Art. 293-1") in facts
    note = next(line for line in facts.splitlines()
                if "293" in line or "第二百九十三条之一" in line)
    assert note.startswith("另：" if lang == "zh" else "Note:")
    # Not among the rules broken, nor in the annex.
    annex = out.split("附件一" if lang == "zh" else "Enclosure 1:")[-1]
    assert "293" not in annex
    assert "cn.conduct" not in out


def test_293_1_is_a_finding_when_the_debt_is_illegal(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    """The card at 0.1 % a day costs 41.02 % a year by IRR (``arrears audit``), above the
    36 % line (``illegal_above``): threatening to collect it is what Art. 293-1 punishes."""
    text = DEMO.replace('rate = "0.05%/day"', 'rate = "0.1%/day"') + LOG.replace(
        'debt = "online-loan"\nflags', 'debt = "credit-card"\nflags')
    code, out, _ = _complaint(tmp_path, text, "credit-card", "en", capsys)
    assert code == 0
    facts = out.split("## 2.")[0]
    assert ("This breaks: No threats in collection; Threats and insults can be reported to "
            "the police; If the debt itself is illegal") in facts
    assert "Note:" not in facts


def test_a_consequence_rule_passed_as_a_finding_is_still_a_note() -> None:
    """A caller handing the letter a 293-1 finding on the lawful online loan cannot make the
    letter cite it."""
    case = load_case(DEMO, "demo.toml")
    assert case.as_of is not None
    threat = {"confidence": "statute", "at": ["2026-10-09T14:00:00+08:00"], "message": "",
              "contacts": [{"at": "2026-10-09 14:00", "channel": "sms", "to": "debtor",
                            "from": "某催收公司", "flags": ["threat"]}]}
    conduct = Conduct(({**threat, "rule": "cn.conduct.threat"},
                       {**threat, "rule": "cn.conduct.illegal_debt_crime"}), 1)
    model = build_letter(case, "online-loan", "complaint", case.as_of, "en",
                         conduct=conduct).model["conduct"]
    assert [f["rule"] for f in model["findings"]] == ["cn.conduct.threat"]
    assert [n["rule"] for n in model["notes"]] == ["cn.conduct.illegal_debt_crime"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_annex_lists_each_contact_once_in_time_order_with_rule_titles(
        tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The 22:40 call breaks two rules: one row with both titles. Rows in time order,
    whatever the order in the file: 10:00, 11:00, 12:00, 22:40 on 3 October, then 9
    October."""
    code, out, _ = _complaint(tmp_path, DEMO + LOG, "online-loan", lang, capsys)
    assert code == 0
    annex = out.split("附件一：" if lang == "zh" else "Enclosure 1:")[-1]
    rows = [line for line in annex.splitlines() if re.match(r"\| \d", line)]
    stamps = [row.split(" | ")[0].lstrip("| ") for row in rows]
    if lang == "zh":
        assert stamps == ["2026年10月3日 10:00", "2026年10月3日 11:00", "2026年10月3日 12:00",
                          "2026年10月3日 22:40", "2026年10月9日 14:00"]
        assert rows[3].endswith("| 每日有效催收通话不超过3次；22:00至次日8:00不得催收 |")
    else:
        assert stamps == ["3 October 2026, 10:00", "3 October 2026, 11:00",
                          "3 October 2026, 12:00", "3 October 2026, 22:40",
                          "9 October 2026, 14:00"]
        assert rows[3].endswith("| At most 3 effective (answered) collection calls a day; "
                                "No collection between 22:00 and 08:00 |")
    # Each rule's source is listed once.
    sources = annex.split("规则依据：" if lang == "zh" else "The rules and their sources:")[1]
    sources = sources.split("附件二" if lang == "zh" else "Enclosure 2")[0]
    items = [line for line in sources.splitlines() if line.startswith("- ")]
    assert len(items) == len(set(items)) == 4  # calls a day, hours, threat, police
    assert not re.search(r"cn\.[a-z_]+\.[a-z_]+", out)


def test_findings_in_the_body_are_in_time_order(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _complaint(tmp_path, DEMO + LOG, "online-loan", "en", capsys)
    assert code == 0
    facts = out.split("## 1. The facts")[1].split("## 2.")[0]
    items = [line for line in facts.splitlines() if re.match(r"\d+\. ", line)]
    assert [item.split(" This breaks: ")[1] for item in items] == [
        "At most 3 effective (answered) collection calls a day.",
        "No collection between 22:00 and 08:00.",
        "No threats in collection; Threats and insults can be reported to the police."]


# -- disputes -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_card_dispute_says_why_the_contract_cost_is_missing(lang: str) -> None:
    """A card has no schedule, so the audit cannot compute its contract cost by IRR (it
    writes "—"). The letter says so instead of printing the dash."""
    case = load_case(DEMO.replace('rate = "0.05%/day"', 'rate = "0.1%/day"'), "demo.toml")
    assert case.as_of is not None
    set_language(lang)
    letter = build_letter(case, "credit-card", "dispute-charges", case.as_of, lang)
    text = str(render_letter(letter, "md"))
    assert "—" not in text
    assert letter.model["grounds"][0]["figures"]["contract"] is None
    assert ("没有固定的还款计划，无法按内部收益率法计算合同约定的年化成本" in text if lang == "zh"
            else "no fixed repayment schedule, so the contract's own cost cannot be "
                 "computed" in text)
    assert ("实际年化成本为41.02%" if lang == "zh" else "it is 41.02%") in text


def test_disputed_late_fees_are_what_is_outstanding_with_the_paid_part_apart() -> None:
    """Three late fees of 5 % × 2,900.40 = 145.02 were posted on the online loan (435.06).
    A payment of 300 on 2026-10-20 pays the oldest first (costs first, Civil Code Art.
    561): 145.02 paid, 290.04 still claimed."""
    text = DEMO.replace('date = 2026-07-15\namount = "2900.40"\n',
                        'date = 2026-07-15\namount = "2900.40"\n\n[[debts.payments]]\n'
                        'date = 2026-10-20\namount = "300"\n', 1)
    case = load_case(text, "demo.toml")
    assert case.as_of is not None
    letter = build_letter(case, "online-loan", "dispute-charges", case.as_of, "en")
    fee = next(g for g in letter.model["grounds"] if g["kind"] == "late_fee")
    assert (fee["amount"], fee["outstanding"], fee["paid"]) == ("435.06", "290.04", "145.02")
    md = str(render_letter(letter, "md"))
    assert ("Late fees of CNY 435.06: CNY 290.04 that you claim now and I have not paid, and "
            "CNY 145.02 already paid") in md
    assert "| CNY 435.06 | CNY 290.04 | CNY 145.02 |" in md


def test_no_golden_letter_prints_a_placeholder_for_a_figure() -> None:
    for path in GOLDEN.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "—" not in text, path.name
        assert not re.search(r"\bNone\b|\bnan\b", text), path.name


# -- the PDF: the closing stays together ---------------------------------------------------

CLOSING = {
    "zh": re.compile(r"^(此致|敬礼！|.*【签名】|\d{4}年\d{1,2}月\d{1,2}日|附件：|\d+\. .*|"
                     r"申请人.*|投诉人.*|异议人.*|\d+ ?/ ?\d+|请.*。|恳请.*|.*15日内.*)$"),
    "en": re.compile(r"^(Yours faithfully,|Sincerely,|\[Signature\]|\[Your name\]|"
                     r"Enclosures:|\d+\. .*|\d+ ?/ ?\d+|Please .*|I would be grateful .*|"
                     r".*within 15 days of receiving this letter\.)$"),
}


def _letters() -> Iterator[tuple[str, str, object]]:
    from tests.test_letters import _letter

    for kind in KINDS:
        for lang in ("zh", "en"):
            yield kind, lang, _letter(kind, lang)


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext is not installed (Debian: apt-get install poppler-utils)")
def test_no_pdf_page_holds_only_the_closing(tmp_path: Path) -> None:
    """Every kind in both languages: each page has text besides the closing block (the last
    request, the salutation, the signature, the date, the enclosures) and the page
    number."""
    from arrears.letters import Letter

    for kind, lang, letter in _letters():
        assert isinstance(letter, Letter)
        pdf = render_letter(letter, "pdf")
        assert isinstance(pdf, bytes)
        path = tmp_path / f"{kind}.{lang}.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
        for number, page in enumerate(text.split("\f")[:-1], start=1):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            body = [line for line in lines if not CLOSING[lang].match(line)]
            assert body, f"{kind}.{lang}.pdf page {number} holds only {lines}"


def test_a_long_letter_moves_its_closing_to_the_next_page_whole() -> None:
    """A paragraph long enough to fill the first page up to a few lines from the foot: the
    closing (request, salutation, signature, date) starts the next page together."""
    from arrears.letters.blocks import parse_blocks
    from arrears.letters.pdf import render_pdf

    filler = "".join(f"<p>第{n}段。" + "说明" * 30 + "</p>" for n in range(17))
    html = (f"<h1>标题</h1>{filler}<div class=\"keep\"><p class=\"indent\">请予核查。</p>"
            "<p>此致</p><p>敬礼！</p><p class=\"right\">申请人：【签名】</p>"
            "<p class=\"right\">2026年11月28日</p></div>")
    blocks = parse_blocks(html)
    assert [b.keep for b in blocks[-5:]] == [1] * 5
    assert blocks[0].keep == 0
    pdf = render_pdf(blocks, lang="zh", title="t", when=__import__("datetime").date(2026, 1, 1))
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run([pdftotext, "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode()
    pages = text.split("\f")
    assert len(pages) - 1 == 2
    assert "请予核查。" in pages[1]
    assert "2026年11月28日" in pages[1]
    assert "请予核查" not in pages[0]


# -- letters quote the status ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["instalment", "deferment", "settlement", "dispute-charges",
                                  "dispute-credit"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_letters_quote_the_status_figures(kind: str, lang: str) -> None:
    """The balance a letter states is ``arrears status``'s payoff on the same as-of date,
    component by component (demo: online loan 15,111.12, card 15,380.35 on 2026-11-28)."""
    from arrears.letters.render import format_day, format_money
    from arrears.status import debt_status
    from tests.test_letters import DEBTS, _letter

    case = load_case(DEMO, "demo.toml")
    assert case.as_of is not None
    status = debt_status(case.debt(DEBTS[kind]), case.as_of)
    letter = _letter(kind, lang)
    debt = letter.model["debt"]
    assert letter.model["date"] == case.as_of.isoformat()
    assert (debt["claimed"], debt["overdue"], debt["dpd"]) == (
        status["payoff"], status["overdue_amount"], status["dpd"])
    shown = {p["name"]: p["amount"] for p in debt["components"]}
    assert {k: v for k, v in status["outstanding"].items() if v != "0.00"}.items() \
        <= shown.items()
    text = str(render_letter(letter, "md"))
    if kind != "dispute-credit":  # a credit dispute is about months, and states no balance
        assert format_money(status["payoff"], lang, "CNY") in text
    assert format_day(case.as_of.isoformat(), lang) in text


# -- invariants of the proposal -----------------------------------------------------------


def test_a_proposal_repays_the_balance_with_the_plans_payments_never_more() -> None:
    """For any plan payments and balance the plan covers: the proposal pays exactly the
    balance, each payment at most the plan's that month, never more payments than the plan,
    and the steps written out give back the schedule."""
    from datetime import date, timedelta
    from decimal import Decimal

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from arrears.letters.hardship import _capped, _steps

    cents = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(cents, min_size=1, max_size=40), st.data())
    def check(amounts: list[Decimal], data: st.DataObject) -> None:
        start = date(2026, 11, 28)
        payments = tuple((start + timedelta(days=30 * n), a) for n, a in enumerate(amounts))
        total = sum(amounts, Decimal(0))
        balance = data.draw(st.integers(min_value=1, max_value=int(total * 100))
                            .map(lambda c: Decimal(c) / 100))
        chosen = _capped(payments, balance)
        assert sum(a for _, a in chosen) == balance
        assert len(chosen) <= len(payments)
        assert all(0 < a <= plan for (_, a), (_, plan) in zip(chosen, payments, strict=False))
        assert all(a == plan for (_, a), (_, plan) in zip(chosen[:-1], payments, strict=False))
        rebuilt = [s["amount"] for s in _steps(chosen) for _ in range(s["count"])]
        assert rebuilt == [f"{a:.2f}" for _, a in chosen]

    check()
