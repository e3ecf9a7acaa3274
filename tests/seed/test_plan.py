"""The scales' numbers, checked without seeding (a county seed is too slow for unit tests;
bench/run.py seeds it for real and prints its time)."""

from __future__ import annotations

import pytest

from alliance.seed.plan import SCALES, Scale, apportion, plan


def test_county_matches_the_product_brief():
    county = plan("county")
    assert county["alliances"] == 1
    assert county["programs"] == 60
    assert (county["centers"], county["family homes"]) == (40, 20)  # two thirds centers
    assert county["classrooms"] == 250
    assert county["children in care"] == 3_500
    assert county["children waiting"] == 1_200
    assert county["children"] == 4_700
    assert county["staff"] == 700
    assert county["substitutes"] == 120
    assert county["directors"] == 60
    assert county["history months"] == 24


def test_state_matches_the_product_brief():
    state = plan("state")
    assert state["alliances"] == 20
    assert state["programs"] == 5_000
    assert state["children in care"] == 250_000
    assert state["staff"] == 50_000
    assert state["substitutes"] == 5_000
    assert state["history months"] == 12
    # Same shape as the county: about four classrooms per program, two thirds centers.
    assert 20_000 <= state["classrooms"] <= 21_000
    assert state["centers"] == 20 * 167


def test_every_scale_has_room_for_the_demo_logins():
    for scale in SCALES.values():
        assert scale.substitutes > 20 and scale.staff >= 1 and scale.committee >= 1


def test_a_scale_without_a_classroom_per_program_is_refused():
    with pytest.raises(ValueError, match="at least one classroom"):
        Scale("bad", 1, 9, 8, 10, 1, 5, 30, 1, 1)


def test_a_scale_too_small_for_the_demo_substitutes_is_refused():
    with pytest.raises(ValueError, match="demo logins"):
        Scale("bad", 1, 9, 9, 10, 1, 5, 20, 1, 1)


@pytest.mark.parametrize(
    "total, weights, expected",
    [
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [5, 6, 5], [2, 3, 2]),
        (0, [2, 3], [0, 0]),
        (690, [5] * 10 + [6] * 30, [15] * 10 + [18] * 30),
    ],
)
def test_apportion_splits_exactly_and_in_proportion(total, weights, expected):
    shares = apportion(total, weights)
    assert shares == expected
    assert sum(shares) == total


def test_apportion_refuses_no_weight():
    with pytest.raises(ValueError):
        apportion(3, [0, 0])
