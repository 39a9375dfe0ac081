"""The lawful-cost audit: which cap applies, the excess in yuan, and the properties the
method must have (docs/audit.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.audit import audit_debt, lawful_balance
from arrears.debt import Debt, LenderType
from arrears.events import Payment
from arrears.rate import Rate
from arrears.rules import load_pack
from arrears.terms import Method, Terms

CN = load_pack("cn")


def _loan(rate: str, start: date, lender: LenderType = LenderType.PRIVATE, months: int = 12,
          fee: str = "0", upfront: str = "0", method: Method = Method.EQUAL_INSTALLMENT,
          payments: tuple[Payment, ...] = ()) -> Debt:
    terms = Terms(principal=Decimal(10000), rate=Rate(Decimal(rate)), months=months,
                  start=start, method=method, fee_rate=Decimal(fee), upfront_fee=Decimal(upfront))
    return Debt("loan", terms, payments=payments, lender_type=lender)


@pytest.mark.parametrize(
    ("contract", "lpr", "cap"),
    [
        # rules-cn-us.md §2a worked caps: 4 × LPR on the contract date.
        (date(2020, 8, 20), "0.0385", "0.154"),  # LPR 3.85 % (from 2020-04-20) → 15.4 %
        (date(2021, 12, 20), "0.038", "0.152"),  # 3.80 % → 15.2 %
        (date(2022, 8, 22), "0.0365", "0.146"),  # 3.65 % → 14.6 %
        (date(2024, 10, 21), "0.031", "0.124"),  # 3.10 % → 12.4 %
        (date(2025, 5, 20), "0.03", "0.12"),  # 3.00 % → 12.0 %
        (date(2025, 5, 19), "0.031", "0.124"),  # the day before a fixing: the old one
    ],
)
def test_private_cap_is_four_times_lpr_on_the_contract_date(contract: date, lpr: str,
                                                            cap: str) -> None:
    audit = audit_debt(_loan("0.10", contract), contract, CN)
    binding = audit.cap
    assert binding is not None
    assert binding.rule.id == "cn.cap.private.4lpr"
    assert binding.lpr == Decimal(lpr)
    assert binding.rate == Decimal(cap)


def test_private_contract_before_2020_08_20_has_the_old_lines() -> None:
    """SPC 2015 provisions: 24 % supported, above 36 % void (2020 revision Art. 31)."""
    audit = audit_debt(_loan("0.30", date(2020, 8, 19)), date(2020, 8, 19), CN)
    assert {c.rule.id: c.rate for c in audit.caps} == {
        "cn.cap.private.2015_24": Decimal("0.24"), "cn.cap.private.2015_36": Decimal("0.36")}
    assert [f.rule.id for f in audit.findings] == ["cn.cap.private.2015_24"]


def test_licensed_lenders_are_not_under_four_times_lpr() -> None:
    audit = audit_debt(_loan("0.20", date(2025, 6, 1), LenderType.CONSUMER_FINANCE),
                       date(2025, 6, 1), CN)
    assert {c.rule.id for c in audit.caps} == {"cn.cap.licensed.24", "cn.cap.licensed.36"}
    assert not audit.findings  # 20 % is under 24 %


def test_flat_fee_instalment_true_apr_against_the_24_line() -> None:
    """Tsinghua PBCSF: a 0.6 % monthly fee over 12 instalments is about 13.03 % a year —
    under 24 %; a 1.5 % monthly fee is far above it."""
    cheap = audit_debt(_loan("0", date(2025, 6, 1), LenderType.CARD_ISSUER, fee="0.006",
                             method=Method.FLAT_FEE), date(2025, 6, 1), CN)
    assert cheap.contract_apr is not None
    assert cheap.contract_apr.apr.quantize(Decimal("0.0001")) == Decimal("0.1303")
    assert not cheap.findings
    dear = audit_debt(_loan("0", date(2025, 6, 1), LenderType.CARD_ISSUER, fee="0.015",
                            method=Method.FLAT_FEE), date(2025, 6, 1), CN)
    assert [f.rule.id for f in dear.findings] == ["cn.cap.licensed.24"]
    amount = dear.findings[0].amount
    assert amount is not None
    assert amount > 0


def test_upfront_fee_makes_the_received_amount_the_principal() -> None:
    """Civil Code Art. 670: 1,000 deducted from 10,000 → the principal is 9,000, and the
    true cost is measured on it."""
    audit = audit_debt(_loan("0.10", date(2025, 6, 1), upfront="1000"), date(2025, 6, 1), CN)
    ids = [f.rule.id for f in audit.findings]
    assert "cn.principal.received" in ids
    finding = audit.findings[ids.index("cn.principal.received")]
    assert finding.amount == Decimal(1000)
    assert audit.contract_apr is not None
    assert audit.contract_apr.apr > Decimal("0.28")  # 10 % on 10,000 repaid from 9,000


def test_excess_by_hand() -> None:
    """A private loan of 10,000 from 2025-06-01 (cap 12.0 %), nothing paid, a claim of
    11,500 on 2026-06-01: the lawful balance is 10,000 × 1.01^12 = 11,268.25; the excess is
    11,500 − 11,268.25 = 231.75."""
    assert lawful_balance(Decimal(10000), [], Decimal(12), Decimal("0.12")) == Decimal(
        "11268.25")
    # Overpaid: 11,500 paid after 12 months leaves −231.75 lawful; a further 100 claimed →
    # excess 331.75.
    assert lawful_balance(Decimal(10000), [(Decimal(12), Decimal(11500))], Decimal(13),
                          Decimal("0.12")) == Decimal("-231.75")


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("0.5"), places=3),
       st.sampled_from([0, 3, 6, 12, 24, 36]),
       st.sampled_from(["0", "0.002", "0.006"]))
def test_properties(rate: Decimal, months_paid: int, fee: str) -> None:
    """At or under the cap: no excess. Raising the rate or the fee never lowers the excess.
    The excess never exceeds the interest, penalties and fees charged."""
    start = date(2025, 6, 1)
    as_of = date(2027, 1, 1)

    def excess(r: Decimal, f: str) -> tuple[Decimal, Decimal, Decimal, Decimal | None]:
        loan = _loan(str(r), start, LenderType.CONSUMER_FINANCE, months=36, fee=f)
        assert loan.terms is not None
        from arrears.schedule import build_schedule

        rows = build_schedule(loan.terms).rows[:months_paid]
        paid = tuple(Payment(row.due, row.payment) for row in rows if row.due <= as_of)
        audit = audit_debt(Debt("loan", loan.terms, payments=paid,
                                lender_type=LenderType.CONSUMER_FINANCE), as_of, CN)
        cap = audit.cap
        assert cap is not None
        return (cap.excess, cap.contract_excess, audit.charged,
                audit.contract_apr.apr if audit.contract_apr else None)

    base, contract, charged, apr = excess(rate, fee)
    assert base <= charged
    if apr is not None and apr <= Decimal("0.24"):
        assert contract == 0
    more_rate = excess(rate + Decimal("0.05"), fee)
    assert more_rate[0] >= base
    assert more_rate[1] >= contract
    more_fee = excess(rate, str(Decimal(fee) + Decimal("0.002")))
    assert more_fee[0] >= base
    assert more_fee[1] >= contract


def test_bullet_contract_excess_is_at_maturity() -> None:
    """A bullet loan pays once, at maturity. 10,000 at 30 % simple over 12 months repays
    13,000; at 24 % compounded monthly the lawful balance then is 10,000 × 1.02^12 =
    12,682.42, so the contract collects 317.58 above the 24 % line (found by the portfolio
    kernels, which place the payment at maturity: an audit that put it at month 1 said
    2,800.00)."""
    terms = Terms(principal=Decimal(10000), rate=Rate(Decimal("0.30")), months=12,
                  start=date(2025, 6, 1), method=Method.BULLET)
    audit = audit_debt(Debt("b", terms, lender_type=LenderType.CONSUMER_FINANCE),
                       date(2025, 6, 1), CN)
    caps = {c.rule.id: c for c in audit.caps}
    assert caps["cn.cap.licensed.24"].contract_excess == Decimal("317.58")
