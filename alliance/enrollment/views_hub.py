"""The hub's coordinated enrollment: the waiting list, matching runs and their proposals,
offers, the alliance's numbers and the vacancy export."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.core.tables import build_table
from alliance.enrollment import charts, services_offers, stats
from alliance.enrollment.access import access_application, access_offer, access_proposal
from alliance.enrollment.forms import ReferForm
from alliance.enrollment.models import (
    Application,
    ApplicationStatus,
    MatchingRun,
    Offer,
    OfferStatus,
    Proposal,
    ProposalStatus,
)
from alliance.enrollment.reasons import explain, label
from alliance.enrollment.services_applications import refer_application, set_priority_referral
from alliance.members.decorators import requires
from alliance.members.models import Program
from alliance.rules.enrollment import family_tiers, priority_points


@requires(Perm.HUB_MANAGE)
def waitlist(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    status = request.GET.get("status", ApplicationStatus.WAITING)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.WAITING
    table = build_table(
        request,
        Application.objects.filter(alliance=alliance, status=status)
        .select_related("family")
        .annotate(children=Count("applicants")),
        columns=[
            (_("Family"), "family"),
            (_("Town"), "town"),
            (_("Children"), None),
            (_("Desired start"), "start"),
            (_("Applied"), "applied"),
        ],
        orderings={
            "family": ("family__name",),
            "town": ("family__town",),
            "start": ("desired_start",),
            "applied": ("submitted_at",),
        },
        default_sort="applied",
        per_page=50,
    )
    today = timezone.localdate()
    return render(
        request,
        "enrollment/hub/waitlist.html",
        {
            "alliance": alliance,
            "table": table,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "by_age": stats.waitlist_by_age(alliance, today),
            "labels": stats.group_labels(),
        },
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, alliance_slug: str, application_id: int):
    alliance = request.alliance
    application = access_application(alliance, application_id)
    programs = Program.objects.filter(alliance=alliance)
    if request.method == "POST" and request.POST.get("action") == "priority":
        set_priority_referral(
            acting_user=request.user,
            application=application,
            cps_referral=request.POST.get("cps_referral") == "on",
        )
        messages.success(request, _("Priority saved."))
        return redirect("enrollment:hub_application", alliance.slug, application.pk)
    form = ReferForm(request.POST or None, programs=programs)
    if submit(
        request,
        form,
        lambda data: refer_application(
            acting_user=request.user,
            application=application,
            to_program=programs.get(pk=data["to_program"]),
            note=data["note"],
        ),
        success=_("The family is referred."),
    ).ok:
        return redirect("enrollment:hub_application", alliance.slug, application.pk)
    preferred = {p.pk: p for p in programs.filter(pk__in=application.preferred_programs)}
    tiers = family_tiers(
        cps_referral=application.cps_referral,
        ccap=application.ccap,
        special_needs=application.special_needs,
        languages=application.languages or [application.family.language],
    )
    return render(
        request,
        "enrollment/hub/application.html",
        {
            "alliance": alliance,
            "application": application,
            "applicants": application.applicants.select_related("child"),
            "preferred": [preferred[p] for p in application.preferred_programs if p in preferred],
            "offers": Offer.objects.filter(applicant__application=application).select_related(
                "program", "classroom", "applicant__child"
            ),
            "referrals": application.referrals.select_related("to_program", "from_program"),
            "priority": [label(key) for key, _pts in priority_points(tiers)],
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def matching(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Run the engine (POST) and review its proposals in bulk."""
    alliance = request.alliance
    if request.method == "POST":
        run = services_offers.run_matching(acting_user=request.user, alliance=alliance)
        messages.success(
            request,
            _("%(matched)s of %(waiting)s waiting children matched to %(seats)s open seats.")
            % {"matched": run.matched, "waiting": run.applicants, "seats": run.seats},
        )
        return redirect("enrollment:hub_matching", alliance.slug)
    run = MatchingRun.objects.filter(alliance=alliance).first()
    proposals = (
        Proposal.objects.filter(alliance=alliance, status=ProposalStatus.PROPOSED)
        .select_related(
            "applicant__child", "applicant__application__family", "program", "classroom"
        )
        .order_by("program__name", "classroom__name", "-score")[:500]
    )
    rows = [
        {
            "proposal": p,
            "reasons": explain(p.reasons),
            "together": [label(str(k)) for k, _pts in p.reasons if str(k).startswith("together:")],
        }
        for p in proposals
    ]
    return render(
        request,
        "enrollment/hub/matching.html",
        {"alliance": alliance, "run": run, "rows": rows},
    )


@requires(Perm.HUB_MANAGE)
@require_POST
def proposals_review(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Bulk: send offers for (or reject) the ticked proposals."""
    alliance = request.alliance
    ids = [int(i) for i in request.POST.getlist("proposal") if i.isdigit()][:500]
    if not ids:
        messages.error(request, _("Tick at least one proposal."))
        return redirect("enrollment:hub_matching", alliance.slug)
    proposals = [access_proposal(alliance, pk) for pk in ids]
    try:
        if request.POST.get("action") == "reject":
            for p in proposals:
                services_offers.reject_proposal(acting_user=request.user, proposal=p)
            messages.success(request, _("%(n)s proposals rejected.") % {"n": len(proposals)})
        else:
            services_offers.send_offers(acting_user=request.user, proposals=proposals)
            messages.success(request, _("%(n)s offers sent.") % {"n": len(proposals)})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("enrollment:hub_matching", alliance.slug)


@requires(Perm.HUB_MANAGE)
def offers(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    status = request.GET.get("status", OfferStatus.PENDING)
    if status not in OfferStatus.values:
        status = OfferStatus.PENDING
    table = build_table(
        request,
        Offer.objects.filter(alliance=alliance, status=status).select_related(
            "applicant__child", "applicant__application__family", "program", "classroom"
        ),
        columns=[
            (_("Child"), None),
            (_("Program"), "program"),
            (_("Start"), "start"),
            (_("Sent"), "sent"),
            (_("Expires"), "expires"),
            (_("Status"), None),
        ],
        orderings={
            "program": ("program__name",),
            "start": ("start_date",),
            "sent": ("sent_at",),
            "expires": ("expires_at",),
        },
        default_sort="expires",
        per_page=50,
    )
    return render(
        request,
        "enrollment/hub/offers.html",
        {"alliance": alliance, "table": table, "status": status, "statuses": OfferStatus.choices},
    )


@requires(Perm.HUB_MANAGE)
@require_POST
def offer_withdraw(request: HttpRequest, alliance_slug: str, offer_id: int) -> HttpResponse:
    alliance = request.alliance
    try:
        services_offers.withdraw_offer(
            acting_user=request.user,
            offer=access_offer(alliance, offer_id),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Offer withdrawn."))
    return redirect("enrollment:hub_offers", alliance.slug)


@requires(Perm.HUB_MANAGE)
def numbers(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    today = timezone.localdate()
    programs = list(Program.objects.filter(alliance=alliance).order_by("name"))
    figures = stats.numbers(programs, today)
    by_age = stats.waitlist_by_age(alliance, today)
    labels = stats.group_labels()
    trend = charts.rate_trend(programs, today)
    return render(
        request,
        "enrollment/hub/numbers.html",
        {
            "alliance": alliance,
            "figures": figures,
            "by_age": by_age,
            "labels": labels,
            "trend": trend,
            "charts": charts.numbers_charts(figures, by_age, labels, trend, today),
            "times": stats.time_to_offer_and_fill(alliance),
            "waiting": Application.objects.filter(
                alliance=alliance, status=ApplicationStatus.WAITING
            ).aggregate(n=Count("applicants", filter=Q(applicants__status="waiting")))["n"],
        },
    )


VACANCY_HEADER = [
    "program",
    "license_number",
    "town",
    "zip_code",
    "classroom",
    "age_min_months",
    "age_max_months",
    "open_seats",
    "available_from",
    "accepts_ccap",
    "phone",
    "email",
]


def vacancy_rows(alliance, today):
    """Open seats of every listed member program (for state referral systems)."""
    from alliance.enrollment.openings import seat_batches

    programs = list(Program.objects.filter(alliance=alliance, listed_in_directory=True))
    for batch in seat_batches(programs, today):
        room, program = batch.classroom, batch.classroom.program
        yield {
            "program": program.name,
            "license_number": program.license_number,
            "town": program.town,
            "zip_code": program.zip_code,
            "classroom": room.name,
            "age_min_months": room.age_min_months,
            "age_max_months": room.age_max_months,
            "open_seats": batch.seats,
            "available_from": batch.available_from.isoformat(),
            "accepts_ccap": program.accepts_ccap,
            "phone": program.phone,
            "email": program.email,
        }


@requires(Perm.HUB_MANAGE)
def vacancies_csv(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{alliance.slug}-vacancies.csv"'
    writer = csv.DictWriter(response, fieldnames=VACANCY_HEADER)
    writer.writeheader()
    for row in vacancy_rows(alliance, timezone.localdate()):
        writer.writerow(row)
    return response
