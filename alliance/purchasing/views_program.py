"""A member program's purchasing pages: open cycles, its orders, receiving and savings.
The tenant middleware has opened the program's scope; each view names its permission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.charts import Bar, bar_chart
from alliance.core.forms import submit
from alliance.core.money import format_money
from alliance.core.policy import Perm, has_perm
from alliance.members.decorators import requires
from alliance.purchasing import queries, services
from alliance.purchasing.access import access_cycle, access_order_line
from alliance.purchasing.forms import ReceiptForm
from alliance.purchasing.models import CycleStatus
from alliance.purchasing.services_close import record_receipt
from alliance.purchasing.templatetags.purchasing_tags import qty as qty_text


def savings_chart(rows, title: str):
    if not rows:
        return None
    return bar_chart(
        [
            Bar(label=r.label, value=r.saved, display=f"{format_money(r.saved)} ({r.percent}%)")
            for r in rows
        ],
        title=title,
    )


@requires(Perm.PROGRAM_VIEW)
def home(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    report = queries.savings_report(program=program)
    return render(
        request,
        "purchasing/program/home.html",
        {
            "program": program,
            "open_cycles": list(queries.open_cycles(program.alliance_id, timezone.now())),
            "orders": list(queries.orders_of(program)[:50]),
            "total": report["total"],
            "can_order": has_perm(request.user, Perm.PROGRAM_MANAGE, program=program),
        },
    )


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, program_slug: str, cycle_id: int) -> HttpResponse:
    """The order sheet: quantities with the running total, the tier price the pooled quantity
    reaches now and the savings; after close, the allocation, invoice and receiving."""
    program = request.program
    cycle = access_cycle(program.alliance_id, cycle_id)
    can_order = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_order:
            raise PermissionDenied
        quantities = {k[4:]: v for k, v in request.POST.items() if k.startswith("qty_")}
        tolerances = {k[4:]: v for k, v in request.POST.items() if k.startswith("tol_")}
        try:
            services.place_order(
                acting_user=request.user, program=program, cycle=cycle,
                quantities=quantities, tolerances=tolerances,
            )  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request, _("Your order is saved. You can change it until the window closes.")
            )
            return redirect("purchasing:order", program.slug, cycle.pk)
    sheet = queries.order_sheet(program, cycle)
    for row in sheet.rows:
        key = f"qty_{row.ci.pk}"
        row.error = errors.get(key)
        row.value = (
            request.POST.get(key, "")
            if errors
            else (qty_text(row.quantity) if row.quantity else "")
        )
    general = [m for k, msgs in errors.items() if not k.startswith("qty_") for m in msgs]
    return render(
        request,
        "purchasing/program/order.html",
        {
            "program": program,
            "cycle": cycle,
            "sheet": sheet,
            "errors": errors,
            "general_errors": general,
            "can_order": can_order and cycle.accepts_orders(timezone.now()),
            "can_receive": can_order and cycle.status == CycleStatus.CLOSED,
            "closed": cycle.status in (CycleStatus.CLOSED, CycleStatus.CANCELLED),
            "receipt_form": ReceiptForm(),
        },
        status=422 if errors else 200,
    )


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def reorder(request: HttpRequest, program_slug: str, cycle_id: int) -> HttpResponse:
    program = request.program
    cycle = access_cycle(program.alliance_id, cycle_id)
    try:
        services.reorder_last(acting_user=request.user, program=program, cycle=cycle)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your last order's items were added. Check the quantities."))
    return redirect("purchasing:order", program.slug, cycle.pk)


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def receive(request: HttpRequest, program_slug: str, cycle_id: int, line_id: int) -> HttpResponse:
    program = request.program
    line = access_order_line(program, cycle_id, line_id)
    form = ReceiptForm(request.POST)
    if not submit(
        request,
        form,
        lambda data: record_receipt(acting_user=request.user, line=line, **data),
        success=lambda _result: (
            _("Receipt recorded for %(item)s.") % {"item": line.cycle_item.item.name}
        ),
    ).ok:
        return render(
            request,
            "purchasing/program/receive_error.html",
            {"program": program, "line": line, "form": form, "cycle_id": cycle_id},
            status=422,
        )
    return redirect("purchasing:order", program.slug, cycle_id)


@requires(Perm.PROGRAM_VIEW)
def savings(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    report = queries.savings_report(program=program)
    return render(
        request,
        "purchasing/savings.html",
        {
            "program": program,
            "report": report,
            "chart": savings_chart(report["by_category"], _("Savings by category")),
        },
    )


@requires(Perm.PROGRAM_VIEW)
def invoice(request: HttpRequest, program_slug: str, cycle_id: int) -> HttpResponse:
    """The program's invoice for a closed cycle, as PDF."""
    from django.http import Http404

    from alliance.purchasing.exports import invoice_pdf
    from alliance.purchasing.models import Order, OrderLine

    program = request.program
    order = (
        Order.objects.select_related("cycle__alliance", "program")
        .filter(program=program, cycle_id=cycle_id, subtotal__isnull=False)
        .first()
    )
    if order is None:
        raise Http404
    lines = OrderLine.objects.filter(order=order, final_quantity__gt=0).select_related(
        "cycle_item__item"
    )
    response = HttpResponse(invoice_pdf(order, list(lines)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{order.invoice_number}.pdf"'
    return response
