"""Closing a cycle: one PO per vendor at the tier reached, allocations adding up to the cent,
vendor minimums, one consolidation under concurrent closes, late changes and receiving."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.purchasing.models import (
    CycleStatus,
    Order,
    OrderLine,
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
)
from alliance.purchasing.services_close import (
    change_allocation,
    close_cycle,
    close_due_cycles,
    record_receipt,
)
from tests.purchasing.conftest import make_shop, order

pytestmark = pytest.mark.django_db
D = Decimal


def close(world, shop, **kwargs):
    with scopes_disabled():
        return close_cycle(acting_user=world.hub, cycle=shop.cycle, **kwargs)


def test_everyone_pays_the_tier_the_pooled_quantity_reaches(
    world, shop, mailoutbox, django_capture_on_commit_callbacks
):
    order(world.director1, world.program1, shop, gloves=4)
    order(world.director2, world.program2, shop, gloves=5)
    order(world.provider, world.home, shop, gloves=1)  # pooled 10 → 9.00 for everyone
    with django_capture_on_commit_callbacks(execute=True):
        close(world, shop)
    with scopes_disabled():
        lines = list(OrderLine.objects.filter(order__cycle=shop.cycle))
        po = PurchaseOrder.objects.get(cycle=shop.cycle, vendor=shop.vendor)
        po_line = PurchaseOrderLine.objects.get(purchase_order=po)
        shop.cycle.refresh_from_db()
        home = Order.objects.get(program=world.home)
    assert shop.cycle.status == CycleStatus.CLOSED
    assert {ln.unit_price for ln in lines} == {D("9.00")}
    assert (po_line.quantity, po_line.tier_min_quantity, po_line.amount) == (10, 10, D("90.00"))
    assert home.subtotal == D("9.00") and home.baseline_total == D("12.00")
    assert home.savings == D("3.00")
    # The delivery fee (30.00) is split by spend: 36/90, 45/90, 9/90.
    with scopes_disabled():
        shares = dict(Order.objects.values_list("program__slug", "delivery_share"))
    assert shares == {
        "little-learners": D("12.00"),
        "sunshine": D("15.00"),
        "garcia-fcc": D("3.00"),
    }
    assert len(mailoutbox) == 3


def test_allocations_add_up_to_the_purchase_order_to_the_cent(world):
    shop = make_shop(world)
    order(world.director1, world.program1, shop, gloves=7, wipes=13, towels=3)
    order(world.director2, world.program2, shop, gloves=44, wipes=5)
    order(world.provider, world.home, shop, gloves=1, wipes=7, towels=1)
    close(world, shop, decisions={shop.paper.pk: "proceed"})
    with scopes_disabled():
        for po in PurchaseOrder.objects.filter(cycle=shop.cycle):
            for po_line in po.lines.all():
                members = OrderLine.objects.filter(
                    order__cycle=shop.cycle, cycle_item=po_line.cycle_item
                ).aggregate(a=Sum("amount"), q=Sum("final_quantity"), b=Sum("baseline_amount"))
                assert members == {
                    "a": po_line.amount, "q": po_line.quantity, "b": po_line.baseline_amount
                }  # fmt: skip
            assert po.subtotal == po.lines.aggregate(s=Sum("amount"))["s"]
            fees = Order.objects.filter(cycle=shop.cycle).aggregate(s=Sum("delivery_share"))["s"]
        assert fees == D("30.00")
        wipes = PurchaseOrderLine.objects.get(cycle_item__item=shop.wipes)
    # 25 wipes ordered, packs of 12, no tolerance → 24 (one cut from the latest order).
    assert (wipes.ordered_quantity, wipes.quantity, wipes.unit_price) == (25, 24, D("2.00"))


def test_vendor_below_minimum_needs_a_decision(world, shop):
    order(world.director1, world.program1, shop, towels=2)  # 40.00 < 200.00 minimum
    with pytest.raises(ValidationError) as exc:
        close(world, shop)
    assert "Paper Co" in str(exc.value)
    with scopes_disabled():
        shop.cycle.refresh_from_db()
        assert shop.cycle.status == CycleStatus.OPEN  # nothing half-done
        assert not PurchaseOrder.objects.exists()
    close(world, shop, decisions={shop.paper.pk: "cancel"})
    with scopes_disabled():
        po = PurchaseOrder.objects.get(vendor=shop.paper)
        line = OrderLine.objects.get(program=world.program1)
    assert po.status == POStatus.CANCELLED and po.below_minimum
    assert (line.final_quantity, line.amount) == (0, 0)


def test_a_second_close_is_refused_and_consolidates_nothing(world, shop):
    order(world.director1, world.program1, shop, gloves=3)
    close(world, shop)
    with pytest.raises(ValidationError, match="already closed"):
        close(world, shop)
    with scopes_disabled():
        assert PurchaseOrder.objects.count() == 1
        assert AuditEntry.objects.filter(action="purchasing.cycle_closed").count() == 1


def test_losing_a_close_race_leaves_the_winners_consolidation(world, shop):
    """Both hub staff load the open cycle; the first claim wins, the second claim updates no
    row (the conditional UPDATE sees 'closing'/'closed') and raises before consolidating."""
    order(world.director1, world.program1, shop, gloves=3)
    with scopes_disabled():
        stale = type(shop.cycle).objects.get(pk=shop.cycle.pk)  # loaded while still open
    close(world, shop)
    with scopes_disabled(), pytest.raises(ValidationError):
        close_cycle(acting_user=world.hub, cycle=stale)
    with scopes_disabled():
        assert PurchaseOrder.objects.count() == 1
        assert PurchaseOrderLine.objects.count() == 1


def test_a_failed_consolidation_rolls_back_the_claim(world, shop):
    order(world.director1, world.program1, shop, gloves=3)
    target = "alliance.purchasing.services_close.PurchaseOrderLine.objects.bulk_create"
    with mock.patch(target, side_effect=RuntimeError("disk full")), pytest.raises(RuntimeError):
        close(world, shop)
    with scopes_disabled():
        shop.cycle.refresh_from_db()
        assert shop.cycle.status == CycleStatus.OPEN
        assert not PurchaseOrder.objects.exists()


def test_only_the_hub_closes(world, shop):
    with scopes_disabled(), pytest.raises(ValidationError):
        close_cycle(acting_user=world.director1, cycle=shop.cycle)


def test_cycle_below_its_minimum_total_is_cancelled_with_notice(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    shop = make_shop(world, min_total=D("500.00"))
    order(world.director1, world.program1, shop, gloves=3)
    with django_capture_on_commit_callbacks(execute=True):
        close(world, shop)
    with scopes_disabled():
        shop.cycle.refresh_from_db()
        line = OrderLine.objects.get()
    assert shop.cycle.status == CycleStatus.CANCELLED
    assert line.amount == 0
    assert "cancelled" in mailoutbox[0].subject


def test_due_cycles_close_automatically_cancelling_vendors_below_minimum(world, shop):
    order(world.director1, world.program1, shop, gloves=3, towels=1)
    assert close_due_cycles(now=shop.cycle.closes_at) == [shop.cycle.pk]
    with scopes_disabled():
        assert PurchaseOrder.objects.get(vendor=shop.paper).status == POStatus.CANCELLED
        assert PurchaseOrder.objects.get(vendor=shop.vendor).status == POStatus.ISSUED
    assert close_due_cycles(now=shop.cycle.closes_at) == []


def test_late_change_by_the_hub_keeps_the_price_and_is_logged(world, shop):
    order(world.director1, world.program1, shop, gloves=6)
    order(world.director2, world.program2, shop, gloves=6)
    close(world, shop)
    with scopes_disabled():
        line = OrderLine.objects.get(program=world.program1)
        with pytest.raises(ValidationError):
            change_allocation(acting_user=world.director1, line=line, quantity=D(1), reason="x")
        with pytest.raises(ValidationError) as exc:
            change_allocation(acting_user=world.hub, line=line, quantity=D("1.5"), reason="")
        assert set(exc.value.message_dict) == {"quantity", "reason"}
        change_allocation(acting_user=world.hub, line=line, quantity=D(4), reason="Phoned in")
        po_line = PurchaseOrderLine.objects.get()
        order1 = Order.objects.get(program=world.program1)
        entry = AuditEntry.objects.get(action="purchasing.allocation_changed")
    assert (po_line.quantity, po_line.amount) == (10, D("90.00"))  # 9.00 tier kept
    assert order1.subtotal == D("36.00") and order1.baseline_total == D("48.00")
    assert entry.summary == "Phoned in" and entry.actor == world.hub


def test_receiving_short_and_damaged_credits_the_invoice(world, shop):
    order(world.director1, world.program1, shop, gloves=10)
    close(world, shop)
    with scopes_disabled():
        line = OrderLine.objects.get()
        with pytest.raises(ValidationError):
            record_receipt(
                acting_user=world.director1, line=line, receipt="short", received_quantity=D(10)
            )
        record_receipt(
            acting_user=world.director1, line=line, receipt="short", received_quantity=D(7)
        )
        placed = Order.objects.get()
    assert placed.credits == D("27.00")
    assert placed.invoice_total == D("90.00") + D("30.00") - D("27.00")
    with scopes_disabled():
        record_receipt(acting_user=world.director1, line=line, receipt="received",
                       received_quantity=None)  # fmt: skip
        assert Order.objects.get().credits == 0
