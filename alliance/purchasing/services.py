"""Every change to vendors, the catalog, cycles and members' orders.

Each service is keyword-only, atomic, takes the acting user and writes an audit row. Bad
input raises ``ValidationError`` with a message per field before anything is saved. Closing a
cycle, late changes and receiving live in :mod:`alliance.purchasing.services_close`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import changes, log_action
from alliance.core.tenancy import alliance_scope
from alliance.members.models import Alliance, Program
from alliance.purchasing import pricing
from alliance.purchasing.models import (
    Category,
    Cycle,
    CycleItem,
    CycleStatus,
    Item,
    Order,
    OrderLine,
    PriceChange,
    Vendor,
)

VENDOR_FIELDS = (
    "name",
    "contact_name",
    "email",
    "phone",
    "delivery_areas",
    "delivery_days",
    "minimum_order",
    "delivery_fee",
    "terms",
    "is_active",
)


def _full_clean(instance, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_constraints=False)


@transaction.atomic
def save_vendor(
    *, acting_user: User, alliance: Alliance, vendor: Vendor | None = None, **fields: Any
) -> Vendor:
    """Create or change a vendor; names are unique in the alliance."""
    values = {k: v for k, v in fields.items() if k in VENDOR_FIELDS}
    creating = vendor is None
    vendor = vendor or Vendor(alliance=alliance)
    diff = changes(vendor, values)
    _full_clean(vendor, exclude=["alliance"])
    name_taken = Vendor.objects.filter(alliance=alliance, name__iexact=vendor.name)
    if name_taken.exclude(pk=vendor.pk).exists():
        raise ValidationError({"name": _("There is already a vendor with this name.")})
    vendor.save()
    log_action(
        actor=acting_user,
        action="purchasing.vendor_created" if creating else "purchasing.vendor_changed",
        target=vendor,
        alliance=alliance,
        summary=vendor.name,
        data=diff,
    )
    return vendor


def check_item_fields(values: Mapping[str, Any]) -> dict[str, str]:
    """Field problems of an item's catalog data (shared by the form and the CSV import)."""
    errors: dict[str, str] = {}
    if values.get("category") not in Category.values:
        errors["category"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(Category.values)
        }
    tiers = values.get("tiers")
    if isinstance(tiers, str):
        try:
            pricing.parse_tiers(tiers)
        except pricing.TierError as exc:
            errors["tiers"] = str(exc)
    baseline = values.get("baseline_price")
    if not isinstance(baseline, Decimal) or not baseline.is_finite() or baseline <= 0:
        errors["baseline_price"] = _("Enter the retail price, more than zero.")
    return errors


@transaction.atomic
def save_item(
    *,
    acting_user: User,
    alliance: Alliance,
    vendor: Vendor,
    item: Item | None = None,
    tiers: str,
    source: str = "edit",
    **fields: Any,
) -> Item:
    """Create or change a catalog item. A change of tiers or baseline price is recorded in
    the price history. ``tiers`` is ``"1:12.50|10:11.75"``."""
    errors = check_item_fields({**fields, "tiers": tiers})
    if errors:
        raise ValidationError(errors)
    tier_json = pricing.tiers_to_json(pricing.parse_tiers(tiers))
    creating = item is None
    item = item or Item(alliance=alliance, vendor=vendor)
    item.vendor = vendor
    allowed = ("sku", "name", "category", "unit", "pack_size", "divisible", "cacfp_creditable")
    allowed += ("baseline_price", "baseline_source", "baseline_date", "is_active")
    old_prices = (item.tiers, item.baseline_price)
    diff = changes(item, {k: v for k, v in fields.items() if k in allowed})
    if item.tiers != tier_json:
        diff["tiers"] = [item.tiers, tier_json]
        item.tiers = tier_json
    _full_clean(item, exclude=["alliance", "vendor"])
    if Item.objects.filter(vendor=vendor, sku=item.sku).exclude(pk=item.pk).exists():
        raise ValidationError({"sku": _("This vendor already has an item with this SKU.")})
    item.save()
    if creating or old_prices != (item.tiers, item.baseline_price):
        PriceChange.objects.create(
            alliance=alliance,
            item=item,
            changed_by=acting_user,
            tiers=item.tiers,
            baseline_price=item.baseline_price,
            source=source,
        )
    log_action(
        actor=acting_user,
        action="purchasing.item_created" if creating else "purchasing.item_changed",
        target=item,
        alliance=alliance,
        summary=item.name,
        data=diff,
    )
    return item


@transaction.atomic
def open_cycle(
    *,
    acting_user: User,
    alliance: Alliance,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    delivery_on: date,
    items: Iterable[Item],
    member_min_spend: Decimal = Decimal("0"),
    spend_cap: Decimal | None = None,
    min_total: Decimal = Decimal("0"),
) -> Cycle:
    """Open an order window offering ``items`` at their current tiers (frozen for the cycle).
    Several cycles may be open at once."""
    items = list(items)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the cycle a name.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("The window must close after it opens.")
    if delivery_on < closes_at.date():
        errors["delivery_on"] = _("Delivery cannot be before the window closes.")
    if not items:
        errors["items"] = _("Offer at least one item.")
    if any(item.alliance_id != alliance.pk for item in items):
        errors["items"] = _("Only this alliance's catalog items can be offered.")
    if member_min_spend < 0 or min_total < 0 or (spend_cap is not None and spend_cap <= 0):
        errors["member_min_spend"] = _("Amounts cannot be negative.")
    if errors:
        raise ValidationError(errors)
    cycle = Cycle.objects.create(
        alliance=alliance,
        name=name.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        delivery_on=delivery_on,
        member_min_spend=member_min_spend,
        spend_cap=spend_cap,
        min_total=min_total,
    )
    CycleItem.objects.bulk_create(
        CycleItem(
            cycle=cycle,
            item=item,
            vendor_id=item.vendor_id,
            tiers=item.tiers,
            baseline_price=item.baseline_price,
            pack_size=item.pack_size,
            divisible=item.divisible,
        )
        for item in items
    )
    log_action(
        actor=acting_user,
        action="purchasing.cycle_opened",
        target=cycle,
        alliance=alliance,
        summary=cycle.name,
        data={"items": len(items), "closes_at": closes_at.isoformat()},
    )
    return cycle


@transaction.atomic
def extend_cycle(*, acting_user: User, cycle: Cycle, closes_at: datetime) -> Cycle:
    """Move an open cycle's closing time later (e.g. to reach a vendor minimum)."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError({"closes_at": _("Only an open cycle can be extended.")})
    if closes_at <= max(cycle.closes_at, timezone.now()):
        raise ValidationError({"closes_at": _("Choose a time after the current closing time.")})
    old = cycle.closes_at
    cycle.closes_at = closes_at
    if cycle.delivery_on < closes_at.date():
        cycle.delivery_on = closes_at.date()
    cycle.save(update_fields=["closes_at", "delivery_on"])
    log_action(
        actor=acting_user,
        action="purchasing.cycle_extended",
        target=cycle,
        alliance=cycle.alliance,
        summary=cycle.name,
        data={"closes_at": [old.isoformat(), closes_at.isoformat()]},
    )
    return cycle


def parse_quantity(raw: Any, cycle_item: CycleItem) -> Decimal:
    """A quantity from user input, or ValueError with a message for the person."""
    try:
        qty = Decimal(str(raw).strip() or "0")
    except InvalidOperation as exc:
        raise ValueError(_("Enter a number.")) from exc
    if not qty.is_finite():
        raise ValueError(_("Enter a number."))
    if qty < 0:
        raise ValueError(_("A quantity cannot be negative."))
    if qty != qty.to_integral_value() and not cycle_item.divisible:
        raise ValueError(_("This item is sold in whole units only."))
    if qty.as_tuple().exponent < -2:
        raise ValueError(_("Use at most two decimals."))
    if qty > Decimal("100000"):
        raise ValueError(_("That quantity is too large."))
    return qty


@transaction.atomic
def place_order(
    *,
    acting_user: User,
    program: Program,
    cycle: Cycle,
    quantities: Mapping[int, Any],
    tolerances: Mapping[int, Any] | None = None,
    merge: bool = False,
    now: datetime | None = None,
) -> Order:
    """Set (or with ``merge`` add to) the program's quantities in an open cycle.

    ``quantities`` maps cycle item ids to quantities; 0 removes a line. A program has one
    order per cycle, so a buyer's several submissions merge into it. Errors name the field
    ``qty_<cycle item id>``; nothing is saved unless every line is valid and the order meets
    the cycle's minimum spend. Reaching the cycle's spend cap closes it automatically."""
    now = now or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if program.alliance_id != cycle.alliance_id:
        raise ValidationError({"cycle": _("This cycle belongs to another alliance.")})
    if not cycle.accepts_orders(now):
        raise ValidationError({"cycle": _("This cycle is not taking orders.")})
    offered = {ci.pk: ci for ci in CycleItem.objects.filter(cycle=cycle)}
    tolerances = tolerances or {}
    errors: dict[str, str] = {}
    wanted: dict[int, tuple[Decimal, int]] = {}
    for raw_id, raw_qty in quantities.items():
        try:
            ci = offered[int(raw_id)]
        except (KeyError, ValueError, TypeError):
            errors["items"] = _("An item you chose is not offered in this cycle.")
            continue
        try:
            qty = parse_quantity(raw_qty, ci)
            tol = int(str(tolerances.get(raw_id, tolerances.get(ci.pk, 0)) or 0))
            if tol < 0:
                raise ValueError(_("Extra units cannot be negative."))
        except ValueError as exc:
            errors[f"qty_{ci.pk}"] = str(exc)
            continue
        wanted[ci.pk] = (qty, tol)
    if errors:
        raise ValidationError(errors)
    order, _created = Order.objects.get_or_create(program=program, cycle=cycle)
    existing = {line.cycle_item_id: line for line in OrderLine.objects.filter(order=order)}
    for ci_id, (qty, tol) in wanted.items():
        line = existing.get(ci_id)
        new_qty = qty + (line.quantity if merge and line else Decimal("0"))
        if line and new_qty == 0:
            line.delete()
            existing.pop(ci_id)
        elif line:
            line.quantity, line.tolerance = new_qty, max(tol, line.tolerance if merge else 0)
            line.save(update_fields=["quantity", "tolerance"])
        elif new_qty > 0:
            existing[ci_id] = OrderLine.objects.create(
                order=order, program=program, cycle_item=offered[ci_id], quantity=new_qty,
                tolerance=tol,
            )  # fmt: skip
    total = expected_total(existing.values(), offered, pooled_quantities(cycle))
    if existing and total < cycle.member_min_spend:
        raise ValidationError(
            {"items": _("The minimum order in this cycle is $%(min)s; your order is $%(t)s.")
             % {"min": cycle.member_min_spend, "t": total}}
        )  # fmt: skip
    order.save(update_fields=["updated_at"])
    log_action(
        actor=acting_user,
        action="purchasing.order_placed",
        target=order,
        alliance=program.alliance,
        program=program,
        summary=cycle.name,
        data={str(k): str(v[0]) for k, v in wanted.items()},
    )
    if cycle.spend_cap is not None and pooled_spend(cycle) >= cycle.spend_cap:
        from alliance.purchasing.services_close import close_cycle

        close_cycle(acting_user=None, cycle=cycle, note=_("Spend cap reached."))
    return order


def pooled_quantities(cycle: Cycle) -> dict[int, Decimal]:
    """Cycle item id → pooled quantity of every program's lines (one query)."""
    from django.db.models import Sum

    # The pooled figure is what the alliance shares with every member, so it is read in the
    # alliance's scope even from one program's page.
    with alliance_scope(cycle.alliance_id):
        rows = (
            OrderLine.objects.filter(order__cycle=cycle)
            .values("cycle_item_id")
            .annotate(total=Sum("quantity"))
        )
        return {row["cycle_item_id"]: row["total"] for row in rows}


def pooled_spend(cycle: Cycle) -> Decimal:
    """The cycle's total at the tiers the pooled quantities reach now."""
    pooled = pooled_quantities(cycle)
    items = CycleItem.objects.filter(cycle=cycle, pk__in=pooled)
    total = Decimal("0")
    for ci in items:
        price = pricing.tier_for(ci.price_tiers(), pooled[ci.pk]).unit_price
        total += pricing.line_amount(pooled[ci.pk], price)
    return total


def expected_total(
    lines: Iterable[OrderLine], offered: Mapping[int, CycleItem], pooled: Mapping[int, Decimal]
) -> Decimal:
    """What these lines cost at the tier the current pooled quantities reach."""
    total = Decimal("0")
    for line in lines:
        ci = offered[line.cycle_item_id]
        price = pricing.tier_for(ci.price_tiers(), pooled.get(ci.pk, line.quantity)).unit_price
        total += pricing.line_amount(line.quantity, price)
    return total


@transaction.atomic
def reorder_last(*, acting_user: User, program: Program, cycle: Cycle) -> Order:
    """Quick re-order: the quantities of the program's latest closed order, for the items this
    cycle offers too, merged into this cycle's order."""
    last = (
        Order.objects.filter(program=program, cycle__status=CycleStatus.CLOSED)
        .exclude(cycle=cycle)
        .order_by("-cycle__closes_at")
        .first()
    )
    if last is None:
        raise ValidationError({"items": _("There is no earlier order to repeat.")})
    offered = {ci.item_id: ci.pk for ci in CycleItem.objects.filter(cycle=cycle)}
    quantities = {}
    for line in OrderLine.objects.filter(order=last).select_related("cycle_item"):
        ci_id = offered.get(line.cycle_item.item_id)
        if ci_id is not None:
            quantities[ci_id] = line.quantity
    if not quantities:
        raise ValidationError({"items": _("None of your last order's items are offered now.")})
    return place_order(
        acting_user=acting_user, program=program, cycle=cycle, quantities=quantities, merge=True
    )
