"""The collection log: contacts by collectors, checked against the conduct rules.

The data flow (DESIGN.md §2, the ``conduct`` arrow), one module per step::

    case file ──> log.parse_log ──> ContactLog ──> conduct.check(log, pack) ──> Findings
      [[contacts]]   (located problems,   │              (rules of kind conduct_*
                      every one at once)  │               in the case's rule pack)
                                          ├──> model.contacts_model ──> JSON | terminal
                                          └──> evidence.gather (SHA-256 now)
                                                   └──> report.report_model ──> render_html
    arrears contacts add ──> append.add_contact (text append, validated, atomic replace)

Everything but :mod:`~arrears.contacts.evidence` and :mod:`~arrears.contacts.append` is
pure: data in, data out. The format and the rules are in ``docs/contacts.md``.
"""

from __future__ import annotations

from arrears.contacts.append import NewContact, add_contact
from arrears.contacts.conduct import Finding, check
from arrears.contacts.evidence import Evidence, gather
from arrears.contacts.log import (
    Channel,
    Contact,
    ContactLog,
    Flag,
    Recipient,
    load_log,
    parse_log,
)
from arrears.contacts.model import contacts_model
from arrears.contacts.report import render_html, report_model

__all__ = ["Channel", "Contact", "ContactLog", "Evidence", "Finding", "Flag", "NewContact",
           "Recipient", "add_contact", "check", "contacts_model", "gather", "load_log",
           "parse_log", "render_html", "report_model"]
