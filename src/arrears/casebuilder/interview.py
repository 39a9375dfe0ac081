"""The interview: the questions in order, each answer checked as it is given.

:func:`answer` is pure (a question, the text typed, the answers so far → a value, or an
:class:`~arrears.errors.InputError` naming the case-file key). :func:`run_interview` walks
the sections — the case, the household, each debt with its payments and overdue terms —
through an :class:`Asker` that does the talking (the terminal in ``arrears new``; a
scripted list in the tests), asking again after every problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from arrears.casebuilder.answers import Answers
from arrears.casebuilder.questions import (
    CASE,
    DEBT,
    HOUSEHOLD,
    MORE,
    OVERDUE,
    PAYMENT,
    Question,
)
from arrears.errors import InputError, Problem
from arrears.i18n import N_, _

__all__ = ["Asker", "answer", "ask", "choice_lines", "default_shown", "prompt_text",
           "run_interview"]


class Asker(Protocol):
    """Whatever puts the questions to the person."""

    def ask(self, question: Question, answers: Answers) -> str:
        """Show the question; return the text typed (raise EOFError when there is none)."""

    def problems(self, problems: Sequence[Problem]) -> None:
        """Show what is wrong with the last answer (it is asked again)."""

    def note(self, text: str) -> None:
        """Show a line about the answer just given."""

    def section(self, title: str) -> None:
        """Show the title of a part of the interview."""


def prompt_text(question: Question, answers: Answers) -> str:
    """The question in the current language, with its example and the default."""
    params = question.params(answers)
    text = _(question.prompt).format(**params)
    if question.hint:
        text = _("{question} ({hint})").format(question=text,
                                                hint=_(question.hint).format(**params))
    return text


def choice_lines(question: Question, answers: Answers) -> list[str]:
    """The numbered list of a question's choices, in the current language."""
    params = question.params(answers)
    return [f"{number}. {_(choice.label).format(**params)}"
            for number, choice in enumerate(question.choices, start=1)]


def default_shown(question: Question, answers: Answers) -> str | None:
    """What Enter stands for, as shown: a choice's number, else the default text."""
    default = question.default_text(answers)
    if default is None:
        return None
    for number, choice in enumerate(question.choices, start=1):
        if choice.value == default:
            return str(number)
    return default


def answer(question: Question, text: str, answers: Answers) -> Any:
    """The value of ``text`` as an answer to ``question``; problems are located at the
    case-file key the answer goes to."""
    where = answers.where(question.location)
    raw = text.strip()
    if not raw:
        default = question.default_text(answers)
        if default is None:
            if question.optional:
                return None
            raise InputError.one(where, N_("an answer is needed"))
        raw = default
    if question.choices:
        return _pick(question, raw, where)
    if question.parse is None:  # pragma: no cover - every question has one or the other
        raise TypeError(question.key)
    return question.parse(raw, where, answers)


def _pick(question: Question, raw: str, where: str) -> str:
    count = len(question.choices)
    if raw.isdigit() and 1 <= int(raw) <= count:
        return question.choices[int(raw) - 1].value
    for choice in question.choices:
        if raw.lower() == choice.value:
            return choice.value
    raise InputError.one(where, N_('"{text}" is not one of the choices; type a number from 1 '
                                   'to {count}'), text=raw, count=count)


def ask(question: Question, answers: Answers, asker: Asker) -> Any:
    """Ask ``question`` until the answer is good; return its value."""
    while True:
        try:
            value = answer(question, asker.ask(question, answers), answers)
        except InputError as error:
            asker.problems(error.problems)
            continue
        if question.note is not None:
            line = question.note(value, answers)
            if line:
                asker.note(line)
        return value


def _ask_all(questions: Sequence[Question], store: dict[str, Any], answers: Answers,
             asker: Asker) -> None:
    index = 0
    while index < len(questions):
        question = questions[index]
        if not question.when(answers):
            index += 1
            continue
        if question.assume(answers):
            store[question.key] = answer(question, "", answers)
            index += 1
            continue
        value = ask(question, answers, asker)
        store[question.key] = value
        if question.back_to is not None and value is False:
            start = next(i for i, q in enumerate(questions) if q.key == question.back_to)
            for asked in questions[start:index + 1]:
                store.pop(asked.key, None)
            index = start
            continue
        index += 1


def _payments(answers: Answers, asker: Asker) -> None:
    debt = answers.debt
    answers.section = "payment"
    while True:
        payment: dict[str, Any] = {}
        on = ask(PAYMENT[0], answers, asker)
        if on is None:
            break
        payment["date"] = on
        payment["amount"] = ask(PAYMENT[1], answers, asker)
        debt["payments"].append((payment["date"], payment["amount"]))
    answers.section = "debt"


def run_interview(asker: Asker, today: date) -> Answers:
    """Ask everything a case file needs; return the answers (every one checked)."""
    answers = Answers(today=today)
    asker.section(_("The case"))
    _ask_all(CASE, answers.case, answers, asker)
    answers.section = "household"
    asker.section(_("Your household"))
    _ask_all(HOUSEHOLD, answers.household, answers, asker)
    while True:
        answers.debts.append({"payments": []})
        answers.section = "debt"
        asker.section(_("Debt {number}").format(number=len(answers.debts)))
        _ask_all(DEBT, answers.debt, answers, asker)
        if answers.debt["paid"] != "none":
            _payments(answers, asker)
        _ask_all(OVERDUE, answers.debt, answers, asker)
        if not ask(MORE, answers, asker):
            return answers
