"""The ratio engine: NJ center ratios at every age boundary, awake and resting, mixed ages,
family child care home limits."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.rules.ratios import required_staff
from alliance.staffing.ratio import EMPTY, OK, OVER, UNDER, age_in_months, room_status


def center(ages, staff, resting=False):
    return room_status(
        state="NJ",
        program_kind="center",
        classroom_id=1,
        name="Room",
        ages_in_months=ages,
        staff=[f"s{i}" for i in range(staff)],
        resting=resting,
        on=date(2026, 6, 1),
    )


# (age in months, awake children per staff, resting children per staff)
BOUNDARIES = [
    (0, 4, 10),
    (17, 4, 10),
    (18, 6, 12),
    (29, 6, 12),
    (30, 10, 20),
    (47, 10, 20),
    (48, 12, 20),
    (59, 12, 20),
    (60, 15, 20),
    (120, 15, 20),
]


@pytest.mark.parametrize(("age", "awake", "resting"), BOUNDARIES)
def test_each_age_boundary_awake_and_resting(age, awake, resting):
    # A full group at the ratio needs one staff; one more child needs a second.
    assert center([age] * awake, 1).status == OK
    assert center([age] * (awake + 1), 1).status == UNDER
    assert center([age] * (awake + 1), 1).shortfall == 1
    assert center([age] * resting, 1, resting=True).status == OK
    assert center([age] * (resting + 1), 1, resting=True).required == 2


def test_mixed_ages_take_the_youngest_childs_ratio():
    # Ten 3-year-olds need one teacher; add one 17-month-old and the group is 1:4.
    assert center([36] * 10, 1).status == OK
    room = center([36] * 10 + [17], 1)
    assert room.required == 3
    assert room.youngest_months == 17
    assert room.status == UNDER


def test_mixed_ages_resting():
    # 18 months to under 2½ years rest at 1:12; 13 such children need two staff.
    assert center([20] + [40] * 12, 1, resting=True).required == 2
    assert center([40] * 20, 1, resting=True).required == 1


def test_over_and_empty():
    assert center([36] * 5, 2).status == OVER
    assert center([], 0).status == EMPTY
    assert center([], 1).status == OVER


def test_family_home_needs_its_provider_and_respects_the_limit():
    def home(children, staff):
        return room_status(
            state="NJ",
            program_kind="family_home",
            classroom_id=1,
            name="Home",
            ages_in_months=[10] * children,
            staff=["p"] * staff,
        )

    assert home(5, 1).status == OK
    assert home(5, 0).status == UNDER
    over = home(6, 1)
    assert over.over_home_limit and over.status == UNDER and over.home_limit == 5


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (date(2025, 1, 15), date(2026, 7, 14), 17),
        (date(2025, 1, 15), date(2026, 7, 15), 18),
        (date(2024, 1, 31), date(2026, 7, 30), 29),
        (date(2024, 1, 31), date(2026, 7, 31), 30),
        (date(2027, 1, 1), date(2026, 7, 31), 0),
    ],
)
def test_age_in_months_at_the_boundary_day(born, on, months):
    assert age_in_months(born, on) == months


@given(st.lists(st.integers(min_value=0, max_value=120), max_size=40), st.booleans())
def test_required_never_lets_a_room_exceed_the_youngest_ratio(ages, resting):
    needed = required_staff("NJ", ages, resting)
    if ages:
        youngest = min(ages)
        per = center([youngest], 1, resting=resting).required  # 1 staff for one child
        assert per == 1
        assert needed >= 1
        assert center(ages, needed, resting=resting).status in (OK,)
        if needed > 1:
            assert center(ages, needed - 1, resting=resting).status == UNDER
    else:
        assert needed == 0
