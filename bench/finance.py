"""The hub's alliance-wide finance page (every member side by side, sorted by risk, with the
peer-group quartiles) and a director's benchmarks page at the state seed's size: 5,000
programs in one alliance, on PostgreSQL by default. Prints latency and query counts; never
asserts a time.

Builds with ``bulk_create`` only what the pages read: programs (2/3 centers, 1/3 family
homes), 4 classrooms per center and 1 per home, ``--children`` enrollments per program
(a quarter part time), and for 90% of programs a family account with three invoices,
payments and, now and then, a bad-debt write-off.

    .venv/bin/python bench/finance.py [--programs 5000] [--children 12] [--runs 3]
    DATABASE_URL=sqlite:////tmp/f.sqlite3 .venv/bin/python bench/finance.py --programs 500

The default database is postgres://postgres@127.0.0.1:5432/alliance_bench_finance, which is
dropped and created again on each run.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench_finance"


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(n_programs: int, n_children: int, rng: random.Random):
    from alliance.accounts.models import Role, User
    from alliance.billing.models import CreditNote, FamilyAccount, Invoice, Payment
    from alliance.enrollment.models import Enrollment
    from alliance.families.models import Child, Family
    from alliance.members.models import Alliance, Classroom, Program

    today = date.today()
    alliance = Alliance.objects.create(name="Bench State", slug="bench", county="Bench")
    hub = User.objects.create_user("hub@bench.example", "x")
    Role.objects.create(user=hub, kind="hub", alliance=alliance)
    programs = Program.objects.bulk_create(
        [
            Program(
                alliance=alliance,
                slug=f"p{i}",
                name=f"Program {i:05d}",
                kind="family_home" if i % 3 == 2 else "center",
                town="Town",
                licensed_capacity=5 if i % 3 == 2 else rng.choice([40, 60, 110]),
                staffed_capacity=5 if i % 3 == 2 else 40,
            )
            for i in range(n_programs)
        ],
        batch_size=2000,
    )
    director = User.objects.create_user("director@bench.example", "x")
    Role.objects.create(user=director, kind="director", alliance=alliance, program=programs[0])
    rooms = []
    for p in programs:
        if p.kind == "family_home":
            rooms.append(
                Classroom(
                    program=p,
                    name="Home",
                    age_min_months=0,
                    age_max_months=72,
                    licensed_capacity=5,
                    staffed_capacity=5,
                )
            )
        else:
            for name, lo, hi, seats in (
                ("Infants", 0, 17, 8),
                ("Toddlers", 18, 35, 12),
                ("Threes", 36, 47, 10),
                ("Pre-K", 48, 59, 10),
            ):
                rooms.append(
                    Classroom(
                        program=p,
                        name=name,
                        age_min_months=lo,
                        age_max_months=hi,
                        licensed_capacity=seats,
                        staffed_capacity=seats,
                    )
                )
    rooms = Classroom.objects.bulk_create(rooms, batch_size=5000)
    by_program: dict[int, list] = {}
    for room in rooms:
        by_program.setdefault(room.program_id, []).append(room)
    families = Family.objects.bulk_create(
        [
            Family(
                alliance=alliance, name=f"F{p.pk}", guardian_name="G", town="T", zip_code="07201"
            )
            for p in programs
        ],
        batch_size=5000,
    )
    children, places = [], []
    for p, fam in zip(programs, families, strict=True):
        count = rng.randint(max(1, n_children // 3), n_children) if p.kind == "center" else 4
        for _i in range(count):
            children.append(
                Child(
                    family=fam,
                    first_name="C",
                    last_name="K",
                    birth_date=today - timedelta(days=700),
                )
            )
            places.append((p, rng.choice(by_program[p.pk])))
    children = Child.objects.bulk_create(children, batch_size=5000)
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                program=p,
                classroom=room,
                child=child,
                start_date=today - timedelta(days=rng.randint(30, 600)),
                schedule="part" if rng.random() < 0.25 else "full",
            )
            for child, (p, room) in zip(children, places, strict=True)
        ],
        batch_size=5000,
    )
    billed = [p for p in programs if rng.random() < 0.9]
    accounts = FamilyAccount.objects.bulk_create(
        [
            FamilyAccount(program=p, family=fam, number="A1")
            for p, fam in zip(programs, families, strict=True)
            if p in set(billed)
        ],
        batch_size=5000,
    )
    invoices, payments, credits = [], [], []
    for acct in accounts:
        for k in range(3):
            on = today - timedelta(days=10 + 30 * k)
            total = Decimal(rng.randint(2000, 9000))
            invoices.append(
                Invoice(
                    program_id=acct.program_id,
                    account=acct,
                    kind="manual",
                    number=f"I{k}",
                    issued_on=on,
                    due_on=on + timedelta(days=10),
                    total=total,
                    family_amount=total,
                    agency_amount=0,
                )
            )
            paid = (total * Decimal(rng.choice(["1", "0.97", "0.9", "0.7"]))).quantize(
                Decimal("0.01")
            )
            payments.append(
                Payment(
                    program_id=acct.program_id,
                    account=acct,
                    payer_kind="family",
                    kind="payment",
                    method="check",
                    amount=paid,
                    received_on=on + timedelta(days=5),
                )
            )
        if rng.random() < 0.2:
            credits.append(
                CreditNote(
                    program_id=acct.program_id,
                    account=acct,
                    kind="write_off",
                    number="C1",
                    amount=Decimal(rng.randint(50, 400)),
                    issued_on=today - timedelta(days=20),
                    reason="Bad debt",
                )
            )
    Invoice.objects.bulk_create(invoices, batch_size=5000)
    Payment.objects.bulk_create(payments, batch_size=5000)
    CreditNote.objects.bulk_create(credits, batch_size=5000)
    return hub, director, programs[0], len(children), len(invoices)


def timed(client, url: str, runs: int, cold: bool) -> tuple[list[float], int, int]:
    """``cold``: the alliance-wide figures' cache is emptied before each run (what the first
    request in 5 minutes costs); else they are cached (every other request)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: first-request imports, templates and translation catalogs
    times, queries, status = [], 0, 0
    for _i in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
        queries, status = len(ctx.captured_queries), response.status_code
    return times, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", type=int, default=5000)
    parser.add_argument("--children", type=int, default=12, help="most enrollments per center")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    if url.startswith("postgres"):
        _fresh_postgres(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_scopes import scopes_disabled

    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("alliance.request").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with scopes_disabled():
        hub, director, first, n_children, n_invoices = build(
            args.programs, args.children, random.Random(7)
        )
    built = time.perf_counter() - started
    print(f"database          {connection.vendor}")
    print(f"programs          {args.programs:,} (children {n_children:,}, invoices {n_invoices:,})")
    print(f"build             {built:.1f} s")
    client = Client()
    client.force_login(hub, backend="alliance.accounts.backends.EmailBackend")
    for label, path, cold in (
        ("hub p.1 cold", "/a/bench/hub/finance/", True),
        ("hub p.1 cached", "/a/bench/hub/finance/", False),
        ("hub p.50 cached", "/a/bench/hub/finance/?page=50", False),
    ):
        times, queries, status = timed(client, path, args.runs, cold)
        print(
            f"{label:<18}status {status}, {queries} queries, median "
            f"{statistics.median(times) * 1000:.0f} ms (runs: "
            f"{', '.join(f'{t * 1000:.0f}' for t in times)} ms)"
        )
    director_client = Client()
    director_client.force_login(director, backend="alliance.accounts.backends.EmailBackend")
    for label, path, cold in (
        ("benchmarks cold", f"/p/{first.slug}/finance/benchmarks/", True),
        ("benchmarks cached", f"/p/{first.slug}/finance/benchmarks/", False),
        ("dashboard", f"/p/{first.slug}/finance/", True),
    ):
        times, queries, status = timed(director_client, path, args.runs, cold)
        print(
            f"{label:<18}status {status}, {queries} queries, median "
            f"{statistics.median(times) * 1000:.0f} ms (runs: "
            f"{', '.join(f'{t * 1000:.0f}' for t in times)} ms)"
        )


if __name__ == "__main__":
    main()
