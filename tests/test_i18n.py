"""Every user-facing string is in both catalogs, with the same placeholders, and the
compiled catalogs that ship are current."""

from __future__ import annotations

import gettext
import importlib.util
import string
import sys
from pathlib import Path
from types import ModuleType

import pytest

from arrears import i18n

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_tool"] = module
    spec.loader.exec_module(module)
    return module


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_marked_string_is_translated(locale: str) -> None:
    tool = _tool()
    template = tool.extracted()
    catalog = tool.load(locale)
    missing = [m.id for m in template if m.id and not (catalog.get(m.id) and
                                                       catalog.get(m.id).string)]
    assert not missing, f"{locale} lacks: {missing}"
    assert len([m for m in template if m.id]) > 50


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_placeholders_match(locale: str) -> None:
    for message in _tool().load(locale):
        if message.id and message.string:
            assert _fields(message.id) == _fields(message.string), message.id


def test_chinese_catalog_is_chinese() -> None:
    catalog = _tool().load("zh_CN")
    ids = [m for m in catalog if m.id]
    assert sum(1 for m in ids if any("\u4e00" <= ch <= "\u9fff" for ch in m.string)) >= (
        len(ids) * 0.8
    )


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_compiled_catalogs_are_current(locale: str) -> None:
    tool = _tool()
    expected = tool.mo_bytes(tool.merged(locale, tool.extracted()))
    assert tool.po_path(locale).with_suffix(".mo").read_bytes() == expected, (
        "run: python scripts/i18n.py"
    )


def test_installed_package_finds_the_catalogs() -> None:
    """A fresh install ships the compiled catalogs (package data), so Chinese works."""
    translations = gettext.translation("arrears", localedir=Path(i18n.__file__).parent,
                                       languages=["zh_CN"])
    assert translations.gettext("Repayment schedule") == "还款计划"


def test_default_language_from_locale() -> None:
    assert i18n.default_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.default_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.default_language({}) == "en"
