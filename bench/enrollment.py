"""The matching engine at scale. Prints figures; never asserts a time.

1. County: a fresh database seeded with ``alliance seed --scale county`` (about 1,200
   waiting children, 250 classrooms), then one ``run_matching`` end to end (loading the
   waiting list and openings, solving, writing proposals), timed.
2. Large: 50,000 waiting children × 10,000 open seats (3,000 classrooms in 400 towns), built
   in memory and solved with the same engine (``matching.solve``): candidate edges, sparse
   matrix, LAPJVsp. Peak Python memory (tracemalloc) and the process's peak RSS are printed.

    .venv/bin/python bench/enrollment.py [--large-children 50000] [--large-seats 10000]
    .venv/bin/python bench/enrollment.py --skip-county

The county run uses SQLite in a temporary file unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def county() -> None:
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/county.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from alliance.core.tenancy import alliance_scope
    from alliance.enrollment.services_offers import run_matching
    from alliance.members.models import Alliance

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed", scale="county", verbosity=0)
    print(f"county seed ready in {time.perf_counter() - started:.1f} s")
    alliance = Alliance.objects.order_by("pk").first()
    with alliance_scope(alliance):
        started = time.perf_counter()
        run = run_matching(acting_user=None, alliance=alliance)
        elapsed = time.perf_counter() - started
    print(
        f"county matching run: {run.applicants} waiting children, {run.seats} open seats, "
        f"{run.matched} matched, total score {run.total_score:.0f}, {elapsed:.2f} s end to end "
        f"(engine's own timer {run.seconds:.2f} s)"
    )


def large(n_children: int, n_seats: int, seed: int = 7) -> None:
    from alliance.enrollment import matching

    rng = random.Random(seed)
    today = date(2026, 9, 1)
    towns = [f"Town {i}" for i in range(400)]
    n_rooms = max(1, n_seats // 3)
    kinds = [(0, 17), (18, 29), (24, 35), (30, 47), (48, 59), (60, 156)]
    slots = []
    seats_left = n_seats
    for j in range(n_rooms):
        lo, hi = rng.choice(kinds)
        seats = min(seats_left, 3 if j < n_rooms - 1 else seats_left)
        seats_left -= seats
        town = rng.randrange(len(towns))
        slots.append(
            matching.Slot(
                key=j,
                classroom_id=j,
                program_id=j // 4,
                town=towns[town],
                zip_code=f"{7000 + town:05d}",
                age_min_months=lo,
                age_max_months=hi,
                available_from=today + timedelta(days=rng.choice([0, 0, 30, 61, 92, 122])),
                seats=seats,
                languages=["en", "es"] if rng.random() < 0.35 else ["en"],
                accepts_ccap=rng.random() < 0.6,
            )
        )
    programs = max(1, n_rooms // 4)
    candidates = []
    for i in range(n_children):
        town = rng.randrange(len(towns))
        near = [towns[(town + d) % len(towns)] for d in (1, -1, 2)]
        candidates.append(
            matching.Candidate(
                key=i,
                birth_date=today - timedelta(days=rng.randint(0, 5 * 365)),
                desired_start=today + timedelta(days=rng.randint(0, 120)),
                submitted=today - timedelta(days=rng.randint(0, 720)),
                town=towns[town],
                zip_code=f"{7000 + town:05d}",
                preferred_programs=[rng.randrange(programs) for _ in range(rng.randint(0, 3))],
                preferred_towns=near[: rng.randint(0, 2)],
                languages=["es"] if rng.random() < 0.45 else ["en"],
                ccap=rng.choice(["none", "none", "applying", "eligible"]),
            )
        )
    started = time.perf_counter()
    edges = matching.candidate_edges(candidates, slots, today)
    t_edges = time.perf_counter() - started
    started = time.perf_counter()
    matches = matching.solve(candidates, slots, today)
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"large matching: {n_children:,} children × {n_seats:,} seats in {len(slots):,} rooms: "
        f"{len(edges):,} feasible child-room edges ({t_edges:.1f} s to list them), "
        f"{len(matches):,} matched, total score {sum(m.score for m in matches):,.0f}, "
        f"solve {elapsed:.1f} s (edges, scores, sparse matrix, LAPJVsp, reasons)"
    )
    # Memory in a second, traced run (tracing slows Python down, so it is not timed).
    tracemalloc.start()
    matching.solve(candidates, slots, today)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory: solve's Python peak {peak / 2**20:.0f} MiB (tracemalloc), "
        f"process peak RSS {rss:.0f} MiB (inputs included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large-children", type=int, default=50_000)
    parser.add_argument("--large-seats", type=int, default=10_000)
    parser.add_argument("--skip-county", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    if not args.skip_county:
        county()
    if not args.skip_large:
        large(args.large_children, args.large_seats)


if __name__ == "__main__":
    main()
