"""Update the translation catalogs: extract marked strings, merge them into the zh_CN and
en catalogs (keeping translations), fill the English catalog with the source text, and
compile the ``.mo`` files that ship with the package.

    python scripts/i18n.py            # extract, merge, compile
    python scripts/i18n.py --check    # exit 1 if a catalog lacks a string or is stale

New Chinese strings arrive with an empty msgstr: translate them in
``src/arrears/i18n/zh_CN/LC_MESSAGES/arrears.po`` and run the script again.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "arrears"
CATALOGS = SOURCE / "i18n"
LOCALES = ("zh_CN", "en")
KEYWORDS = {"_": None, "N_": None}
# Fixed header dates keep the compiled catalogs byte-for-byte reproducible.
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def extracted() -> Catalog:
    """Every marked string in the package source."""
    catalog = Catalog(project="arrears", charset="utf-8", creation_date=STAMP,
                      revision_date=STAMP)
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE), method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, locations=[(f"src/arrears/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return CATALOGS / locale / "LC_MESSAGES" / "arrears.po"


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="arrears", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def merged(locale: str, template: Catalog) -> Catalog:
    catalog = load(locale)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.revision_date = STAMP
    catalog.creation_date = STAMP
    if locale == "en":
        for message in catalog:
            if message.id and not message.string:
                message.string = message.id
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True,
             include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    template = extracted()
    stale = []
    for locale in LOCALES:
        catalog = merged(locale, template)
        missing = [m.id for m in catalog if m.id and not m.string]
        po, mo = po_bytes(catalog), mo_bytes(catalog)
        path = po_path(locale)
        if args.check:
            mo_path = path.with_suffix(".mo")
            current_mo = mo_path.read_bytes() if mo_path.exists() else b""
            if missing or mo != current_mo:
                stale.append(
                    f"{locale}: {len(missing)} untranslated, .mo stale: {mo != current_mo}"
                )
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po)
        path.with_suffix(".mo").write_bytes(mo)
        for message_id in missing:
            print(f"{locale}: untranslated: {message_id}")
    for line in stale:
        print(line)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
