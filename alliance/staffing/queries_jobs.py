"""Reads of the job board and the talent pool."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from alliance.members.models import Program
from alliance.staffing.models import Application, Candidate, JobPosting, PostingStatus


def open_postings(alliance_id: int) -> QuerySet[JobPosting]:
    """Open postings of the alliance's members, newest first (public job board)."""
    today = timezone.localdate()
    return (
        JobPosting.objects.filter(program__alliance_id=alliance_id, status=PostingStatus.OPEN)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("program")
        .order_by("-posted_on", "-pk")
    )


def postings_of(program: Program) -> QuerySet[JobPosting]:
    return (
        JobPosting.objects.filter(program=program)
        .annotate(
            applicants=Count("applications"),
            waiting=Count("applications", filter=Q(applications__stage="applied")),
        )
        .order_by("status", "-posted_on", "-pk")
    )


def applications_of(posting: JobPosting) -> QuerySet[Application]:
    return posting.applications.select_related("candidate").order_by("-created_at", "-pk")


def talent_pool(
    alliance_id: int,
    *,
    program: Program | None,
    q: str = "",
    town: str = "",
    language: str = "",
    credential: str = "",
    availability: str = "",
) -> QuerySet[Candidate]:
    """Candidates the caller may see: those who consented to share with every member and,
    for a director (``program`` given), those who applied to that program's postings."""
    visible = Q(share_with_members=True)
    if program is not None:
        applied = Application.objects.filter(program=program).exclude(stage="withdrawn")
        visible |= Q(pk__in=applied.values("candidate_id"))
    rows = Candidate.objects.filter(alliance_id=alliance_id).filter(visible)
    if q:
        rows = rows.filter(Q(full_name__icontains=q) | Q(experience__icontains=q))
    if town:
        rows = rows.filter(Q(town__icontains=town) | Q(towns__icontains=town))
    if language:
        rows = rows.filter(languages__icontains=f'"{language}"')
    if credential:
        rows = rows.filter(credentials__icontains=f'"{credential}"')
    if availability:
        rows = rows.filter(availability__in=[availability, "either"])
    return rows.order_by("-experience_years", "full_name", "pk")
