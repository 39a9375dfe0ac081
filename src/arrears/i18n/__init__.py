"""Translation of user-facing text (gettext catalogs for ``zh_CN`` and ``en``).

Source strings are English message ids, marked where they are written with :func:`N_`
(deferred) or translated where they are shown with :func:`_`. Catalogs live beside this
file as ``<locale>/LC_MESSAGES/arrears.po`` and the compiled ``.mo`` that ships with the
package; ``tests/test_i18n.py`` fails when a marked string is missing from either
catalog or a ``.mo`` is stale. To update them see ``docs/i18n.md``.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path
from typing import Any

from arrears.errors import Problem

__all__ = ["LANGUAGES", "N_", "_", "current", "default_language", "render", "set_language"]

LANGUAGES = ("zh", "en")
_LOCALES = {"zh": "zh_CN", "en": "en"}
_DIR = Path(__file__).parent
_current = "en"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it now."""
    return message


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(
        "arrears", localedir=_DIR, languages=[_LOCALES[lang]], fallback=True
    )


def default_language(environ: dict[str, str] | None = None) -> str:
    """``zh`` when the user's locale is Chinese (LC_ALL, LC_MESSAGES, LANG), else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Choose the language of everything :func:`_` returns from now on."""
    global _current  # noqa: PLW0603 - one process-wide UI language, set once at the edge
    if lang not in _LOCALES:
        raise ValueError(lang)
    _current = lang


def current() -> str:
    """The language chosen by :func:`set_language` (``en`` until then)."""
    return _current


def _(message: str) -> str:
    """Translate a message id into the current language."""
    return _translations(_current).gettext(message)


def render(problem: Problem) -> str:
    """One line for a problem: ``where: message`` in the current language."""
    text = _format(_(problem.message), problem.params)
    return f"{problem.where}: {text}" if problem.where else text


def _format(template: str, params: Any) -> str:
    return template.format(**params) if params else template
