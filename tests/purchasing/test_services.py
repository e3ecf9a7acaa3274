"""Vendors, catalog, cycles and orders: the rules and the bad input."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.purchasing import services
from alliance.purchasing.models import CycleStatus, Order, OrderLine, PriceChange
from tests.purchasing.conftest import make_shop, order

pytestmark = pytest.mark.django_db


def lines_of(program, shop):
    with scopes_disabled():
        return {
            ln.cycle_item.item.sku: ln.quantity
            for ln in OrderLine.objects.filter(
                order__cycle=shop.cycle, program=program
            ).select_related("cycle_item__item")
        }


def test_order_sets_quantities_and_is_audited(world, shop):
    order(world.director1, world.program1, shop, gloves=3, towels=2)
    assert lines_of(world.program1, shop) == {"G1": 3, "T1": 2}
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="purchasing.order_placed").count() == 1


def test_a_buyers_several_orders_merge_into_one(world, shop):
    order(world.director1, world.program1, shop, gloves=3)
    with scopes_disabled():
        services.place_order(
            acting_user=world.director1, program=world.program1, cycle=shop.cycle,
            quantities={shop.ci(shop.gloves).pk: 2}, merge=True,
        )  # fmt: skip
        assert Order.objects.filter(program=world.program1).count() == 1
    assert lines_of(world.program1, shop) == {"G1": 5}


@pytest.mark.parametrize(
    ("qty", "message"),
    [("-1", "negative"), ("1.5", "whole units"), ("abc", "number"), ("1e9", "too large")],
)
def test_bad_quantities_are_refused_and_nothing_saved(world, shop, qty, message):
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        services.place_order(
            acting_user=world.director1, program=world.program1, cycle=shop.cycle,
            quantities={shop.ci(shop.towels).pk: 1, shop.ci(shop.gloves).pk: qty},
        )  # fmt: skip
    assert message in str(exc.value.message_dict[f"qty_{shop.ci(shop.gloves).pk}"])
    assert lines_of(world.program1, shop) == {}


def test_item_not_in_the_cycle_is_refused(world, shop):
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        services.place_order(
            acting_user=world.director1, program=world.program1, cycle=shop.cycle,
            quantities={999999: 1},
        )  # fmt: skip
    assert "items" in exc.value.message_dict


def test_ordering_after_close_is_refused(world, shop):
    from alliance.purchasing.services_close import close_cycle

    order(world.director1, world.program1, shop, gloves=1)
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
    with pytest.raises(ValidationError) as exc:
        order(world.director2, world.program2, shop, gloves=1)
    assert "not taking orders" in str(exc.value)


def test_ordering_before_the_window_opens_is_refused(world):
    soon = timezone.now() + timedelta(days=1)
    shop = make_shop(world, opens_at=soon, closes_at=soon + timedelta(days=3))
    with pytest.raises(ValidationError):
        order(world.director1, world.program1, shop, gloves=1)


def test_another_alliances_program_cannot_order(world, shop):
    with pytest.raises(ValidationError) as exc:
        order(world.director1, world.other_program, shop, gloves=1)
    assert "another alliance" in str(exc.value)


def test_member_minimum_spend(world):
    shop = make_shop(world, member_min_spend=Decimal("50.00"))
    with pytest.raises(ValidationError) as exc:
        order(world.director1, world.program1, shop, gloves=1)
    assert "minimum order" in str(exc.value)
    assert lines_of(world.program1, shop) == {}
    order(world.director1, world.program1, shop, gloves=6)  # 6 × 10.00
    assert lines_of(world.program1, shop) == {"G1": 6}


def test_spend_cap_closes_the_cycle_automatically(world):
    shop = make_shop(world, spend_cap=Decimal("100.00"))
    order(world.director1, world.program1, shop, gloves=5)
    order(world.director2, world.program2, shop, gloves=6)  # 11 × 9.00 = 99
    with scopes_disabled():
        shop.cycle.refresh_from_db()
        assert shop.cycle.status == CycleStatus.OPEN
    order(world.provider, world.home, shop, gloves=1)  # 12 × 9.00 = 108
    with scopes_disabled():
        shop.cycle.refresh_from_db()
    assert shop.cycle.status == CycleStatus.CLOSED
    assert "cap" in shop.cycle.close_note


def test_item_price_history_and_bad_tiers(world, shop):
    with scopes_disabled():
        services.save_item(
            acting_user=world.hub, alliance=world.alliance, vendor=shop.vendor, item=shop.gloves,
            tiers="1:9.50|10:8.50", sku="G1", name="Nitrile gloves", category="cleaning",
            unit="box of 100", baseline_price=Decimal("12.00"),
        )  # fmt: skip
        assert PriceChange.objects.filter(item=shop.gloves).count() == 2
        with pytest.raises(ValidationError) as exc:
            services.save_item(
                acting_user=world.hub, alliance=world.alliance, vendor=shop.vendor,
                tiers="2:1.00", sku="X", name="X", category="nope", unit="each",
                baseline_price=Decimal("-1"),
            )  # fmt: skip
    assert set(exc.value.message_dict) == {"tiers", "category", "baseline_price"}


def test_cycle_prices_are_frozen_when_it_opens(world, shop):
    with scopes_disabled():
        services.save_item(
            acting_user=world.hub, alliance=world.alliance, vendor=shop.vendor, item=shop.gloves,
            tiers="1:99.00", sku="G1", name="Nitrile gloves", category="cleaning",
            unit="box of 100", baseline_price=Decimal("12.00"),
        )  # fmt: skip
    assert shop.ci(shop.gloves).tiers[0] == [1, "10.00"]


def test_open_cycle_checks_its_window(world, shop):
    now = timezone.now()
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        services.open_cycle(
            acting_user=world.hub, alliance=world.alliance, name="", opens_at=now,
            closes_at=now - timedelta(hours=1), delivery_on=now.date() - timedelta(days=2),
            items=[],
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"name", "closes_at", "delivery_on", "items"}


def test_reorder_repeats_the_last_closed_order(world, shop):
    from alliance.purchasing.services_close import close_cycle

    order(world.director1, world.program1, shop, gloves=4, towels=5)
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle, decisions={shop.paper.pk: "proceed"})
    new = make_shop_cycle(world, shop)
    with scopes_disabled():
        services.reorder_last(acting_user=world.director1, program=world.program1, cycle=new)
        got = {
            ln.cycle_item.item.sku: ln.quantity
            for ln in OrderLine.objects.filter(order__cycle=new).select_related("cycle_item__item")
        }
    assert got == {"G1": 4, "T1": 5}


def make_shop_cycle(world, shop):
    now = timezone.now()
    with scopes_disabled():
        return services.open_cycle(
            acting_user=world.hub, alliance=world.alliance, name="Summer",
            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=3),
            delivery_on=(now + timedelta(days=5)).date(), items=[shop.gloves, shop.towels],
        )  # fmt: skip


def test_from_one_programs_scope_the_pool_and_the_cap_close_cover_every_member(world):
    """The page and the API run in one program's scope: the pooled quantity and a close
    triggered there (the spend cap) must still include the other members' orders."""
    from alliance.core.tenancy import program_scope
    from alliance.purchasing.models import PurchaseOrderLine
    from alliance.purchasing.queries import order_sheet

    shop = make_shop(world, spend_cap=Decimal("100.00"))
    order(world.director1, world.program1, shop, gloves=6)
    gloves = shop.ci(shop.gloves)
    with program_scope(world.program2):
        sheet = order_sheet(world.program2, shop.cycle)
        row = next(r for r in sheet.rows if r.ci.pk == gloves.pk)
        assert row.pooled == 6
        services.place_order(
            acting_user=world.director2, program=world.program2, cycle=shop.cycle,
            quantities={gloves.pk: 6},
        )  # fmt: skip
    with scopes_disabled():
        po_line = PurchaseOrderLine.objects.get(cycle_item=gloves)
        amounts = sorted(OrderLine.objects.values_list("amount", flat=True))
    assert (po_line.quantity, po_line.unit_price) == (12, Decimal("9.00"))
    assert amounts == [Decimal("54.00"), Decimal("54.00")]
