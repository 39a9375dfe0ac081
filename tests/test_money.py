"""Money is Decimal rounded half-up to the fen; floats are refused; user text parses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.errors import InputError
from arrears.money import money, parse_amount, round_money


def test_float_is_refused() -> None:
    with pytest.raises(TypeError):
        money(12.34)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        round_money(1.5)  # type: ignore[arg-type]


def test_round_half_up_to_the_fen() -> None:
    # 四舍五入: half a fen goes up, as Chinese lenders post amounts (rules-cn-us.md 7.3).
    assert money("2.345") == Decimal("2.35")
    assert money("2.344") == Decimal("2.34")
    assert money("-2.345") == Decimal("-2.35")
    assert money(7) == Decimal("7.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        ("¥3,000", "3000.00"),
        ("3000元", "3000.00"),
        ("1.2万", "12000.00"),
        ("３万", "30000.00"),
        ("-50", "-50.00"),
        ("1,000,000", "1000000.00"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1,23.4", "12.345", "", "1.2.3", "1e5", "--5"])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_amount(text, "--principal")
    assert caught.value.problems[0].where == "--principal"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_amount_round_trip(value: Decimal) -> None:
    assert parse_amount(f"{value:,.2f}") == value
    assert money(str(value)) == value
