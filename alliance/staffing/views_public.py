"""The public job board of an alliance, and the hub's talent pool and retention pages."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core.access import first_or_404
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.staffing import queries, queries_jobs, services_jobs
from alliance.staffing.access import (
    access_candidate,
    access_candidate_by_token,
    access_public_posting,
    candidate_token,
)
from alliance.staffing.forms import ApplyForm
from alliance.staffing.models import Application, JobPosting
from alliance.staffing.views_jobs import pool_context


def jobs(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    rows = queries_jobs.open_postings(alliance.pk)
    town = (request.GET.get("town") or "").strip()[:80]
    if town:
        rows = rows.filter(program__town__icontains=town)
    return render(
        request,
        "staffing/public_jobs.html",
        {"alliance": alliance, "postings": list(rows[:200]), "town": town},
    )


def job_posting_ld(posting: JobPosting, url: str) -> str:
    """schema.org JobPosting for search engines (Google for Jobs)."""
    program = posting.program
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": strip_tags(posting.description + "\n" + posting.requirements),
        "datePosted": posting.posted_on.isoformat(),
        "employmentType": "FULL_TIME" if posting.employment_type == "full_time" else "PART_TIME",
        "url": url,
        "hiringOrganization": {"@type": "Organization", "name": program.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": program.address,
                "addressLocality": program.town,
                "postalCode": program.zip_code,
                "addressRegion": program.alliance.state,
                "addressCountry": "US",
            },
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": float(posting.wage_min),
                "maxValue": float(posting.wage_max),
                "unitText": "HOUR",
            },
        },
    }
    if posting.closes_on:
        data["validThrough"] = posting.closes_on.isoformat()
    # Escape "<" so the description can never close the script element.
    return json.dumps(data).replace("<", "\\u003c")


@require_http_methods(["GET", "POST"])
def job(request: HttpRequest, alliance_slug: str, posting_id: int) -> HttpResponse:
    """A posting's public page (shareable link) with the one-profile application form."""
    alliance = request.alliance
    posting = access_public_posting(alliance.pk, posting_id)
    initial = {}
    if request.user.is_authenticated:
        initial = {"full_name": request.user.full_name, "email": request.user.email}
    form = ApplyForm(request.POST if request.method == "POST" else None, initial=initial)
    outcome = submit(
        request,
        form,
        lambda data: services_jobs.apply(
            acting_user=request.user if request.user.is_authenticated else None,
            posting=posting,
            email=data["email"],
            message=data["message"],
            **form.profile(),
        ),
    )
    if outcome.ok:
        target = reverse("staffing:job_applied", args=[alliance.slug, posting.pk])
        return redirect(f"{target}?t={candidate_token(outcome.result.candidate)}")
    url = settings.SITE_URL.rstrip("/") + reverse("staffing:job", args=[alliance.slug, posting.pk])
    return render(
        request,
        "staffing/public_job.html",
        {
            "alliance": alliance,
            "posting": posting,
            "form": form,
            "share_url": url,
            "json_ld": job_posting_ld(posting, url),
        },
        status=422 if form.errors else 200,
    )


def job_applied(request: HttpRequest, alliance_slug: str, posting_id: int) -> HttpResponse:
    posting = access_public_posting(request.alliance.pk, posting_id)
    token = (request.GET.get("t") or "")[:400]
    return render(
        request,
        "staffing/public_applied.html",
        {"alliance": request.alliance, "posting": posting, "token": token},
    )


@require_http_methods(["GET", "POST"])
def my_candidacy(request: HttpRequest, alliance_slug: str, token: str) -> HttpResponse:
    """A candidate's own page (a secret link, no account needed): stop sharing the profile
    with every member, or withdraw an application."""
    alliance = request.alliance
    person = access_candidate_by_token(alliance.pk, token)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "stop_sharing":
                services_jobs.withdraw_consent(acting_user=None, candidate=person)
                messages.success(
                    request, _("Your profile is no longer shared with other programs.")
                )
            else:
                raw = request.POST.get("application") or ""
                application = first_or_404(
                    Application.objects.select_related("program__alliance", "candidate").filter(
                        candidate=person, pk=int(raw) if raw.isdigit() else 0
                    )
                )
                services_jobs.withdraw_application(acting_user=None, application=application)
                messages.success(request, _("Your application is withdrawn."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("staffing:my_candidacy", alliance.slug, token)
    applications = list(
        Application.objects.filter(candidate=person)
        .select_related("posting", "program")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "staffing/my_candidacy.html",
        {"alliance": alliance, "candidate": person, "applications": applications},
    )


@requires(Perm.HUB_MANAGE)
def hub_pool(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    return render(
        request,
        "staffing/pool.html",
        {"alliance": request.alliance, "program": None, **pool_context(request, None)},
    )


@requires(Perm.HUB_MANAGE)
def hub_candidate(request: HttpRequest, alliance_slug: str, candidate_id: int) -> HttpResponse:
    person = access_candidate(request.alliance.pk, candidate_id, None)
    return render(
        request,
        "staffing/candidate.html",
        {"alliance": request.alliance, "program": None, "candidate": person},
    )


@requires(Perm.HUB_MANAGE)
def hub_retention(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    overall, programs = queries.alliance_retention(request.alliance.pk, timezone.localdate())
    return render(
        request,
        "staffing/hub_retention.html",
        {"alliance": request.alliance, "overall": overall, "programs": programs},
    )
