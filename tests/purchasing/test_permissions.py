"""Every purchasing URL and API path, asked as every persona."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.purchasing.models import Order, OrderLine, PurchaseOrder
from alliance.purchasing.services_close import close_cycle
from tests.permissions import LOGIN, Case, check_matrix, everyone
from tests.purchasing.conftest import order

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

COVERED_API_PATHS = {
    "alliances/<alliance>/catalog",
    "alliances/<alliance>/cycles",
    "alliances/<alliance>/purchase-orders",
    "alliances/<alliance>/purchase-orders/<po_id>",
    "alliances/<alliance>/savings",
    "programs/<slug>/orders",
    "programs/<slug>/orders/<order_id>",
    "programs/<slug>/savings",
}


@pytest.fixture
def closed(world, shop):
    order(world.director1, world.program1, shop, gloves=3)
    order(world.director2, world.program2, shop, gloves=2)
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
        return {
            "po": PurchaseOrder.objects.get(vendor=shop.vendor),
            "line1": OrderLine.objects.get(program=world.program1),
            "line2": OrderLine.objects.get(program=world.program2),
            "order1": Order.objects.get(program=world.program1),
            "order2": Order.objects.get(program=world.program2),
        }


def test_program_pages_matrix(world, shop, closed):
    p1 = "/p/little-learners/purchasing"
    cycle = shop.cycle.pk
    view = everyone(404, anonymous=LOGIN, staff=200, director1=200, hub=200)
    bad_post = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)
    cases = [
        Case("GET", f"{p1}/", view),
        Case("GET", f"{p1}/savings/", view),
        Case("GET", f"{p1}/cycles/{cycle}/", view),
        Case("GET", f"{p1}/cycles/{cycle}/invoice.pdf", view),
        # The cycle is closed: ordering is refused with 422 for those who may order.
        Case("POST", f"{p1}/cycles/{cycle}/", bad_post, data={"qty_1": "2"}),
        Case(
            "POST",
            f"{p1}/cycles/{cycle}/reorder/",
            everyone(404, anonymous=LOGIN, staff=403, director1=302, hub=302),
        ),
        Case(
            "POST",
            f"{p1}/cycles/{cycle}/lines/{closed['line1'].pk}/receive/",
            bad_post,
            data={"receipt": "short", "received_quantity": "99"},
        ),
        # program2's line under program1's URL: missing, even for the hub.
        Case(
            "POST",
            f"{p1}/cycles/{cycle}/lines/{closed['line2'].pk}/receive/",
            everyone(404, anonymous=LOGIN, staff=403, director1=404, hub=404),
            data={"receipt": "received"},
        ),
    ]
    check_matrix(cases, world.personas())


def test_hub_pages_matrix(world, shop, closed):
    hub = "/a/union-county/hub/purchasing"
    po = closed["po"].pk
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    hub_422 = everyone(403, anonymous=LOGIN, hub=422)
    cases = [
        Case("GET", f"{hub}/", only_hub),
        Case("GET", f"{hub}/savings/", only_hub),
        Case("GET", f"{hub}/vendors/", only_hub),
        Case("POST", f"{hub}/vendors/", hub_422, data={"name": ""}),
        Case("GET", f"{hub}/catalog/", only_hub),
        Case("GET", f"{hub}/catalog/{shop.gloves.pk}/", only_hub),
        Case("POST", f"{hub}/catalog/{shop.gloves.pk}/", hub_422, data={"tiers": "5:1"}),
        Case("GET", f"{hub}/vendors/{shop.vendor.pk}/", only_hub),
        Case("POST", f"{hub}/vendors/{shop.vendor.pk}/", hub_422, data={"name": ""}),
        Case("GET", f"{hub}/catalog/import/", only_hub),
        Case("POST", f"{hub}/catalog/import/", hub_422, data={}),
        Case("GET", f"{hub}/cycles/new/", only_hub),
        Case("POST", f"{hub}/cycles/new/", hub_422, data={"name": ""}),
        Case("GET", f"{hub}/cycles/{shop.cycle.pk}/", only_hub),
        Case("POST", f"{hub}/cycles/{shop.cycle.pk}/close/", hub_422),
        Case("POST", f"{hub}/cycles/{shop.cycle.pk}/extend/", hub_422, data={}),
        Case("GET", f"{hub}/orders/{po}/", only_hub),
        Case("GET", f"{hub}/orders/{po}/export.pdf", only_hub),
        Case("GET", f"{hub}/orders/{po}/export.csv", only_hub),
        Case("GET", f"{hub}/orders/{po}/export.xlsx", only_hub),
        Case("GET", f"{hub}/orders/{po}/export.doc", everyone(403, anonymous=LOGIN, hub=404)),
        Case(
            "POST",
            f"{hub}/orders/{po}/lines/{closed['line1'].pk}/",
            hub_422,
            data={"quantity": "-1", "reason": ""},
        ),
        Case("GET", f"{hub}/cycles/999999/", everyone(403, anonymous=LOGIN, hub=404)),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world, shop, closed):
    a = f"{V1}/alliances/union-county"
    p1 = f"{V1}/programs/little-learners"
    buyers = everyone(403, anonymous=401, staff=200, director1=200, director2=200, hub=200)
    buyers["other_hub"] = 403
    only_hub = everyone(403, anonymous=401, hub=200)
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    ci = shop.ci(shop.gloves).pk
    cases = [
        Case("GET", f"{a}/catalog", buyers),
        Case("GET", f"{a}/cycles", buyers),
        Case("GET", f"{a}/purchase-orders", only_hub),
        Case("GET", f"{a}/purchase-orders/{closed['po'].pk}", only_hub),
        Case("GET", f"{a}/savings", only_hub),
        Case("GET", f"{p1}/orders", view),
        Case("GET", f"{p1}/savings", view),
        Case("GET", f"{p1}/orders/{closed['order1'].pk}", view),
        # Another program's order through this program: missing.
        Case(
            "GET",
            f"{p1}/orders/{closed['order2'].pk}",
            everyone(404, anonymous=401, staff=404, director1=404, hub=404),
        ),
        # The cycle is closed: 422 for those who may order, before anything is saved.
        Case(
            "POST",
            f"{p1}/orders",
            everyone(404, anonymous=401, staff=403, director1=422, hub=422),
            data={"cycle_id": shop.cycle.pk, "lines": [{"cycle_item_id": ci, "quantity": "1"}]},
        ),
    ]
    check_matrix(cases, world.personas(), api=True)
