"""The questions ``arrears new`` asks, as data: key, prompt, choices, parser, default.

A :class:`Question` is shown by whatever asks it (the terminal today, a web form later);
:func:`arrears.casebuilder.interview.answer` turns the text typed into a value with the
project's own parsers (amounts, dates, rates, penalties, late fees), or raises
:class:`~arrears.errors.InputError` located at the case-file key the answer will be written
to (``debts[0].principal``), so the person is asked again with that one line.

Prompts, choice labels and hints are message ids (``N_``); ``params`` fills their
``{fields}`` from the answers so far. Every parser takes ``(text, where, answers)``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from arrears.casebuilder.answers import Answers, scheduled_paid
from arrears.cashflows import parse_date
from arrears.dates import DayCount, add_months
from arrears.errors import InputError
from arrears.i18n import N_, _
from arrears.money import parse_amount
from arrears.overdue import Penalty, parse_late_fee, parse_penalty
from arrears.rate import Rate, RateBasis, parse_rate
from arrears.report import fmt_money, fmt_percent

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
    "PERIOD_WORDS",
    "SCALES",
    "SYMBOLS",
    "Choice",
    "Question",
    "rate_text",
    "yes_no",
]

Parse = Callable[[str, str, "Answers"], Any]
MAX_AMOUNT = Decimal(10) ** 15
FIRST_YEAR, LAST_YEAR = 1900, 2200


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


# -- parsers -------------------------------------------------------------------------------

def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _amount(positive: bool) -> Parse:
    def parse(text: str, where: str, _answers: Answers) -> Decimal:
        value = parse_amount(text, where)
        if value < 0 or (positive and value == 0):
            raise InputError.one(where, N_("must be more than 0, not {value}") if positive
                                 else N_("must be 0 or more, not {value}"), value=value)
        if value > MAX_AMOUNT:
            raise InputError.one(where, N_("must be at most {most}, not {value}"),
                                 most="1,000,000,000,000,000", value=value)
        return value
    return parse


def _whole(low: int, high: int) -> Parse:
    def parse(text: str, where: str, _answers: Answers) -> int:
        raw = _clean(text)
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise InputError.one(where, N_("must be a whole number from {low} to {high}, not "
                                           "{value}"), low=low, high=high, value=text.strip())
        return int(raw)
    return parse


def _percent(text: str, where: str, _answers: Answers) -> Decimal:
    """A number of percent (``0.5``, ``0.5%``) → the fraction 0.005."""
    raw = _clean(text).removesuffix("%").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise InputError.one(where, N_('"{text}" is not a percent from 0 to 100, like 0.5'),
                             text=text.strip())
    return value / 100


def _text(text: str, where: str, _answers: Answers) -> str:
    value = _clean(text)
    if len(value) > 100 or any(unicodedata.category(ch).startswith("C") for ch in value):
        raise InputError.one(where, N_("must be a line of at most 100 characters"))
    if not value:
        raise InputError.one(where, N_("an answer is needed"))
    return value


def _debt_id(text: str, where: str, answers: Answers) -> str:
    value = _text(text, where, answers)
    if any(ch.isspace() for ch in value) or len(value) > 40:
        raise InputError.one(where, N_('"{text}" must be one word of at most 40 characters, '
                                       'like card-1'), text=value)
    if value in {d.get("id") for d in answers.debts[:-1]}:
        raise InputError.one(where, N_('"{text}" is used by another debt; ids must be unique'),
                             text=value)
    return value


def _date(text: str, where: str) -> date:
    value = parse_date(_clean(text), where)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InputError.one(where, N_("must be a date from {first} to {last}, not {value}"),
                             first=FIRST_YEAR, last=LAST_YEAR, value=value)
    return value


def _as_of(text: str, where: str, _answers: Answers) -> date:
    return _date(text, where)


def _started(text: str, where: str, answers: Answers) -> date:
    """The day a debt started: not after the report date."""
    value = _date(text, where)
    as_of = answers.case["as_of"]
    if value > as_of:
        raise InputError.one(where, N_("{value} is after the report date {as_of}"),
                             value=value, as_of=as_of)
    return value


def _first_due(text: str, where: str, answers: Answers) -> date:
    value = _date(text, where)
    start = answers.debt["disbursed"]
    if value <= start:
        raise InputError.one(where, N_("must be after the start date {start}"), start=start)
    return value


def _received(text: str, where: str, answers: Answers) -> Decimal:
    value: Decimal = _amount(True)(text, where, answers)
    principal = answers.debt["principal"]
    if value > principal:
        raise InputError.one(where, N_("must be more than 0 and at most the principal "
                                       "({principal})"), principal=principal)
    return value


def yes_no(text: str, where: str, _answers: Answers) -> bool:
    key = _clean(text).lower()
    if key in {"y", "yes", "是", "是的", "对", "好", "要", "有"}:
        return True
    if key in {"n", "no", "否", "不", "不是", "不对", "没有", "无"}:
        return False
    raise InputError.one(where, N_('"{text}" is not yes or no; type y or n'), text=text.strip())


# -- rates: the period and the unit are picked from lists, the number is typed -------------

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
_BASES = {"year": RateBasis.ANNUAL, "month": RateBasis.MONTHLY, "day": RateBasis.DAILY}
_SUFFIX = {RateBasis.ANNUAL: "year", RateBasis.MONTHLY: "month", RateBasis.DAILY: "day"}
_SCALE_WORDS = {"percent": ("百分之", "%"), "permille": ("千分之", "‰"),
                "permyriad": ("万分之", "‱")}
SYMBOLS = {scale: symbol for scale, (_word, symbol) in _SCALE_WORDS.items()}
_EXAMPLES = {("percent", "year"): "18", ("percent", "month"): "1.5",
             ("percent", "day"): "0.05", ("permille", "year"): "180",
             ("permille", "month"): "15", ("permille", "day"): "0.5",
             ("permyriad", "year"): "1800", ("permyriad", "month"): "150",
             ("permyriad", "day"): "5"}
PERIOD_WORDS = {"year": N_("a year"), "month": N_("a month"), "day": N_("a day")}


def rate_text(rate: Rate) -> str:
    """A rate as the case file gets it: percent with its period, ``"0.05%/day"``."""
    percent = format((rate.value * 100).normalize(), "f")
    return f"{percent}%/{_SUFFIX[rate.basis]}"


def _rate_params(answers: Answers) -> dict[str, str]:
    debt = answers.debt
    scale, period = debt.get("rate_scale", "percent"), debt.get("rate_period", "year")
    params = {"symbol": _SCALE_WORDS[scale][1], "period": _(PERIOD_WORDS[period]),
              "example": _EXAMPLES[scale, period]}
    rate = debt.get("rate")
    if isinstance(rate, Rate):
        params["annual"] = fmt_percent(rate.annual(DayCount.ACT_360))
    return params


def _rate(text: str, where: str, answers: Answers) -> Rate:
    """The number typed, read in the period and unit picked from the lists."""
    scale, period = answers.debt["rate_scale"], answers.debt["rate_period"]
    word, symbol = _SCALE_WORDS[scale]
    body = _clean(text).replace(" ", "").removesuffix(symbol)
    body = body.removeprefix(word)
    basis = _BASES[period]
    wrong = InputError.one(where, N_('"{text}" is not a number of {symbol}; type the number '
                                     'only, like {example}'), text=text.strip(),
                           symbol=symbol, example=_EXAMPLES[scale, period])
    if not body:
        raise wrong
    try:
        return parse_rate(f"{word}{body}/{_SUFFIX[basis]}", basis, where)
    except InputError:
        raise wrong from None


def _rate_note(value: Any, answers: Answers) -> str | None:
    if not isinstance(value, Rate):
        return None
    return _("Read as {rate}, about {annual} a year.").format(
        rate=rate_text(value), annual=fmt_percent(value.annual(DayCount.ACT_360)))


def _annual(answers: Answers) -> Decimal:
    rate = answers.debt.get("rate")
    return rate.annual(DayCount.ACT_360) if isinstance(rate, Rate) else Decimal(0)


def _penalty(text: str, where: str, answers: Answers) -> Penalty:
    """``1.5x`` or a rate with its period: a rate with none is refused, not guessed."""
    penalty = parse_penalty(_clean(text), where)
    if penalty.rate is not None:
        other = parse_rate(_clean(text), RateBasis.DAILY, where)
        if other.basis is not penalty.rate.basis:
            raise InputError.one(where, N_('"{text}" does not say per what period; write '
                                           '"{text}/year", "{text}/month" or "{text}/day", '
                                           'or a multiple like "1.5x"'), text=text.strip())
    return penalty


def _late_fee_max(text: str, where: str, answers: Answers) -> Decimal:
    value: Decimal = _amount(True)(text, where, answers)
    least = answers.debt.get("overdue.late_fee_min")
    if least is not None and value < least:
        raise InputError.one(where, N_("must not be below late_fee_min ({value})"), value=least)
    return value


def _late_fee(text: str, where: str, _answers: Answers) -> tuple[Decimal, Decimal]:
    fixed, percent = parse_late_fee(_clean(text), where)
    if fixed < 0 or percent < 0:
        raise InputError.one(where, N_("must be 0 or more, not {value}"), value=text.strip())
    return fixed, percent


# -- what has been paid -------------------------------------------------------------------

def _paid_until(text: str, where: str, answers: Answers) -> date:
    value = _started(text, where, answers)
    if not scheduled_paid(answers.debt, value):
        first = answers.debt["first_due"]
        raise InputError.one(where, N_("no instalment falls due by {value}; the first is due "
                                       "on {first}"), value=value, first=first)
    return value


def _paid_note(value: Any, answers: Answers) -> str | None:
    if not isinstance(value, date):
        return None
    rows = scheduled_paid(answers.debt, value)
    total = sum((row.payment for row in rows), Decimal(0))
    return _("{count} instalments, {total} in all, each on its due date.").format(
        count=len(rows), total=fmt_money(total))


def _payment_date(text: str, where: str, answers: Answers) -> date:
    value = _started(text, where, answers)
    start = answers.debt_start()
    if value < start:
        raise InputError.one(where, N_("{value} is before the debt started ({start})"),
                             value=value, start=start)
    return value


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
    Question("as_of", N_("The date the figures are for (usually today)"), parse=_as_of,
             default=lambda a: a.today.isoformat()),
)

HOUSEHOLD: tuple[Question, ...] = (
    Question("monthly_income", N_("Your household's income a month, now"),
             parse=_amount(False), hint=N_("like 5500")),
    Question("essential_expenses", N_("Essential expenses a month: rent, food, transport, "
                                      "utilities, medical"), parse=_amount(False)),
    Question("savings", N_("Savings: money at hand"), parse=_amount(False),
             default=_const("0")),
    Question("emergency_fund_months", N_("Months of essential expenses to keep as an "
                                         "emergency fund"), parse=_whole(0, 24),
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
    Question("rate", N_("How many {symbol} {period}? Type the number only"), parse=_rate,
             params=_rate_params, hint=N_("like {example}"), note=_rate_note),
    Question("rate_high", N_("That is about {annual} a year, far above what licensed "
                             "lenders may charge. Is that what the contract says?"),
             parse=yes_no, yes_no=True, where="rate", back_to="rate_period",
             params=_rate_params, when=lambda a: _annual(a) > 1),
    Question("rate_low", N_("That is only {annual} a year. Is that what the contract says?"),
             parse=yes_no, yes_no=True, where="rate", back_to="rate_period",
             params=_rate_params, when=lambda a: 0 < _annual(a) < Decimal("0.01")),
)

DEBT: tuple[Question, ...] = (
    Question("kind", N_("What kind of debt is it?"),
             choices=(Choice("installment_loan", N_("a loan repaid in monthly instalments")),
                      Choice("credit_card", N_("a credit card")),
                      Choice("private_loan", N_("a private loan (from a person)"))),
             default=_const("installment_loan")),
    Question("id", N_("A short name for this debt, used in reports and commands"),
             parse=_debt_id, default=_debt_id_default),
    Question("lender", N_("Who lent the money? (the lender's name)"), parse=_text),
    Question("lender_type", N_("What kind of lender is it? (this decides which legal caps "
                               "apply)"), choices=LENDER_TYPES,
             default=lambda a: {"credit_card": "card_issuer", "private_loan": "private"}.get(
                 a.debt["kind"], "bank")),
    # an instalment loan
    Question("principal", N_("The principal in the contract (the amount lent)"),
             parse=_amount(True), when=_is_loan, hint=N_("like 30000 or 3万")),
    Question("received", N_("The amount you actually received, if less (Enter: all of it)"),
             parse=_received, when=_is_loan, optional=True),
    Question("disbursed", N_("The date the money was paid out to you"), parse=_started,
             when=_is_loan, hint=N_("like 2025-12-15")),
    # a credit card
    Question("balance", N_("The card's balance: principal owed (purchases, cash advances)"),
             parse=_amount(True), when=_is_card),
    Question("balance_date", N_("The date that balance was posted"), parse=_started,
             when=_is_card),
    Question("statement_day", N_("The statement day: the day of the month the statement is "
                                 "cut (1 to 28)"), parse=_whole(1, 28), when=_is_card),
    Question("payment_due_days", N_("Days from the statement to its due date"),
             parse=_whole(1, 60), default=_const("20"), when=_is_card),
    *_RATE_QUESTIONS,
    Question("method", N_("How is it repaid?"), choices=METHODS, when=_is_loan,
             default=_const("equal_installment")),
    Question("term_months", N_("How many monthly instalments? (the term in months)"),
             parse=_whole(1, 600), when=_is_loan),
    Question("first_due", N_("The first due date"), parse=_first_due, when=_is_loan,
             default=lambda a: add_months(a.debt["disbursed"], 1).isoformat()),
    Question("fee_rate", N_("A fee each month on the original principal (服务费, 手续费), in "
                            "percent of the principal"), parse=_percent, when=_is_loan,
             default=_const("0")),
    Question("secured", N_("Is the loan secured on something that can be taken, such as a "
                           "car or a home?"), parse=yes_no, yes_no=True, when=_is_loan,
             default=_const("n")),
    Question("min_payment", N_("The minimum payment, in percent of the principal on the "
                               "statement"), parse=_percent, when=_is_card,
             default=_const("10")),
    Question("credit_limit", N_("The card's credit limit (Enter: skip)"), parse=_amount(True),
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
                              "the last one paid)"), parse=_paid_until, note=_paid_note,
             when=lambda a: a.debt.get("paid") == "until", where="payments"),
)

PAYMENT: tuple[Question, ...] = (
    Question("date", N_("Payment {number}: its date (Enter when there are no more)"),
             parse=_payment_date, optional=True, params=lambda a: {"number": a.payment_number()}),
    Question("amount", N_("Payment {number}: the amount"), parse=_amount(True),
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
             parse=_whole(0, 60), default=_const("0"), when=_is_loan, assume=_common),
    Question("overdue.penalty", N_("Penalty interest (罚息): a multiple of the contract rate "
                                   "like 1.5x, or a rate with its period like 0.05%/day"),
             parse=_penalty, default=_const("1.5x"), when=_is_loan, assume=_common),
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
             parse=_late_fee, optional=True, assume=_common,
             default=lambda a: "5%" if _is_card(a) else None),
    Question("overdue.late_fee_min", N_("The smallest late fee (Enter: none)"),
             parse=_amount(False), optional=True, when=lambda a: _is_card(a) and
             _late_fee_given(a), assume=_common),
    Question("overdue.late_fee_max", N_("The largest late fee (Enter: no cap)"),
             parse=_late_fee_max, optional=True, when=_late_fee_given, assume=_common),
    Question("overdue.accelerate_after_days", N_("After how many days late does the whole "
                                                 "loan fall due? (Enter: never)"),
             parse=_whole(1, 3650), optional=True, when=_is_loan, assume=_common),
)

MORE = Question("more", N_("Add another debt?"), parse=yes_no, yes_no=True,
                default=_const("n"), where="debts")
