"""NJ CCAP rules: weekly maximum rates, CC-236 co-pay, poverty guidelines. Hand-computed
cases first, then properties with hypothesis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.rules import ccap

D = Decimal
ON = date(2025, 3, 1)  # 2025 guidelines: 15,650 for one, +5,500 per person


@pytest.mark.parametrize(
    ("group", "rate"),
    [
        ("infant", "366.67"),
        ("toddler", "326.56"),
        ("preschool", "291.57"),
        ("school_age", "274.96"),
    ],
)
def test_2025_licensed_center_full_time_no_rating_figures(group, rate):
    assert ccap.weekly_rate(
        provider_type="licensed_center",
        schedule="full",
        star_rating=0,
        age_group=group,
        on=date(2025, 6, 1),
    ) == D(rate)


def test_rates_by_effective_date_and_kind():
    kwargs = {"provider_type": "licensed_center", "star_rating": 0, "age_group": "infant"}
    older = ccap.weekly_rate(schedule="full", on=date(2024, 12, 31), **kwargs)
    assert older < D("366.67")
    assert ccap.weekly_rate(schedule="part", on=ON, **kwargs) == D("183.34")  # half, rounded
    assert ccap.weekly_rate(schedule="full", on=ON, special_needs=True, **kwargs) > D("366.67")
    five = ccap.weekly_rate(
        provider_type="licensed_center", schedule="full", star_rating=5, age_group="infant", on=ON
    )
    assert five > D("366.67")
    with pytest.raises(ccap.CcapDataMissing):
        ccap.weekly_rate(schedule="full", on=date(2020, 1, 1), **kwargs)
    with pytest.raises(ValueError):
        ccap.weekly_rate(schedule="full", on=ON, **{**kwargs, "star_rating": 2})


@pytest.mark.parametrize(
    ("months", "group"),
    [(0, "infant"), (17, "infant"), (18, "toddler"), (29, "toddler"), (30, "preschool"),
     (59, "preschool"), (60, "school_age"), (140, "school_age")],
)  # fmt: skip
def test_age_groups(months, group):
    assert ccap.age_group(months) == group


def test_poverty_guidelines_by_year():
    assert ccap.poverty_guideline(1, year=2024) == D("15060")
    assert ccap.poverty_guideline(4, year=2024) == D("31200")
    assert ccap.poverty_guideline(1, year=2025) == D("15650")
    assert ccap.poverty_guideline(4, year=2025) == D("32150")
    assert ccap.poverty_guideline(4, year=2026) == D("33000")
    assert ccap.poverty_guideline(10, year=2025) == D("54150") + 2 * D("5500")
    assert ccap.poverty_guideline(3, on=date(2025, 1, 14)) == D("25820")  # 2024's still
    assert ccap.poverty_guideline(3, on=date(2025, 1, 15)) == D("26650")


# Hand-computed with the 2025 guideline for 3 people: 26,650.
@pytest.mark.parametrize(
    ("income", "children", "weekly"),
    [
        ("26650", ["full"], "0.00"),  # exactly 100% FPL: nothing
        ("26650.01", ["full"], "10.25"),  # 26650.01 × 2% ÷ 52 = 10.2500…
        ("40000", ["full"], "15.38"),  # 800 ÷ 52 = 15.3846
        ("40000", ["part"], "7.69"),  # 400 ÷ 52 = 7.6923
        ("40000", ["full", "full"], "23.08"),  # 3% → 1200 ÷ 52 = 23.0769
        ("40000", ["full", "part"], "19.23"),  # 2.5% → 1000 ÷ 52 = 19.2307
        ("40000", ["full", "full", "full"], "23.08"),  # third child free
        ("53300", ["full"], "20.50"),  # exactly 200%: 2% → 1066 ÷ 52 = 20.50
        ("53300.52", ["full"], "30.75"),  # over 200%: 3% → 1599.0156 ÷ 52 = 30.7503
        ("60000", ["full", "full"], "57.69"),  # 5% → 3000 ÷ 52 = 57.6923
        ("60000", ["part", "part"], "28.85"),  # 2.5% → 1500 ÷ 52 = 28.846
        ("0", ["full"], "0.00"),
    ],
)
def test_weekly_copay_hand_computed(income, children, weekly):
    assert ccap.weekly_copay(D(income), 3, children, ON) == D(weekly)


def test_rounding_is_half_up():
    # 26 × 2% = 0.52 a year ÷ 52 = 0.01 exactly; 13 → 0.005 → rounds up to 0.01
    fpl1 = ccap.poverty_guideline(1, on=ON)
    income = fpl1 * 2  # 200%: 2% band
    assert ccap.weekly_copay(income, 1, ["full"], ON) == (income * D("0.02") / 52).quantize(
        D("0.01"), rounding="ROUND_HALF_UP"
    )


def test_per_child_parts_sum_to_the_family_copay():
    parts = ccap.weekly_copays_per_child(D("40000"), 3, ["full", "part", "full"], ON)
    assert parts == [D("15.38"), D("3.85"), D("0.00")]
    assert sum(parts) == ccap.weekly_copay(D("40000"), 3, ["full", "part", "full"], ON)


def test_copay_capped_at_cost_of_care():
    assert ccap.capped_copay(D("80.00"), D("50.00")) == D("50.00")
    assert ccap.capped_copay(D("20.00"), D("50.00")) == D("20.00")
    with pytest.raises(ValueError):
        ccap.capped_copay(D("-1"), D("50"))


def test_bad_input():
    with pytest.raises(TypeError):
        ccap.weekly_copay(40000.0, 3, ["full"], ON)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ccap.weekly_copay(D("-1"), 3, ["full"], ON)
    with pytest.raises(ValueError):
        ccap.weekly_copay(D("1000"), 0, ["full"], ON)
    with pytest.raises(ValueError):
        ccap.weekly_copay(D("1000"), 3, ["weekends"], ON)
    with pytest.raises(ccap.CcapDataMissing):
        ccap.weekly_copay(D("1000"), 3, ["full"], date(2024, 7, 31))  # before CC-236


incomes = st.decimals(min_value=0, max_value=500_000, places=2, allow_nan=False)
kinds = st.lists(st.sampled_from(["full", "part"]), min_size=0, max_size=5)
sizes = st.integers(min_value=1, max_value=12)


@given(incomes, sizes, kinds)
def test_copay_is_exact_cents_and_never_negative(income, size, children):
    weekly = ccap.weekly_copay(income, size, children, ON)
    assert isinstance(weekly, Decimal)
    assert weekly >= 0
    assert weekly == weekly.quantize(D("0.01"))
    # at most 5% of weekly income (3% + 2% for two children, others free)
    assert weekly <= (income * D("0.05") / 52).quantize(D("0.01")) + D("0.01")


@given(incomes, sizes, kinds)
def test_more_income_never_lowers_the_copay(income, size, children):
    assert ccap.weekly_copay(income + 1000, size, children, ON) >= ccap.weekly_copay(
        income, size, children, ON
    )


@given(incomes, sizes, st.lists(st.sampled_from(["full", "part"]), min_size=2, max_size=2), kinds)
def test_third_and_later_children_add_nothing(income, size, first_two, more):
    base = ccap.weekly_copay(income, size, first_two, ON)
    assert ccap.weekly_copay(income, size, [*first_two, *more], ON) == base


@given(incomes, sizes, kinds)
def test_per_child_parts_always_sum_to_total(income, size, children):
    parts = ccap.weekly_copays_per_child(income, size, children, ON)
    assert sum(parts, D("0")) == ccap.weekly_copay(income, size, children, ON)
    assert all(p >= 0 for p in parts)


@given(incomes, sizes)
def test_at_or_below_poverty_pays_nothing(income, size):
    fpl = ccap.poverty_guideline(size, on=ON)
    capped = min(income, fpl)
    assert ccap.weekly_copay(capped, size, ["full", "full"], ON) == 0
