"""The consolidation plan of a cycle: what closing it now would produce.

Both the hub's close preview and :func:`services_close.close_cycle` use :func:`plan_cycle`, so
what the hub is shown is exactly what closing does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from alliance.purchasing import pricing
from alliance.purchasing.models import Cycle, CycleItem, OrderLine, Vendor

ZERO = Decimal("0")


@dataclass
class LineRow:
    line_id: int
    order_id: int
    program_id: int
    quantity: Decimal
    tolerance: int
    final: Decimal = ZERO
    amount: Decimal = ZERO
    baseline: Decimal = ZERO


@dataclass
class ItemPlan:
    cycle_item: CycleItem
    lines: list[LineRow]
    ordered: Decimal = ZERO
    quantity: Decimal = ZERO
    tier: pricing.Tier | None = None
    amount: Decimal = ZERO
    baseline: Decimal = ZERO


@dataclass
class VendorPlan:
    vendor: Vendor
    items: list[ItemPlan] = field(default_factory=list)
    subtotal: Decimal = ZERO
    baseline: Decimal = ZERO

    @property
    def below_minimum(self) -> bool:
        return ZERO < self.subtotal < self.vendor.minimum_order


@dataclass
class CyclePlan:
    cycle: Cycle
    vendors: list[VendorPlan]

    @property
    def total(self) -> Decimal:
        return sum((v.subtotal for v in self.vendors), ZERO)

    def below_minimum(self) -> list[VendorPlan]:
        return [v for v in self.vendors if v.below_minimum]


def plan_cycle(cycle: Cycle) -> CyclePlan:
    """Pool every order's lines per item, round to vendor packs, find the tier each item's
    pooled quantity reaches and price every member's line at it. Three queries."""
    items = {
        ci.pk: ci for ci in CycleItem.objects.filter(cycle=cycle).select_related("item", "vendor")
    }
    by_item: dict[int, list[LineRow]] = defaultdict(list)
    rows = (
        OrderLine.objects.filter(order__cycle=cycle, quantity__gt=0)
        .order_by("order__created_at", "pk")
        .values_list("pk", "order_id", "program_id", "cycle_item_id", "quantity", "tolerance")
    )
    for pk, order_id, program_id, ci_id, qty, tol in rows.iterator(chunk_size=5000):
        by_item[ci_id].append(LineRow(pk, order_id, program_id, qty, tol))
    vendors: dict[int, VendorPlan] = {}
    for ci_id, lines in by_item.items():
        ci = items[ci_id]
        plan = price_item(ci, lines)
        vendor_plan = vendors.setdefault(ci.vendor_id, VendorPlan(ci.vendor))
        vendor_plan.items.append(plan)
        vendor_plan.subtotal += plan.amount
        vendor_plan.baseline += plan.baseline
    ordered = sorted(vendors.values(), key=lambda v: v.vendor.name)
    for vendor_plan in ordered:
        vendor_plan.items.sort(key=lambda p: (p.cycle_item.item.category, p.cycle_item.item.name))
    return CyclePlan(cycle, ordered)


def price_item(ci: CycleItem, lines: list[LineRow]) -> ItemPlan:
    plan = ItemPlan(ci, lines)
    plan.ordered = sum((ln.quantity for ln in lines), ZERO)
    if ci.pack_size > 1 and not ci.divisible:
        finals = pricing.round_to_packs(
            [pricing.PackLine(ln.line_id, int(ln.quantity), ln.tolerance) for ln in lines],
            ci.pack_size,
        )
        for ln in lines:
            ln.final = Decimal(finals[ln.line_id])
    else:
        for ln in lines:
            ln.final = ln.quantity
    plan.quantity = sum((ln.final for ln in lines), ZERO)
    plan.tier = pricing.tier_for(ci.price_tiers(), plan.quantity)
    cache: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for ln in lines:
        if ln.final not in cache:
            cache[ln.final] = (
                pricing.line_amount(ln.final, plan.tier.unit_price),
                pricing.line_amount(ln.final, ci.baseline_price),
            )
        ln.amount, ln.baseline = cache[ln.final]
        plan.amount += ln.amount
        plan.baseline += ln.baseline
    return plan
