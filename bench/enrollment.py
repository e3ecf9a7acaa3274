"""The matching engine at scale. Prints figures; never asserts a time.

1. County: a fresh database seeded with ``alliance seed --scale county`` (about 1,200
   waiting children, 250 classrooms), then one ``run_matching`` end to end (loading the
   waiting list and openings, solving, writing proposals), timed.
2. Large: 50,000 waiting children × 10,000 open seats (3,000 classrooms in 400 towns), built
   in memory and solved with the same engine (``matching.solve``): candidate edges, sparse
   matrix, LAPJVsp, and HiGHS for the parts with brothers and sisters (15% of the children
   by default, ``--sibling-share``). Peak Python memory (tracemalloc) and the process's peak
   RSS are printed.

    .venv/bin/python bench/enrollment.py [--large-children 50000] [--large-seats 10000]
    .venv/bin/python bench/enrollment.py --skip-county [--seed 7]

The county run uses SQLite in a temporary file unless DATABASE_URL is set, and seeds only
the base data and enrollment's step (``--all-seed-steps`` for every module).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def county(all_steps: bool = False, repeat: int = 3) -> None:
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/county.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count, Sum

    from alliance.core.tenancy import alliance_scope
    from alliance.enrollment.services_offers import run_matching
    from alliance.members.models import Alliance

    if not all_steps:
        # Only the base data and enrollment's own step: the matching run reads nothing else,
        # and another module's seed step (being built) cannot break this benchmark.
        import alliance.seed.generate as generate

        every_step = generate.registered_steps
        generate.registered_steps = lambda: [
            (name, step) for name, step in every_step() if name.startswith("enrollment")
        ]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed", scale="county", verbosity=0)
    print(f"county seed ready in {time.perf_counter() - started:.1f} s")
    alliance = Alliance.objects.order_by("pk").first()
    from alliance.enrollment.models import Applicant

    with alliance_scope(alliance):
        with_siblings = (
            Applicant.objects.filter(application__alliance=alliance)
            .values("application_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .aggregate(children=Sum("n"))["children"]
        )
        times, cpu = [], []
        for _round in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            run = run_matching(acting_user=None, alliance=alliance)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    print(
        f"county matching run: {run.applicants} waiting children ({with_siblings} of them with "
        f"a brother or sister on the same application), {run.seats} open seats, "
        f"{run.matched} matched, total score {run.total_score:.0f}; end to end (load, solve, "
        f"write proposals) best {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"of {repeat} runs (CPU time best {min(cpu):.2f} s: what a quiet machine needs); "
        f"optimality gap {run.optimality_gap:.5%}; load average {os.getloadavg()[0]:.1f}"
    )


def build_large(n_children: int, n_seats: int, seed: int = 7, sibling_share: float = 0.15):
    """The large run's in-memory problem: (candidates, slots, today)."""
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
        if candidates and rng.random() < sibling_share:
            # A brother or sister on the same application: same family, town and wishes.
            first = candidates[-1]
            candidates.append(
                replace(
                    first,
                    key=i,
                    birth_date=today - timedelta(days=rng.randint(0, 5 * 365)),
                    family=first.family,
                    name=f"child{i}",
                )
            )
            continue
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
                family=i,
                name=f"child{i}",
            )
        )
    return candidates, slots, today


def large(n_children: int, n_seats: int, seed: int = 7, sibling_share: float = 0.15) -> None:
    from alliance.enrollment import matching

    candidates, slots, today = build_large(n_children, n_seats, seed, sibling_share)
    siblings = n_children - len({c.family for c in candidates})
    started = time.perf_counter()
    edges = matching.candidate_edges(candidates, slots, today)
    t_edges = time.perf_counter() - started
    started, started_cpu = time.perf_counter(), time.process_time()
    matches, gap = matching.solve_with_gap(candidates, slots, today)
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"large matching: {n_children:,} children ({siblings:,} second or third siblings) × "
        f"{n_seats:,} seats in {len(slots):,} rooms: "
        f"{len(edges):,} feasible child-room edges ({t_edges:.1f} s to list them), "
        f"{len(matches):,} matched, total score {sum(m.score for m in matches):,.0f}, "
        f"solve {elapsed:.1f} s wall, {elapsed_cpu:.1f} s CPU (edges, scores, LAPJVsp and HiGHS "
        f"for the sibling parts, "
        f"reasons); proven optimality gap {gap:.5%} (0 = optimal; HiGHS is given "
        f"{matching.INTEGER_PROGRAM_SECONDS:.0f} s); seed {seed}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    # Memory in a second, traced run (tracing slows Python down, so it is not timed).
    tracemalloc.start()
    matching.solve_with_gap(candidates, slots, today)
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
    parser.add_argument(
        "--sibling-share",
        type=float,
        default=0.15,
        help="share of large-run children who are a brother or sister of the previous one",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed of the large run")
    parser.add_argument("--repeat", type=int, default=3, help="county runs (best and median)")
    parser.add_argument(
        "--all-seed-steps", action="store_true", help="seed every module, not only enrollment"
    )
    args = parser.parse_args()
    if not args.skip_county:
        county(all_steps=args.all_seed_steps, repeat=args.repeat)
    if not args.skip_large:
        large(
            args.large_children, args.large_seats, seed=args.seed, sibling_share=args.sibling_share
        )


if __name__ == "__main__":
    main()
