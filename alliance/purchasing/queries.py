"""Reads for purchasing pages, the API and reports. Every list is a bounded number of
queries whatever its length."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from alliance.members.models import Alliance, Program
from alliance.purchasing import pricing
from alliance.purchasing.models import (
    Cycle,
    CycleItem,
    CycleStatus,
    Item,
    Order,
    OrderLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Vendor,
)
from alliance.purchasing.services import pooled_quantities

ZERO = Decimal("0")


def open_cycles(alliance_id: int, now: datetime) -> QuerySet[Cycle]:
    return Cycle.objects.filter(
        alliance_id=alliance_id, status=CycleStatus.OPEN, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at")


def cycles_of(alliance: Alliance) -> QuerySet[Cycle]:
    return Cycle.objects.filter(alliance=alliance).annotate(
        n_orders=Count("orders", filter=Q(orders__lines__isnull=False), distinct=True),
        n_items=Count("cycle_items", distinct=True),
    )


def orders_of(program: Program) -> QuerySet[Order]:
    return (
        Order.objects.filter(program=program)
        .select_related("cycle")
        .annotate(n_lines=Count("lines"))
        .order_by("-cycle__closes_at", "-pk")
    )


def vendors_of(alliance: Alliance) -> QuerySet[Vendor]:
    return Vendor.objects.filter(alliance=alliance).annotate(n_items=Count("items"))


def items_of(alliance: Alliance) -> QuerySet[Item]:
    return Item.objects.filter(alliance=alliance).select_related("vendor")


@dataclass
class OrderRow:
    """One offered item on a member's order page, with the live tier figures."""

    ci: CycleItem
    quantity: Decimal
    tolerance: int
    pooled: Decimal
    unit_price: Decimal
    next_tier: tuple[pricing.Tier, Decimal] | None
    line: OrderLine | None = None

    @property
    def amount(self) -> Decimal:
        return pricing.line_amount(self.quantity, self.unit_price)

    @property
    def baseline(self) -> Decimal:
        return pricing.line_amount(self.quantity, self.ci.baseline_price)


@dataclass
class OrderSheet:
    rows: list[OrderRow]
    order: Order | None
    total: Decimal = ZERO
    baseline: Decimal = ZERO
    by_vendor: dict = field(default_factory=dict)

    @property
    def savings(self) -> Decimal:
        return self.baseline - self.total


def order_sheet(program: Program, cycle: Cycle) -> OrderSheet:
    """Every item of the cycle with the program's quantity and, while the cycle is open, the
    price the current pooled quantity reaches (after close: the allocation). Four queries."""
    order = Order.objects.filter(program=program, cycle=cycle).first()
    lines = {}
    if order is not None:
        lines = {ln.cycle_item_id: ln for ln in OrderLine.objects.filter(order=order)}
    pooled = pooled_quantities(cycle)
    rows = []
    closed = cycle.status != CycleStatus.OPEN
    items = CycleItem.objects.filter(cycle=cycle).select_related("item", "vendor")
    for ci in items:
        line = lines.get(ci.pk)
        tiers = ci.price_tiers()
        qty = line.quantity if line else ZERO
        if closed and line is not None:
            qty = line.final_quantity or ZERO
        price = (
            line.unit_price
            if closed and line is not None and line.unit_price is not None
            else pricing.tier_for(tiers, pooled.get(ci.pk, ZERO)).unit_price
        )
        rows.append(
            OrderRow(
                ci=ci,
                quantity=qty,
                tolerance=line.tolerance if line else 0,
                pooled=pooled.get(ci.pk, ZERO),
                unit_price=price,
                next_tier=None if closed else pricing.next_tier(tiers, pooled.get(ci.pk, ZERO)),
                line=line,
            )
        )
    sheet = OrderSheet(rows=rows, order=order)
    for row in rows:
        if row.quantity:
            sheet.total += row.amount
            sheet.baseline += row.baseline
    return sheet


@dataclass
class Savings:
    label: str
    spend: Decimal
    baseline: Decimal

    @property
    def saved(self) -> Decimal:
        return self.baseline - self.spend

    @property
    def percent(self) -> Decimal:
        if not self.baseline:
            return ZERO
        return (self.saved * 100 / self.baseline).quantize(Decimal("0.1"))


def _closed_lines(**filters) -> QuerySet[OrderLine]:
    return OrderLine.objects.filter(order__cycle__status=CycleStatus.CLOSED, **filters)


def _sums(qs, key: str, label=lambda v: str(v)) -> list[Savings]:
    rows = qs.values(key).annotate(s=Sum("amount"), b=Sum("baseline_amount")).order_by(key)
    return [Savings(label(r[key]), r["s"] or ZERO, r["b"] or ZERO) for r in rows]


def savings_report(*, program: Program | None = None, alliance: Alliance | None = None) -> dict:
    """Spend, baseline cost and savings from the actual allocated prices: by cycle, year and
    category (and, alliance-wide, by member), plus the total. Five queries."""
    filters = {"program": program} if program is not None else {"order__cycle__alliance": alliance}
    qs = _closed_lines(**filters)
    from alliance.purchasing.models import Category

    categories = dict(Category.choices)
    by_cycle = []
    cycle_rows = (
        qs.values("order__cycle_id", "order__cycle__name", "order__cycle__delivery_on")
        .annotate(s=Sum("amount"), b=Sum("baseline_amount"))
        .order_by("-order__cycle__delivery_on")
    )
    for r in cycle_rows:
        by_cycle.append(Savings(r["order__cycle__name"], r["s"] or ZERO, r["b"] or ZERO))
    report = {
        "by_cycle": by_cycle,
        "by_year": _sums(qs.annotate(year=ExtractYear("order__cycle__delivery_on")), "year"),
        "by_category": _sums(qs, "cycle_item__item__category", lambda v: str(categories.get(v, v))),
    }
    total = qs.aggregate(s=Sum("amount"), b=Sum("baseline_amount"))
    report["total"] = Savings("total", total["s"] or ZERO, total["b"] or ZERO)
    if program is None:
        report["by_member"] = _sums(qs, "program__name")
    return report


def po_lines(po: PurchaseOrder) -> QuerySet[PurchaseOrderLine]:
    return PurchaseOrderLine.objects.filter(purchase_order=po).select_related("cycle_item__item")


def po_allocations(po: PurchaseOrder) -> dict[int, list[OrderLine]]:
    """Cycle item id → every member's line of it (one query)."""
    out: dict[int, list[OrderLine]] = defaultdict(list)
    lines = (
        OrderLine.objects.filter(order__cycle_id=po.cycle_id, cycle_item__vendor_id=po.vendor_id)
        .filter(quantity__gt=0)
        .select_related("program")
        .order_by("program__name")
    )
    for line in lines:
        out[line.cycle_item_id].append(line)
    return out


def purchase_orders_of(cycle: Cycle) -> QuerySet[PurchaseOrder]:
    return PurchaseOrder.objects.filter(cycle=cycle).select_related("vendor")
