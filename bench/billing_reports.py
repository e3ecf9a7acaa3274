"""Billing reports at the county seed's scale: aging, collection rate (with DSO), deposits
and the accounting journal per program, and the hub-wide roll-ups over every member. It
prints figures and never asserts a time.

The county seed (about 3,500 children in 60 programs, 24 months of billing) is loaded into a
fresh database first; the report code is the code the pages and the API call.

    .venv/bin/python bench/billing_reports.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_reports \\
        .venv/bin/python bench/billing_reports.py

The default database is the SQLite file /tmp/alliance-bench-reports.sqlite3. A PostgreSQL
database named in ``DATABASE_URL`` is dropped and created again on each run; a SQLite file is
deleted first.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "sqlite:////tmp/alliance-bench-reports.sqlite3"


def _fresh(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def _timed(fn):
    from django.db import connection, reset_queries

    reset_queries()
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started, len(connection.queries)


def _line(label: str, times: list[float], queries: int) -> None:
    if len(times) == 1:
        print(f"{label:<34} {times[0] * 1000:8.1f} ms   {queries} queries")
    else:
        print(
            f"{label:<34} median {statistics.median(times) * 1000:7.1f} ms, "
            f"max {max(times) * 1000:7.1f} ms over {len(times)} programs; "
            f"{queries} queries each"
        )


def main() -> None:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    _fresh(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Max, Min
    from django_scopes import scopes_disabled

    settings.DEBUG = True  # count queries
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed", scale="county", verbosity=0)
    seeded = time.perf_counter() - started

    from alliance.billing import exports, reports
    from alliance.billing.models import FamilyAccount, Invoice, Payment
    from alliance.members.models import Alliance, Program

    with scopes_disabled():
        alliance = Alliance.objects.order_by("pk").first()
        members = list(
            Program.objects.filter(alliance=alliance).order_by("name").values_list("pk", "name")
        )
        span = Invoice.objects.aggregate(first=Min("issued_on"), last=Max("issued_on"))
        start, end = span["first"], span["last"]
        print(f"database                           {url.split('://')[0]}")
        print(f"seed (county)                      {seeded:8.1f} s")
        print(f"members of the first alliance      {len(members)}")
        print(f"accounts                           {FamilyAccount.objects.count()}")
        print(f"invoices                           {Invoice.objects.count()}  ({start} – {end})")
        print(f"payments                           {Payment.objects.count()}")
        if start is None:
            print("no invoices: the billing seed step did not run; nothing to time")
            return
        as_of = end
        per = {"aging": [], "collections": [], "deposits": [], "journal": []}
        queries = {}
        for pk, _name in members:
            ids = [pk]
            _r, t, q = _timed(lambda ids=ids: reports.aging(program_ids=ids, as_of=as_of))
            per["aging"].append(t)
            queries["aging"] = q
            _r, t, q = _timed(
                lambda ids=ids: reports.collections_by_month(program_ids=ids, start=start, end=end)
            )
            per["collections"].append(t)
            queries["collections"] = q
            _r, t, q = _timed(
                lambda ids=ids: reports.deposits_by_day(program_ids=ids, start=start, end=end)
            )
            per["deposits"].append(t)
            queries["deposits"] = q
        for program in Program.objects.filter(pk__in=[pk for pk, _ in members[:10]]):
            month_start = end.replace(day=1)
            entries, t, q = _timed(
                lambda program=program, month_start=month_start: exports.journal(
                    program=program, start=month_start, end=end
                )
            )
            per["journal"].append(t)
            queries["journal"] = q
            assert all(e.balanced for e in entries)
        print()
        print("per program (24 months of billing)")
        _line("aging", per["aging"], queries["aging"])
        _line("collection rate + bad debt + DSO", per["collections"], queries["collections"])
        _line("deposits by day", per["deposits"], queries["deposits"])
        _line("journal, one month", per["journal"], queries["journal"])
        print()
        print(f"hub-wide roll-up ({len(members)} members)")
        report, t, q = _timed(lambda: reports.aging_by_program(programs=members, as_of=as_of))
        _line("aging", [t], q)
        print(f"{'':<34} open {report.totals.total} (family {report.totals.family_total}, "
              f"agency {report.totals.agency_total})")  # fmt: skip
        coll, t, q = _timed(
            lambda: reports.collections_by_program(programs=members, start=start, end=end)
        )
        _line("collection rate + bad debt + DSO", [t], q)
        print(f"{'':<34} collection rate {coll.totals.collection_rate}%, bad debt "
              f"{coll.totals.bad_debt_rate}%, DSO {coll.dso} days")  # fmt: skip
        _r, t, q = _timed(
            lambda: reports.deposits_by_program(programs=members, start=start, end=end)
        )
        _line("deposits", [t], q)


if __name__ == "__main__":
    main()
