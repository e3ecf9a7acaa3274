"""The hub's purchasing pages: catalog, vendors, cycles, closing, purchase orders, savings.
Every view requires HUB_MANAGE in the alliance named in the URL."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.core.tables import build_table
from alliance.members.decorators import requires
from alliance.purchasing import catalog_import, exports, queries, services
from alliance.purchasing.access import (
    access_cycle,
    access_cycle_line,
    access_item,
    access_purchase_order,
    access_vendor,
)
from alliance.purchasing.consolidate import plan_cycle
from alliance.purchasing.forms import (
    CycleForm,
    ExtendForm,
    ImportForm,
    ItemForm,
    LineChangeForm,
    VendorForm,
)
from alliance.purchasing.models import CycleStatus
from alliance.purchasing.services_close import CANCEL, PROCEED, change_allocation, close_cycle
from alliance.purchasing.views_program import savings_chart


@requires(Perm.HUB_MANAGE)
def home(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    table = build_table(
        request,
        queries.cycles_of(alliance),
        columns=[
            (_("Cycle"), "name"),
            (_("Orders close"), "closes"),
            (_("Status"), "status"),
            (_("Members ordering"), None),
            (_("Items"), None),
        ],  # fmt: skip
        orderings={"name": ("name",), "closes": ("closes_at",), "status": ("status",)},
        default_sort="-closes",
    )
    return render(
        request,
        "purchasing/hub/home.html",
        {
            "alliance": alliance,
            "table": table,
            "total": queries.savings_report(alliance=alliance)["total"],
        },
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def cycle_new(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = CycleForm(request.POST or None, alliance=alliance)
    outcome = submit(
        request,
        form,
        lambda data: services.open_cycle(acting_user=request.user, alliance=alliance, **data),
        success=_("Cycle opened."),
    )
    if outcome.ok:
        return redirect("purchasing:hub_cycle", alliance.slug, outcome.result.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "purchasing/hub/cycle_new.html",
        {"alliance": alliance, "form": form},
        status=status,
    )


@requires(Perm.HUB_MANAGE)
def cycle(
    request: HttpRequest, alliance_slug: str, cycle_id: int, *, errors=None, status=200
) -> HttpResponse:
    alliance = request.alliance
    the_cycle = access_cycle(alliance.pk, cycle_id)
    is_open = the_cycle.status == CycleStatus.OPEN
    return render(
        request,
        "purchasing/hub/cycle.html",
        {
            "alliance": alliance,
            "cycle": the_cycle,
            "is_open": is_open,
            "plan": plan_cycle(the_cycle) if is_open else None,
            "pos": [] if is_open else list(queries.purchase_orders_of(the_cycle)),
            "extend_form": ExtendForm(),
            "errors": errors or {},
            "now": timezone.now(),
        },
        status=status,
    )


@requires(Perm.HUB_MANAGE)
@require_POST
def cycle_close(request: HttpRequest, alliance_slug: str, cycle_id: int) -> HttpResponse:
    alliance = request.alliance
    the_cycle = access_cycle(alliance.pk, cycle_id)
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("vendor_") and value in (PROCEED, CANCEL) and key[7:].isdigit():
            decisions[int(key[7:])] = value
    try:
        close_cycle(acting_user=request.user, cycle=the_cycle, decisions=decisions)
    except ValidationError as exc:
        return cycle(request, alliance_slug, cycle_id, errors=exc.message_dict, status=422)
    messages.success(request, _("The cycle is closed and the purchase orders are ready."))
    return redirect("purchasing:hub_cycle", alliance.slug, the_cycle.pk)


@requires(Perm.HUB_MANAGE)
@require_POST
def cycle_extend(request: HttpRequest, alliance_slug: str, cycle_id: int) -> HttpResponse:
    alliance = request.alliance
    the_cycle = access_cycle(alliance.pk, cycle_id)
    form = ExtendForm(request.POST)
    if not submit(
        request,
        form,
        lambda data: services.extend_cycle(acting_user=request.user, cycle=the_cycle, **data),
        success=_("The window now closes later."),
    ).ok:
        return cycle(request, alliance_slug, cycle_id, errors=form.errors, status=422)
    return redirect("purchasing:hub_cycle", alliance.slug, the_cycle.pk)


@requires(Perm.HUB_MANAGE)
def purchase_order(
    request: HttpRequest, alliance_slug: str, po_id: int, *, form=None
) -> HttpResponse:
    po = access_purchase_order(request.alliance.pk, po_id)
    allocations = queries.po_allocations(po)
    lines = [(ln, allocations.get(ln.cycle_item_id, [])) for ln in queries.po_lines(po)]
    return render(
        request,
        "purchasing/hub/po.html",
        {"alliance": request.alliance, "po": po, "lines": lines, "form": form or LineChangeForm()},
        status=422 if form is not None else 200,
    )


@requires(Perm.HUB_MANAGE)
def purchase_order_export(
    request: HttpRequest, alliance_slug: str, po_id: int, fmt: str
) -> HttpResponse:
    po = access_purchase_order(request.alliance.pk, po_id)
    lines = list(queries.po_lines(po))
    name = f"{po.number}-{po.vendor.name}"[:80].replace('"', "")
    if fmt == "csv":
        response = HttpResponse(exports.po_csv(po, lines), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.po_xlsx(po, lines),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "pdf":
        response = HttpResponse(exports.po_pdf(po, lines), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@requires(Perm.HUB_MANAGE)
@require_POST
def line_change(request: HttpRequest, alliance_slug: str, po_id: int, line_id: int) -> HttpResponse:
    po = access_purchase_order(request.alliance.pk, po_id)
    line = access_cycle_line(po.cycle, line_id)
    form = LineChangeForm(request.POST)
    if not submit(
        request,
        form,
        lambda data: change_allocation(acting_user=request.user, line=line, **data),
        success=lambda _result: _("Order changed for %(p)s.") % {"p": line.program.name},
    ).ok:
        return purchase_order(request, alliance_slug, po_id, form=form)
    return redirect("purchasing:hub_po", request.alliance.slug, po.pk)


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def vendors(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = VendorForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: services.save_vendor(acting_user=request.user, alliance=alliance, **data),
        success=_("Vendor added."),
    ).ok:
        return redirect("purchasing:hub_vendors", alliance.slug)
    return render(
        request,
        "purchasing/hub/vendors.html",
        {"alliance": alliance, "vendors": list(queries.vendors_of(alliance)), "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
def catalog(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    table = build_table(
        request,
        queries.items_of(request.alliance),
        columns=[
            (_("Item"), "name"),
            (_("Category"), "category"),
            (_("Vendor"), "vendor"),
            (_("Unit"), None),
            (_("Price tiers"), None),
            (_("Retail baseline"), None),
        ],  # fmt: skip
        orderings={
            "name": ("name",),
            "category": ("category", "name"),
            "vendor": ("vendor__name", "name"),
        },
        default_sort="category",
    )
    return render(
        request, "purchasing/hub/catalog.html", {"alliance": request.alliance, "table": table}
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def catalog_import_view(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Upload → preview (nothing saved) → confirm (all rows or none)."""
    alliance = request.alliance
    form = ImportForm(request.POST or None, request.FILES or None, alliance=alliance)
    preview = None
    if request.method == "POST" and form.is_valid():
        vendor, text = form.cleaned_data["vendor"], form.cleaned_data["csv_text"]
        if "confirm" in request.POST:
            try:
                done = catalog_import.import_catalog(
                    acting_user=request.user, alliance=alliance, vendor=vendor, text=text
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("%(n)s items imported.") % {"n": len(done.rows)})
                return redirect("purchasing:hub_catalog", alliance.slug)
        preview = catalog_import.preview_import(vendor=vendor, text=text)
        form = ImportForm(initial={"vendor": vendor, "csv_text": text}, alliance=alliance)
    bad = request.method == "POST" and (preview is None or not preview.ok)
    return render(
        request,
        "purchasing/hub/import.html",
        {"alliance": alliance, "form": form, "preview": preview},
        status=422 if bad else 200,
    )


@requires(Perm.HUB_MANAGE)
def savings(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    report = queries.savings_report(alliance=request.alliance)
    return render(
        request,
        "purchasing/savings.html",
        {
            "alliance": request.alliance,
            "report": report,
            "chart": savings_chart(report["by_category"], _("Savings by category")),
            "member_chart": savings_chart(report["by_member"], _("Savings by member")),
        },
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def vendor_edit(request: HttpRequest, alliance_slug: str, vendor_id: int) -> HttpResponse:
    vendor = access_vendor(request.alliance.pk, vendor_id)
    form = VendorForm(request.POST or None, instance=vendor)
    if submit(
        request,
        form,
        lambda data: services.save_vendor(
            acting_user=request.user,
            alliance=request.alliance,
            vendor=vendor,
            **data,
        ),
        success=_("Vendor saved."),
    ).ok:
        return redirect("purchasing:hub_vendors", request.alliance.slug)
    return render(
        request,
        "purchasing/hub/vendor_edit.html",
        {"alliance": request.alliance, "vendor": vendor, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, alliance_slug: str, item_id: int) -> HttpResponse:
    """One catalog item: edit it (tiers and baseline changes go to the price history)."""
    alliance = request.alliance
    item = access_item(alliance.pk, item_id)
    initial = {
        "vendor": item.vendor, "sku": item.sku, "name": item.name, "category": item.category,
        "unit": item.unit, "pack_size": item.pack_size, "divisible": item.divisible,
        "cacfp_creditable": item.cacfp_creditable, "baseline_price": item.baseline_price,
        "baseline_source": item.baseline_source, "baseline_date": item.baseline_date,
        "is_active": item.is_active, "tiers": "|".join(f"{q}:{p}" for q, p in item.tiers),
    }  # fmt: skip
    form = ItemForm(request.POST or None, initial=initial, alliance=alliance)
    if submit(
        request,
        form,
        lambda data: services.save_item(
            acting_user=request.user, alliance=alliance, item=item, **data
        ),
        success=_("Item saved."),
    ).ok:
        return redirect("purchasing:hub_item", alliance.slug, item.pk)
    return render(
        request,
        "purchasing/hub/item.html",
        {
            "alliance": alliance,
            "item": item,
            "form": form,
            "history": list(item.price_changes.select_related("changed_by")[:50]),
        },
        status=422 if form.errors else 200,
    )
