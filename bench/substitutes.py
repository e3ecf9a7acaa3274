"""The substitute pool at scale: rank 5,000 substitutes for one request, dispatch 1,000.

Builds one alliance with ``--programs`` centers in Union County towns and ``--subs``
substitutes (profile, weekday availability, CPR/CARI/fingerprints, some history of
assignments and ratings), then prints:

* ranking: the pure scoring of every substitute for one request (facts already loaded),
  and the whole step a dispatch runs (loading the facts in a fixed number of queries +
  scoring), median of several runs;
* dispatch: ``--requests`` requests (waves of 5) dispatched one after the other, each in
  its own transaction: ranking, offers, and the notifications (in-app, email and text,
  delivered through the in-memory providers).

It never asserts a time.

    .venv/bin/python bench/substitutes.py [--subs 5000] [--requests 1000] [--programs 40]
    DATABASE_URL=sqlite:////tmp/s.sqlite3 .venv/bin/python bench/substitutes.py

The default database is postgres://postgres@127.0.0.1:5432/alliance_bench_substitutes,
dropped and created again on each run.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench_substitutes"


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _weekdays(start: date, n: int) -> list[date]:
    days, day = [], start
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subs", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--programs", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("HUEY_IMMEDIATE", "1")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("SMS_PROVIDER", "alliance.notifications.sms.MemorySmsProvider")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if url.startswith("postgres"):
        _fresh_postgres(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from alliance.accounts.models import Role, User
    from alliance.core.tenancy import program_scope
    from alliance.members.models import Alliance, Classroom, Program
    from alliance.seed.data import UNION_COUNTY_TOWNS
    from alliance.staffing.models import Credential
    from alliance.substitutes import services
    from alliance.substitutes.candidates import facts_for, load_candidates
    from alliance.substitutes.history import refresh_history
    from alliance.substitutes.models import (
        Assignment,
        Availability,
        Offer,
        PoolSettings,
        Rating,
        SubstituteProfile,
        SubstituteRequest,
    )
    from alliance.substitutes.ranking import rank

    rng = random.Random(11)
    towns = [t for t, _zip in UNION_COUNTY_TOWNS]
    today = timezone.localdate()
    started = time.perf_counter()
    with scopes_disabled():
        alliance = Alliance.objects.create(name="Bench County", slug="bench", county="Union")
        PoolSettings.objects.create(alliance=alliance, wave_size=5)
        programs = Program.objects.bulk_create(
            [
                Program(
                    alliance=alliance,
                    slug=f"p{i}",
                    name=f"Center {i:03d}",
                    kind="center",
                    town=towns[i % len(towns)],
                    languages=["English", "Spanish"] if i % 3 == 0 else ["English"],
                    licensed_capacity=80,
                    staffed_capacity=70,
                )
                for i in range(args.programs)
            ]
        )
        rooms = Classroom.objects.bulk_create(
            [
                Classroom(
                    program=p,
                    name="Toddlers",
                    age_min_months=18,
                    age_max_months=35,
                    licensed_capacity=12,
                    staffed_capacity=12,
                )
                for p in programs
            ]
        )
        director = User.objects.create_user("director@bench.example", "x")
        users = User.objects.bulk_create(
            [
                User(email=f"sub{i}@bench.example", full_name=f"Sub {i:05d}")
                for i in range(args.subs)
            ],
            batch_size=2000,
        )
        Role.objects.bulk_create(
            [Role(user=u, kind="substitute", alliance=alliance) for u in users], batch_size=2000
        )
        quals = ["assistant", "lead_teacher", "infant_toddler", "preschool", "school_age", "cda"]
        profiles = SubstituteProfile.objects.bulk_create(
            [
                SubstituteProfile(
                    alliance=alliance,
                    user=u,
                    home_town=rng.choice(towns),
                    travel_miles=rng.choice([5, 10, 15, 25]),
                    qualifications=rng.sample(quals, rng.randrange(1, 5)),
                    languages=["English", "Spanish"] if rng.random() < 0.3 else ["English"],
                    pay_rate=Decimal("19.00"),
                )
                for u in users
            ],
            batch_size=2000,
        )
        Availability.objects.bulk_create(
            [
                Availability(profile=p, weekday=d, start=clock(6), end=clock(19))
                for p in profiles
                for d in range(5)
                if rng.random() < 0.8
            ],
            batch_size=5000,
        )
        Credential.objects.bulk_create(
            [
                Credential(
                    alliance=alliance,
                    person=u,
                    kind=kind,
                    issued_on=today - timedelta(days=300),
                    expires_on=today + timedelta(days=rng.choice([-5, 400, 400, 400, 400])),
                )
                for u in users
                for kind in ("cpr_first_aid", "cari", "fingerprints")
            ],
            batch_size=5000,
        )
        # Some history: past filled requests with assignments and ratings.
        past = SubstituteRequest.objects.bulk_create(
            [
                SubstituteRequest(
                    program=programs[i % len(programs)],
                    dates=[(today - timedelta(days=1 + i % 40)).isoformat()],
                    first_date=today - timedelta(days=1 + i % 40),
                    last_date=today - timedelta(days=1 + i % 40),
                    start=clock(8),
                    end=clock(16),
                    mode="waves",
                    status="filled",
                )
                for i in range(args.subs)
            ],
            batch_size=2000,
        )
        done = Assignment.objects.bulk_create(
            [
                Assignment(
                    request=r,
                    substitute=rng.choice(users),
                    status=rng.choice(["completed"] * 20 + ["no_show"]),
                    accepted_at=timezone.now(),
                )
                for r in past
            ],
            batch_size=2000,
        )
        Rating.objects.bulk_create(
            [
                Rating(
                    assignment=a,
                    program_id=a.request.program_id,
                    substitute_id=a.substitute_id,
                    stars=rng.randrange(2, 6),
                )
                for a in done[: len(done) // 2]
            ],
            batch_size=2000,
        )
        # Bulk rows bypass the services that keep each substitute's counters.
        refresh_history(alliance_id=alliance.pk)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in a running database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {args.programs} centers, {args.subs} substitutes "
        f"({connection.vendor}) in {time.perf_counter() - started:.1f} s"
    )

    # --- ranking --------------------------------------------------------------------------
    # A dispatch runs in a worker whose memory does not hold thousands of freshly built
    # objects: drop them, so the garbage collector's scans of them are not timed.
    del users, profiles, past, done
    gc.collect()
    day = _weekdays(today + timedelta(days=3), 1)[0]
    program = Program.unscoped.select_related("alliance").get(pk=programs[0].pk)
    request = SubstituteRequest(
        program=program,
        classroom=rooms[0],
        dates=[day.isoformat()],
        first_date=day,
        last_date=day,
        start=clock(8),
        end=clock(15),
        requirements=["assistant"],
        mode="waves",
    )
    with program_scope(program):
        facts = facts_for(request)
        # Scoring alone: every substitute of the pool, none left out by the database.
        candidates = load_candidates(alliance_id=alliance.pk, request=request, prefilter=False)
        pure = []
        for _ in range(15):
            t0 = time.perf_counter()
            ranked = rank(candidates, facts)
            pure.append(time.perf_counter() - t0)
        with CaptureQueriesContext(connection) as queries:
            rank(load_candidates(alliance_id=alliance.pk, request=request), facts)
        # Timed without capturing the queries (Django's query log is not part of a dispatch).
        full = []
        for _ in range(15):
            t0 = time.perf_counter()
            loaded = load_candidates(alliance_id=alliance.pk, request=request)
            ranked = rank(loaded, facts)
            full.append(time.perf_counter() - t0)
        # Tiered release (waves): the program's favourites and usual substitutes, two
        # queries per dispatch on top of the loading above, then one wave picked.
        from alliance.substitutes.models import Favourite, SubstituteProfile
        from alliance.substitutes.tiers import take_wave, tiers_for

        with scopes_disabled():
            picked = SubstituteProfile.objects.filter(alliance=alliance).values_list(
                "user_id", flat=True
            )[:10]
            Favourite.objects.bulk_create(
                [Favourite(program=program, substitute_id=uid) for uid in picked],
                ignore_conflicts=True,
            )
        tier_times = []
        for _ in range(9):
            t0 = time.perf_counter()
            tiers = tiers_for(request)
            wave = take_wave(ranked, tiers, 5, tiered=True)
            tier_times.append(time.perf_counter() - t0)
    print(
        f"rank {len(candidates)} substitutes: scoring {statistics.median(pure) * 1000:.1f} ms "
        f"(median of 15, best {min(pure) * 1000:.1f} ms; {len(ranked)} eligible); "
        f"loading the facts and scoring, as a dispatch does, "
        f"{statistics.median(full) * 1000:.1f} ms "
        f"(median of 15, best {min(full) * 1000:.1f} ms; {len(queries.captured_queries)} "
        f"queries, {len(loaded)} substitutes left after the database's filters)"
    )
    print(
        f"tiered release: favourites and usual substitutes read and a wave chosen in "
        f"{statistics.median(tier_times) * 1000:.1f} ms (median of 9, 2 queries; "
        f"{len(tiers.favourites)} favourites, {len(tiers.usual)} usual, wave of {len(wave)})"
    )
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        with program_scope(program):
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(5):
                rank(load_candidates(alliance_id=alliance.pk, request=request), facts)
            prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    if os.environ.get("BENCH_VERBOSE"):
        for q in queries.captured_queries:
            print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:150]}")
    if not args.requests:
        return

    # --- dispatch -------------------------------------------------------------------------
    days = _weekdays(today + timedelta(days=2), 30)
    with scopes_disabled():
        batch = SubstituteRequest.objects.bulk_create(
            [
                SubstituteRequest(
                    program=programs[i % len(programs)],
                    classroom=rooms[i % len(programs)],
                    dates=[days[i % len(days)].isoformat()],
                    first_date=days[i % len(days)],
                    last_date=days[i % len(days)],
                    start=clock(7 + i % 3),
                    end=clock(15 + i % 3),
                    mode="waves",
                    requested_by=director,
                )
                for i in range(args.requests)
            ]
        )
    by_id = {p.pk: p for p in Program.unscoped.select_related("alliance").filter(alliance=alliance)}
    times = []
    t_all = time.perf_counter()
    for req in batch:
        with program_scope(by_id[req.program_id]):
            t0 = time.perf_counter()
            with transaction.atomic():
                services.dispatch_request(request_id=req.pk)
            times.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    with scopes_disabled():
        offers = Offer.objects.filter(request__in=batch).count()
    times.sort()
    print(
        f"dispatch {len(batch)} requests: {total:.1f} s total, "
        f"{statistics.median(times) * 1000:.0f} ms median, "
        f"{times[int(len(times) * 0.95)] * 1000:.0f} ms p95 per request; "
        f"{offers} offers with notifications"
    )


if __name__ == "__main__":
    main()
