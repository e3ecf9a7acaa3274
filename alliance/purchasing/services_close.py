"""Closing a cycle, late changes by the hub, receiving — every change after the window.

``close_cycle`` guarantees: the cycle is claimed with a conditional UPDATE (open → closing)
so two hub staff closing at once produce one consolidation and one clear error; every order
is frozen; one purchase order per vendor at the tier each item's pooled quantity reaches;
each member's lines priced at that one unit price; the members' amounts add up to each
purchase order line to the cent (see :mod:`alliance.purchasing.pricing`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core import policy
from alliance.core.audit import log_action
from alliance.core.tenancy import alliance_scope
from alliance.purchasing import pricing
from alliance.purchasing.consolidate import CyclePlan, plan_cycle
from alliance.purchasing.models import (
    Cycle,
    CycleStatus,
    Order,
    OrderLine,
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    ReceiptStatus,
)

PROCEED, CANCEL = "proceed", "cancel"
ZERO = Decimal("0")


def _claim(cycle: Cycle) -> Cycle:
    """Open → closing with one conditional UPDATE; the loser of a race gets an error."""
    claimed = Cycle.objects.filter(pk=cycle.pk, status=CycleStatus.OPEN).update(
        status=CycleStatus.CLOSING
    )
    if not claimed:
        raise ValidationError({"cycle": _("This cycle is already closed.")})
    return Cycle.objects.select_related("alliance").get(pk=cycle.pk)


@transaction.atomic
def close_cycle(
    *,
    acting_user: User | None,
    cycle: Cycle,
    decisions: Mapping[int, str] | None = None,
    note: str = "",
    now: datetime | None = None,
) -> CyclePlan:
    """Freeze the cycle's orders and consolidate them (see the module docstring).

    ``decisions`` maps the id of each vendor whose pooled order is below its minimum to
    "proceed" or "cancel" (that vendor's lines are dropped). A hub closing by hand must
    decide for every such vendor; an automatic close (``acting_user`` None) cancels them.
    If the pooled total is below the cycle's ``min_total`` the whole cycle is cancelled."""
    now = now or timezone.now()
    cycle = _claim(cycle)
    # Consolidation reads and writes every member's orders: the alliance's scope, even when
    # the close is triggered from one program's request (the spend cap).
    with alliance_scope(cycle.alliance_id):
        return _close(acting_user, cycle, decisions, note, now)


def _close(acting_user, cycle: Cycle, decisions, note: str, now: datetime) -> CyclePlan:
    if acting_user is not None and not policy.is_hub(acting_user, cycle.alliance_id):
        raise ValidationError({"cycle": _("Only the hub can close a cycle.")})
    plan = plan_cycle(cycle)
    decisions = dict(decisions or {})
    missing = [v.vendor.name for v in plan.below_minimum() if v.vendor.pk not in decisions]
    if missing and acting_user is not None:
        raise ValidationError(
            {"decisions": _("Decide what happens to the orders below the minimum of: %(v)s.")
             % {"v": ", ".join(missing)}}
        )  # fmt: skip
    cancelled = {v.vendor.pk for v in plan.below_minimum() if decisions.get(v.vendor.pk) != PROCEED}
    kept_total = sum((v.subtotal for v in plan.vendors if v.vendor.pk not in cancelled), ZERO)
    status = CycleStatus.CLOSED
    if kept_total < cycle.min_total:
        cancelled = {v.vendor.pk for v in plan.vendors}
        status = CycleStatus.CANCELLED
        note = note or _("Cancelled: the pooled total did not reach the cycle minimum.")
    _apply(plan, cancelled)
    cycle.status = status
    cycle.closed_at = now
    cycle.closed_by = acting_user
    cycle.close_note = note[:300]
    cycle.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    log_action(
        actor=acting_user,
        action=f"purchasing.cycle_{'closed' if status == CycleStatus.CLOSED else 'cancelled'}",
        target=cycle,
        alliance=cycle.alliance,
        summary=cycle.name,
        data={
            "total": str(plan.total),
            "cancelled_vendors": sorted(cancelled),
            "decisions": {str(k): v for k, v in decisions.items()},
            "note": note,
        },
    )  # fmt: skip
    from alliance.purchasing.notices import notify_cycle_closed

    notify_cycle_closed(cycle)
    return plan


def _apply(plan: CyclePlan, cancelled: set[int]) -> None:
    cycle = plan.cycle
    order_sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    line_rows: list[tuple] = []
    for vendor_plan in plan.vendors:
        vendor = vendor_plan.vendor
        is_cancelled = vendor.pk in cancelled
        fee = ZERO if is_cancelled else vendor.delivery_fee
        po = PurchaseOrder.objects.create(
            alliance=cycle.alliance,
            cycle=cycle,
            vendor=vendor,
            number=f"PO-{cycle.pk}-{vendor.pk}",
            status=POStatus.CANCELLED if is_cancelled else POStatus.ISSUED,
            subtotal=ZERO if is_cancelled else vendor_plan.subtotal,
            delivery_fee=fee,
            below_minimum=vendor_plan.below_minimum,
        )
        po_lines = []
        spend_by_order: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for item in vendor_plan.items:
            ci = item.cycle_item
            po_lines.append(
                PurchaseOrderLine(
                    purchase_order=po,
                    cycle_item=ci,
                    ordered_quantity=item.ordered,
                    quantity=item.quantity,
                    tier_min_quantity=item.tier.min_quantity,
                    unit_price=item.tier.unit_price,
                    amount=item.amount,
                    baseline_amount=item.baseline,
                )
            )
            if is_cancelled:
                line_rows += [(ln.line_id, ZERO, None, ZERO, ZERO) for ln in item.lines]
                continue
            price = item.tier.unit_price
            line_rows += [
                (ln.line_id, ln.final, price, ln.amount, ln.baseline) for ln in item.lines
            ]
            for ln in item.lines:
                order_sums[ln.order_id][0] += ln.amount
                order_sums[ln.order_id][1] += ln.baseline
                spend_by_order[ln.order_id] += ln.amount
        PurchaseOrderLine.objects.bulk_create(po_lines, batch_size=2000)
        if fee:
            shares = pricing.split_cost(fee, dict(sorted(spend_by_order.items())))
            for order_id, share in shares.items():
                order_sums[order_id].append(share)
    fast_update(
        OrderLine,
        ("final_quantity", "unit_price", "amount", "baseline_amount"),
        line_rows,
        casts=("numeric", "numeric", "numeric", "numeric"),
    )
    orders = list(Order.objects.filter(cycle=cycle).values_list("pk", "program_id"))
    rows = []
    for pk, program_id in orders:
        sums = order_sums.get(pk, [ZERO, ZERO])
        rows.append((pk, sums[0], sums[1], sum(sums[2:], ZERO), f"INV-{cycle.pk}-{program_id}"))
    fast_update(
        Order,
        ("subtotal", "baseline_total", "delivery_share", "invoice_number"),
        rows,
        casts=("numeric", "numeric", "numeric", "text"),
    )


def fast_update(model, fields: tuple[str, ...], rows: list[tuple], *, casts: tuple[str, ...]):
    """Set ``fields`` of many rows, given as (pk, *values). PostgreSQL: one
    ``UPDATE … FROM (VALUES …)`` per 2,000 rows; other databases: ``bulk_update``."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for name, value in zip(fields, values, strict=True):
                setattr(obj, name, value)
            objs.append(obj)
        model.objects.bulk_update(objs, fields, batch_size=500)
        return
    table = model._meta.db_table
    columns = [model._meta.get_field(f).column for f in fields]
    sets = ", ".join(f'"{c}" = v."{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in ["id", *columns])
    arrays = ", ".join(["%s::bigint[]", *[f"%s::{t}[]" for t in casts]])
    # One statement whatever the number of rows: each column travels as one array parameter.
    # Identifiers come from the model's own metadata; every value is a parameter.
    sql = f'UPDATE "{table}" AS t SET {sets} FROM unnest({arrays}) AS v({names}) '  # noqa: S608
    params = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql + 'WHERE t."id" = v."id"', params)


def close_due_cycles(*, now: datetime | None = None) -> list[int]:
    """Close every open cycle whose window has ended (the periodic task calls this)."""
    now = now or timezone.now()
    from django_scopes import scopes_disabled

    with scopes_disabled():
        due = list(
            Cycle.objects.filter(status=CycleStatus.OPEN, closes_at__lte=now).values_list(
                "pk", flat=True
            )
        )
        closed = []
        for pk in due:
            try:
                close_cycle(acting_user=None, cycle=Cycle(pk=pk), note=_("Window ended."), now=now)
            except ValidationError:
                continue  # someone closed it meanwhile
            closed.append(pk)
    return closed


@transaction.atomic
def change_allocation(
    *, acting_user: User, line: OrderLine, quantity: Decimal, reason: str
) -> OrderLine:
    """A late change by the hub to a closed cycle's line: the price stays the tier the
    purchase order was issued at; the line, the member's order and the PO are updated."""
    line = OrderLine.objects.select_for_update().select_related("order__cycle").get(pk=line.pk)
    cycle = line.order.cycle
    errors = {}
    if not policy.is_hub(acting_user, cycle.alliance_id):
        errors["quantity"] = _("Only the hub can change an order after the window closes.")
    elif cycle.status != CycleStatus.CLOSED or line.unit_price is None:
        errors["quantity"] = _("Only lines of a closed cycle's issued orders can be changed.")
    elif not isinstance(quantity, Decimal) or quantity < 0 or not quantity.is_finite():
        errors["quantity"] = _("Enter a quantity of zero or more.")
    elif quantity != quantity.to_integral_value() and not line.cycle_item.divisible:
        errors["quantity"] = _("This item is sold in whole units only.")
    if not reason.strip():
        errors["reason"] = _("Say why the order is changed.")
    if errors:
        raise ValidationError(errors)
    old = (line.final_quantity, line.amount)
    amount = pricing.line_amount(quantity, line.unit_price)
    baseline = pricing.line_amount(quantity, line.cycle_item.baseline_price)
    d_amount, d_base = amount - line.amount, baseline - line.baseline_amount
    d_qty = quantity - line.final_quantity
    line.final_quantity, line.amount, line.baseline_amount = quantity, amount, baseline
    line.save(update_fields=["final_quantity", "amount", "baseline_amount"])
    Order.objects.filter(pk=line.order_id).update(
        subtotal=F("subtotal") + d_amount, baseline_total=F("baseline_total") + d_base
    )
    po_line = PurchaseOrderLine.objects.select_related("purchase_order").get(
        purchase_order__cycle=cycle, cycle_item=line.cycle_item
    )
    PurchaseOrderLine.objects.filter(pk=po_line.pk).update(
        quantity=F("quantity") + d_qty,
        amount=F("amount") + d_amount,
        baseline_amount=F("baseline_amount") + d_base,
    )
    PurchaseOrder.objects.filter(pk=po_line.purchase_order_id).update(
        subtotal=F("subtotal") + d_amount
    )
    log_action(
        actor=acting_user,
        action="purchasing.allocation_changed",
        target=line,
        alliance=cycle.alliance,
        program=line.program,
        summary=reason.strip(),
        data={"quantity": [old[0], quantity], "amount": [old[1], amount], "reason": reason},
    )
    return line


@transaction.atomic
def record_receipt(
    *,
    acting_user: User,
    line: OrderLine,
    receipt: str,
    received_quantity: Decimal | None,
    note: str = "",
) -> OrderLine:
    """Record what arrived of one line. Short or damaged units are credited at the line's unit
    price (half-up per line) and the member's invoice goes down by that credit."""
    line = OrderLine.objects.select_for_update().select_related("order__cycle").get(pk=line.pk)
    final = line.final_quantity
    errors = {}
    if line.order.cycle.status != CycleStatus.CLOSED or not final or line.unit_price is None:
        errors["receipt"] = _("Only delivered lines of a closed cycle can be received.")
    elif receipt not in ReceiptStatus.values or receipt == ReceiptStatus.PENDING:
        errors["receipt"] = _("Choose received, short or damaged.")
    if receipt == ReceiptStatus.RECEIVED:
        received_quantity = final
    elif not errors and (received_quantity is None or not 0 <= received_quantity < final):
        errors["received_quantity"] = _(
            "Enter how many good units arrived (less than the %(q)s ordered)."
        ) % {"q": final}
    if errors:
        raise ValidationError(errors)
    credit = pricing.line_amount(final - received_quantity, line.unit_price)
    old = (line.receipt, line.credit)
    line.receipt, line.received_quantity = receipt, received_quantity
    line.credit, line.receipt_note = credit, note[:200]
    line.save(update_fields=["receipt", "received_quantity", "credit", "receipt_note"])
    total = OrderLine.objects.filter(order_id=line.order_id).aggregate(c=Sum("credit"))["c"]
    Order.objects.filter(pk=line.order_id).update(credits=total or ZERO)
    log_action(
        actor=acting_user,
        action="purchasing.receipt_recorded",
        target=line,
        alliance=line.order.cycle.alliance,
        program=line.program,
        summary=f"{receipt} {received_quantity}/{final}",
        data={"receipt": [old[0], receipt], "credit": [old[1], credit], "note": note},
    )
    return line
