"""The matching engine: optimal against brute force, hard constraints never broken."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.enrollment.matching import (
    BASE,
    Candidate,
    Slot,
    feasible,
    months_between,
    score,
    solve,
    solve_dense,
)

TODAY = date(2026, 3, 2)
TOWNS = ["Elizabeth", "Union", "Linden"]


def brute_force(candidates, slots) -> float:
    """Best total score over every assignment (tiny inputs only)."""
    seats = [s for s in slots for _ in range(s.seats)]
    best = 0.0
    n = len(candidates)
    for choice in itertools.product(range(-1, len(seats)), repeat=n):
        used = [c for c in choice if c >= 0]
        if len(used) != len(set(used)):
            continue
        total = 0.0
        ok = True
        for i, k in enumerate(choice):
            if k < 0:
                continue
            if not feasible(candidates[i], seats[k]):
                ok = False
                break
            total += score(candidates[i], seats[k], TODAY)[0]
        if ok:
            best = max(best, total)
    return best


candidate_st = st.builds(
    Candidate,
    key=st.integers(0, 10_000),
    birth_date=st.dates(date(2021, 1, 1), date(2026, 2, 1)),
    desired_start=st.dates(TODAY, TODAY + timedelta(days=200)),
    submitted=st.dates(date(2024, 1, 1), TODAY),
    town=st.sampled_from(TOWNS),
    zip_code=st.sampled_from(["07201", "07083", "07036"]),
    preferred_programs=st.lists(st.integers(1, 4), max_size=3, unique=True),
    preferred_towns=st.lists(st.sampled_from(TOWNS), max_size=2, unique=True),
    languages=st.lists(st.sampled_from(["en", "es"]), max_size=2, unique=True),
    ccap=st.sampled_from(["none", "applying", "eligible"]),
    part_time=st.booleans(),
    consent=st.booleans(),
    sibling_programs=st.frozensets(st.integers(1, 4), max_size=2),
)


@st.composite
def slot_st(draw, key: int):
    lo = draw(st.integers(0, 48))
    return Slot(
        key=key,
        classroom_id=key,
        program_id=draw(st.integers(1, 4)),
        town=draw(st.sampled_from(TOWNS)),
        zip_code=draw(st.sampled_from(["07201", "07083", "07036"])),
        age_min_months=lo,
        age_max_months=lo + draw(st.integers(0, 24)),
        available_from=draw(st.dates(TODAY, TODAY + timedelta(days=240))),
        seats=draw(st.integers(1, 3)),
        languages=draw(st.lists(st.sampled_from(["en", "es"]), max_size=2, unique=True)),
        accepts_ccap=draw(st.booleans()),
        takes_part_time=draw(st.booleans()),
    )


@st.composite
def problem(draw, max_candidates: int, max_slots: int):
    candidates = draw(st.lists(candidate_st, min_size=1, max_size=max_candidates))
    for i, c in enumerate(candidates):
        c.key = i
    n_slots = draw(st.integers(1, max_slots))
    slots = [draw(slot_st(j)) for j in range(n_slots)]
    return candidates, slots


def _check_constraints(candidates, slots, matches):
    by_key = {c.key: c for c in candidates}
    used: dict[int, int] = {}
    assert len({m.candidate for m in matches}) == len(matches)  # a child gets one seat
    for m in matches:
        c, s = by_key[m.candidate], slots[m.slot]
        used[m.slot] = used.get(m.slot, 0) + 1
        assert c.consent
        assert feasible(c, s)
        age = months_between(c.birth_date, m.start_date)
        assert s.age_min_months <= age <= s.age_max_months
        assert m.start_date >= c.desired_start and m.start_date >= s.available_from
        if c.ccap == "eligible":
            assert s.accepts_ccap
    for j, n in used.items():
        assert n <= slots[j].seats  # capacity


@settings(max_examples=120, deadline=None)
@given(problem(max_candidates=4, max_slots=3))
def test_optimal_against_brute_force(data):
    candidates, slots = data
    slots = [Slot(**{**s.__dict__, "seats": 1}) for s in slots]
    matches = solve(candidates, slots, TODAY)
    total = sum(m.score for m in matches)
    assert abs(total - brute_force(candidates, slots)) < 1e-6
    _check_constraints(candidates, slots, matches)


@settings(max_examples=150, deadline=None)
@given(problem(max_candidates=25, max_slots=12))
def test_hard_constraints_never_broken_and_sparse_equals_dense(data):
    candidates, slots = data
    matches = solve(candidates, slots, TODAY)
    _check_constraints(candidates, slots, matches)
    dense = solve_dense(candidates, slots, TODAY)
    assert abs(sum(m.score for m in matches) - sum(m.score for m in dense)) < 1e-6


def _child(key, **kw):
    base = dict(
        key=key,
        birth_date=date(2024, 9, 1),
        desired_start=TODAY,
        submitted=TODAY - timedelta(days=90),
        town="Elizabeth",
        zip_code="07201",
    )
    return Candidate(**{**base, **kw})


def _room(key, **kw):
    base = dict(
        key=key,
        classroom_id=key,
        program_id=key,
        town="Elizabeth",
        zip_code="07201",
        age_min_months=12,
        age_max_months=23,
        available_from=TODAY,
    )
    return Slot(**{**base, **kw})


def test_not_greedy_gives_the_contested_seat_to_who_needs_it():
    # Greedy would give A its best seat (program 1, preference 40) and leave B unplaced;
    # the optimum places both: A in program 2, B (who can only go to 1) in program 1.
    a = _child(0, preferred_programs=[1, 2])
    b = _child(1, town="Linden", preferred_programs=[1])
    slots = [_room(0, program_id=1), _room(1, program_id=2)]
    matches = {m.candidate: m.slot for m in solve([a, b], slots, TODAY)}
    assert matches == {0: 1, 1: 0}


def test_reasons_explain_the_score():
    c = _child(
        0,
        preferred_programs=[7],
        languages=["es"],
        ccap="applying",
        sibling_programs=frozenset({7}),
    )
    s = _room(0, program_id=7, languages=["es", "en"], accepts_ccap=True)
    (m,) = solve([c], [s], TODAY)
    labels = dict(m.reasons)
    assert labels["base"] == BASE and labels["preference:1"] == 40
    assert {"home_town", "same_zip", "schedule", "waiting", "sibling", "language", "ccap"} <= set(
        labels
    )
    assert m.score == sum(labels.values())


def test_too_old_for_every_room_is_not_matched():
    c = _child(0, birth_date=date(2020, 1, 1))
    assert solve([c], [_room(0)], TODAY) == []


def test_seat_opening_later_starts_later():
    c = _child(0)
    later = TODAY + timedelta(days=30)
    (m,) = solve([c], [_room(0, available_from=later)], TODAY)
    assert m.start_date == later
