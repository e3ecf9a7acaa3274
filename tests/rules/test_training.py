"""NJ yearly training hours (PRODUCT.md): 12 for center staff; 20 for directors, head
teachers, group teachers and program supervisors, of which orientation counts for at most 6;
6 for family child care providers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.rules.training import (
    Category,
    UnknownState,
    category_for,
    progress,
    requirement_for,
    states,
)


@pytest.mark.parametrize(
    ("family_home", "role", "category", "hours"),
    [
        (False, "staff", Category.CENTER_STAFF, 12),
        (False, "assistant", Category.CENTER_STAFF, 12),
        (False, "aide", Category.CENTER_STAFF, 12),
        (False, "cook", Category.CENTER_STAFF, 12),
        (False, "director", Category.CENTER_LEAD, 20),
        (False, "head_teacher", Category.CENTER_LEAD, 20),
        (False, "Group Teacher", Category.CENTER_LEAD, 20),
        (False, "program-supervisor", Category.CENTER_LEAD, 20),
        (True, "director", Category.FAMILY_HOME, 6),
        (True, "assistant", Category.FAMILY_HOME, 6),
    ],
)
def test_requirement_by_program_and_role(family_home, role, category, hours):
    requirement = requirement_for("NJ", family_home=family_home, role=role)
    assert requirement.category == category
    assert requirement.hours == Decimal(hours)
    assert category_for("NJ", family_home=family_home, role=role) == category


def test_orientation_caps_at_six_for_lead_staff_only():
    lead = requirement_for("NJ", family_home=False, role="director")
    staff = requirement_for("NJ", family_home=False, role="staff")
    sessions = [(Decimal(3), True), (Decimal(3), True), (Decimal(3), True), (Decimal(2), False)]
    assert progress(lead, sessions).credited == Decimal(8)  # 6 of 9 orientation + 2
    assert progress(lead, sessions).attended == Decimal(11)
    assert progress(staff, sessions).credited == Decimal(11)


def test_met_missing_and_percent():
    staff = requirement_for("NJ", family_home=False, role="staff")
    short = progress(staff, [(Decimal("4.5"), False)])
    assert not short.met
    assert short.missing == Decimal("7.5")
    assert short.percent == 37
    done = progress(staff, [(Decimal(6), False), (Decimal(6), False), (Decimal(3), False)])
    assert done.met and done.missing == 0 and done.percent == 100


def test_unknown_state_and_negative_hours():
    assert "NJ" in states()
    with pytest.raises(UnknownState):
        requirement_for("ZZ", family_home=False, role="staff")
    staff = requirement_for("NJ", family_home=False, role="staff")
    with pytest.raises(ValueError, match="negative"):
        progress(staff, [(Decimal(-1), False)])


hours = st.decimals(min_value=0, max_value=40, places=2, allow_nan=False, allow_infinity=False)


@given(
    st.lists(st.tuples(hours, st.booleans()), max_size=20), st.sampled_from(["director", "staff"])
)
def test_credit_never_exceeds_attendance_and_orientation_cap_holds(sessions, role):
    requirement = requirement_for("NJ", family_home=False, role=role)
    result = progress(requirement, sessions)
    assert result.credited <= result.attended
    assert result.attended == sum((h for h, _ in sessions), Decimal(0))
    other = sum((h for h, o in sessions if not o), Decimal(0))
    if requirement.orientation_max_hours is not None:
        assert result.credited <= other + requirement.orientation_max_hours
    assert result.met == (result.missing == 0)
