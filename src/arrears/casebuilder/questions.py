"""The questions ``arrears new`` asks, as data: key, prompt, choices, parser, default.

A :class:`Question` is shown by whatever asks it (the terminal today, a web form later);
:func:`arrears.casebuilder.interview.answer` turns the text typed into a value with the
project's own parsers (amounts, dates, rates, penalties, late fees), or raises
:class:`~arrears.errors.InputError` located at the case-file key the answer will be written
to (``debts[0].principal``), so the person is asked again with that one line.

Prompts, choice labels and hints are message ids (``N_``); ``params`` fills their
``{fields}`` from the answers so far. The checks are in :mod:`arrears.casebuilder.checks`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from arrears.casebuilder.answers import Answers
from arrears.casebuilder.checks import (
    Parse,
    amount,
    annual_of,
    as_of,
    debt_id,
    first_due,
    late_fee,
    late_fee_max,
    line,
    paid_note,
    paid_until,
    payment_date,
    penalty,
    percent,
    rate_note,
    rate_number,
    rate_params,
    received,
    started,
    whole,
    yes_no,
)
from arrears.dates import add_months
from arrears.i18n import N_, _

__all__ = [
    "CASE",
    "DEBT",
    "HOUSEHOLD",
    "LENDER_TYPES",
    "METHODS",
    "METHOD_NAMES",
    "MORE",
    "OVERDUE",
    "PAYMENT",
    "PERIODS",
    "SCALES",
    "Choice",
    "Question",
]


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of a numbered list: the value stored and its label (a message id)."""

    value: str
    label: str


def _always(_answers: Answers) -> bool:
    return True


def _never(_answers: Answers) -> bool:
    return False


def _no_params(_answers: Answers) -> dict[str, str]:
    return {}


@dataclass(frozen=True, slots=True)
class Question:
    """One question. ``key`` is where the answer is kept (in the section's dict); ``where``
    the case-file key path it is written to (default: ``key``), used to locate problems."""

    key: str
    prompt: str
    parse: Parse | None = None  # None for a pick from ``choices``
    choices: tuple[Choice, ...] = ()
    default: Callable[[Answers], str | None] | None = None  # the text Enter stands for
    when: Callable[[Answers], bool] = _always  # asked only when this holds
    assume: Callable[[Answers], bool] = _never  # the default is taken without asking
    where: str = ""
    hint: str = ""  # an example answer (message id)
    optional: bool = False  # Enter with no default: no answer (None)
    params: Callable[[Answers], dict[str, str]] = field(default=_no_params)
    back_to: str | None = None  # answering "no" asks again from this key
    note: Callable[[Any, Answers], str | None] | None = None  # a line shown after an answer
    yes_no: bool = False

    @property
    def location(self) -> str:
        return self.where or self.key

    def default_text(self, answers: Answers) -> str | None:
        return self.default(answers) if self.default is not None else None


PERIODS = (
    Choice("year", N_("per year (年利率, 年化)")),
    Choice("month", N_("per month (月利率, 月息)")),
    Choice("day", N_("per day (日利率, 日息)")),
)
SCALES = (
    Choice("percent", N_("percent: % (百分之)")),
    Choice("permille", N_("per thousand: ‰ (千分之)")),
    Choice("permyriad", N_("per ten thousand: ‱ (万分之)")),
)


# -- the questions --------------------------------------------------------------------------

def _is_card(answers: Answers) -> bool:
    return bool(answers.debt.get("kind") == "credit_card")


def _is_loan(answers: Answers) -> bool:
    return not _is_card(answers)


def _debt_id_default(answers: Answers) -> str:
    base = {"credit_card": "card", "private_loan": "private"}.get(answers.debt["kind"], "loan")
    used = {d.get("id") for d in answers.debts[:-1]}
    number = 1
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def _const(text: str) -> Callable[[Answers], str]:
    def default(_answers: Answers) -> str:
        return text
    return default


CASE: tuple[Question, ...] = (
    Question("jurisdiction", N_("Which country's rules apply to these debts?"),
             choices=(Choice("cn", N_("China (yuan, CNY)")),
                      Choice("us", N_("United States (dollars, USD)"))),
             default=_const("cn")),
    Question("as_of", N_("The date the figures are for (usually today)"), parse=as_of,
             default=lambda a: a.today.isoformat()),
)

HOUSEHOLD: tuple[Question, ...] = (
    Question("monthly_income", N_("Your household's income a month, now"),
             parse=amount(False), hint=N_("like 5500")),
    Question("essential_expenses", N_("Essential expenses a month: rent, food, transport, "
                                      "utilities, medical"), parse=amount(False)),
    Question("savings", N_("Savings: money at hand"), parse=amount(False),
             default=_const("0")),
    Question("emergency_fund_months", N_("Months of essential expenses to keep as an "
                                         "emergency fund"), parse=whole(0, 24),
             default=_const("3")),
)

LENDER_TYPES = (
    Choice("bank", N_("a bank")),
    Choice("consumer_finance", N_("a consumer finance company (消费金融公司)")),
    Choice("micro_loan", N_("a micro-loan company (小额贷款公司)")),
    Choice("platform", N_("an online lending platform")),
    Choice("card_issuer", N_("a card issuer")),
    Choice("private", N_("a person or a company that is not a lender (民间借贷)")),
)
METHODS = (
    Choice("equal_installment", N_("equal instalments (等额本息): the same payment each month")),
    Choice("equal_principal", N_("equal principal (等额本金): the same principal each month, "
                                 "less interest each time")),
    Choice("interest_first", N_("interest first (先息后本): interest each month, the "
                                "principal at the end")),
    Choice("bullet", N_("all at the end (到期还本付息)")),
    Choice("flat_fee", N_("principal plus a fixed fee each month (等本等费)")),
)

METHOD_NAMES = {
    "equal_installment": N_("equal instalments (等额本息)"),
    "equal_principal": N_("equal principal (等额本金)"),
    "interest_first": N_("interest first (先息后本)"),
    "bullet": N_("all at the end (到期还本付息)"),
    "flat_fee": N_("principal plus a fixed fee (等本等费)"),
}

_RATE_QUESTIONS = (
    Question("rate_period", N_("The interest rate in the contract: per what period is it "
                               "quoted?"), choices=PERIODS, where="rate"),
    Question("rate_scale", N_("In what unit is the rate written?"), choices=SCALES,
             default=_const("percent"), where="rate"),
    Question("rate", N_("How many {symbol} {period}? Type the number only"), parse=rate_number,
             params=rate_params, hint=N_("like {example}"), note=rate_note),
    Question("rate_high", N_("That is about {annual} a year, far above what licensed "
                             "lenders may charge. Is that what the contract says?"),
             parse=yes_no, yes_no=True, where="rate", back_to="rate_period",
             params=rate_params, when=lambda a: annual_of(a) > 1),
    Question("rate_low", N_("That is only {annual} a year. Is that what the contract says?"),
             parse=yes_no, yes_no=True, where="rate", back_to="rate_period",
             params=rate_params, when=lambda a: 0 < annual_of(a) < Decimal("0.01")),
)

DEBT: tuple[Question, ...] = (
    Question("kind", N_("What kind of debt is it?"),
             choices=(Choice("installment_loan", N_("a loan repaid in monthly instalments")),
                      Choice("credit_card", N_("a credit card")),
                      Choice("private_loan", N_("a private loan (from a person)"))),
             default=_const("installment_loan")),
    Question("id", N_("A short name for this debt, used in reports and commands"),
             parse=debt_id, default=_debt_id_default),
    Question("lender", N_("Who lent the money? (the lender's name)"), parse=line),
    Question("lender_type", N_("What kind of lender is it? (this decides which legal caps "
                               "apply)"), choices=LENDER_TYPES,
             default=lambda a: {"credit_card": "card_issuer", "private_loan": "private"}.get(
                 a.debt["kind"], "bank")),
    # an instalment loan
    Question("principal", N_("The principal in the contract (the amount lent)"),
             parse=amount(True), when=_is_loan, hint=N_("like 30000 or 3万")),
    Question("received", N_("The amount you actually received, if less (Enter: all of it)"),
             parse=received, when=_is_loan, optional=True),
    Question("disbursed", N_("The date the money was paid out to you"), parse=started,
             when=_is_loan, hint=N_("like 2025-12-15")),
    # a credit card
    Question("balance", N_("The card's balance: principal owed (purchases, cash advances)"),
             parse=amount(True), when=_is_card),
    Question("balance_date", N_("The date that balance was posted"), parse=started,
             when=_is_card),
    Question("statement_day", N_("The statement day: the day of the month the statement is "
                                 "cut (1 to 28)"), parse=whole(1, 28), when=_is_card),
    Question("payment_due_days", N_("Days from the statement to its due date"),
             parse=whole(1, 60), default=_const("20"), when=_is_card),
    *_RATE_QUESTIONS,
    Question("method", N_("How is it repaid?"), choices=METHODS, when=_is_loan,
             default=_const("equal_installment")),
    Question("term_months", N_("How many monthly instalments? (the term in months)"),
             parse=whole(1, 600), when=_is_loan),
    Question("first_due", N_("The first due date"), parse=first_due, when=_is_loan,
             default=lambda a: add_months(a.debt["disbursed"], 1).isoformat()),
    Question("fee_rate", N_("A fee each month on the original principal (服务费, 手续费), in "
                            "percent of the principal"), parse=percent, when=_is_loan,
             default=_const("0")),
    Question("secured", N_("Is the loan secured on something that can be taken, such as a "
                           "car or a home?"), parse=yes_no, yes_no=True, when=_is_loan,
             default=_const("n")),
    Question("min_payment", N_("The minimum payment, in percent of the principal on the "
                               "statement"), parse=percent, when=_is_card,
             default=_const("10")),
    Question("credit_limit", N_("The card's credit limit (Enter: skip)"), parse=amount(True),
             when=_is_card, optional=True),
    # what has been paid
    Question("paid", N_("What has been paid on this debt so far?"),
             choices=(Choice("none", N_("nothing yet")),
                      Choice("until", N_("every instalment, on time, up to a date")),
                      Choice("dated", N_("payments on dates I will type one by one"))),
             when=_is_loan, where="payments"),
    Question("paid", N_("What has been paid on this card since that balance?"),
             choices=(Choice("none", N_("nothing yet")),
                      Choice("dated", N_("payments on dates I will type one by one"))),
             when=_is_card, where="payments"),
    Question("paid_until", N_("Up to which date was every instalment paid? (the due date of "
                              "the last one paid)"), parse=paid_until, note=paid_note,
             when=lambda a: a.debt.get("paid") == "until", where="payments"),
)

PAYMENT: tuple[Question, ...] = (
    Question("date", N_("Payment {number}: its date (Enter when there are no more)"),
             parse=payment_date, optional=True, params=lambda a: {"number": a.payment_number()}),
    Question("amount", N_("Payment {number}: the amount"), parse=amount(True),
             params=lambda a: {"number": a.payment_number()}),
)

LOAN_COMMON = N_("penalty interest at 1.5 times the contract rate on the overdue principal, "
                 "no days of grace, no late fee, no compound interest")
CARD_COMMON = N_("interest on interest (compound), a late fee of 5 % of the unpaid minimum")


def _contract(answers: Answers) -> bool:
    return bool(answers.debt.get("overdue") == "contract")


def _common(answers: Answers) -> bool:
    return not _contract(answers)


def _late_fee_given(answers: Answers) -> bool:
    fee = answers.debt.get("overdue.late_fee")
    return fee is not None and (fee[0] > 0 or fee[1] > 0)


OVERDUE: tuple[Question, ...] = (
    Question("overdue", N_("What does the contract say happens when a payment is late?"),
             choices=(Choice("common", N_("I do not know: use the common terms ({common})")),
                      Choice("contract", N_("I will type the terms from the contract"))),
             params=lambda a: {"common": _(CARD_COMMON if _is_card(a) else LOAN_COMMON)},
             default=_const("common")),
    Question("overdue.grace_days", N_("Days of grace after a due date before penalties start"),
             parse=whole(0, 60), default=_const("0"), when=_is_loan, assume=_common),
    Question("overdue.penalty", N_("Penalty interest (罚息): a multiple of the contract rate "
                                   "like 1.5x, or a rate with its period like 0.05%/day"),
             parse=penalty, default=_const("1.5x"), when=_is_loan, assume=_common),
    Question("overdue.penalty_base", N_("What is penalty interest charged on?"),
             choices=(Choice("overdue_principal", N_("the overdue principal")),
                      Choice("overdue_installment", N_("the whole overdue instalment "
                                                       "(principal, interest and fees)")),
                      Choice("outstanding_principal", N_("all the principal still owed"))),
             default=_const("overdue_principal"), when=_is_loan, assume=_common),
    Question("overdue.compound", N_("Does overdue interest bear interest too (复利)?"),
             parse=yes_no, yes_no=True, assume=_common,
             default=lambda a: "y" if _is_card(a) else "n"),
    Question("overdue.late_fee", N_("A late fee (违约金) per missed payment: an amount like 50, "
                                    "or a percent like 5% (Enter: none)"),
             parse=late_fee, optional=True, assume=_common,
             default=lambda a: "5%" if _is_card(a) else None),
    Question("overdue.late_fee_min", N_("The smallest late fee (Enter: none)"),
             parse=amount(False), optional=True, when=lambda a: _is_card(a) and
             _late_fee_given(a), assume=_common),
    Question("overdue.late_fee_max", N_("The largest late fee (Enter: no cap)"),
             parse=late_fee_max, optional=True, when=_late_fee_given, assume=_common),
    Question("overdue.accelerate_after_days", N_("After how many days late does the whole "
                                                 "loan fall due? (Enter: never)"),
             parse=whole(1, 3650), optional=True, when=_is_loan, assume=_common),
)

MORE = Question("more", N_("Add another debt?"), parse=yes_no, yes_no=True,
                default=_const("n"), where="debts")
