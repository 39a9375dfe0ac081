"""Letters to lenders and collectors, written from the person's own figures.

The data flow, one module per step::

    Case + as-of date ──> model.build_letter(kind) ──> Letter (JSON-ready model + warnings)
       │                    ├─ hardship   instalment, deferment, settlement  (plan: triage,
       │                    │                                                 scenarios)
       │                    └─ disputes   dispute-charges (audit), dispute-credit (credit),
       │                                  complaint (collection log), validation, dispute,
       │                                  stop-contact, goodwill (US pack)
       └─ conduct.conduct_of_case ──> Conduct (the collection log's findings, for a complaint)

    Letter ──> render.render_html (Jinja2, autoescaped, templates/<lang>/<kind>.html.j2)
                  └─> blocks.parse_blocks ──> blocks.to_markdown | pdf.render_pdf (fpdf2 and
                                                                    the shipped CJK font)

Every figure comes from the engine, the audit, the plan or the credit timeline; the wording
of each letter, in Chinese and English, is in its template. The templates never acknowledge
a disputed amount (``docs/letters.md`` says why). Jinja2 and fpdf2 are imported only when a
letter is rendered.
"""

from __future__ import annotations

from arrears.letters.model import KINDS, KINDS_BY_PACK, Conduct, Letter, build_letter
from arrears.letters.render import FORMATS, render_html, render_letter

__all__ = ["FORMATS", "KINDS", "KINDS_BY_PACK", "Conduct", "Letter", "build_letter",
           "render_html", "render_letter"]
