"""API for purchasing: catalog, cycles, a program's orders, purchase orders and savings.

Program endpoints open their tenant with ``api_program`` (404 for a program that is not the
caller's, 403 without the permission); alliance endpoints with ``api_alliance``. Every write
goes through :mod:`alliance.purchasing.services`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance, api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core import policy
from alliance.core.policy import Perm
from alliance.purchasing import queries, services
from alliance.purchasing.access import access_cycle, access_order, access_purchase_order
from alliance.purchasing.api_schemas import (
    CyclePage,
    ItemPage,
    OrderDetail,
    OrderIn,
    OrderPage,
    PODetail,
    POPage,
    SavingsOut,
)
from alliance.purchasing.models import Cycle, Item, Order, OrderLine, PurchaseOrder

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}


def _buyer_or_hub(request: HttpRequest, alliance) -> None:
    """Negotiated prices are for the hub and member programs, not every alliance role."""
    user = request.user
    if policy.is_hub(user, alliance):
        return
    if not any(p.alliance_id == alliance.pk for p in policy.programs_for(user)):
        raise PermissionDenied


def _item(item: Item) -> dict:
    return {
        "id": item.pk,
        "sku": item.sku,
        "name": item.name,
        "category": item.category,
        "unit": item.unit,
        "pack_size": item.pack_size,
        "divisible": item.divisible,
        "cacfp_creditable": item.cacfp_creditable,
        "vendor": item.vendor.name,
        "tiers": [{"min_quantity": q, "unit_price": p} for q, p in item.tiers],
        "baseline_price": str(item.baseline_price),
        "baseline_source": item.baseline_source,
        "baseline_date": item.baseline_date,
    }


def _order(order: Order) -> dict:
    closed = order.subtotal is not None
    return {
        "id": order.pk,
        "cycle_id": order.cycle_id,
        "cycle": order.cycle.name,
        "cycle_status": order.cycle.status,
        "subtotal": order.subtotal,
        "delivery_share": order.delivery_share,
        "credits": order.credits,
        "baseline_total": order.baseline_total,
        "savings": order.savings if closed else None,
        "invoice_number": order.invoice_number,
    }


def _line(line: OrderLine) -> dict:
    return {
        "id": line.pk,
        "cycle_item_id": line.cycle_item_id,
        "item": line.cycle_item.item.name,
        "quantity": str(line.quantity),
        "tolerance": line.tolerance,
        "final_quantity": None if line.final_quantity is None else str(line.final_quantity),
        "unit_price": None if line.unit_price is None else str(line.unit_price),
        "amount": line.amount,
        "baseline_amount": line.baseline_amount,
        "receipt": line.receipt,
    }


def _po(po: PurchaseOrder) -> dict:
    return {
        "id": po.pk,
        "number": po.number,
        "cycle_id": po.cycle_id,
        "vendor": po.vendor.name,
        "status": po.status,
        "below_minimum": po.below_minimum,
        "subtotal": po.subtotal,
        "delivery_fee": po.delivery_fee,
        "total": po.total,
    }


def _savings(report: dict) -> dict:
    def row(s):
        return {"label": s.label, "spend": s.spend, "baseline": s.baseline, "saved": s.saved,
                "percent": str(s.percent)}  # fmt: skip

    out = {k: [row(s) for s in report[k]] for k in ("by_cycle", "by_year", "by_category")}
    out["total"] = row(report["total"])
    if "by_member" in report:
        out["by_member"] = [row(s) for s in report["by_member"]]
    return out


@api.get("/alliances/{alliance}/catalog", response={200: ItemPage, **ERRORS}, tags=["purchasing"])
def list_catalog(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """The alliance's catalog items with their price tiers and retail baselines."""
    with api_alliance(request, alliance, Perm.ALLIANCE_MEMBER) as the_alliance:
        _buyer_or_hub(request, the_alliance)
        qs = queries.items_of(the_alliance).filter(is_active=True).order_by("category", "name")
        return page_of(qs, page, _item)


@api.get("/alliances/{alliance}/cycles", response={200: CyclePage, **ERRORS}, tags=["purchasing"])
def list_cycles(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """Purchasing cycles, latest closing first."""
    with api_alliance(request, alliance, Perm.ALLIANCE_MEMBER) as the_alliance:
        _buyer_or_hub(request, the_alliance)
        return page_of(Cycle.objects.filter(alliance=the_alliance), page)


@api.get(
    "/alliances/{alliance}/purchase-orders", response={200: POPage, **ERRORS}, tags=["purchasing"]
)
def list_purchase_orders(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """Consolidated purchase orders of closed cycles (hub only)."""
    with api_alliance(request, alliance) as the_alliance:
        qs = PurchaseOrder.objects.filter(alliance=the_alliance).select_related("vendor")
        return page_of(qs.order_by("-cycle__closes_at", "vendor__name"), page, _po)


@api.get(
    "/alliances/{alliance}/purchase-orders/{po_id}",
    response={200: PODetail, **ERRORS},
    tags=["purchasing"],
)
def get_purchase_order(request: HttpRequest, alliance: str, po_id: int):
    with api_alliance(request, alliance) as the_alliance:
        po = access_purchase_order(the_alliance.pk, po_id)
        lines = [
            {
                "item": ln.cycle_item.item.name,
                "sku": ln.cycle_item.item.sku,
                "ordered_quantity": str(ln.ordered_quantity),
                "quantity": str(ln.quantity),
                "tier_min_quantity": ln.tier_min_quantity,
                "unit_price": str(ln.unit_price),
                "amount": ln.amount,
            }
            for ln in queries.po_lines(po)
        ]
        return {**_po(po), "lines": lines}


@api.get("/alliances/{alliance}/savings", response={200: SavingsOut, **ERRORS}, tags=["purchasing"])
def alliance_savings(request: HttpRequest, alliance: str):
    """Measured savings of every member (hub only)."""
    with api_alliance(request, alliance) as the_alliance:
        return _savings(queries.savings_report(alliance=the_alliance))


@api.get("/programs/{slug}/orders", response={200: OrderPage, **ERRORS}, tags=["purchasing"])
def list_orders(request: HttpRequest, slug: str, page: Query[PageIn]):
    """The program's orders, latest cycle first."""
    with api_program(request, slug) as program:
        return page_of(queries.orders_of(program), page, _order)


@api.post("/programs/{slug}/orders", response={201: OrderDetail, **ERRORS}, tags=["purchasing"])
def place_order(request: HttpRequest, slug: str, payload: OrderIn):
    """Set (or with ``merge`` add to) the program's quantities in an open cycle. A quantity
    of 0 removes the item. 422 names ``qty_<cycle_item_id>`` for a bad line."""
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        cycle = access_cycle(program.alliance_id, payload.cycle_id)
        order = services.place_order(
            acting_user=request.user, program=program, cycle=cycle,
            quantities={ln.cycle_item_id: ln.quantity for ln in payload.lines},
            tolerances={ln.cycle_item_id: ln.tolerance for ln in payload.lines},
            merge=payload.merge,
        )  # fmt: skip
        return Status(201, _order_detail(program, order.pk))


def _order_detail(program, order_id: int) -> dict:
    order = access_order(program, order_id)
    lines = OrderLine.objects.filter(order=order).select_related("cycle_item__item")
    return {**_order(order), "lines": [_line(ln) for ln in lines]}


@api.get(
    "/programs/{slug}/orders/{order_id}", response={200: OrderDetail, **ERRORS}, tags=["purchasing"]
)
def get_order(request: HttpRequest, slug: str, order_id: int):
    with api_program(request, slug) as program:
        return _order_detail(program, order_id)


@api.get("/programs/{slug}/savings", response={200: SavingsOut, **ERRORS}, tags=["purchasing"])
def program_savings(request: HttpRequest, slug: str):
    """The program's spend, retail baseline and savings from closed cycles."""
    with api_program(request, slug) as program:
        return _savings(queries.savings_report(program=program))
