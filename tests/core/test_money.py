"""Money: Decimal to the cent, half-up; floats refused; formatting round-trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.core.money import CENT, format_money, to_money

amounts = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    allow_nan=False,
    allow_infinity=False,
    places=6,
)


@given(amounts)
def test_to_money_has_exactly_two_places(value):
    assert to_money(value).as_tuple().exponent == -2


@given(amounts)
def test_to_money_moves_by_at_most_half_a_cent(value):
    assert abs(to_money(value) - value) <= Decimal("0.005")


@given(amounts)
def test_to_money_is_idempotent(value):
    once = to_money(value)
    assert to_money(once) == once
    assert to_money(str(once)) == once


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_half_a_cent_rounds_away_from_zero(cents):
    value = Decimal(cents) / 100 + (Decimal("0.005") if cents >= 0 else Decimal("-0.005"))
    expected = (Decimal(cents) + (1 if cents >= 0 else -1)) / 100
    assert to_money(value) == expected


@given(amounts)
def test_format_money_round_trips(value):
    text = format_money(value)
    assert text.startswith(("$", "-$"))
    parsed = Decimal(text.replace("$", "").replace(",", ""))
    assert parsed == to_money(value)


@given(amounts)
def test_format_money_puts_the_sign_only_on_amounts_below_zero(value):
    assert format_money(value).startswith("-") == (to_money(value) < 0)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_are_whole_dollars(n):
    assert to_money(n) == Decimal(n).quantize(CENT)


def test_examples():
    assert to_money("10.005") == Decimal("10.01")
    assert to_money("10.004") == Decimal("10.00")
    assert to_money("-2.345") == Decimal("-2.35")
    assert format_money(Decimal("1234.5")) == "$1,234.50"
    assert format_money(Decimal("-1234.5")) == "-$1,234.50"
    assert str(to_money("-0.001")) == "0.00"
    assert format_money(Decimal("-0.004")) == "$0.00"


@pytest.mark.parametrize("value", [1.5, True])
def test_floats_and_booleans_are_refused(value):
    with pytest.raises(TypeError):
        to_money(value)


@pytest.mark.parametrize("value", ["abc", "", "1,000", "NaN", "Infinity", "-inf", "1e40", None, []])
def test_non_amounts_are_refused_with_value_error(value):
    with pytest.raises(ValueError):
        to_money(value)
