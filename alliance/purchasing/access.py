"""The audited ways to reach one purchasing record: scoped lookups that 404 alike for
"missing" and "not yours"."""

from __future__ import annotations

from alliance.core.access import first_or_404
from alliance.members.models import Program
from alliance.purchasing.models import (
    Cycle,
    Item,
    Order,
    OrderLine,
    PurchaseOrder,
    Vendor,
)


def access_cycle(alliance_id: int, cycle_id: int) -> Cycle:
    cycle = Cycle.objects.select_related("alliance").filter(alliance_id=alliance_id, pk=cycle_id)
    return first_or_404(cycle)


def access_vendor(alliance_id: int, vendor_id: int) -> Vendor:
    return first_or_404(Vendor.objects.filter(alliance_id=alliance_id, pk=vendor_id))


def access_item(alliance_id: int, item_id: int) -> Item:
    item = Item.objects.select_related("vendor").filter(alliance_id=alliance_id, pk=item_id)
    return first_or_404(item)


def access_order(program: Program, order_id: int) -> Order:
    return first_or_404(Order.objects.select_related("cycle").filter(program=program, pk=order_id))


def access_order_line(program: Program, cycle_id: int, line_id: int) -> OrderLine:
    return first_or_404(
        OrderLine.objects.select_related("cycle_item__item", "order__cycle").filter(
            program=program, order__cycle_id=cycle_id, pk=line_id
        )
    )


def access_cycle_line(cycle: Cycle, line_id: int) -> OrderLine:
    """Any member's line of a cycle (hub late changes)."""
    return first_or_404(
        OrderLine.objects.select_related("cycle_item__item", "program").filter(
            order__cycle=cycle, pk=line_id
        )
    )


def access_purchase_order(alliance_id: int, po_id: int) -> PurchaseOrder:
    return first_or_404(
        PurchaseOrder.objects.select_related("vendor", "cycle", "alliance").filter(
            alliance_id=alliance_id, pk=po_id
        )
    )
