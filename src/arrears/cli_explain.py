"""CLI command ``explain``: what a term means, in plain words, with its source
(``docs/explain.md``). The entries live in :mod:`arrears.glossary`.

Registered on :data:`arrears.cli.app` when this module is imported; the glossary is loaded
inside the command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from arrears.cli import AsJson, Lang, _print_json, _use_language, app
from arrears.errors import InputError
from arrears.i18n import N_, _

if TYPE_CHECKING:
    from rich.console import Console

    from arrears.glossary import Entry

Term = Annotated[
    list[str] | None,
    typer.Argument(metavar="TERM", show_default=False,
                   help=_("The term, in Chinese, English or pinyin (罚息, penalty interest, "
                          "faxi); without it, every entry is listed.")),
]

VERIFIED_NAMES = {
    "V1": N_("checked against the text"),
    "V2": N_("from secondary sources"),
}


@app.command(
    help=_("Explain a term you meet in a loan, a card statement or a credit report (罚息, "
           "违约金, APR, 征信, M1–M7 …) in plain words, with its source."),
    epilog=_("Examples: arrears explain 罚息 | arrears explain late fee --lang en | "
             "arrears explain faxi --json | arrears explain"),
)
def explain(term: Term = None, as_json: AsJson = False, lang: Lang = None) -> None:
    """Explain a term in plain words, with its source; without a term, list every entry."""
    _use_language(lang)
    from arrears import glossary

    if not term:
        _list(glossary.entries(), as_json)
        return
    typed = " ".join(term)
    entry = glossary.find(typed)
    if entry is None:
        raise _no_entry(typed, glossary.suggest(typed))
    if as_json:
        _print_json(entry_model(entry))
        return
    print_entry(entry)


def _no_entry(typed: str, suggestions: list[Entry]) -> InputError:
    typed = typed.strip() or '""'
    if not suggestions:
        return InputError.one(typed, N_("no entry; run arrears explain to list every entry"))
    return InputError.one(typed, N_("no entry; did you mean {suggestions}?"),
                          suggestions=", ".join(e.name() for e in suggestions))


def _rule_sources(entry: Entry, lang: str) -> list[dict[str, str]]:
    """The entry's rule ids with each rule's title, source, confidence and verification."""
    from arrears.rules import load_pack

    rules = []
    for rule_id in entry.rule_ids():
        try:
            rule = load_pack(rule_id.split(".")[0]).rule(rule_id)
        except (KeyError, FileNotFoundError):  # pragma: no cover - tests check every id
            continue
        rules.append({"id": rule.id, "title": rule.title(lang), "source": rule.source(lang),
                      "confidence": rule.confidence, "verified": rule.verified})
    return rules


def entry_model(entry: Entry) -> dict[str, Any]:
    """The entry as JSON: its data (both languages), its rules resolved in the current
    language and the pointer a report prints for it."""
    from arrears.glossary import see
    from arrears.i18n import current

    return {**entry.as_dict(), "rules": _rule_sources(entry, current()),
            "see": {"zh": see(entry.id, "zh"), "en": see(entry.id, "en")}}


def print_entry(entry: Entry, out: Console | None = None) -> None:
    """One entry for the terminal: names, text, sources, confidence, where it is shown."""
    from arrears.glossary import get
    from arrears.i18n import current
    from arrears.terminal import CONFIDENCE_NAMES, console, print_item, print_notice, print_text

    out = out or console()
    lang = current()
    other = "en" if lang == "zh" else "zh"
    out.print(f"{entry.name(lang)} · {entry.name(other)}", style="bold", markup=False)
    print_text(out, entry.text(lang))
    out.print()
    out.print(_("Sources:"), markup=False)
    rules = {r["id"]: r for r in _rule_sources(entry, lang)}
    for source in entry.sources:
        rule = rules.get(source)
        line = (f"{rule['source']} [{rule['id']}, {_(CONFIDENCE_NAMES[rule['confidence']])}]"
                if rule else source)
        print_item(out, line)
    out.print(_("Confidence: {confidence}, {verified}").format(
        confidence=_(CONFIDENCE_NAMES[entry.confidence]),
        verified=_(VERIFIED_NAMES[entry.verified])), markup=False)
    if entry.commands:
        out.print(_("Shown in: {commands}").format(
            commands=", ".join(f"arrears {c}" for c in entry.commands)), markup=False)
    if entry.see_also:
        out.print(_("See also: {terms}").format(
            terms=", ".join(get(i).name(lang) for i in entry.see_also)), markup=False)
    print_notice(out)


def _list(items: tuple[Entry, ...], as_json: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    from arrears.i18n import current
    from arrears.terminal import console

    if as_json:
        _print_json({"entries": [entry.as_dict() for entry in items]})
        return
    lang = current()
    other = "en" if lang == "zh" else "zh"
    out = console()
    out.print(_("Every term arrears explains (arrears explain TERM):"), style="bold",
              markup=False)
    grid = Table.grid(padding=(0, 2))
    for _column in range(3):
        grid.add_column()
    for entry in items:
        grid.add_row(Text(entry.name(lang)), Text(entry.name(other)), Text(entry.id))
    out.print(grid)
