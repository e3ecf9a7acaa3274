"""Monthly billing runs at scale, printed next to the floor: a bare bulk insert of the same
invoice and line rows. It never asserts a time.

Two modes:

* ``--children N`` (default 250,000, on PostgreSQL): one alliance with N enrolled children in
  ``--programs`` programs (default N ÷ 500), monthly tuition per classroom, CCAP
  authorizations for 30% of the children, a sibling discount and a registration fee; then
  the monthly runs of every program through ``services_runs.post_runs``, 60 programs a call.
* ``--county``: the county demo seed (3,500 children, 60 programs), then next month's runs of
  every program, the same way (one call).

The floor re-inserts exactly the rows the runs wrote (same columns, as manual invoices) with
``bulk_create`` in a transaction that is rolled back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_billing \\
        .venv/bin/python bench/billing.py --children 250000
    DATABASE_URL=sqlite:////tmp/billing-county.sqlite3 .venv/bin/python bench/billing.py --county

A PostgreSQL database named in ``DATABASE_URL`` is dropped and created again on each run; a
SQLite file is deleted first.
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
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench_billing"
PROGRAMS_PER_CALL = 60


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


def _build(children: int, programs: int, rng: random.Random):
    """One alliance, ``programs`` centers with 10 classrooms each, ``children`` enrolled."""
    from alliance.billing.models import (
        CcapAuthorization,
        DiscountPolicy,
        FamilyAccount,
        FeeType,
        SubsidyAgency,
        TuitionRate,
    )
    from alliance.enrollment.models import Enrollment
    from alliance.families.models import Child, Family
    from alliance.members.models import Alliance, Classroom, Program

    def bulk(model, rows):
        return model.objects.bulk_create(rows, batch_size=5000)

    alliance = Alliance.objects.create(name="Bench County", slug="bench", county="Bench")
    agency = SubsidyAgency.objects.create(alliance=alliance, name="Bench CCR&R", code="B")
    progs = bulk(
        Program,
        [
            Program(alliance=alliance, slug=f"p{i}", name=f"Program {i:05d}", kind="center",
                    town="Town", accepts_ccap=True)
            for i in range(programs)
        ],
    )  # fmt: skip
    rooms = bulk(
        Classroom,
        [
            Classroom(program=p, name=f"Room {r}", age_min_months=6 * r, age_max_months=6 * r + 11,
                      licensed_capacity=30, staffed_capacity=30)
            for p in progs
            for r in range(10)
        ],
    )  # fmt: skip
    start = date(2024, 1, 1)
    bulk(
        TuitionRate,
        [
            TuitionRate(program_id=room.program_id, classroom=room, schedule=s, period="monthly",
                        amount=Decimal(a), effective_from=start)
            for room in rooms
            for s, a in (("full", "1350.00"), ("part", "810.00"))
        ],
    )  # fmt: skip
    bulk(
        FeeType, [FeeType(program=p, name="Registration", amount=75, charge="once") for p in progs]
    )
    bulk(
        DiscountPolicy,
        [DiscountPolicy(program=p, kind="sibling", method="percent", value=10,
                        effective_from=start) for p in progs],
    )  # fmt: skip
    families = bulk(
        Family,
        [
            Family(alliance=alliance, name=f"Family {i}", guardian_name=f"Guardian {i}",
                   town="Town", zip_code="07201")
            for i in range(int(children / 1.4) + 1)
        ],
    )  # fmt: skip
    kids = bulk(
        Child,
        [
            Child(family=families[min(int(i / 1.4), len(families) - 1)], first_name=f"C{i}",
                  last_name="Bench",
                  birth_date=date(2021, 1, 1) + timedelta(days=rng.randint(0, 1400)))
            for i in range(children)
        ],
    )  # fmt: skip
    enrollments = []
    for i, kid in enumerate(kids):
        room = rooms[(i // 14) % len(rooms)]  # siblings land in the same program
        enrollments.append(
            Enrollment(program_id=room.program_id, child=kid, classroom=room,
                       start_date=date(2025, 3, rng.randint(1, 28)) if i % 40 == 0 else start,
                       schedule="part" if i % 5 == 0 else "full",
                       days="024" if i % 5 == 0 else "01234")
        )  # fmt: skip
    enrollments = bulk(Enrollment, enrollments)
    accounts = {}
    for e in enrollments:
        key = (e.program_id, e.child.family_id)
        if key not in accounts:
            accounts[key] = FamilyAccount(program_id=e.program_id, family_id=e.child.family_id,
                                          number=f"A{e.child.family_id:07d}")  # fmt: skip
    bulk(FamilyAccount, list(accounts.values()))
    bulk(
        CcapAuthorization,
        [
            CcapAuthorization(
                program_id=e.program_id, account=accounts[(e.program_id, e.child.family_id)],
                child=e.child, agency=agency, starts_on=start, ends_on=date(2025, 12, 31),
                schedule=e.schedule, provider_type="licensed_center", star_rating=0,
                weekly_copay=Decimal(rng.randint(0, 6000)) / 100,
            )
            for e in enrollments
            if rng.random() < 0.3
        ],
    )  # fmt: skip
    return progs


def _floor(run_ids: list[int]) -> tuple[float, int, int]:
    """Seconds to bulk insert the same invoice and line rows again (rolled back)."""
    from django.db import transaction

    from alliance.billing.models import Invoice, InvoiceLine

    invoices = list(Invoice.objects.filter(run_id__in=run_ids).order_by("pk"))
    lines = list(InvoiceLine.objects.filter(invoice__run_id__in=run_ids).order_by("pk"))
    by_invoice: dict[int, list] = {}
    for ln in lines:
        by_invoice.setdefault(ln.invoice_id, []).append(ln)
    t0 = time.perf_counter()
    with transaction.atomic():
        copies = []
        for inv in invoices:
            copies.append(Invoice(
                program_id=inv.program_id, account_id=inv.account_id, kind="manual",
                number=f"F-{inv.pk}", issued_on=inv.issued_on, due_on=inv.due_on,
                period_start=inv.period_start, period_end=inv.period_end, total=inv.total,
                family_amount=inv.family_amount, agency_amount=inv.agency_amount,
            ))  # fmt: skip
        Invoice.objects.bulk_create(copies, batch_size=2000)
        new_lines = [
            InvoiceLine(
                program_id=ln.program_id, invoice=copy, child_id=ln.child_id,
                enrollment_id=ln.enrollment_id, authorization_id=ln.authorization_id,
                kind=ln.kind, payer=ln.payer, description=ln.description,
                days_billed=ln.days_billed, days_scheduled=ln.days_scheduled, amount=ln.amount,
            )
            for inv, copy in zip(invoices, copies, strict=True)
            for ln in by_invoice.get(inv.pk, ())
        ]  # fmt: skip
        InvoiceLine.objects.bulk_create(new_lines, batch_size=5000)
        took = time.perf_counter() - t0
        transaction.set_rollback(True)
    return took, len(invoices), len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=250_000)
    parser.add_argument("--programs", type=int, default=0, help="default: children ÷ 500")
    parser.add_argument("--county", action="store_true", help="seed the county scale instead")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    _fresh(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from alliance.billing import services_runs
    from alliance.members.models import Program

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    t0 = time.perf_counter()
    with scopes_disabled():
        if args.county:
            call_command("seed", scale="county", verbosity=0)
            programs = list(Program.unscoped.order_by("pk"))
            day = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
        else:
            programs = _build(args.children, args.programs or max(1, args.children // 500), rng)
            day = date(2025, 3, 1)
    built = time.perf_counter() - t0

    with scopes_disabled():
        t0 = time.perf_counter()
        # The programs' runs through post_runs, PROGRAMS_PER_CALL programs a call (one
        # transaction each, everything read once, written in bulk; the county is one call;
        # calls bound the memory at 250,000 children). notify_families=False: a bench must not
        # queue family notifications (the worker would run them against the real database).
        run_ids = []
        for i in range(0, len(programs), PROGRAMS_PER_CALL):
            runs = services_runs.post_runs(
                acting_user=None,
                programs=programs[i : i + PROGRAMS_PER_CALL],
                period="monthly",
                days=[day],
                notify_families=False,
            )
            run_ids += [run.pk for run in runs]
        took = time.perf_counter() - t0
        floor, n_invoices, n_lines = _floor(run_ids)
    print(f"database             {connection.vendor}")
    print(f"mode                 {'county seed' if args.county else f'{args.children} children'}")
    print(f"programs billed      {len(run_ids)}")
    print(f"invoices / lines     {n_invoices} / {n_lines}")
    print(f"build data           {built:.1f} s")
    print(f"monthly runs         {took:.2f} s")
    print(f"floor (bulk insert)  {floor:.2f} s")
    print(f"ratio                {took / floor:.2f}× the floor" if floor else "ratio n/a")


if __name__ == "__main__":
    main()
