"""Every command's terminal output, in both languages, on an 80-column terminal, against
reviewed golden files (``tests/golden/terminal``; ``arrears demo``'s are
``tests/golden/demo.*.txt``, checked in ``tests/test_demo.py``) — and no line of any of
them wider than 80 cells, a Chinese character counting two (issue 10 item 5: the zh plan
table cut "雪崩法（成本最高…" at 80 columns and its sparklines started in different
columns).

Regenerate after a reviewed change with ``ARREARS_UPDATE_GOLDEN=1 python -m pytest
tests/test_terminal.py tests/test_demo.py`` and read every changed file as a person would
(``COLUMNS=80 arrears … --lang zh``) before committing it."""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from .conftest import run_cli

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
DEMO = str(ROOT / "examples" / "demo.toml")
OFFER = str(ROOT / "examples" / "offer.toml")
CONTACTS = str(Path(__file__).parent / "data" / "contacts.toml")
WIDTH = 80

# name → the command line. Not here: ``letter`` (its text is the letter, with golden files of
# its own in tests/golden/letters) and ``portfolio`` (a golden file would need a book written
# first; measured by hand on a 50-loan synthetic book at COLUMNS=80: its widest line is 80
# cells in en, 74 in zh).
COMMANDS: dict[str, tuple[str, ...]] = {
    "status": ("status", DEMO),
    "ledger": ("ledger", DEMO, "--debt", "car-loan"),
    "audit": ("audit", DEMO),
    "credit": ("credit", DEMO, "--if-paid-on", "2026-12-01"),
    "plan": ("plan", DEMO),
    "plan-detail": ("plan", DEMO, "--months", "24", "--strategy", "avalanche",
                    "--strategy", "optimal", "--detail"),
    "afford": ("afford", DEMO, "--offer", OFFER),
    "contacts": ("contacts", CONTACTS),
    "explain": ("explain", "罚息"),
    "schedule": ("schedule", "--principal", "12000", "--months", "12", "--rate", "12%",
                 "--start", "2026-01-15"),
    "apr": ("apr", "--received", "99000", "--payment", "8833.30", "--count", "12"),
}


def _golden(path: Path, text: str) -> None:
    if os.environ.get("ARREARS_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_terminal_output_matches_golden(name: str, lang: str) -> None:
    result = run_cli(*COMMANDS[name], "--lang", lang, columns=WIDTH)
    assert result.code == 0, result.err
    _golden(GOLDEN / "terminal" / f"{name}.{lang}.txt", result.out.replace(ROOT.as_posix(), "…"))


def _golden_files() -> list[Path]:
    return sorted([*GOLDEN.glob("demo.*.txt"), *(GOLDEN / "terminal").glob("*.txt")])


def test_every_command_has_golden_files() -> None:
    names = {p.name for p in _golden_files()}
    for name in [*COMMANDS, "demo"]:
        assert {f"{name}.en.txt", f"{name}.zh.txt"} <= names, name


@pytest.mark.parametrize("path", _golden_files(), ids=lambda p: p.name)
def test_no_golden_line_is_wider_than_80_cells(path: Path) -> None:
    wide = [(number, cell_len(line)) for number, line in
            enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if cell_len(line) > WIDTH]
    assert wide == [], f"{path.name}: lines wider than {WIDTH} cells: {wide}"


def test_no_name_is_cut_in_the_plan() -> None:
    """The strategy names and the debts' ids appear whole, never with an ellipsis."""
    for lang in ("en", "zh"):
        text = (GOLDEN / "terminal" / f"plan.{lang}.txt").read_text(encoding="utf-8")
        assert "…" not in text
        for debt in ("online-loan", "credit-card", "car-loan"):
            assert debt in text
    assert "雪崩法" in (GOLDEN / "terminal" / "plan.zh.txt").read_text(encoding="utf-8")


# ---- the balance chart: every row from the same column, months on the axis ---------------


def test_chart_rows_start_in_one_column_whatever_the_label() -> None:
    from arrears.terminal import bar_chart

    values = [Decimal(v) for v in ("300", "200", "100", "0")]
    months = ["2026-11", "2026-12", "2027-01", "2027-02"]
    lines, marked = bar_chart([("先还逾期", values), ("Avalanche", values)], months, 80)
    # "先还逾期" is 8 cells, "Avalanche" 9: the bars of both start at cell 10.
    assert lines[0] == "先还逾期  █▆▃"
    assert lines[1] == "Avalanche █▆▃"
    assert lines[2] == "          ┬───"
    assert lines[3] == "          2026-11"
    assert marked == [0]  # too few months for a second label


def test_chart_labels_the_last_month_only_where_it_fits() -> None:
    from arrears.terminal import bar_chart

    months = [f"2026-{m:02d}" for m in range(1, 13)]
    values = [Decimal(12 - i) for i in range(12)]
    lines, marked = bar_chart([("a", values)], months, 80)
    assert marked == [0, 11]
    assert lines[-1] == "  2026-01    2026-12"
    lines, marked = bar_chart([("a", values)], months, 15)  # 2 + 11 + 7 > 15
    assert marked == [0]
    assert max(cell_len(line) for line in lines) <= 15


def test_chart_of_many_months_fits_the_width_with_yearly_labels() -> None:
    from arrears.terminal import bar_chart

    months = [f"{2026 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(360)]
    values = [Decimal(360 - i) for i in range(360)]
    lines, marked = bar_chart([("Snowball", values)], months, 80)
    assert max(cell_len(line) for line in lines) <= 80
    # 360 months in the 71 cells after "Snowball ": 6 months a cell (60 cells); a label
    # needs 8 cells, so one every 60 months (10 cells), and the last cell's (month 354).
    assert marked == [0, 60, 120, 180, 240, 300, 354]
    assert lines[-1].split() == ["2026-11", "2031-11", "2036-11", "2041-11", "2046-11",
                                 "2051-11", "2056-05"]
    assert cell_len(lines[0]) == 9 + 60


def test_chart_shares_one_scale() -> None:
    """Two plans that owe the same draw the same bars; half as much draws half bars."""
    from arrears.terminal import bar_chart

    lines, _marked = bar_chart([("a", [Decimal(800)]), ("b", [Decimal(400)]),
                                ("c", [Decimal(800)])], ["2026-11"], 40)
    assert [line.split()[1] for line in lines[:3]] == ["█", "▄", "█"]


# ---- wrapping: Chinese broken anywhere, no line starting with a closing mark -------------


def test_wrap_breaks_chinese_between_characters_within_the_width() -> None:
    from arrears.terminal import wrap

    text = ("真实年化成本高于 24.00%（持牌金融机构：综合成本超过年利率24%的部分，"
            "借款人可请求法院调减）。")
    lines = wrap(text, 30)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line) <= 30 for line in lines)
    assert lines[0].startswith("真实年化成本高于 24.00%")  # not a near-empty first line
    assert not any(line[0] in "，。）》" for line in lines)


def test_wrap_keeps_words_whole() -> None:
    from arrears.terminal import wrap

    assert wrap("the negative record is kept for five years", 20) == [
        "the negative record", "is kept for five", "years"]


def test_wrap_keeps_a_percent_sign_with_its_number() -> None:
    from arrears.terminal import wrap

    assert wrap("total cost above 24 % a year", 18) == ["total cost above", "24 % a year"]


def test_print_item_hangs_wrapped_lines_under_the_text() -> None:
    from arrears.terminal import print_item

    out = Console(width=20, record=True, file=io.StringIO())
    print_item(out, "one two three four five six")
    assert out.export_text() == "  • one two three\n    four five six\n"


@pytest.mark.parametrize("command", [("status",), ("audit",), ("credit",),
                                     ("plan", "--detail", "--months", "24"),
                                     ("ledger", "--debt", "招商银行信用卡")])
def test_chinese_and_long_debt_ids_are_never_cut(tmp_path: Path, command: tuple[str, ...]
                                                 ) -> None:
    """Debt ids two cells a character wide, and one longer than a column can be, at 80
    columns in Chinese: every line within 80 cells, no id shortened with "…" (a long one
    folds onto a second line)."""
    text = (ROOT / "examples" / "demo.toml").read_text(encoding="utf-8")
    for old, new in (("online-loan", "某消费金融平台网贷"), ("credit-card", "招商银行信用卡"),
                     ("car-loan", "a-very-long-car-loan-identifier")):
        text = text.replace(old, new)
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli(command[0], str(path), *command[1:], "--lang", "zh", columns=WIDTH)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(cell_len(line) for line in lines) <= WIDTH
    assert [line for line in lines if "…" in line and "1–30天 … 7" not in line] == []
    ids = ["招商银行信用卡"] if command[0] == "ledger" else ["某消费金融平台网贷",
                                                            "招商银行信用卡"]
    for debt in ids:
        assert debt in result.out
