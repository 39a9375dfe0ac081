"""Build a case file by answering questions (``arrears new``; ``docs/new.md``).

The flow: :mod:`~arrears.casebuilder.questions` (the questions as data, each with its
parser) → :mod:`~arrears.casebuilder.interview` (asks them in order through an ``Asker``,
checking each answer as it is given) → :mod:`~arrears.casebuilder.answers` (what was
answered) → :mod:`~arrears.casebuilder.writer` (a commented TOML case file that
:func:`arrears.case.load_case` reads back to the same figures). No I/O here: the terminal
lives in :mod:`arrears.cli_new`, and a web form can ask the same questions.
"""

from __future__ import annotations

from arrears.casebuilder.answers import Answers
from arrears.casebuilder.interview import Asker, answer, run_interview
from arrears.casebuilder.questions import Choice, Question
from arrears.casebuilder.writer import case_text

__all__ = ["Answers", "Asker", "Choice", "Question", "answer", "case_text", "run_interview"]
