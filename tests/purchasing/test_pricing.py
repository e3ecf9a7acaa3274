"""The pure price rules: tiers at each boundary, allocation, cost splits, pack rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.purchasing import pricing
from alliance.purchasing.pricing import PackLine, Tier

TIERS = [Tier(1, Decimal("10.00")), Tier(10, Decimal("9.00")), Tier(50, Decimal("8.00"))]


@pytest.mark.parametrize(
    ("qty", "price"),
    [(0, "10.00"), (1, "10.00"), (9, "10.00"), (Decimal("9.99"), "10.00"), (10, "9.00"),
     (49, "9.00"), (50, "8.00"), (5000, "8.00")],
)  # fmt: skip
def test_tier_at_each_boundary(qty, price):
    assert pricing.tier_for(TIERS, qty).unit_price == Decimal(price)


def test_next_tier_says_how_many_more_units():
    assert pricing.next_tier(TIERS, 7) == (TIERS[1], Decimal(3))
    assert pricing.next_tier(TIERS, 50) is None


@pytest.mark.parametrize(
    "text",
    ["", "5:1.00", "1:2.00|1:1.50", "1:2.00|5:3.00", "1:0", "1-2.00", "1:abc", "1:1.00001"],
)
def test_bad_tiers_are_refused(text):
    with pytest.raises(pricing.TierError):
        pricing.parse_tiers(text)


def test_tiers_parse_and_sort():
    assert pricing.parse_tiers("10:9.00|1:10.00") == TIERS[:2]


def test_line_amount_rounds_half_up_per_line():
    assert pricing.line_amount(1, Decimal("0.125")) == Decimal("0.13")
    assert pricing.line_amount(3, Decimal("0.3350")) == Decimal("1.01")  # 1.005 → 1.01


def test_split_cost_gives_the_leftover_cents_to_the_largest_remainders():
    shares = pricing.split_cost(
        Decimal("10.00"), {"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)}
    )
    assert shares == {"a": Decimal("3.34"), "b": Decimal("3.33"), "c": Decimal("3.33")}
    assert pricing.split_cost(Decimal("1.00"), {"a": 0, "b": 0}) == {
        "a": Decimal("0.50"), "b": Decimal("0.50")
    }  # fmt: skip


def test_packs_filled_by_tolerance_or_cut_from_the_latest():
    lines = [PackLine("a", 10, 0), PackLine("b", 5, 3), PackLine("c", 6, 1)]
    # 21 ordered, pack 12: 3 missing, tolerance 4 → b takes 3.
    assert pricing.round_to_packs(lines, 12) == {"a": 10, "b": 8, "c": 6}
    # Without tolerance the partial pack (9 units) is cut from the last orders.
    bare = [PackLine("a", 10), PackLine("b", 5), PackLine("c", 6)]
    assert pricing.round_to_packs(bare, 12) == {"a": 10, "b": 2, "c": 0}


money = st.decimals(min_value="0.01", max_value="500", places=2)
quantities = st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=30)


@st.composite
def tier_lists(draw):
    mins = sorted(draw(st.sets(st.integers(min_value=2, max_value=300), max_size=4)))
    prices = sorted(draw(st.lists(money, min_size=len(mins) + 1, max_size=len(mins) + 1)))[::-1]
    return pricing.check_tiers([Tier(m, p) for m, p in zip([1, *mins], prices, strict=True)])


@given(tiers=tier_lists(), qtys=quantities, baseline=money)
def test_everyone_pays_the_tier_of_the_pooled_quantity(tiers, qtys, baseline):
    pooled = sum(qtys)
    tier = pricing.tier_for(tiers, pooled)
    assert tier.min_quantity <= max(pooled, 1)
    assert all(t.min_quantity > pooled or t.unit_price >= tier.unit_price for t in tiers)
    amounts = pricing.allocate(dict(enumerate(qtys)), tier.unit_price)
    po_total = sum(amounts.values(), Decimal(0))
    assert po_total == sum((pricing.line_amount(q, tier.unit_price) for q in qtys), Decimal(0))
    for i, q in enumerate(qtys):
        assert amounts[i] == (q * tier.unit_price).quantize(Decimal("0.01"))
        saved = pricing.line_amount(q, baseline) - amounts[i]
        assert saved == q * baseline - q * tier.unit_price  # exact: 2-decimal prices


@given(total=money, weights=st.lists(money, min_size=1, max_size=20))
def test_cost_split_adds_up_exactly(total, weights):
    shares = pricing.split_cost(total, dict(enumerate(weights)))
    assert sum(shares.values(), Decimal(0)) == total
    exact = {i: total * w / sum(weights) for i, w in enumerate(weights)}
    assert all(abs(shares[i] - exact[i]) < Decimal("0.01") for i in exact)


@given(
    lines=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), min_size=1, max_size=15),
    pack=st.integers(1, 24),
)
def test_pack_rounding_makes_whole_packs_within_tolerance(lines, pack):
    packs = [PackLine(i, q, t) for i, (q, t) in enumerate(lines)]
    final = pricing.round_to_packs(packs, pack)
    assert sum(final.values()) % pack == 0
    for line in packs:
        assert 0 <= final[line.key] <= line.quantity + line.tolerance
    assert abs(sum(final.values()) - sum(q for q, _t in lines)) < pack
