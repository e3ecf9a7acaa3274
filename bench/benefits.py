"""Premium statements at scale: the county seed, and 50,000 staff (state scale).

``--scale county`` seeds the county demo (``alliance seed``'s own generator) into a fresh
database; ``--scale state`` builds 20 alliances × 250 members × 10 staff = 50,000 staff
directly with bulk_create (the full state seed is slower and holds far more than benefits
need), with the seed's plans, policies at most members and elections for about 55% of staff.
Then it times, for the month, every member's premium statement, the largest one, the hub's
carrier remittance of each alliance, and the participation figures, and prints them. It
never asserts a time.

    .venv/bin/python bench/benefits.py --scale county
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_benefits \\
        .venv/bin/python bench/benefits.py --scale state

The default database is postgres://postgres@127.0.0.1:5432/alliance_bench_benefits, which
is dropped and created again on each run (a SQLite URL is used as given).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench_benefits"
TODAY = date(2026, 11, 29)


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _build_state(alliances: int, members: int, staff_per: int) -> None:
    """Alliances, members and staff by bulk_create, then the benefits seed step itself."""
    from alliance.benefits.seed import seed_benefits
    from alliance.members.models import Alliance, Program
    from alliance.seed.registry import SeedContext
    from alliance.staffing.models import StaffMember

    rng = random.Random(11)
    roles = ["head_teacher", "group_teacher", "group_teacher", "assistant", "aide", "cook"]
    for a in range(alliances):
        alliance = Alliance.objects.create(name=f"County {a}", slug=f"county-{a}", county=f"C{a}")
        programs = Program.objects.bulk_create(
            [Program(alliance=alliance, slug=f"c{a}-p{i}", name=f"Member {a}-{i:03d}",
                     kind="center", town="Town") for i in range(members)],
            batch_size=2000,
        )  # fmt: skip
        StaffMember.objects.bulk_create(
            [
                StaffMember(
                    program=p, full_name=f"Person {a}-{i}-{n}", role=rng.choice(roles),
                    hire_date=TODAY - timedelta(days=rng.randint(20, 3000)),
                    hours_per_week=Decimal(rng.choice([40, 40, 37.5, 30, 25])),
                    wage=Decimal(rng.randint(1500, 2600)) / 100,
                )
                for i, p in enumerate(programs)
                for n in range(staff_per)
            ],
            batch_size=5000,
        )  # fmt: skip
        ctx = SeedContext(
            rng=random.Random(f"benefits-{a}"), scale=None, today=TODAY,
            history_start=TODAY - timedelta(days=365), password_hash="", log=print,
            alliance=alliance, is_demo=False, towns=[], programs=programs,
        )  # fmt: skip
        seed_benefits(ctx)


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="county", choices=["county", "state"])
    parser.add_argument("--alliances", type=int, default=20)
    parser.add_argument("--members", type=int, default=250)
    parser.add_argument("--staff-per-member", type=int, default=10)
    parser.add_argument(
        "--reuse", action="store_true", help="time the data already in DATABASE_URL"
    )
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("HUEY_IMMEDIATE", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if url.startswith("postgres") and not args.reuse:
        _fresh_postgres(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from alliance.benefits import figures, statements
    from alliance.benefits.models import Election
    from alliance.core.tenancy import alliance_scope, program_scope
    from alliance.members.models import Alliance, Program
    from alliance.staffing.models import StaffMember

    started = time.perf_counter()
    with scopes_disabled(), transaction.atomic():
        if args.reuse:
            pass
        elif args.scale == "county":
            from alliance.seed.generate import seed

            seed("county", today=TODAY, log=lambda msg: None)
        else:
            _build_state(args.alliances, args.members, args.staff_per_member)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    built = time.perf_counter() - started
    month = TODAY.replace(day=1)
    with scopes_disabled():
        alliances = list(Alliance.objects.order_by("pk"))
        programs = list(Program.objects.select_related("alliance").order_by("pk"))
        n_staff = StaffMember.objects.filter(separated_on__isnull=True).count()
        n_elections = Election.objects.count()
    statement_time = 0.0
    largest = (0, 0.0)
    billed = Decimal(0)
    for program in programs:
        with program_scope(program):
            found, took = _timed(lambda p=program: statements.premium_statement(p, month))
        statement_time += took
        billed += found.total.premium
        if len(found.rows) > largest[0]:
            largest = (len(found.rows), took)
    with scopes_disabled():
        every, one_pass = _timed(lambda: statements.premium_rows(Election.objects.all(), month))
    remit_time = 0.0
    part_time = 0.0
    remitted = Decimal(0)
    for alliance in alliances:
        with alliance_scope(alliance):
            (carriers, total), took = _timed(lambda a=alliance: statements.remittance(a, month))
            remit_time += took
            remitted += total.premium
            members = [p for p in programs if p.alliance_id == alliance.pk]
            _rows, took = _timed(lambda m=members: figures.participation(m, TODAY))
            part_time += took
    print(f"database                     {connection.vendor}")
    print(f"scale                        {args.scale}")
    print(f"alliances / members          {len(alliances)} / {len(programs)}")
    print(f"current staff                {n_staff}")
    print(f"elections                    {n_elections}")
    print(f"build data                   {built:.1f} s")
    print(f"all member statements        {statement_time:.2f} s ({len(programs)} statements)")
    print(f"largest statement            {largest[1] * 1000:.1f} ms ({largest[0]} rows)")
    print(f"every premium, one pass      {one_pass:.2f} s ({len(every)} premium rows)")
    print(f"hub remittances              {remit_time:.2f} s ({len(alliances)} alliances)")
    print(f"participation figures        {part_time:.2f} s")
    print(f"premiums billed / remitted   {billed:,.2f} / {remitted:,.2f}")


if __name__ == "__main__":
    main()
