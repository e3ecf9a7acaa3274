"""The audited ways to reach one purchasing record: scoped lookups that 404 alike for
"missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404

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
    found = cycle.first()
    if found is None:
        raise Http404
    return found


def access_vendor(alliance_id: int, vendor_id: int) -> Vendor:
    vendor = Vendor.objects.filter(alliance_id=alliance_id, pk=vendor_id).first()
    if vendor is None:
        raise Http404
    return vendor


def access_item(alliance_id: int, item_id: int) -> Item:
    item = Item.objects.select_related("vendor").filter(alliance_id=alliance_id, pk=item_id)
    found = item.first()
    if found is None:
        raise Http404
    return found


def access_order(program: Program, order_id: int) -> Order:
    order = Order.objects.select_related("cycle").filter(program=program, pk=order_id).first()
    if order is None:
        raise Http404
    return order


def access_order_line(program: Program, cycle_id: int, line_id: int) -> OrderLine:
    line = (
        OrderLine.objects.select_related("cycle_item__item", "order__cycle")
        .filter(program=program, order__cycle_id=cycle_id, pk=line_id)
        .first()
    )
    if line is None:
        raise Http404
    return line


def access_cycle_line(cycle: Cycle, line_id: int) -> OrderLine:
    """Any member's line of a cycle (hub late changes)."""
    line = (
        OrderLine.objects.select_related("cycle_item__item", "program")
        .filter(order__cycle=cycle, pk=line_id)
        .first()
    )
    if line is None:
        raise Http404
    return line


def access_purchase_order(alliance_id: int, po_id: int) -> PurchaseOrder:
    po = (
        PurchaseOrder.objects.select_related("vendor", "cycle", "alliance")
        .filter(alliance_id=alliance_id, pk=po_id)
        .first()
    )
    if po is None:
        raise Http404
    return po
