"""NJ center ratios (N.J.A.C. 3A:52-4.3) as PRODUCT.md states them."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.rules.ratios import UnknownState, required_staff, states, table_for


@pytest.mark.parametrize(
    ("age", "awake_per_staff", "resting_per_staff"),
    [
        (0, 4, 10),
        (17, 4, 10),  # under 18 months
        (18, 6, 12),  # 18 months to under 2½ years
        (29, 6, 12),
        (30, 10, 20),  # 2½ to under 4 years
        (47, 10, 20),
        (48, 12, 20),  # 4 years
        (59, 12, 20),
        (60, 15, 20),  # 5 years and older
        (144, 15, 20),
    ],
)
def test_band_edges(age, awake_per_staff, resting_per_staff):
    # Exactly one full group needs one adult; one more child needs a second.
    assert required_staff("NJ", [age] * awake_per_staff) == 1
    assert required_staff("NJ", [age] * (awake_per_staff + 1)) == 2
    assert required_staff("NJ", [age] * resting_per_staff, resting=True) == 1
    assert required_staff("NJ", [age] * (resting_per_staff + 1), resting=True) == 2


def test_examples_from_the_rule():
    assert required_staff("NJ", [10] * 8) == 2  # 8 infants at 1:4
    assert required_staff("NJ", [20] * 7) == 2  # 7 toddlers at 1:6
    assert required_staff("NJ", [40] * 20) == 2  # 20 threes at 1:10
    assert required_staff("NJ", [50] * 13) == 2  # 13 fours at 1:12
    assert required_staff("NJ", [70] * 30) == 2  # 30 school-age at 1:15


def test_mixed_ages_take_the_youngest_childs_ratio():
    # One infant among eleven preschoolers: the whole group is at 1:4.
    assert required_staff("NJ", [12] + [50] * 11) == 3
    # Without the infant the same group is at 1:12.
    assert required_staff("NJ", [50] * 11) == 1


def test_empty_group_needs_nobody_but_a_field_trip_needs_two():
    assert required_staff("NJ", []) == 0
    assert required_staff("NJ", [], field_trip=True) == 2
    assert required_staff("NJ", [50] * 3, field_trip=True) == 2


def test_state_is_case_insensitive_and_unknown_state_is_refused():
    assert required_staff("nj", [10] * 4) == 1
    with pytest.raises(UnknownState):
        required_staff("ZZ", [10])


def test_no_rules_before_the_first_effective_date():
    with pytest.raises(UnknownState):
        table_for("NJ", date(1990, 1, 1))


@pytest.mark.parametrize("bad", [-1, 1.5, "12", True, None])
def test_ages_must_be_whole_months(bad):
    with pytest.raises(ValueError, match="whole months"):
        required_staff("NJ", [12, bad])


def test_rule_tables_are_data_per_state():
    assert "NJ" in states()
    table = table_for("NJ", date(2025, 9, 1))
    assert table.citation == "N.J.A.C. 3A:52-4.3"


@given(st.lists(st.integers(min_value=0, max_value=216), min_size=1, max_size=60))
def test_staff_is_enough_and_minimal_for_the_youngest_band(ages):
    youngest = min(ages)
    per_staff = table_for("NJ").children_per_staff(youngest, resting=False)
    needed = required_staff("NJ", ages)
    assert needed == math.ceil(len(ages) / per_staff)
    assert needed * per_staff >= len(ages) > (needed - 1) * per_staff


@given(st.lists(st.integers(min_value=0, max_value=216), min_size=1, max_size=60))
def test_resting_never_needs_more_staff_than_awake(ages):
    assert required_staff("NJ", ages, resting=True) <= required_staff("NJ", ages)


@given(
    st.lists(st.integers(min_value=0, max_value=216), max_size=40),
    st.integers(min_value=0, max_value=216),
)
def test_adding_a_child_never_reduces_staff(ages, extra):
    assert required_staff("NJ", [*ages, extra]) >= required_staff("NJ", ages)
