from alliance.rules.capacity import family_home_limits


def test_nj_family_home_limits():
    limits = family_home_limits("nj")
    assert (limits.min_in_care, limits.max_in_care, limits.max_total_with_own_children) == (3, 5, 8)


def test_unknown_state_has_no_limits_loaded():
    assert family_home_limits("ZZ") is None
