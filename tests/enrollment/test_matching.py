"""The matching engine: optimal against brute force, hard constraints never broken."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, timedelta

import numpy as np
import pytest
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


def _joint_options_reference(candidates, i, prog):
    """The joint options as first written (a loop over every edge), to check the faster
    version that finds the groups of two or more siblings with NumPy first."""
    by_group: dict = {}
    for e, (child, p) in enumerate(zip(i.tolist(), prog.tolist(), strict=True)):
        family = candidates[child].family
        if family is not None:
            by_group.setdefault((family, p), {}).setdefault(child, []).append(e)
    options, extra = [], []
    for (_f, p), children in by_group.items():
        if len(children) < 2:
            continue
        for size in (2, 3):
            for group in itertools.combinations(sorted(children), size):
                bonus = SIBLING_POINTS * sum(
                    1 for child in group if p not in candidates[child].sibling_programs
                )
                if bonus:
                    for edges in itertools.product(*(children[child] for child in group)):
                        options.append(edges)
                        extra.append(float(bonus))
    return options, extra


@settings(max_examples=80, deadline=None)
@given(problem(max_candidates=25, max_slots=12, siblings=True))
def test_joint_options_are_those_of_the_plain_loop(data):
    from alliance.enrollment import matching

    candidates, slots = data
    a = matching._Arrays(candidates, slots, TODAY)
    i, j = matching._pairs(candidates, slots, a)
    i, j, _points = matching._feasible_and_cost(i, j, a)
    options, extra = matching._joint_options(candidates, i, a.s_prog[j])
    expected = _joint_options_reference(candidates, i, a.s_prog[j])
    assert sorted(zip(options, extra, strict=True)) == sorted(zip(*expected, strict=True))


@contextlib.contextmanager
def plain_integer_program():
    """The siblings' integer program as first written: HiGHS's default search and no
    extra valid inequalities (matching._sibling_cuts)."""
    from unittest import mock

    from alliance.enrollment import matching

    def no_cuts(*_args):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [], []

    with (
        mock.patch.dict(matching.HIGHS_OPTIONS, clear=True),
        mock.patch.object(matching, "_sibling_cuts", no_cuts),
    ):
        yield


@settings(max_examples=40, deadline=None)
@given(problem(max_candidates=25, max_slots=12, siblings=True))
def test_tuned_integer_program_proves_the_same_optimum_as_the_plain_one(data):
    """matching.HIGHS_OPTIONS only change how HiGHS searches (no symmetry detection,
    presolve or sub-MIP heuristics) and the sibling cuts only remove fractional points:
    neither changes the optimum."""
    from alliance.enrollment import matching

    candidates, slots = data
    tuned, gap = matching.solve_with_gap(candidates, slots, TODAY, time_limit=None)
    with plain_integer_program():
        default, default_gap = matching.solve_with_gap(candidates, slots, TODAY, time_limit=None)
    assert gap == default_gap == 0.0
    assert abs(sum(m.score for m in tuned) - sum(m.score for m in default)) < 1e-6
    _check_constraints(candidates, slots, tuned)


@pytest.mark.parametrize(
    ("children", "seats", "seed", "share"),
    [(2000, 400, 1, 0.15), (5000, 1000, 2, 0.15), (3000, 600, 3, 0.3)],
)
def test_benchmark_shaped_problems_solved_to_the_same_optimum_as_the_plain_program(
    children, seats, seed, share
):
    """The large benchmark's shape (siblings everywhere, one connected problem, every part
    in the integer program) at a size the plain integer program still solves quickly: the
    tuned one (settings and cuts) proves the same optimum, with every hard constraint kept."""
    import warnings

    from alliance.enrollment import matching
    from bench.enrollment import build_large

    candidates, slots, today = build_large(children, seats, seed=seed, sibling_share=share)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # SciPy's note on passing options on stays quiet
        tuned, gap = matching.solve_with_gap(candidates, slots, today)
    assert gap == 0.0
    with plain_integer_program():
        default, default_gap = matching.solve_with_gap(candidates, slots, today, time_limit=None)
    assert default_gap == 0.0
    assert abs(sum(m.score for m in tuned) - sum(m.score for m in default)) < 1e-6
    # Siblings really are in play: some matches earn "together" points.
    assert any(label.startswith("together:") for m in tuned for label, _p in m.reasons)
    by_key = {c.key: c for c in candidates}
    used: dict[int, int] = {}
    for m in tuned:
        assert feasible(by_key[m.candidate], slots[m.slot])
        used[m.slot] = used.get(m.slot, 0) + 1
    assert all(n <= slots[s].seats for s, n in used.items())


def test_sibling_cuts_for_three_siblings_and_a_three_seat_room():
    """Three siblings of an age, one program with a three-seat room and another with a
    two-seat room: the cuts hold a seat-batch row (odd seats, options taking two or three of
    them) and a "three children" row, and the optimum still equals brute force."""
    from alliance.enrollment import matching

    kids = [
        _child(k, family=5, name=f"k{k}", preferred_programs=[1, 2], town="Linden")
        for k in range(3)
    ]
    rooms = [
        _room(0, program_id=1, seats=3, zip_code="07036"),
        _room(1, program_id=2, seats=2),
    ]
    a = matching._Arrays(kids, rooms, TODAY)
    i, j = matching._pairs(kids, rooms, a)
    i, j, _points = matching._feasible_and_cost(i, j, a)
    options, _extra = matching._joint_options(kids, i, a.s_prog[j])
    family = np.array([c.family for c in kids])
    rows, cols, data, rhs = matching._sibling_cuts(i, j, a.s_seats, options, family, len(i))
    cut = {}
    for r, c, d in zip(rows.tolist(), cols.tolist(), data, strict=True):
        cut.setdefault(r, {})[c - len(i)] = d
    in_room_0 = [k for k, o in enumerate(options) if all(j[e] == 0 for e in o)]
    # Room 0 (three seats): the pairs and the triple placed in it share one cut row, each
    # counted once (two or three seats, halved and rounded down), at most 3 // 2 = 1.
    (seat_row,) = [r for r, entries in cut.items() if set(entries) == set(in_room_0)]
    assert rhs[seat_row] == 1.0 and set(cut[seat_row].values()) == {1.0}
    # The three children: every option (each holds two or three of them) in one row, at most 1.
    assert any(
        set(entries) == set(range(len(options))) and rhs[r] == 1.0 for r, entries in cut.items()
    )
    total = sum(m.score for m in matching.solve(kids, rooms, TODAY))
    assert abs(total - brute_force(kids, rooms)) < 1e-6
