"""The evidence report prints anywhere (issue 10, item 6): ``contacts report -o evidence.pdf``
is an A4 PDF in the shipped CJK font, and the HTML page carries that font inline, subset to
its characters, so Chinese shows on a machine without any CJK font (checked by hand in
Chromium: ``docs/contacts.md``)."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest

DEMO = files("arrears").joinpath("examples", "demo.toml").read_text(encoding="utf-8")
LOG = """
[[contacts]]
at = 2026-10-03T22:40:00+08:00
channel = "call"
from = "某催收公司"
debt = "online-loan"
answered = true
note = "说今晚不还就去单位"

[[contacts]]
at = 2026-10-09T14:00:00+08:00
channel = "sms"
from = "某催收公司"
debt = "online-loan"
flags = ["threat"]
evidence = ["shots/sms.png"]
"""
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _run(*args: str) -> tuple[int, str, str]:
    import arrears.cli_contacts  # noqa: F401 - registers ``contacts``
    from arrears.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(DEMO + LOG, encoding="utf-8")
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "sms.png").write_bytes(b"fake")
    return path


class _Text(HTMLParser):
    """The text a browser would draw: everything but the head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_embeds_the_shipped_font_covering_every_cjk_character(case: Path,
                                                                   lang: str) -> None:
    from fontTools.ttLib import TTFont

    output = case.parent / "evidence.html"
    code, _, err = _run("contacts", "report", str(case), "-o", str(output), "--lang", lang)
    assert code == 0, err
    html = output.read_text(encoding="utf-8")
    match = re.search(r'@font-face \{ font-family: "arrears CJK";.*?'
                      r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", html)
    assert match is not None
    assert 'font-family: "arrears CJK", "Noto Sans CJK SC"' in html  # used first
    font = TTFont(io.BytesIO(base64.b64decode(match.group(1))))
    covered = set(font.getBestCmap())
    reader = _Text()
    reader.feed(html)
    shown = set(CJK.findall("".join(reader.parts)))
    assert shown  # the lender's name, the note, the titles (zh)
    assert {c for c in shown if ord(c) not in covered} == set()
    # A subset, not the 5 MB font's 21,000+ characters: about the page's own (a glyph that
    # serves two code points, such as a space and a no-break space, brings both).
    assert len(covered) < 2 * len(set("".join(reader.parts)))
    assert len(html) < 200_000


def test_pdf_report_is_written_in_the_shipped_font(case: Path) -> None:
    output = case.parent / "evidence.pdf"
    code, out, err = _run("contacts", "report", str(case), "-o", str(output), "--lang", "zh")
    assert (code, err) == (0, "")
    assert "evidence.pdf" in out
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"NotoSansCJKSC" in pdf
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.toml", "evidence.pdf",
                                                            "shots"]
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (Debian: apt-get install poppler-utils)")
    text = subprocess.run([pdftotext, str(output), "-"], check=True, capture_output=True,
                          text=True).stdout
    squeezed = re.sub(r"\s+", "", text)
    for words in ("催收记录与证据", "22:00至次日8:00不得催收", "催收不得威胁", "说今晚不还就去单位",
                  "shots/sms.png", "12378"):
        assert words in squeezed, words
    # Criminal Law Art. 293-1 is a note, not a finding: the online loan is not illegal.
    assert "不作为问题列出" in squeezed
    assert "cn.conduct" not in text


def test_pdf_report_refuses_a_character_the_font_lacks(case: Path) -> None:
    case.write_text(case.read_text(encoding="utf-8").replace("说今晚不还就去单位", "𠀀"),
                    encoding="utf-8")
    output = case.parent / "evidence.pdf"
    code, out, err = _run("contacts", "report", str(case), "-o", str(output), "--lang", "en")
    assert (code, out) == (2, "")
    assert err == ("arrears: --output: the PDF font has no glyph for 𠀀; write an .html "
                   "report\n")
    assert not output.exists()
