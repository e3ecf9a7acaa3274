"""The hub's subsidy-agencies page: list the alliance's agencies, add, edit, deactivate or
reactivate, and delete one nothing refers to. Every view requires HUB_MANAGE in the URL's
alliance; every write calls ``services_agencies``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.billing import services_agencies
from alliance.billing.access_claims import access_alliance_agency
from alliance.billing.forms_claims import AgencyForm
from alliance.billing.models import AgencyPayment, CcapAuthorization, SubsidyAgency
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires


def agencies_of(alliance) -> list[SubsidyAgency]:
    """Every agency of the alliance with its number of claims, and whether authorizations
    or agency payments refer to it (then it cannot be deleted). One query."""
    return list(
        SubsidyAgency.objects.filter(alliance=alliance)
        .annotate(
            n_claims=Count("claims"),
            has_authorizations=Exists(CcapAuthorization.objects.filter(agency=OuterRef("pk"))),
            has_payments=Exists(AgencyPayment.objects.filter(agency=OuterRef("pk"))),
        )
        .order_by("-is_active", "name", "pk")
    )


def _list_page(request, form, status=200):
    return render(
        request,
        "billing/agencies/list.html",
        {"alliance": request.alliance, "agencies": agencies_of(request.alliance), "form": form},
        status=status,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def agencies(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """The list, and the form that adds an agency (POST)."""
    if request.method == "GET":
        return _list_page(request, AgencyForm(prefix="new"))
    form = AgencyForm(request.POST, prefix="new")
    if submit(
        request,
        form,
        lambda data: services_agencies.save_agency(
            acting_user=request.user, alliance=request.alliance, **data
        ),
        success=lambda agency: _("%(name)s is added.") % {"name": agency.name},
    ).ok:
        return redirect("billing:hub_agencies", request.alliance.slug)
    return _list_page(request, form, status=422)


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, alliance_slug: str, agency_id: int) -> HttpResponse:
    alliance = request.alliance
    agency = access_alliance_agency(alliance.pk, agency_id)
    initial = {f: getattr(agency, f) for f in AgencyForm.base_fields}
    form = AgencyForm(request.POST if request.method == "POST" else None, initial=initial)
    if submit(
        request,
        form,
        lambda data: services_agencies.save_agency(
            acting_user=request.user, alliance=alliance, agency=agency, **data
        ),
        success=_("The agency is saved."),
    ).ok:
        return redirect("billing:hub_agencies", alliance.slug)
    return render(
        request,
        "billing/agencies/edit.html",
        {
            "alliance": alliance,
            "agency": agency,
            "form": form,
            "n_claims": agency.claims.count(),
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_POST
def agency_active(
    request: HttpRequest, alliance_slug: str, agency_id: int, action: str
) -> HttpResponse:
    """``deactivate`` or ``reactivate`` the agency."""
    if action not in ("deactivate", "reactivate"):
        raise Http404
    agency = access_alliance_agency(request.alliance.pk, agency_id)
    try:
        services_agencies.set_agency_active(
            acting_user=request.user, agency=agency, active=action == "reactivate"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _list_page(request, AgencyForm(prefix="new"), status=422)
    if action == "reactivate":
        messages.success(request, _("%(name)s is active again.") % {"name": agency.name})
    else:
        messages.success(
            request,
            _("%(name)s is deactivated: it is no longer offered for new claims.")
            % {"name": agency.name},
        )
    return redirect("billing:hub_agencies", request.alliance.slug)


@requires(Perm.HUB_MANAGE)
@require_POST
def agency_delete(request: HttpRequest, alliance_slug: str, agency_id: int) -> HttpResponse:
    agency = access_alliance_agency(request.alliance.pk, agency_id)
    try:
        services_agencies.delete_agency(acting_user=request.user, agency=agency)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _list_page(request, AgencyForm(prefix="new"), status=422)
    messages.success(request, _("%(name)s is deleted.") % {"name": agency.name})
    return redirect("billing:hub_agencies", request.alliance.slug)
