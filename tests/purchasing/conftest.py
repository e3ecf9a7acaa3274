"""A small catalog and an open cycle on top of the ``world`` personas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.purchasing import services
from alliance.purchasing.models import Cycle, CycleItem, Item, Vendor


@dataclass
class Shop:
    vendor: Vendor
    paper: Vendor
    gloves: Item  # tiers 1:10.00 | 10:9.00 | 50:8.00, baseline 12.00
    wipes: Item  # pack of 12, tiers 1:2.50 | 24:2.00, baseline 3.00
    towels: Item  # paper vendor, 1:20.00 | 5:18.00, baseline 25.00
    cycle: Cycle

    def ci(self, item: Item) -> CycleItem:
        with scopes_disabled():
            return CycleItem.objects.get(cycle=self.cycle, item=item)


def make_shop(world, **cycle_kwargs) -> Shop:
    hub, alliance = world.hub, world.alliance
    with scopes_disabled():
        vendor = services.save_vendor(
            acting_user=hub, alliance=alliance, name="Garden State Foods",
            minimum_order=Decimal("0"), delivery_fee=Decimal("30.00"),
        )  # fmt: skip
        paper = services.save_vendor(
            acting_user=hub, alliance=alliance, name="Paper Co", minimum_order=Decimal("200.00")
        )
        common = {"acting_user": hub, "alliance": alliance, "baseline_source": "Retail survey"}
        gloves = services.save_item(
            **common, vendor=vendor, sku="G1", name="Nitrile gloves", category="cleaning",
            unit="box of 100", tiers="1:10.00|10:9.00|50:8.00", baseline_price=Decimal("12.00"),
        )  # fmt: skip
        wipes = services.save_item(
            **common, vendor=vendor, sku="W1", name="Baby wipes", category="diapering",
            unit="pack", pack_size=12, tiers="1:2.50|24:2.00", baseline_price=Decimal("3.00"),
        )  # fmt: skip
        towels = services.save_item(
            **common, vendor=paper, sku="T1", name="Paper towels", category="paper",
            unit="case", tiers="1:20.00|5:18.00", baseline_price=Decimal("25.00"),
        )  # fmt: skip
        now = timezone.now()
        kwargs = {
            "name": "Spring order",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=6),
            "delivery_on": (now + timedelta(days=10)).date(),
            **cycle_kwargs,
        }
        cycle = services.open_cycle(
            acting_user=hub, alliance=alliance, items=[gloves, wipes, towels], **kwargs
        )
    return Shop(vendor, paper, gloves, wipes, towels, cycle)


@pytest.fixture
def shop(world) -> Shop:
    return make_shop(world)


def order(world_user, program, shop: Shop, **qty_by_item) -> None:
    """Place an order by item attribute name: order(u, p, shop, gloves=3)."""
    with scopes_disabled():
        quantities = {shop.ci(getattr(shop, name)).pk: q for name, q in qty_by_item.items()}
        services.place_order(
            acting_user=world_user, program=program, cycle=shop.cycle, quantities=quantities
        )
