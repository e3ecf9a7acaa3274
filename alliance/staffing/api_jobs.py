"""API of the public job board (no token needed) and of a candidate's own applications
(signed-in callers, their own profiles only). Imported by :mod:`alliance.staffing.api`."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django_scopes import scopes_disabled
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core.access import first_or_404
from alliance.core.tenancy import alliance_scope
from alliance.members.models import Alliance
from alliance.staffing import queries_jobs, services_jobs
from alliance.staffing.access import access_public_posting
from alliance.staffing.api_schemas import (
    AppliedOut,
    ApplyIn,
    CandidateConsentOut,
    MyApplicationOut,
    MyApplicationPage,
    PublicPostingOut,
    PublicPostingPage,
)
from alliance.staffing.models import Application, Candidate, JobPosting

PUBLIC_ERRORS = {404: Message, 422: ErrorOut}
ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}


def _alliance(slug: str) -> Alliance:
    found = Alliance.objects.filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _public(p: JobPosting) -> dict:
    url = settings.SITE_URL.rstrip("/") + reverse(
        "staffing:job", args=[p.program.alliance.slug, p.pk]
    )
    return {
        "id": p.pk,
        "program": p.program.slug,
        "program_name": p.program.name,
        "town": p.program.town,
        "title": p.title,
        "role": p.role,
        "employment_type": p.employment_type,
        "hours_per_week": p.hours_per_week,
        "wage_min": p.wage_min,
        "wage_max": p.wage_max,
        "description": p.description,
        "requirements": p.requirements,
        "posted_on": p.posted_on,
        "closes_on": p.closes_on,
        "url": url,
    }


@api.get(
    "/alliances/{alliance}/jobs",
    auth=None,
    response={200: PublicPostingPage, **PUBLIC_ERRORS},
    tags=["jobs"],
)
def public_jobs(request: HttpRequest, alliance: str, page: Query[PageIn], town: str = ""):
    """Open jobs at the alliance's member programs, newest first (public, like the page)."""
    found = _alliance(alliance)
    with alliance_scope(found):
        rows = queries_jobs.open_postings(found.pk).select_related("program__alliance")
        town = town.strip()[:80]
        if town:
            rows = rows.filter(program__town__icontains=town)
        return page_of(rows, page, _public)


@api.get(
    "/alliances/{alliance}/jobs/{posting_id}",
    auth=None,
    response={200: PublicPostingOut, **PUBLIC_ERRORS},
    tags=["jobs"],
)
def public_job(request: HttpRequest, alliance: str, posting_id: int):
    found = _alliance(alliance)
    with alliance_scope(found):
        return _public(access_public_posting(found.pk, posting_id))


@api.post(
    "/alliances/{alliance}/jobs/{posting_id}/apply",
    auth=None,
    response={201: AppliedOut, **PUBLIC_ERRORS},
    tags=["jobs"],
)
def apply(request: HttpRequest, alliance: str, posting_id: int, payload: ApplyIn):
    """Apply with one profile (found again by email for the next job). Applying twice to
    the same job is refused (422). ``share_with_members`` puts the profile in the shared
    talent pool until withdrawn."""
    found = _alliance(alliance)
    with alliance_scope(found):
        posting = access_public_posting(found.pk, posting_id)
        data = payload.model_dump()
        email, message = data.pop("email"), data.pop("message")
        user = request.user if getattr(request.user, "is_authenticated", False) else None
        application = services_jobs.apply(
            acting_user=user, posting=posting, email=email, message=message, **data
        )
        return Status(
            201,
            {
                "application_id": application.pk,
                "candidate_id": application.candidate_id,
                "stage": application.stage,
                "shares_profile": application.candidate.share_with_members,
            },
        )


# --- a signed-in candidate's own applications --------------------------------------------


def _mine(request: HttpRequest):
    # Unscoped on purpose: the filter is the caller, and profiles may span alliances.
    return (
        Application.objects.filter(candidate__user=request.user)
        .select_related("candidate__alliance", "posting", "program")
        .order_by("-created_at", "-pk")
    )


def _my_application(a: Application) -> dict:
    return {
        "id": a.pk,
        "candidate_id": a.candidate_id,
        "alliance": a.candidate.alliance.slug,
        "posting_id": a.posting_id,
        "title": a.posting.title,
        "program_name": a.program.name,
        "stage": a.stage,
        "created_at": a.created_at,
        "shares_profile": a.candidate.share_with_members,
    }


@api.get("/me/job-applications", response={200: MyApplicationPage, **ERRORS}, tags=["jobs"])
def my_applications(request: HttpRequest, page: Query[PageIn]):
    """The caller's job applications (made while signed in), newest first."""
    with scopes_disabled():
        return page_of(_mine(request), page, _my_application)


@api.post(
    "/me/job-applications/{application_id}/withdraw",
    response={200: MyApplicationOut, **ERRORS},
    tags=["jobs"],
)
def withdraw_application(request: HttpRequest, application_id: int):
    with scopes_disabled():
        application = first_or_404(_mine(request).filter(pk=application_id))
    with alliance_scope(application.candidate.alliance_id):
        services_jobs.withdraw_application(acting_user=request.user, application=application)
        return _my_application(application)


@api.post(
    "/me/job-profiles/{candidate_id}/withdraw-consent",
    response={200: CandidateConsentOut, **ERRORS},
    tags=["jobs"],
)
def withdraw_consent(request: HttpRequest, candidate_id: int):
    """Stop sharing the profile with every member: it leaves the talent pool at once."""
    with scopes_disabled():
        candidate = first_or_404(
            Candidate.objects.select_related("alliance").filter(user=request.user, pk=candidate_id)
        )
    with alliance_scope(candidate.alliance_id):
        services_jobs.withdraw_consent(acting_user=request.user, candidate=candidate)
        return {"candidate_id": candidate.pk, "shares_profile": candidate.share_with_members}
