"""The purchasing journey in a real browser: the hub opens a cycle, two directors order,
the hub closes it, and each director sees the tier price everyone pays and their savings.
Every page on the way must pass axe without serious or critical findings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.purchasing import services
from alliance.purchasing.models import Cycle, CycleStatus, PurchaseOrder
from tests.e2e.conftest import snapshot

pytestmark = pytest.mark.e2e


def _catalog(world) -> None:
    with scopes_disabled():
        vendor = services.save_vendor(
            acting_user=world.hub, alliance=world.alliance, name="Garden State Foods",
            delivery_fee=Decimal("20.00"),
        )  # fmt: skip
        for sku, name, tiers, retail in (
            ("G1", "Nitrile gloves", "1:10.00|10:9.00|50:8.00", "12.00"),
            ("T1", "Paper towels", "1:20.00|5:18.00", "25.00"),
        ):
            services.save_item(
                acting_user=world.hub, alliance=world.alliance, vendor=vendor, sku=sku,
                name=name, category="cleaning", unit="case", tiers=tiers,
                baseline_price=Decimal(retail), baseline_source="Store survey",
            )  # fmt: skip


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _order(page: Page, live_server, login, assert_accessible, user, slug: str, qty: str) -> None:
    login(page, live_server, user)
    page.goto(f"/p/{slug}/purchasing/")
    expect(page.locator("h1")).to_contain_text("Group purchasing")
    assert_accessible(page)
    page.get_by_role("link", name="Order Winter supplies").click()
    expect(page.locator("h1")).to_contain_text("Winter supplies")
    page.get_by_label("Quantity of Nitrile gloves").fill(qty)
    page.get_by_role("button", name="Save my order").click()
    expect(page.get_by_text("Your order is saved")).to_be_visible()
    assert_accessible(page)
    snapshot(page, f"purchasing-order-{slug}")
    _sign_out(page)


def test_hub_opens_members_order_hub_closes_members_see_savings(
    page: Page, live_server, world, login, assert_accessible
):
    _catalog(world)
    now = timezone.now()

    # 1. The hub opens a cycle offering both items.
    login(page, live_server, world.hub)
    page.goto("/a/union-county/hub/purchasing/")
    assert_accessible(page)
    page.get_by_role("link", name="Open a cycle").click()
    page.get_by_label("Name").fill("Winter supplies")
    page.get_by_label("Orders open").fill(_local(now - timedelta(hours=1)))
    page.get_by_label("Orders close").fill(_local(now + timedelta(days=5)))
    page.get_by_label("Delivery date").fill((now + timedelta(days=8)).date().isoformat())
    page.get_by_label("Nitrile gloves — Garden State Foods").check()
    page.get_by_label("Paper towels — Garden State Foods").check()
    assert_accessible(page)
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_text("Cycle opened.")).to_be_visible()
    _sign_out(page)

    # 2. Two directors order: 4 + 6 gloves pool to 10, the 9.00 tier.
    _order(page, live_server, login, assert_accessible, world.director1, "little-learners", "4")
    _order(page, live_server, login, assert_accessible, world.director2, "sunshine", "6")

    # 3. The hub sees the pooled tier and closes the cycle.
    login(page, live_server, world.hub)
    with scopes_disabled():
        cycle = Cycle.objects.get(name="Winter supplies")
    page.goto(f"/a/union-county/hub/purchasing/cycles/{cycle.pk}/")
    expect(page.get_by_role("row", name="Nitrile gloves")).to_contain_text("$9.00")
    assert_accessible(page)
    page.get_by_role("button", name="Close the cycle and issue purchase orders").click()
    expect(page.get_by_text("The cycle is closed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"PO-{cycle.pk}-").click()
    expect(page.locator("h1")).to_contain_text("Purchase order")
    assert_accessible(page)
    _sign_out(page)
    with scopes_disabled():
        cycle.refresh_from_db()
        assert cycle.status == CycleStatus.CLOSED
        assert PurchaseOrder.objects.get(cycle=cycle).subtotal == Decimal("90.00")

    # 4. Each director sees the price everyone pays and what they saved.
    for user, slug, paid, saved in (
        (world.director1, "little-learners", "$36.00", "$12.00"),
        (world.director2, "sunshine", "$54.00", "$18.00"),
    ):
        login(page, live_server, user)
        page.goto(f"/p/{slug}/purchasing/cycles/{cycle.pk}/")
        expect(page.locator("#order-total")).to_have_text(paid)
        expect(page.locator("#order-savings")).to_have_text(saved)
        expect(page.get_by_role("row", name="Nitrile gloves")).to_contain_text("$9.00")
        assert_accessible(page)
        page.goto(f"/p/{slug}/purchasing/savings/")
        expect(page.locator("main")).to_contain_text(saved)
        assert_accessible(page)
        snapshot(page, f"purchasing-savings-{slug}")
        _sign_out(page)
