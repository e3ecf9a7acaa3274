"""Pages: ordering, closing, purchase orders and exports, import, savings, query counts."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.purchasing.models import CycleStatus, Item, OrderLine, PriceChange, PurchaseOrder
from alliance.purchasing.services_close import close_cycle
from tests.factories import ProgramFactory
from tests.purchasing.conftest import order

pytestmark = pytest.mark.django_db
P1 = "/p/little-learners/purchasing"
HUB = "/a/union-county/hub/purchasing"


def test_director_orders_and_sees_the_running_tier_price(world, shop, as_user):
    client = as_user(world.director1)
    gloves = shop.ci(shop.gloves).pk
    url = f"{P1}/cycles/{shop.cycle.pk}/"
    response = client.post(url, {f"qty_{gloves}": "12", f"qty_{shop.ci(shop.towels).pk}": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "$9.00" in page  # 12 pooled gloves reach the 10+ tier
    assert "$108.00" in page and "$36.00" in page  # total, and savings vs 12 × 12.00
    assert "38 more" in page  # to the 50+ tier


def test_bad_quantity_is_422_and_nothing_saved(world, shop, as_user):
    client = as_user(world.director1)
    gloves, towels = shop.ci(shop.gloves).pk, shop.ci(shop.towels).pk
    response = client.post(
        f"{P1}/cycles/{shop.cycle.pk}/", {f"qty_{gloves}": "2.5", f"qty_{towels}": "1"}
    )
    assert response.status_code == 422
    assert "whole units only" in response.content.decode()
    with scopes_disabled():
        assert not OrderLine.objects.exists()


def test_another_alliances_cycle_is_404(world, shop, as_user):
    with scopes_disabled():
        stranger = ProgramFactory(alliance=world.other_alliance)
    assert stranger.alliance_id != shop.cycle.alliance_id
    response = as_user(world.hub).get(f"/a/essex-county/hub/purchasing/cycles/{shop.cycle.pk}/")
    assert response.status_code == 403  # not essex's hub
    response = as_user(world.other_hub).get(
        f"/a/essex-county/hub/purchasing/cycles/{shop.cycle.pk}/"
    )
    assert response.status_code == 404


def test_hub_previews_and_closes_with_a_vendor_decision(world, shop, as_user):
    order(world.director1, world.program1, shop, gloves=4, towels=1)
    client = as_user(world.hub)
    page = client.get(f"{HUB}/cycles/{shop.cycle.pk}/").content.decode()
    assert "Below this vendor" in page and "Paper Co" in page
    close_url = f"{HUB}/cycles/{shop.cycle.pk}/close/"
    assert client.post(close_url).status_code == 422
    response = client.post(close_url, {f"vendor_{shop.paper.pk}": "proceed"})
    assert response.status_code == 302
    with scopes_disabled():
        shop.cycle.refresh_from_db()
        assert shop.cycle.status == CycleStatus.CLOSED
        assert PurchaseOrder.objects.filter(cycle=shop.cycle).count() == 2
    # The director now sees the final price, the invoice and the savings.
    page = as_user(world.director1).get(f"{P1}/cycles/{shop.cycle.pk}/").content.decode()
    assert "INV-" in page and "$10.00" in page and "your final price" in page


def test_purchase_order_page_and_exports(world, shop, as_user):
    order(world.director1, world.program1, shop, gloves=4)
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
        po = PurchaseOrder.objects.get()
    client = as_user(world.hub)
    page = client.get(f"{HUB}/orders/{po.pk}/").content.decode()
    assert "Little Learners" in page and po.number in page
    pdf = client.get(f"{HUB}/orders/{po.pk}/export.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv_text = client.get(f"{HUB}/orders/{po.pk}/export.csv").content.decode()
    assert "Nitrile gloves" in csv_text and "40.00" in csv_text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"{HUB}/orders/{po.pk}/export.xlsx").content))
    assert book.active["B3"].value == "Nitrile gloves"


def test_late_change_through_the_page(world, shop, as_user):
    order(world.director1, world.program1, shop, gloves=4)
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
        po, line = PurchaseOrder.objects.get(), OrderLine.objects.get()
    url = f"{HUB}/orders/{po.pk}/lines/{line.pk}/"
    assert as_user(world.hub).post(url, {"quantity": "2", "reason": ""}).status_code == 422
    assert as_user(world.hub).post(url, {"quantity": "2", "reason": "Call"}).status_code == 302
    with scopes_disabled():
        line.refresh_from_db()
        assert line.amount == Decimal("20.00")


CSV_OK = (
    "sku,name,category,unit,pack_size,divisible,cacfp_creditable,baseline_price,"
    "baseline_source,baseline_date,tiers\n"
    "G1,Nitrile gloves XL,cleaning,box of 100,1,no,no,13.00,Survey,2026-01-05,1:10.00|10:8.50\n"
    "N1,Napkins,paper,case,1,no,no,30.00,Survey,2026-01-05,1:25.00\n"
)


def test_import_previews_then_imports_all_rows(world, shop, as_user):
    client = as_user(world.hub)
    url = f"{HUB}/catalog/import/"
    upload = SimpleUploadedFile("prices.csv", CSV_OK.encode(), content_type="text/csv")
    response = client.post(url, {"vendor": shop.vendor.pk, "file": upload})
    assert response.status_code == 200 and "update" in response.content.decode()
    with scopes_disabled():
        assert not Item.objects.filter(sku="N1").exists()  # preview saves nothing
    response = client.post(url, {"vendor": shop.vendor.pk, "csv_text": CSV_OK, "confirm": "1"})
    assert response.status_code == 302
    with scopes_disabled():
        assert Item.objects.get(sku="N1").tiers == [[1, "25.00"]]
        assert Item.objects.get(sku="G1", vendor=shop.vendor).name == "Nitrile gloves XL"
        assert PriceChange.objects.filter(item__sku="G1", source="import").count() == 1
        assert AuditEntry.objects.filter(action="purchasing.catalog_imported").count() == 1


def test_import_with_a_bad_row_imports_nothing_and_names_row_and_column(world, shop, as_user):
    bad = CSV_OK + "X9,Broken,toys,each,1,no,no,abc,,,1:1.00\n"
    url = f"{HUB}/catalog/import/"
    data = {"vendor": shop.vendor.pk, "csv_text": bad, "confirm": "1"}
    response = as_user(world.hub).post(url, data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Row 4, column category" in page and "Row 4, column baseline_price" in page
    with scopes_disabled():
        assert not Item.objects.filter(sku__in=["N1", "X9"]).exists()


def test_savings_pages(world, shop, as_user):
    order(world.director1, world.program1, shop, gloves=10)
    order(world.director2, world.program2, shop, towels=12)
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
    page = as_user(world.director1).get(f"{P1}/savings/").content.decode()
    assert "$30.00" in page and "25.0%" in page  # 120 baseline − 90 paid
    assert "Sunshine" not in page
    hub_page = as_user(world.hub).get(f"{HUB}/savings/").content.decode()
    assert "$114.00" in hub_page  # 30 + (300 − 216) = 114 saved in total
    assert "<svg" in hub_page and "Sunshine" in hub_page


def test_list_pages_do_not_grow_queries_with_rows(
    world, shop, as_user, django_assert_max_num_queries
):
    from tests.purchasing.conftest import make_shop

    order(world.director1, world.program1, shop, gloves=3)
    pages = [
        (world.director1, f"{P1}/"),
        (world.director1, f"{P1}/cycles/{shop.cycle.pk}/"),
        (world.director1, f"{P1}/savings/"),
        (world.hub, f"{HUB}/"),
        (world.hub, f"{HUB}/catalog/"),
        (world.hub, f"{HUB}/vendors/"),
        (world.hub, f"{HUB}/cycles/{shop.cycle.pk}/"),
        (world.hub, f"{HUB}/savings/"),
    ]
    counts = {}
    for user, url in pages:
        client = as_user(user)
        client.get(url)
        with django_assert_max_num_queries(30) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    for _ in range(3):
        more = make_shop_more(world, make_shop)
        order(world.director1, world.program1, more, gloves=2, wipes=3)
        order(world.director2, world.program2, shop, gloves=2)
    for user, url in pages:
        client = as_user(user)
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def make_shop_more(world, make_shop):
    from alliance.purchasing import services as s

    with scopes_disabled():
        n = s.Vendor.objects.count()
        vendor = s.save_vendor(acting_user=world.hub, alliance=world.alliance, name=f"V{n}")
        for i in range(3):
            s.save_item(
                acting_user=world.hub, alliance=world.alliance, vendor=vendor, sku=f"S{i}",
                name=f"Item {n}-{i}", category="paper", unit="each", tiers="1:1.00",
                baseline_price=Decimal("2.00"),
            )  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone

    from tests.purchasing.conftest import Shop

    with scopes_disabled():
        items = list(s.Item.objects.filter(vendor__name__in=["Garden State Foods"]))
        now = timezone.now()
        cycle = s.open_cycle(
            acting_user=world.hub, alliance=world.alliance, name=f"Cycle {n}",
            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
            delivery_on=(now + timedelta(days=2)).date(), items=items,
        )  # fmt: skip
        gloves = items[0] if items[0].sku == "G1" else items[1]
        wipes = items[1] if gloves is items[0] else items[0]
    return Shop(vendor, vendor, gloves, wipes, gloves, cycle)


def test_hub_edits_an_item_and_the_price_history_grows(world, shop, as_user):
    url = f"{HUB}/catalog/{shop.gloves.pk}/"
    client = as_user(world.hub)
    data = {
        "vendor": shop.vendor.pk, "sku": "G1", "name": "Nitrile gloves", "category": "cleaning",
        "unit": "box of 100", "pack_size": "1", "tiers": "1:9.50|10:8.75",
        "baseline_price": "12.00", "is_active": "on",
    }  # fmt: skip
    response = client.post(url, {**data, "tiers": "1:9.50|10:9.75"})
    assert response.status_code == 422 and "higher than" in response.content.decode()
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert "10+: 8.75" in page and "10+: 9.00" in page  # new and original tiers in the history
    with scopes_disabled():
        assert PriceChange.objects.filter(item=shop.gloves).count() == 2


def test_member_invoice_pdf_only_after_close(world, shop, as_user):
    order(world.director1, world.program1, shop, gloves=4)
    url = f"{P1}/cycles/{shop.cycle.pk}/invoice.pdf"
    client = as_user(world.director1)
    assert client.get(url).status_code == 404  # still open: no invoice yet
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert f"INV-{shop.cycle.pk}-{world.program1.pk}.pdf" in response["Content-Disposition"]
