"""Subsidy claim pages of a program (director and hub), the leakage page, and the hub's
claims roll-up. The tenant middleware opened the scope; every write calls a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.billing import queries_claims, services_adjustments, services_claims
from alliance.billing.access_claims import (
    access_agency,
    access_claim,
    access_claim_line,
    access_flag,
)
from alliance.billing.forms_claims import AgencyPaymentForm, ClaimForm, ReasonForm
from alliance.billing.models import ClaimStatus, SubsidyAgency
from alliance.billing.services_adjustments import ZERO
from alliance.core.forms import add_service_errors, submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires

LIST_LIMIT = 100


def _agencies(program):
    return list(SubsidyAgency.objects.filter(alliance_id=program.alliance_id, is_active=True))


@requires(Perm.BILLING_MANAGE)
def claims(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    return render(
        request,
        "billing/claims/list.html",
        {
            "program": program,
            "claims": list(queries_claims.claims_for(program)[:LIST_LIMIT]),
            "form": ClaimForm(
                agencies=_agencies(program),
                initial={"month": queries_claims.last_month(timezone.localdate())},
            ),
        },
    )


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def claim_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    """GET with agency and month: the preview. POST: save the claim (a draft)."""
    program = request.program
    data = request.POST if request.method == "POST" else request.GET
    form = ClaimForm(data or None, agencies=_agencies(program))
    preview = None
    status = 200
    if form.is_bound and form.is_valid():
        agency = access_agency(program, form.cleaned_data["agency"])
        try:
            if request.method == "POST":
                claim = services_claims.create_claim(
                    acting_user=request.user,
                    program=program,
                    agency=agency,
                    period_start=form.cleaned_data["month"],
                )
                messages.success(
                    request, _("The claim is saved as a draft. Check it, then submit.")
                )
                return redirect("billing:claim", program.slug, claim.pk)
            preview = services_claims.build_claim_preview(
                program=program, agency=agency, period_start=form.cleaned_data["month"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 422
    elif form.is_bound:
        status = 422
    return render(
        request,
        "billing/claims/new.html",
        {"program": program, "form": form, "preview": preview},
        status=status,
    )


def _claim_page(request, claim, *, payment_form=None, status=200):
    program = request.program
    lines = queries_claims.claim_lines(claim)
    period = queries_claims.period_view(claim)
    for ln in lines:  # short-paid over the period: the original plus its adjustments
        row = period.row(ln.authorization_id)
        ln.period_short = row.short_paid if row else ln.short_paid
        ln.period_gap = row.gap if row else ZERO
        ln.period_resolution = row.resolution_label if row else ""
    if payment_form is None and claim.status != ClaimStatus.DRAFT:
        payment_form = AgencyPaymentForm(
            lines=[ln for ln in lines if ln.amount_claimed >= 0],
            initial={"received_on": timezone.localdate()},
            prefix="pay",
        )
    return render(
        request,
        "billing/claims/detail.html",
        {
            "program": program,
            "claim": claim,
            "lines": lines,
            "totals": queries_claims.claim_totals(lines),
            "period": period,
            # this claim's children, each counted over the period (original + adjustments)
            "open_gap": sum((ln.period_gap for ln in lines), ZERO),
            "short_total": sum((ln.period_short for ln in lines), ZERO),
            "can_adjust": period.original.status in services_adjustments.ADJUSTABLE
            and not any(a.status == ClaimStatus.DRAFT for a in period.adjustments),
            "payments": queries_claims.agency_payments_of(claim),
            "payment_form": payment_form,
            "reason_form": ReasonForm(),
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def claim_adjust(request: HttpRequest, program_slug: str, claim_id: int) -> HttpResponse:
    """GET: the lines an adjustment of the claim's period would hold (the differences
    between what is owed now and what was claimed). POST with a reason: save it (a draft)."""
    program = request.program
    claim = access_claim(program, claim_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    preview = None
    refusal: list[str] = []
    status = 200
    try:
        if request.method == "POST" and form.is_valid():
            adjustment = services_adjustments.create_adjustment(
                acting_user=request.user, claim=claim, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The adjustment is saved as a draft. Check it, then submit.")
            )
            return redirect("billing:claim", program.slug, adjustment.pk)
        preview = services_adjustments.build_adjustment_preview(claim=claim)
        if form.is_bound:
            status = 422
    except ValidationError as exc:
        if "reason" in exc.message_dict and form.is_bound:
            add_service_errors(form, exc)
        else:  # the claim cannot be adjusted (now): say why, above the form
            refusal = exc.messages
        status = 422
    return render(
        request,
        "billing/claims/adjust.html",
        {
            "program": program,
            "claim": claim,
            "original": services_adjustments.original_of(claim),
            "form": form,
            "preview": preview,
            "refusal": refusal,
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
def claim(request: HttpRequest, program_slug: str, claim_id: int) -> HttpResponse:
    return _claim_page(request, access_claim(request.program, claim_id))


@requires(Perm.BILLING_MANAGE)
@require_POST
def claim_submit(request: HttpRequest, program_slug: str, claim_id: int) -> HttpResponse:
    claim = access_claim(request.program, claim_id)
    try:
        services_claims.submit_claim(acting_user=request.user, claim=claim)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _claim_page(request, claim, status=422)
    messages.success(request, _("The claim is submitted. Export the CSV for the agency."))
    return redirect("billing:claim", request.program.slug, claim.pk)


@requires(Perm.BILLING_MANAGE)
@require_POST
def claim_delete(request: HttpRequest, program_slug: str, claim_id: int) -> HttpResponse:
    claim = access_claim(request.program, claim_id)
    try:
        services_claims.delete_draft_claim(acting_user=request.user, claim=claim)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _claim_page(request, claim, status=422)
    messages.success(request, _("The draft claim is deleted."))
    return redirect("billing:claims", request.program.slug)


@requires(Perm.BILLING_MANAGE)
def claim_csv(request: HttpRequest, program_slug: str, claim_id: int) -> HttpResponse:
    claim = access_claim(request.program, claim_id)
    response = HttpResponse(services_claims.claim_csv(claim), content_type="text/csv")
    name = f"claim-{claim.agency.code}-{claim.period_start:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Perm.BILLING_MANAGE)
@require_POST
def claim_payment(request: HttpRequest, program_slug: str, claim_id: int) -> HttpResponse:
    """Record the agency's payment for this claim, split over its children."""
    program = request.program
    claim = access_claim(program, claim_id)
    lines = [ln for ln in queries_claims.claim_lines(claim) if ln.amount_claimed >= 0]
    form = AgencyPaymentForm(request.POST, lines=lines, prefix="pay")
    if submit(
        request,
        form,
        lambda data: services_claims.record_agency_payment(
            acting_user=request.user,
            program=program,
            agency=claim.agency,
            claim=claim,
            received_on=data["received_on"],
            amount=data["amount"],
            reference=data["reference"],
            allocations=form.allocations(),
        ),
        success=_("The agency payment is recorded."),
    ).ok:
        return redirect("billing:claim", program.slug, claim.pk)
    return _claim_page(request, claim, payment_form=form, status=422)


@requires(Perm.BILLING_MANAGE)
@require_POST
def line_resolve(
    request: HttpRequest, program_slug: str, claim_id: int, line_id: int, action: str
) -> HttpResponse:
    """Resolve a short-paid line: ``waive`` it or ``bill-family``."""
    if action not in ("waive", "bill-family"):
        raise Http404
    claim = access_claim(request.program, claim_id)
    line = access_claim_line(claim, line_id)
    try:
        if action == "waive":
            services_claims.waive_gap(
                acting_user=request.user, line=line, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The gap is waived."))
        else:
            services_claims.bill_family_gap(acting_user=request.user, line=line)
            messages.success(
                request, _("The gap will be billed to the family on the next invoice.")
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _claim_page(request, claim, status=422)
    return redirect("billing:claim", request.program.slug, claim.pk)


# --- leakage ---------------------------------------------------------------------------------


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def leakage(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Open leakage findings; POST refreshes them now."""
    program = request.program
    if request.method == "POST":
        new = services_claims.refresh_leakage(acting_user=request.user, program=program)
        messages.success(request, _("Checked again: %(n)s new findings.") % {"n": new})
        return redirect("billing:leakage", program.slug)
    show = request.GET.get("show", "open")
    return render(
        request,
        "billing/claims/leakage.html",
        {
            "program": program,
            "flags": list(queries_claims.flags_for(program, show=show)[:LIST_LIMIT]),
            "show": show,
            "reason_form": ReasonForm(),
        },
    )


@requires(Perm.BILLING_MANAGE)
@require_POST
def leakage_dismiss(request: HttpRequest, program_slug: str, flag_id: int) -> HttpResponse:
    program = request.program
    flag = access_flag(program, flag_id)
    try:
        services_claims.dismiss_flag(
            acting_user=request.user, flag=flag, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request,
            "billing/claims/leakage.html",
            {
                "program": program,
                "flags": list(queries_claims.flags_for(program)[:LIST_LIMIT]),
                "show": "open",
                "reason_form": ReasonForm(),
            },
            status=422,
        )
    messages.success(request, _("The finding is dismissed."))
    return redirect("billing:leakage", program.slug)


# --- hub -------------------------------------------------------------------------------------


@requires(Perm.HUB_MANAGE)
def hub_claims(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Per member: claims outstanding, agency payments received and short-paid totals."""
    alliance = request.alliance
    return render(
        request,
        "billing/claims/hub.html",
        {"alliance": alliance, "rows": queries_claims.hub_rollup(alliance)},
    )
