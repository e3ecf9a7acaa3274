"""The matching engine: waiting children × open seats, optimal for a documented score.

Hard constraints (an edge exists only if all hold):

* the child's age is within the classroom's range on the start date, where the start date is
  the later of the family's desired start and the day the seat opens;
* the seat opens at most ``START_WINDOW_DAYS`` after the desired start;
* the family consented to share its application;
* the program is reachable: in the family's town, one of its preferred towns, or one of its
  preferred programs;
* program rules: a family holding a CCAP voucher is only matched where CCAP is accepted;
  part-time families only where the program takes part-time children;
* capacity: a seat takes one child, a child takes one seat.

Score of an edge (points, higher is better; see docs/enrollment.md):

* ``BASE`` for any match, so the engine first places as many children as it can;
* priority tiers (data: ``alliance/rules/data/enrollment_priority.json``): child protective
  services, income, special needs, dual language — the family's tier points, on every match;
* program preference: 40 for the family's first choice, then 32, 24, 16, 8;
* distance: 15 in the home town, 12/10/8 for the 1st/2nd/3rd preferred town, +5 same ZIP;
* schedule fit: 10 when the seat is free by the desired start, minus one per 9 days late;
* time waiting: one point per full month, up to 24;
* siblings: 20 when a brother or sister is enrolled at (or offered a place in) the program,
  or is matched to the same program in this run (siblings kept together; at most once per
  child);
* language: 8 when the program speaks a language of the family;
* CCAP: 10 when the family uses or applies for CCAP and the program accepts it.

The assignment maximizes the sum of scores. Without waiting siblings who could share a
program it is a bipartite matching, solved exactly with SciPy's sparse minimum-weight full
bipartite matching (LAPJVsp) on candidate edges only, with one private "stay waiting" column
per child so every child can be left unmatched. The "kept together" points couple children,
which a matching cannot express, so siblings get *joint assignment options*: two or three
brothers or sisters placed at one program together, each in one of their own seats there,
worth their points plus the together points. Any two or more siblings at one program split
into pairs and triples, so the options price every placement exactly. The part of the
problem they touch (the connected components of the child–seat graph that hold a joint
option) is solved as a 0/1 integer program with SciPy's HiGHS (``scipy.optimize.milp``, zero
optimality gap): at most one column (own seat or joint option) per child, at most its seats
per seat batch. The other components still go to LAPJVsp. Both are exact, so the whole is
optimal. The integer program carries valid inequalities for siblings (``_sibling_cuts``:
they remove fractional points of its LP relaxation, never a placement) and HiGHS runs with a
few search settings (``HIGHS_OPTIONS``: no symmetry detection, presolve or sub-MIP
heuristics) that leave the proven optimum unchanged; together they make the 50,000 × 10,000
benchmark prove its optimum in seconds rather than not at all.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations, product

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

BASE = 100.0
PREFERENCE_POINTS = (40, 32, 24, 16, 8)
HOME_TOWN_POINTS = 15
PREFERRED_TOWN_POINTS = (12, 10, 8)
SAME_ZIP_POINTS = 5
ON_TIME_POINTS = 10
WAITING_POINTS_MAX = 24
SIBLING_POINTS = 20
LANGUAGE_POINTS = 8
CCAP_POINTS = 10
START_WINDOW_DAYS = 120
# Costs are OFFSET − score; every real cost stays positive (a zero is "no edge" to SciPy).
OFFSET = 1000.0


@dataclass
class Candidate:
    key: int  # applicant id
    birth_date: date
    desired_start: date
    submitted: date
    town: str
    zip_code: str
    preferred_programs: Sequence[int] = ()
    preferred_towns: Sequence[str] = ()
    languages: Sequence[str] = ()
    ccap: str = "none"  # none / applying / eligible
    part_time: bool = False
    consent: bool = True
    sibling_programs: frozenset[int] = frozenset()
    family: int | None = None  # brothers and sisters share it (kept together when possible)
    priority: Sequence[tuple[str, float]] = ()  # ("priority:<tier>", points), rules/enrollment
    name: str = ""  # first name, to explain "with sibling …"


@dataclass
class Slot:
    key: int  # index of the seat batch
    classroom_id: int
    program_id: int
    town: str
    zip_code: str
    age_min_months: int
    age_max_months: int
    available_from: date
    seats: int = 1
    languages: Sequence[str] = ()
    accepts_ccap: bool = False
    takes_part_time: bool = True


@dataclass
class Match:
    candidate: int
    slot: int
    start_date: date
    score: float
    reasons: list[tuple[str, float]] = field(default_factory=list)


def months_between(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - 1 if on.day < born.day else months


def start_date(c: Candidate, s: Slot) -> date:
    return max(c.desired_start, s.available_from)


def feasible(c: Candidate, s: Slot) -> bool:
    """The hard constraints (module docstring)."""
    if not c.consent:
        return False
    if s.available_from > c.desired_start + timedelta(days=START_WINDOW_DAYS):
        return False
    if c.ccap == "eligible" and not s.accepts_ccap:
        return False
    if c.part_time and not s.takes_part_time:
        return False
    if not (
        s.town == c.town or s.town in c.preferred_towns or s.program_id in c.preferred_programs
    ):
        return False
    age = months_between(c.birth_date, start_date(c, s))
    return s.age_min_months <= age <= s.age_max_months


def score(c: Candidate, s: Slot, today: date) -> tuple[float, list[tuple[str, float]]]:
    """Points of placing ``c`` in ``s`` and why (label keys are translated for display)."""
    reasons: list[tuple[str, float]] = [("base", BASE), *c.priority]
    preferred_programs = list(dict.fromkeys(c.preferred_programs))
    preferred_towns = list(dict.fromkeys(c.preferred_towns))
    if s.program_id in preferred_programs:
        rank = preferred_programs.index(s.program_id)
        if rank < len(PREFERENCE_POINTS):
            reasons.append((f"preference:{rank + 1}", PREFERENCE_POINTS[rank]))
    if s.town == c.town:
        reasons.append(("home_town", HOME_TOWN_POINTS))
    elif s.town in preferred_towns:
        rank = preferred_towns.index(s.town)
        if rank < len(PREFERRED_TOWN_POINTS):
            reasons.append((f"town:{rank + 1}", PREFERRED_TOWN_POINTS[rank]))
    if s.zip_code and s.zip_code[:5] == c.zip_code[:5]:
        reasons.append(("same_zip", SAME_ZIP_POINTS))
    late = (s.available_from - c.desired_start).days
    on_time = ON_TIME_POINTS if late <= 0 else max(0.0, ON_TIME_POINTS - late / 9)
    if on_time:
        reasons.append(("schedule", on_time))
    waited = min(WAITING_POINTS_MAX, max(0, months_between(c.submitted, today)))
    if waited:
        reasons.append(("waiting", waited))
    if s.program_id in c.sibling_programs:
        reasons.append(("sibling", SIBLING_POINTS))
    if set(c.languages) & set(s.languages):
        reasons.append(("language", LANGUAGE_POINTS))
    if c.ccap in ("eligible", "applying") and s.accepts_ccap:
        reasons.append(("ccap", CCAP_POINTS))
    return float(sum(p for _, p in reasons)), reasons


class _Arrays:
    """Candidates and slots as NumPy columns, so hard constraints and scores are computed
    for every candidate edge at once (the same rules as :func:`feasible` and :func:`score`,
    which stay the readable reference and explain each match)."""

    def __init__(self, candidates: Sequence[Candidate], slots: Sequence[Slot], today: date):
        towns: dict[str, int] = {}
        zips: dict[str, int] = {}
        langs: dict[str, int] = {}

        def code(table: dict[str, int], key: str) -> int:
            return table.setdefault(key, len(table))

        def mask(values: Sequence[str]) -> int:
            out = 0
            for v in values:
                out |= 1 << (code(langs, v) % 62)
            return out

        self.s_town = np.array([code(towns, s.town) for s in slots], dtype=np.int64)
        self.s_zip = np.array([code(zips, s.zip_code[:5]) for s in slots], dtype=np.int64)
        self.s_prog = np.array([s.program_id for s in slots], dtype=np.int64)
        self.s_avail = np.array([s.available_from.toordinal() for s in slots], dtype=np.int64)
        self.s_y = np.array([s.available_from.year for s in slots], dtype=np.int64)
        self.s_m = np.array([s.available_from.month for s in slots], dtype=np.int64)
        self.s_d = np.array([s.available_from.day for s in slots], dtype=np.int64)
        self.s_min = np.array([s.age_min_months for s in slots], dtype=np.int64)
        self.s_max = np.array([s.age_max_months for s in slots], dtype=np.int64)
        self.s_ccap = np.array([s.accepts_ccap for s in slots], dtype=bool)
        self.s_part = np.array([s.takes_part_time for s in slots], dtype=bool)
        self.s_lang = np.array([mask(s.languages) for s in slots], dtype=np.int64)
        self.s_seats = np.array([s.seats for s in slots], dtype=np.int64)

        n = len(candidates)
        width_p, width_t = len(PREFERENCE_POINTS), len(PREFERRED_TOWN_POINTS)
        self.c_pref = np.full((n, width_p), -1, dtype=np.int64)
        self.c_ptown = np.full((n, width_t), -1, dtype=np.int64)
        sib_width = max([len(c.sibling_programs) for c in candidates] + [1])
        self.c_sib = np.full((n, sib_width), -1, dtype=np.int64)
        self.c_town = np.empty(n, dtype=np.int64)
        self.c_zip = np.empty(n, dtype=np.int64)
        self.c_desired = np.empty(n, dtype=np.int64)
        self.c_dy = np.empty(n, dtype=np.int64)
        self.c_dm = np.empty(n, dtype=np.int64)
        self.c_dd = np.empty(n, dtype=np.int64)
        self.c_by = np.empty(n, dtype=np.int64)
        self.c_bm = np.empty(n, dtype=np.int64)
        self.c_bd = np.empty(n, dtype=np.int64)
        self.c_lang = np.empty(n, dtype=np.int64)
        self.c_eligible = np.empty(n, dtype=bool)
        self.c_ccap = np.empty(n, dtype=bool)
        self.c_part = np.empty(n, dtype=bool)
        self.c_wait = np.empty(n, dtype=np.float64)
        self.c_prio = np.array([float(sum(p for _k, p in c.priority)) for c in candidates])
        for i, c in enumerate(candidates):
            self.c_town[i] = code(towns, c.town)
            self.c_zip[i] = code(zips, c.zip_code[:5])
            d, b = c.desired_start, c.birth_date
            self.c_desired[i] = d.toordinal()
            self.c_dy[i], self.c_dm[i], self.c_dd[i] = d.year, d.month, d.day
            self.c_by[i], self.c_bm[i], self.c_bd[i] = b.year, b.month, b.day
            self.c_lang[i] = mask(c.languages)
            self.c_eligible[i] = c.ccap == "eligible"
            self.c_ccap[i] = c.ccap in ("eligible", "applying")
            self.c_part[i] = c.part_time
            self.c_wait[i] = min(WAITING_POINTS_MAX, max(0, months_between(c.submitted, today)))
            for r, program_id in enumerate(list(dict.fromkeys(c.preferred_programs))[:width_p]):
                self.c_pref[i, r] = program_id
            for r, town in enumerate(list(dict.fromkeys(c.preferred_towns))[:width_t]):
                self.c_ptown[i, r] = code(towns, town)
            for r, program_id in enumerate(sorted(c.sibling_programs)):
                self.c_sib[i, r] = program_id
        self.towns = towns


def _pairs(candidates: Sequence[Candidate], slots: Sequence[Slot], a: _Arrays):
    """Candidate (child, slot) pairs: slots in the child's town, preferred towns or preferred
    programs (the reachability constraint), without duplicates."""
    slot_by_town: dict[int, np.ndarray] = {}
    slot_by_prog: dict[int, np.ndarray] = {}
    for j, s in enumerate(slots):
        slot_by_town.setdefault(int(a.s_town[j]), []).append(j)
        slot_by_prog.setdefault(s.program_id, []).append(j)
    slot_by_town = {k: np.asarray(v) for k, v in slot_by_town.items()}
    slot_by_prog = {k: np.asarray(v) for k, v in slot_by_prog.items()}
    want_town: dict[int, list[int]] = {}
    want_prog: dict[int, list[int]] = {}
    for i, c in enumerate(candidates):
        if not c.consent:
            continue
        for town in {c.town, *c.preferred_towns}:
            want_town.setdefault(a.towns[town], []).append(i)
        for program_id in set(c.preferred_programs):
            want_prog.setdefault(program_id, []).append(i)
    rows, cols = [], []
    for wants, have in ((want_town, slot_by_town), (want_prog, slot_by_prog)):
        for key, cand in wants.items():
            js = have.get(key)
            if js is None:
                continue
            rows.append(np.repeat(np.asarray(cand), len(js)))
            cols.append(np.tile(js, len(cand)))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    codes = _unique(np.concatenate(rows) * len(slots) + np.concatenate(cols))
    return codes // len(slots), codes % len(slots)


def _unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` for integers by sorting: NumPy 2.4's hash-based ``np.unique`` took
    1.3 s of CPU for the 1.3 million pairs of the 50,000-child benchmark, sorting 0.02 s."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _feasible_and_cost(i: np.ndarray, j: np.ndarray, a: _Arrays):
    """Hard constraints and scores of every pair at once (see :func:`feasible`, :func:`score`)."""
    desired, avail = a.c_desired[i], a.s_avail[j]
    ok = avail <= desired + START_WINDOW_DAYS
    ok &= ~a.c_eligible[i] | a.s_ccap[j]
    ok &= ~a.c_part[i] | a.s_part[j]
    later = avail > desired
    sy = np.where(later, a.s_y[j], a.c_dy[i])
    sm = np.where(later, a.s_m[j], a.c_dm[i])
    sd = np.where(later, a.s_d[j], a.c_dd[i])
    age = (sy - a.c_by[i]) * 12 + sm - a.c_bm[i] - (sd < a.c_bd[i])
    ok &= (a.s_min[j] <= age) & (age <= a.s_max[j])
    i, j = i[ok], j[ok]
    prog = a.s_prog[j]
    points = np.full(len(i), BASE)
    pref = a.c_pref[i]
    for r, p in enumerate(PREFERENCE_POINTS):
        points += np.where(pref[:, r] == prog, p, 0)
    home = a.c_town[i] == a.s_town[j]
    points += np.where(home, HOME_TOWN_POINTS, 0)
    ptown = a.c_ptown[i]
    first_match = np.zeros(len(i), dtype=bool)
    for r, p in enumerate(PREFERRED_TOWN_POINTS):
        hit = (ptown[:, r] == a.s_town[j]) & ~home & ~first_match
        points += np.where(hit, p, 0)
        first_match |= hit
    points += np.where(a.c_zip[i] == a.s_zip[j], SAME_ZIP_POINTS, 0)
    late = (a.s_avail[j] - a.c_desired[i]).astype(np.float64)
    points += np.where(late <= 0, ON_TIME_POINTS, np.maximum(0.0, ON_TIME_POINTS - late / 9))
    points += a.c_wait[i]
    points += a.c_prio[i]
    points += np.where((a.c_sib[i] == prog[:, None]).any(axis=1), SIBLING_POINTS, 0)
    points += np.where((a.c_lang[i] & a.s_lang[j]) != 0, LANGUAGE_POINTS, 0)
    points += np.where(a.c_ccap[i] & a.s_ccap[j], CCAP_POINTS, 0)
    return i, j, points


def candidate_edges(
    candidates: Sequence[Candidate], slots: Sequence[Slot], today: date | None = None
) -> list[tuple[int, int]]:
    """(candidate index, slot index) pairs passing the hard constraints."""
    if not candidates or not slots:
        return []
    a = _Arrays(candidates, slots, today or date.today())
    i, j = _pairs(candidates, slots, a)
    i, j, _points = _feasible_and_cost(i, j, a)
    return list(zip(i.tolist(), j.tolist(), strict=True))


def together_bonus(
    candidates: Sequence[Candidate],
    slots: Sequence[Slot],
    placed: dict[int, int],
) -> dict[int, tuple[str, float]]:
    """Candidate index → the "kept together" reason of a placement ``placed`` (candidate
    index → slot index): a child placed at a program where a brother or sister from the same
    family is placed too, unless the child already had sibling points there."""
    at: dict[tuple[int, int], list[int]] = {}
    for i, j in placed.items():
        family = candidates[i].family
        if family is not None:
            at.setdefault((family, slots[j].program_id), []).append(i)
    out: dict[int, tuple[str, float]] = {}
    for (_family, program_id), children in at.items():
        if len(children) < 2:
            continue
        for i in children:
            if program_id in candidates[i].sibling_programs:
                continue
            other = next(k for k in children if k != i)
            out[i] = (f"together:{candidates[other].name}", SIBLING_POINTS)
    return out


def _joint_options(
    candidates: Sequence[Candidate], i: np.ndarray, prog: np.ndarray
) -> tuple[list[tuple[int, ...]], list[float]]:
    """Joint assignment options for brothers and sisters: two or three children of one
    family placed together at one program, each through one of their own edges there. An
    option is worth its edges' points plus the "kept together" points of its members (those
    without sibling points at the program already). Any set of two or more siblings at one
    program splits into pairs and triples, so these options express every placement's
    together points exactly. Returns the options (edge indices) and their extra points."""
    family = np.array([-1 if c.family is None else c.family for c in candidates], dtype=np.int64)[i]
    has_family = np.flatnonzero(family >= 0)
    # Only (family, program) groups with two or more children can hold an option: find them
    # with NumPy first, so the loop below sees only their edges, in the same order.
    order = np.lexsort((i[has_family], prog[has_family], family[has_family]))
    f_sorted, p_sorted, c_sorted = (
        family[has_family][order],
        prog[has_family][order],
        i[has_family][order],
    )
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = (f_sorted[1:] != f_sorted[:-1]) | (p_sorted[1:] != p_sorted[:-1])
    new_child = new_group.copy()
    new_child[1:] |= c_sorted[1:] != c_sorted[:-1]
    group = np.cumsum(new_group) - 1
    children_in_group = np.bincount(group, weights=new_child) if len(group) else np.zeros(0)
    keep = np.zeros(len(has_family), dtype=bool)
    keep[order[children_in_group[group] >= 2]] = True
    has_family = has_family[keep]
    by_group: dict[tuple[int, int], dict[int, list[int]]] = {}
    for e, f, child, p in zip(
        has_family.tolist(),
        family[has_family].tolist(),
        i[has_family].tolist(),
        prog[has_family].tolist(),
        strict=True,
    ):
        by_group.setdefault((f, p), {}).setdefault(child, []).append(e)
    options: list[tuple[int, ...]] = []
    extra: list[float] = []
    for (_f, p), children in by_group.items():
        if len(children) < 2:
            continue
        for size in (2, 3):
            for group in combinations(sorted(children), size):
                bonus = SIBLING_POINTS * sum(
                    1 for child in group if p not in candidates[child].sibling_programs
                )
                if not bonus:
                    continue
                for edges in product(*(children[child] for child in group)):
                    options.append(edges)
                    extra.append(float(bonus))
    return options, extra


def _lapjv(n: int, i: np.ndarray, j: np.ndarray, points: np.ndarray, seats: np.ndarray):
    """Exact maximum-score matching of ``n`` children to seat batches (edges i, j, points):
    the chosen edge indices."""
    if len(i) == 0:
        return np.zeros(0, dtype=np.int64)
    # Columns: one per seat (a slot with k seats gives k columns), then one "stay waiting"
    # column per candidate, so every candidate can be left unmatched.
    first_col = np.zeros(len(seats) + 1, dtype=np.int64)
    np.cumsum(seats, out=first_col[1:])
    n_seat_cols = int(first_col[-1])
    k = seats[j]
    edge = np.repeat(np.arange(len(i)), k)
    within = np.arange(len(edge)) - np.repeat(np.cumsum(k) - k, k)
    rows = np.concatenate([i[edge], np.arange(n)])
    cols = np.concatenate([first_col[j[edge]] + within, n_seat_cols + np.arange(n)])
    costs = np.concatenate([OFFSET - points[edge], np.full(n, OFFSET)])
    graph = csr_matrix((costs, (rows, cols)), shape=(n, n_seat_cols + n))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    seated = col_ind < n_seat_cols
    row_ind, col_ind = row_ind[seated], col_ind[seated]
    # Back from (row, seat column) to the edge: the edge of that child and seat batch.
    slot_of_col = np.searchsorted(first_col, np.arange(n_seat_cols), side="right") - 1
    codes = i * len(seats) + j
    order = np.argsort(codes, kind="stable")
    wanted = row_ind.astype(np.int64) * len(seats) + slot_of_col[col_ind]
    return order[np.searchsorted(codes[order], wanted)]


# HiGHS settings for the siblings' integer program, measured on the 50,000 × 10,000
# benchmark (docs/enrollment.md): its root LP (dual simplex, a few seconds) and cuts (its
# own and ``_sibling_cuts``) close the gap at the root node, so HiGHS proves the optimum in
# about 10 s of CPU. With its
# defaults it took minutes before that: symmetry detection alone took 118 s (brothers and
# sisters make many interchangeable options), the sub-MIP heuristics RINS, RENS and "root
# reduced cost" (each a presolved, symmetry-detecting sub-problem) 130 s more, presolve
# saves nothing on a problem that is already a plain packing (and cost county-sized runs
# time too), and the feasibility jump heuristic's first solution is worse than the root's.
# None of these settings changes what is optimal or the zero gap HiGHS must prove, only
# how it searches. SciPy passes options it does not name itself on to HiGHS verbatim.
HIGHS_OPTIONS = {
    "presolve": False,
    "mip_detect_symmetry": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
}


def _sibling_cuts(
    i: np.ndarray,
    j: np.ndarray,
    seats: np.ndarray,
    options: list[tuple[int, ...]],
    family: np.ndarray,
    n_edges: int,
):
    """Valid inequalities that tighten the integer program's LP relaxation (they remove
    fractional points only, never a placement), as (row, column, coefficient) entries and
    right-hand sides of extra rows. Measured on the 50,000 × 10,000 benchmark with 30% of
    the children siblings: HiGHS proved the optimum in 14 s of CPU with them, and had not
    after 77 s without them (docs/enrollment.md).

    * Seat batch with an odd number of seats ``k``: the options placing two or three
      siblings in it take at most ``k // 2`` of them together (half the seat row, rounded
      down: a Chvátal–Gomory cut). The LP otherwise fills a three-seat room with one and a
      half two-seat options.
    * Three children of one family: at most one option holding two or more of them (any
      two such options share a child, and a child is in at most one column). The LP
      otherwise takes three pairs at one half each, every child "together" twice over.
    """
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    rhs: list[float] = []
    cut_row: dict[int, int] = {}
    option_children: list[frozenset[int]] = []
    by_family: dict[int, list[int]] = {}
    for k, option in enumerate(options):
        members = list(option)
        children = frozenset(i[members].tolist())
        option_children.append(children)
        by_family.setdefault(int(family[next(iter(children))]), []).append(k)
        taken: dict[int, int] = {}
        for s in j[members].tolist():
            taken[s] = taken.get(s, 0) + 1
        for s, count in taken.items():
            if count >= 2 and seats[s] % 2 == 1:
                if s not in cut_row:
                    cut_row[s] = len(rhs)
                    rhs.append(float(seats[s] // 2))
                rows.append(cut_row[s])
                cols.append(n_edges + k)
                data.append(float(count // 2))
    for ks in by_family.values():
        children = sorted(set().union(*(option_children[k] for k in ks)))
        for three in combinations(children, 3):
            trio = set(three)
            holding = [k for k in ks if len(option_children[k] & trio) >= 2]
            if len(holding) < 2:
                continue
            rows.extend([len(rhs)] * len(holding))
            cols.extend(n_edges + k for k in holding)
            data.extend([1.0] * len(holding))
            rhs.append(1.0)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), data, rhs


def _milp(
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    points: np.ndarray,
    seats: np.ndarray,
    options: list[tuple[int, ...]],
    extra: list[float],
    time_limit: float | None = None,
    family: np.ndarray | None = None,
):
    """Exact maximum score with siblings' joint options, as a 0/1 integer program (HiGHS
    through SciPy, zero gap): one column per child–seat edge and one per joint option, a
    row per child (at most one column holding them) and per seat batch (its seats), and
    the valid inequalities of :func:`_sibling_cuts` (``family``: each child's family, -1
    for none). Returns the chosen edge indices (a joint option's edges included), whether
    they are proven optimal, and HiGHS's upper bound on the score (for a gap when stopped
    early)."""
    n_edges, n_options = len(i), len(options)
    edge_ids = np.arange(n_edges)
    sizes = np.fromiter((len(o) for o in options), dtype=np.int64, count=n_options)
    members = np.fromiter((e for o in options for e in o), dtype=np.int64, count=int(sizes.sum()))
    option_col = n_edges + np.repeat(np.arange(n_options), sizes)
    rows = np.concatenate([i, n + j, i[members], n + j[members]])
    cols = np.concatenate([edge_ids, edge_ids, option_col, option_col])
    coefficients = np.ones(len(rows))
    upper_bounds = np.concatenate([np.ones(n), seats])
    if family is not None and n_options:
        cut_rows, cut_cols, cut_data, cut_rhs = _sibling_cuts(i, j, seats, options, family, n_edges)
        rows = np.concatenate([rows, n + len(seats) + cut_rows])
        cols = np.concatenate([cols, cut_cols])
        coefficients = np.concatenate([coefficients, cut_data])
        upper_bounds = np.concatenate([upper_bounds, cut_rhs])
    a = coo_matrix(
        (coefficients, (rows, cols)), shape=(len(upper_bounds), n_edges + n_options)
    ).tocsr()  # duplicates add up: two siblings in one seat batch take two of its seats
    value = np.concatenate([points, np.zeros(n_options)])
    if n_options:
        np.add.at(value, option_col, points[members])
        value[n_edges:] += np.asarray(extra)
    options_ = {"mip_rel_gap": 0.0, **HIGHS_OPTIONS}
    if time_limit is not None:
        options_["time_limit"] = time_limit
    with warnings.catch_warnings():
        # SciPy warns that options it does not name itself go to HiGHS verbatim: intended.
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        result = milp(
            -value,
            integrality=np.ones(n_edges + n_options),
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(a, -np.inf, upper_bounds),
            options=options_,
        )
    bound = getattr(result, "mip_dual_bound", None)
    upper = -float(bound) if bound is not None and np.isfinite(bound) else np.inf
    if result.x is None:
        # Stopped before HiGHS kept any solution (all zeros is feasible, so only a time
        # limit does this): the caller falls back to its own solutions.
        return np.zeros(0, dtype=np.int64), False, upper
    chosen = result.x > 0.5
    picked = [edge_ids[chosen[:n_edges]]]
    picked += [np.asarray(options[k]) for k in np.flatnonzero(chosen[n_edges:])]
    return np.concatenate(picked), result.status == 0, upper


# Seconds HiGHS may spend on the siblings' integer program before it returns its best
# solution with the proven gap (see ``solve_with_gap``). A safety net, not the expected time:
# the county needs well under one second, the 50,000 × 10,000 benchmark 8–14 s of CPU, but
# HiGHS counts wall-clock time, which on the busy shared 2-core machine was up to three times
# the CPU time (40 s measured once): a 40-second limit cut one busy run of it short.
INTEGER_PROGRAM_SECONDS = 120.0


def solve(candidates: Sequence[Candidate], slots: Sequence[Slot], today: date) -> list[Match]:
    """The assignment of candidates to seats with the greatest total score (module
    docstring: LAPJVsp, and HiGHS for the parts with siblings who can be kept together)."""
    return solve_with_gap(candidates, slots, today, time_limit=None)[0]


def solve_with_gap(
    candidates: Sequence[Candidate],
    slots: Sequence[Slot],
    today: date,
    time_limit: float | None = INTEGER_PROGRAM_SECONDS,
) -> tuple[list[Match], float]:
    """:func:`solve`, with a time limit for the siblings' integer program: the matches and
    the proven relative optimality gap (0.0 means optimal, which is the case whenever HiGHS
    finishes within ``time_limit``; ``None`` waits for the optimum however long it takes).
    Stopped early, the answer is never worse than matching every child alone."""
    if not candidates or not slots:
        return [], 0.0
    a = _Arrays(candidates, slots, today)
    i, j = _pairs(candidates, slots, a)
    i, j, points = _feasible_and_cost(i, j, a)
    if len(i) == 0:
        return [], 0.0
    gap = 0.0
    n, m = len(candidates), len(slots)
    options, extra = _joint_options(candidates, i, a.s_prog[j])
    if not options:
        chosen = _lapjv(n, i, j, points, a.s_seats)
    else:
        # Components of the child–seat graph (siblings with a joint option joined): those
        # holding a joint option need the integer program, the rest do not.
        first = np.asarray([o[0] for o in options for _e in o[1:]], dtype=np.int64)
        rest = np.asarray([e for o in options for e in o[1:]], dtype=np.int64)
        graph = coo_matrix(
            (
                np.ones(len(i) + len(first)),
                (np.concatenate([i, i[first]]), np.concatenate([n + j, i[rest]])),
            ),
            shape=(n + m, n + m),
        )
        count, label = connected_components(graph, directed=False)
        holds_option = np.zeros(count, dtype=bool)
        holds_option[label[i[first]]] = True
        coupled = holds_option[label[i]]
        easy = np.flatnonzero(~coupled)
        hard = np.flatnonzero(coupled)
        chosen_easy = easy[_lapjv(n, i[easy], j[easy], points[easy], a.s_seats)]
        position = np.full(len(i), -1, dtype=np.int64)
        position[hard] = np.arange(len(hard))
        picked, optimal, upper = _milp(
            n,
            i[hard],
            j[hard],
            points[hard],
            a.s_seats,
            [tuple(position[list(o)].tolist()) for o in options],
            extra,
            time_limit,
            family=np.array([-1 if c.family is None else c.family for c in candidates]),
        )
        chosen_hard = hard[picked]
        if not optimal:
            chosen_hard, gap = _fallback(
                candidates, slots, i, j, points, a.s_seats, hard, options, chosen_hard, upper
            )
        chosen = np.concatenate([chosen_easy, chosen_hard])
    placed = {int(i[e]): int(j[e]) for e in chosen}
    bonus = together_bonus(candidates, slots, placed)
    matches = []
    for r in sorted(placed):
        c, s = candidates[r], slots[placed[r]]
        total, reasons = score(c, s, today)
        if r in bonus:
            reasons.append(bonus[r])
            total += bonus[r][1]
        matches.append(Match(c.key, s.key, start_date(c, s), total, reasons))
    return matches, gap


def _fallback(candidates, slots, i, j, points, seats, hard, options, found, upper):
    """When HiGHS stops at its time limit: the best of its solution, the siblings matched
    alone, and the matching that counts the together points on every sibling edge that could
    earn them (optimistic); and the proven gap against the smaller of HiGHS's bound and that
    optimistic matching's value (no placement can score more: its together points are at
    most the optimistic ones)."""
    boost = np.zeros(len(i))
    for option in options:
        for e in option:
            if slots[int(j[e])].program_id not in candidates[int(i[e])].sibling_programs:
                boost[e] = SIBLING_POINTS
    alone = hard[_lapjv(len(candidates), i[hard], j[hard], points[hard], seats)]
    optimistic_idx = _lapjv(len(candidates), i[hard], j[hard], (points + boost)[hard], seats)
    optimistic = hard[optimistic_idx]
    upper = min(upper, float((points + boost)[optimistic].sum()))
    best = max((found, alone, optimistic), key=lambda c: _total(candidates, slots, i, j, points, c))
    value = _total(candidates, slots, i, j, points, best)
    return best, max(0.0, upper - value) / max(upper, 1.0)


def _total(candidates, slots, i, j, points, chosen) -> float:
    placed = {int(i[e]): int(j[e]) for e in chosen}
    bonus = together_bonus(candidates, slots, placed)
    return float(points[chosen].sum()) + sum(p for _k, p in bonus.values())


def solve_dense(candidates: Sequence[Candidate], slots: Sequence[Slot], today: date) -> list[Match]:
    """The same optimum with a dense matrix (``linear_sum_assignment``), for checking."""
    cols = [j for j, s in enumerate(slots) for _ in range(s.seats)]
    weights = np.zeros((len(candidates), len(cols)))
    for i, c in enumerate(candidates):
        for k, j in enumerate(cols):
            if feasible(c, slots[j]):
                weights[i, k] = score(c, slots[j], today)[0]
    r, k = linear_sum_assignment(weights, maximize=True)
    out = []
    for i, kk in zip(r.tolist(), k.tolist(), strict=True):
        if weights[i, kk] > 0:
            j = cols[kk]
            points, reasons = score(candidates[i], slots[j], today)
            out.append(
                Match(
                    candidates[i].key,
                    slots[j].key,
                    start_date(candidates[i], slots[j]),
                    points,
                    reasons,
                )
            )
    return out
