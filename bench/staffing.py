"""The ratio board of a 20-classroom center: queries and time per render.

Builds one alliance with one center of ``--rooms`` classrooms (ages from infants to
school-age), ``--staff-per-room`` teachers scheduled in each room every weekday, and
``--children`` children per room enrolled and checked in today (real enrollment rows, read
through ``alliance.enrollment.queries``). Then prints, for the director's board page
(``/p/<slug>/ratios/``), the htmx refresh and ``GET /api/v1/programs/<slug>/ratio-status``:
the SQL queries of one request and the median time of ``--runs`` requests.

It never asserts a time.

    .venv/bin/python bench/staffing.py [--rooms 20] [--children 12] [--runs 20]
    DATABASE_URL=sqlite:////tmp/s.sqlite3 .venv/bin/python bench/staffing.py

The default database is postgres://postgres@127.0.0.1:5432/alliance_bench_staffing,
dropped and created again on each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench_staffing"


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--staff-per-room", type=int, default=2)
    parser.add_argument("--children", type=int, default=12)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("HUEY_IMMEDIATE", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if url.startswith("postgres"):
        _fresh_postgres(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from alliance.accounts.models import Role, User
    from alliance.accounts.services import issue_api_token
    from alliance.enrollment.models import Attendance, Enrollment
    from alliance.families.models import Child, Family
    from alliance.members.models import Alliance, Classroom, Program
    from alliance.staffing.models import ScheduleBlock, StaffMember

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    with scopes_disabled():
        alliance = Alliance.objects.create(name="Bench Alliance", slug="bench", county="Union")
        program = Program.objects.create(
            alliance=alliance,
            slug="big-center",
            name="Big Center",
            kind="center",
            town="Elizabeth",
            licensed_capacity=args.rooms * args.children,
            staffed_capacity=args.rooms * args.children,
        )
        director = User.objects.create_user("director@bench.example.org", "bench-password-1")
        Role.objects.create(user=director, kind="director", alliance=alliance, program=program)
        family = Family.objects.create(alliance=alliance, name="Bench")
        ages = [6, 14, 20, 26, 34, 40, 50, 56, 64, 70]
        start = datetime.combine(today, clock(0, 1), tzinfo=timezone.get_current_timezone())
        for i in range(args.rooms):
            age = ages[i % len(ages)]
            room = Classroom.objects.create(
                program=program,
                name=f"Room {i + 1:02}",
                age_min_months=max(age - 6, 0),
                age_max_months=age + 6,
                licensed_capacity=args.children,
                staffed_capacity=args.children,
            )
            for s in range(args.staff_per_room):
                staff = StaffMember.objects.create(
                    program=program,
                    full_name=f"Teacher {i}-{s}",
                    role="group_teacher",
                    hire_date=date(2022, 1, 1),
                    hours_per_week=Decimal(40),
                    wage=Decimal("19.00"),
                )
                ScheduleBlock.objects.bulk_create(
                    ScheduleBlock(
                        program=program,
                        staff=staff,
                        classroom=room,
                        weekday=d,
                        starts_at=clock(0, 0),
                        ends_at=clock(23, 59),
                    )
                    for d in range(7)
                )
            born = today - timedelta(days=int(age * 30.44))
            children = Child.objects.bulk_create(
                Child(family=family, first_name=f"C{i}-{c}", last_name="B", birth_date=born)
                for c in range(args.children)
            )
            Enrollment.objects.bulk_create(
                Enrollment(
                    program=program,
                    child=child,
                    classroom=room,
                    start_date=today - timedelta(days=30),
                    days="0123456",
                )
                for child in children
            )
            Attendance.objects.bulk_create(
                Attendance(
                    program=program, child=child, classroom=room, date=today, checked_in_at=start
                )
                for child in children
            )
    # As in Django's test runner: keep the connection (and its query log) across requests.
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(director, backend="alliance.accounts.backends.EmailBackend")
    token = issue_api_token(user=director, name="bench")
    targets = [
        ("board page", "/p/big-center/ratios/", {}),
        ("htmx refresh", "/p/big-center/ratios/", {"HTTP_HX_REQUEST": "true"}),
        ("API ratio-status", "/api/v1/programs/big-center/ratio-status",
         {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
    ]  # fmt: skip
    print(
        f"{args.rooms} classrooms, {args.rooms * args.staff_per_room} scheduled teachers, "
        f"{args.rooms * args.children} children checked in ({connection.vendor})"
    )
    for label, path, headers in targets:
        client.get(path, **headers)  # warm up
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(ctx.captured_queries)
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            client.get(path, **headers)
            times.append((time.perf_counter() - began) * 1000)
        print(
            f"{label:18} {queries:3d} queries  "
            f"median {statistics.median(times):6.1f} ms  (of {args.runs})"
        )


if __name__ == "__main__":
    main()
