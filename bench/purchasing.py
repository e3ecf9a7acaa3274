"""Closing a purchasing cycle at scale: N members × M items, on PostgreSQL by default.

Builds one alliance with ``--members`` programs, ``--items`` catalog items from 10 vendors
(every fifth item sold in packs of 12, so pack rounding runs), one open cycle offering every
item, and an order per member of ``--lines`` random items (``--lines 0`` = every item).
Then times ``close_cycle`` (consolidation, tiers, allocation, delivery split, one PO per
vendor) and prints the figures. It never asserts a time.

    .venv/bin/python bench/purchasing.py [--members 5000] [--items 500] [--lines 20]
    DATABASE_URL=sqlite:////tmp/p.sqlite3 .venv/bin/python bench/purchasing.py --members 500

The default database is postgres://postgres@127.0.0.1:5432/alliance_bench_purchasing, which
is dropped and created again on each run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench_purchasing"


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--lines", type=int, default=20, help="items per order; 0 = all")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    if url.startswith("postgres"):
        _fresh_postgres(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from alliance.accounts.models import Role, User
    from alliance.members.models import Alliance, Program
    from alliance.purchasing.models import Cycle, CycleItem, Item, Order, OrderLine, Vendor
    from alliance.purchasing.services_close import close_cycle

    rng = random.Random(7)
    started = time.perf_counter()
    with scopes_disabled():
        alliance = Alliance.objects.create(name="Bench County", slug="bench", county="Bench")
        hub = User.objects.create_user("hub@bench.example", "x")
        Role.objects.create(user=hub, kind="hub", alliance=alliance)
        programs = Program.objects.bulk_create(
            [
                Program(
                    alliance=alliance,
                    slug=f"p{i}",
                    name=f"Program {i:05d}",
                    kind="center",
                    town="Town",
                )
                for i in range(args.members)
            ],  # fmt: skip
            batch_size=2000,
        )
        vendors = Vendor.objects.bulk_create(
            [
                Vendor(
                    alliance=alliance,
                    name=f"Vendor {v}",
                    minimum_order=Decimal("500"),
                    delivery_fee=Decimal("45.00"),
                )
                for v in range(10)
            ]  # fmt: skip
        )
        items = []
        for i in range(args.items):
            price = Decimal(rng.randint(200, 6000)) / 100
            off = (price * Decimal("0.93")).quantize(Decimal("0.01"))
            tiers = [[1, str(price)], [200, str(off)],
                     [2000, str((price * Decimal("0.85")).quantize(Decimal("0.01")))]]  # fmt: skip
            items.append(Item(alliance=alliance, vendor=vendors[i % 10], sku=f"S{i}",
                              name=f"Item {i}", category="cleaning", unit="each",
                              pack_size=12 if i % 5 == 0 else 1, tiers=tiers,
                              baseline_price=price * Decimal("1.3")))  # fmt: skip
        items = Item.objects.bulk_create(items, batch_size=2000)
        now = timezone.now()
        cycle = Cycle.objects.create(
            alliance=alliance, name="Bench cycle", opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1), delivery_on=(now + timedelta(days=3)).date(),
        )  # fmt: skip
        cis = CycleItem.objects.bulk_create(
            [
                CycleItem(
                    cycle=cycle,
                    item=it,
                    vendor_id=it.vendor_id,
                    tiers=it.tiers,
                    baseline_price=it.baseline_price,
                    pack_size=it.pack_size,
                )
                for it in items
            ],  # fmt: skip
            batch_size=2000,
        )
        orders = Order.objects.bulk_create(
            [Order(program=p, cycle=cycle) for p in programs], batch_size=2000
        )
        per_order = args.lines or len(cis)
        batch: list[OrderLine] = []
        n_lines = 0
        for order in orders:
            for ci in rng.sample(cis, min(per_order, len(cis))):
                batch.append(OrderLine(order=order, program_id=order.program_id, cycle_item=ci,
                                       quantity=Decimal(rng.randint(1, 9)),
                                       tolerance=rng.choice([0, 0, 2])))  # fmt: skip
            if len(batch) >= 20000:
                OrderLine.objects.bulk_create(batch, batch_size=5000)
                n_lines += len(batch)
                batch = []
        OrderLine.objects.bulk_create(batch, batch_size=5000)
        n_lines += len(batch)
    built = time.perf_counter() - started

    with scopes_disabled():
        t0 = time.perf_counter()
        close_cycle(acting_user=hub, cycle=cycle, decisions={v.pk: "proceed" for v in vendors})
        took = time.perf_counter() - t0
    print(f"database          {connection.vendor}")
    print(f"members           {args.members}")
    print(f"items offered     {args.items}")
    print(f"order lines       {n_lines}")
    print(f"build data        {built:.1f} s")
    print(f"close_cycle       {took:.2f} s")


if __name__ == "__main__":
    main()
