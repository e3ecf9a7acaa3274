"""Eligibility and the explainable score, on plain data (no database)."""

from __future__ import annotations

from datetime import date, time

from hypothesis import given
from hypothesis import strategies as st

from alliance.substitutes.ranking import (
    WEIGHTS,
    Candidate,
    RequestFacts,
    explain,
    ineligibility,
    miles_between,
    rank,
    score,
    wanted_qualifications,
)

MONDAY = date(2030, 1, 7)
WEEKDAYS = {d: [(time(6), time(19))] for d in range(5)}


def facts(**overrides) -> RequestFacts:
    values = dict(
        program_id=1,
        town="Elizabeth",
        languages=frozenset({"English", "Spanish"}),
        days=(MONDAY,),
        start=time(8),
        end=time(15),
        requirements=frozenset(),
        wanted=wanted_qualifications(24, 35),
    )
    values.update(overrides)
    return RequestFacts(**values)


def cand(user_id: int = 1, **overrides) -> Candidate:
    values = dict(
        user_id=user_id,
        name=f"Sub {user_id}",
        town="Elizabeth",
        travel_miles=15,
        qualifications=frozenset({"assistant"}),
        languages=frozenset({"English"}),
        windows=WEEKDAYS,
    )
    values.update(overrides)
    return Candidate(**values)


def test_a_complete_candidate_is_eligible():
    assert ineligibility(cand(), facts()) is None


def test_expired_or_missing_checks_are_never_offered():
    assert ineligibility(cand(checks_ok=False), facts()) == "checks"
    assert rank([cand(checks_ok=False, preferred_programs=frozenset({1}))], facts()) == []


def test_inactive_blocked_and_unqualified_are_excluded():
    assert ineligibility(cand(active=False), facts()) == "inactive"
    assert ineligibility(cand(blocked_programs=frozenset({1})), facts()) == "blocked"
    needs_infant = facts(requirements=frozenset({"infant_toddler"}))
    assert ineligibility(cand(), needs_infant) == "qualification"
    ok = cand(qualifications=frozenset({"infant_toddler"}))
    assert ineligibility(ok, needs_infant) is None


def test_availability_window_day_off_and_busy_days():
    assert ineligibility(cand(windows={}), facts()) == "unavailable"
    short = {0: [(time(9), time(19))]}
    assert ineligibility(cand(windows=short), facts()) == "unavailable"
    assert ineligibility(cand(days_off=frozenset({MONDAY})), facts()) == "unavailable"
    assert ineligibility(cand(busy=frozenset({MONDAY})), facts()) == "busy"
    saturday = facts(days=(date(2030, 1, 12),))
    assert ineligibility(cand(), saturday) == "unavailable"


def test_every_day_of_a_multi_day_request_must_fit():
    tue = date(2030, 1, 8)
    only_monday = cand(windows={0: [(time(6), time(19))]})
    assert ineligibility(only_monday, facts(days=(MONDAY, tue))) == "unavailable"
    assert ineligibility(cand(), facts(days=(MONDAY, tue))) is None


def test_travel_radius_uses_town_centroids():
    miles = miles_between("Elizabeth", "Plainfield")
    assert 8 < miles < 13
    assert miles_between("Elizabeth", "Atlantis") is None
    assert ineligibility(cand(town="Plainfield", travel_miles=5), facts()) == "distance"
    assert ineligibility(cand(town="Plainfield", travel_miles=15), facts()) is None
    # An unknown town is not excluded, just ranked as "distance unknown".
    assert ineligibility(cand(town="Atlantis", travel_miles=1), facts()) is None


def test_closer_better_rated_and_reliable_rank_higher():
    near = cand(1, town="Elizabeth")
    far = cand(2, town="Plainfield")
    assert [r.candidate.user_id for r in rank([far, near], facts())] == [1, 2]
    good = cand(3, rating_avg=5.0, ratings=4)
    poor = cand(4, rating_avg=2.0, ratings=4)
    assert score(good, facts()) > score(poor, facts())
    flaky = cand(5, assignments=4, no_shows=1, late_cancels=1)
    steady = cand(6, assignments=4)
    assert score(steady, facts()) > score(flaky, facts())


def test_fairness_language_preference_and_director_request():
    busy = cand(1, recent_shifts=8)
    rested = cand(2, recent_shifts=0)
    assert score(rested, facts()) > score(busy, facts())
    spanish = cand(3, languages=frozenset({"Spanish"}))
    french = cand(4, languages=frozenset({"French"}))
    assert score(spanish, facts()) - score(french, facts()) == WEIGHTS["language"]
    fan = cand(5, preferred_programs=frozenset({1}))
    assert score(fan, facts()) - score(cand(6), facts()) == WEIGHTS["preference"]
    asked = facts(preferred_user_id=7)
    assert rank([cand(8), cand(7)], asked)[0].candidate.user_id == 7


def test_reasons_explain_the_score():
    candidate = cand(1, rating_avg=4.0, ratings=2, preferred_programs=frozenset({1}))
    reasons = explain(candidate, facts())
    assert round(sum(r["points"] for r in reasons), 0) == round(score(candidate, facts()), 0)
    factors = {r["factor"] for r in reasons}
    assert {"distance", "rating", "reliability", "fairness", "language", "preference"} <= factors
    assert any("rated 4.0/5" in r["why"] for r in reasons)
    assert reasons == sorted(reasons, key=lambda r: -r["points"])


def test_wanted_qualifications_follow_the_classroom_ages():
    assert "infant_toddler" in wanted_qualifications(0, 18)
    assert "preschool" in wanted_qualifications(36, 59)
    assert "school_age" in wanted_qualifications(60, 144)
    assert "infant_toddler" not in wanted_qualifications(36, 59)


@given(
    rating=st.one_of(st.none(), st.floats(min_value=1, max_value=5)),
    travel=st.integers(min_value=1, max_value=30),
    preferred=st.booleans(),
    assignments=st.integers(min_value=0, max_value=50),
    no_shows=st.integers(min_value=0, max_value=50),
    recent=st.integers(min_value=0, max_value=60),
    town=st.sampled_from(["Elizabeth", "Summit", "Camden", "Nowhere"]),
)
def test_score_stays_within_the_weights(
    rating, travel, preferred, assignments, no_shows, recent, town
):
    candidate = cand(
        travel_miles=travel,
        preferred_programs=frozenset({1}) if preferred else frozenset(),
        rating_avg=rating,
        ratings=1 if rating else 0,
        assignments=assignments,
        no_shows=min(no_shows, assignments),
        recent_shifts=recent,
        town=town,
    )
    points = score(candidate, facts())
    assert 0 <= points <= sum(WEIGHTS.values())
    assert all(r["points"] >= 0 for r in explain(candidate, facts()))
    # The fast loop of rank() agrees with the rules and the score written factor by factor.
    ranked = rank([candidate], facts())
    if ineligibility(candidate, facts()) is None:
        assert abs(ranked[0].score - points) < 0.011
    else:
        assert ranked == []
