"""Demo purchasing: vendors, a ~60-item catalog with tiers and retail baselines, a closed
cycle from last month with orders from most programs (so savings show), and an open cycle
the demo directors can order in right away."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from alliance.purchasing import services
from alliance.purchasing.models import Category, Vendor
from alliance.purchasing.seed_data import ITEMS, VENDORS
from alliance.purchasing.services_close import close_cycle
from alliance.seed.registry import SeedContext, register_step

CENT = Decimal("0.01")


def _tiers(price: Decimal) -> str:
    """List price for a single unit; 7% off from 20 pooled units, 13% off from 60."""
    mid = (price * Decimal("0.93")).quantize(CENT, ROUND_HALF_UP)
    top = (price * Decimal("0.87")).quantize(CENT, ROUND_HALF_UP)
    return f"1:{price}|20:{mid}|60:{top}"


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_purchasing(ctx: SeedContext) -> dict[str, int]:
    hub, alliance, rng = ctx.hub, ctx.alliance, ctx.rng
    vendors: list[Vendor] = []
    for name, contact, email, areas, days, minimum, fee, terms in VENDORS:
        vendors.append(
            services.save_vendor(
                acting_user=hub, alliance=alliance, name=name, contact_name=contact,
                email=email, phone=f"(908) 555-01{len(vendors):02d}", delivery_areas=areas,
                delivery_days=days, minimum_order=Decimal(minimum), delivery_fee=Decimal(fee),
                terms=terms,
            )
        )  # fmt: skip
    items = []
    survey = ctx.today - timedelta(days=45)
    for vendor_i, sku, name, category, unit, pack, list_price, cacfp, divisible in ITEMS:
        price = Decimal(list_price)
        retail = (price * Decimal(rng.choice(["1.22", "1.28", "1.35", "1.41"]))).quantize(CENT)
        items.append(
            services.save_item(
                acting_user=hub, alliance=alliance, vendor=vendors[vendor_i], sku=sku, name=name,
                category=Category(category), unit=unit, pack_size=pack, divisible=divisible,
                cacfp_creditable=cacfp, tiers=_tiers(price), baseline_price=retail,
                baseline_source="Retail price survey (Union County stores)",
                baseline_date=survey, source="import",
            )
        )  # fmt: skip
    past_close = _at(ctx.today - timedelta(days=30), 17)
    past = services.open_cycle(
        acting_user=hub, alliance=alliance, name="Fall bulk order",
        opens_at=past_close - timedelta(days=14), closes_at=past_close,
        delivery_on=(past_close + timedelta(days=5)).date(), items=items,
    )  # fmt: skip
    offered = {ci.item_id: ci.pk for ci in past.cycle_items.all()}
    ordering = [p for i, p in enumerate(ctx.programs) if i < 3 or rng.random() < 0.8]
    for program in ordering:
        picks = rng.sample(items, rng.randint(6, 14))
        quantities = {offered[it.pk]: rng.randint(1, 6) for it in picks}
        services.place_order(
            acting_user=ctx.directors.get(program.pk, hub), program=program, cycle=past,
            quantities=quantities, now=past_close - timedelta(days=3),
        )  # fmt: skip
    decisions = {v.pk: "proceed" for v in vendors}
    close_cycle(acting_user=hub, cycle=past, decisions=decisions, now=past_close)
    opens = _at(ctx.today - timedelta(days=2), 8)
    current = services.open_cycle(
        acting_user=hub, alliance=alliance, name="Winter supplies",
        opens_at=opens, closes_at=_at(ctx.today + timedelta(days=12), 17),
        delivery_on=ctx.today + timedelta(days=18), items=items,
    )  # fmt: skip
    offered = {ci.item_id: ci.pk for ci in current.cycle_items.all()}
    for program in ordering[3:][: max(3, len(ordering) // 3)]:
        picks = rng.sample(items, rng.randint(4, 8))
        services.place_order(
            acting_user=ctx.directors.get(program.pk, hub), program=program, cycle=current,
            quantities={offered[it.pk]: rng.randint(1, 5) for it in picks},
            now=opens + timedelta(hours=1),
        )  # fmt: skip
    return {"vendors": len(vendors), "catalog items": len(items), "orders": len(ordering)}


register_step("purchasing", seed_purchasing)
