"""The matching engine: optimal against brute force, hard constraints never broken."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.enrollment.matching import (
    BASE,
    SIBLING_POINTS,
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


def together_points(candidates, placed_programs: dict[int, int]) -> float:
    """The documented "kept together" points of a placement (candidate index → program):
    20 for each child placed where a brother or sister is placed too, unless the child
    already had sibling points at that program."""
    total = 0.0
    for i, program in placed_programs.items():
        c = candidates[i]
        if c.family is None or program in c.sibling_programs:
            continue
        if any(
            k != i and candidates[k].family == c.family and p == program
            for k, p in placed_programs.items()
        ):
            total += SIBLING_POINTS
    return total


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
            placed = {i: seats[k].program_id for i, k in enumerate(choice) if k >= 0}
            best = max(best, total + together_points(candidates, placed))
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
    family=st.none(),
)
# Brothers and sisters: most children of a small problem share one of two families.
sibling_candidate_st = candidate_st.flatmap(
    lambda c: st.one_of(st.none(), st.integers(0, 1)).map(
        lambda f: Candidate(**{**c.__dict__, "family": f, "name": f"child{c.key}"})
    )
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
def problem(draw, max_candidates: int, max_slots: int, siblings: bool = False):
    strategy = sibling_candidate_st if siblings else candidate_st
    candidates = draw(st.lists(strategy, min_size=1, max_size=max_candidates))
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


@settings(max_examples=100, deadline=None)
@given(problem(max_candidates=5, max_slots=3, siblings=True))
def test_optimal_against_brute_force_with_siblings_kept_together(data):
    """The integer program (siblings) against brute force, seats of up to 3 per room."""
    candidates, slots = data
    if sum(s.seats for s in slots) > 6:
        slots = [Slot(**{**s.__dict__, "seats": 1}) for s in slots]
    matches = solve(candidates, slots, TODAY)
    total = sum(m.score for m in matches)
    assert abs(total - brute_force(candidates, slots)) < 1e-6
    _check_constraints(candidates, slots, matches)
    # Each match's score is its own points plus its "together" points, as explained.
    for m in matches:
        assert abs(m.score - sum(p for _label, p in m.reasons)) < 1e-9


@settings(max_examples=50, deadline=None)
@given(problem(max_candidates=25, max_slots=12, siblings=True))
def test_siblings_never_break_constraints_and_never_lose_to_independent_matching(data):
    candidates, slots = data
    matches = solve(candidates, slots, TODAY)
    _check_constraints(candidates, slots, matches)
    # The optimum with siblings is at least the independent optimum plus its together points.
    alone = solve([Candidate(**{**c.__dict__, "family": None}) for c in candidates], slots, TODAY)
    index = {c.key: i for i, c in enumerate(candidates)}
    placed = {index[m.candidate]: slots[m.slot].program_id for m in alone}
    floor = sum(m.score for m in alone) + together_points(candidates, placed)
    assert sum(m.score for m in matches) >= floor - 1e-6


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


def test_siblings_are_kept_together_and_the_reason_names_the_sibling():
    # Two programs, each with a toddler and an infant room. Ana prefers program 1 a little,
    # her brother Leo prefers program 2 a little; alone each would go to their preference,
    # together (20 + 20 points) they share one program.
    ana = _child(0, family=9, name="Ana", preferred_programs=[1, 2])
    leo = _child(1, family=9, name="Leo", preferred_programs=[2, 1], birth_date=date(2025, 6, 1))
    slots = [
        _room(0, program_id=1),
        _room(1, program_id=1, classroom_id=11, age_min_months=0, age_max_months=11),
        _room(2, program_id=2),
        _room(3, program_id=2, classroom_id=13, age_min_months=0, age_max_months=11),
    ]
    matches = {m.candidate: m for m in solve([ana, leo], slots, TODAY)}
    assert slots[matches[0].slot].program_id == slots[matches[1].slot].program_id
    assert ("together:Leo", SIBLING_POINTS) in matches[0].reasons
    assert ("together:Ana", SIBLING_POINTS) in matches[1].reasons
    # Without the family link they would split.
    apart = {
        m.candidate: slots[m.slot].program_id
        for m in solve(
            [Candidate(**{**c.__dict__, "family": None}) for c in (ana, leo)], slots, TODAY
        )
    }
    assert apart == {0: 1, 1: 2}


def test_no_together_points_twice_when_a_sibling_is_already_enrolled():
    ana = _child(0, family=9, name="Ana", sibling_programs=frozenset({1}))
    leo = _child(1, family=9, name="Leo", sibling_programs=frozenset({1}))
    slots = [_room(0, program_id=1, seats=2)]
    matches = solve([ana, leo], slots, TODAY)
    assert len(matches) == 2
    for m in matches:
        labels = [label for label, _p in m.reasons]
        assert "sibling" in labels
        assert not any(label.startswith("together") for label in labels)


def test_time_limited_search_reports_a_true_gap_and_never_loses_to_matching_alone(monkeypatch):
    """If HiGHS stops at its time limit (here: with no solution at all), the answer is the
    best of the siblings matched alone and the optimistic matching, and the reported gap is
    a true certificate: the optimum is at most the answer / (1 - gap)."""
    from scipy.optimize import OptimizeResult

    from alliance.enrollment import matching

    kids = [
        _child(k, family=k // 2, name=f"k{k}", preferred_programs=[1 + k % 3]) for k in range(12)
    ]
    rooms = [_room(r, program_id=1 + r % 3, seats=2) for r in range(6)]
    exact, gap0 = matching.solve_with_gap(kids, rooms, TODAY, time_limit=None)
    assert gap0 == 0.0
    stopped = OptimizeResult(x=None, status=1, mip_dual_bound=float("inf"), message="limit")
    monkeypatch.setattr(matching, "milp", lambda *a, **k: stopped)
    found, gap = matching.solve_with_gap(kids, rooms, TODAY, time_limit=0.001)
    total = sum(m.score for m in found)
    best = sum(m.score for m in exact)
    alone = matching.solve(
        [Candidate(**{**c.__dict__, "family": None}) for c in kids], rooms, TODAY
    )
    assert total >= sum(m.score for m in alone) - 1e-6
    assert total <= best + 1e-6
    assert 0 <= gap < 1
    assert best <= total / (1 - gap) + 1e-6
    _check_constraints(kids, rooms, found)
