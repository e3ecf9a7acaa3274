from datetime import date

import pytest

from alliance.rules.capacity import (
    OVER_IN_CARE,
    OVER_INFANTS,
    OVER_TOTAL,
    check_home,
    family_home_limits,
)


def test_nj_family_home_limits():
    limits = family_home_limits("nj")
    assert (limits.min_in_care, limits.max_in_care, limits.max_total_with_own_children) == (3, 5, 8)
    assert (limits.infant_under_months, limits.max_infants) == (24, 3)


def test_unknown_state_has_no_limits_loaded():
    assert family_home_limits("ZZ") is None


def test_no_limits_before_the_first_effective_date():
    assert family_home_limits("NJ", date(2019, 12, 31)) is None


NJ = family_home_limits("NJ")


@pytest.mark.parametrize(
    ("in_care", "own", "breaches"),
    [
        (5, 0, ()),
        (5, 3, ()),  # 8 in all: the most allowed
        (6, 0, (OVER_IN_CARE,)),
        (5, 4, (OVER_TOTAL,)),  # 9 in all
        (6, 3, (OVER_IN_CARE, OVER_TOTAL)),
        (0, 8, ()),  # own children alone are not care
    ],
)
def test_in_care_and_total_with_own_children(in_care, own, breaches):
    assert check_home(NJ, [40] * in_care, own_children=own).breaches == breaches


def test_infants_count_own_infants_too():
    assert check_home(NJ, [10, 12, 30]).breaches == ()
    assert check_home(NJ, [10, 12, 23]).infants == 3
    assert check_home(NJ, [10, 12, 23, 5]).breaches == (OVER_INFANTS,)
    home = check_home(NJ, [10, 12], own_children=2, own_infants=2)
    assert home.infants == 4 and home.breaches == (OVER_INFANTS,)
    assert check_home(NJ, [24, 30], own_children=1, own_infants=1).breaches == ()


def test_below_the_minimum_is_shown_not_a_breach():
    home = check_home(NJ, [40, 40])
    assert home.below_minimum and home.breaches == ()
    assert not check_home(NJ, []).below_minimum


def test_own_infants_must_be_among_own_children():
    with pytest.raises(ValueError):
        check_home(NJ, [], own_children=1, own_infants=2)
