"""Reads for members pages, API and reports. Each is a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from alliance.core.models import AuditEntry
from alliance.members.models import (
    Alliance,
    ApplicationStatus,
    Classroom,
    MembershipApplication,
    MembershipStatus,
    Program,
    ProgramKind,
)


def member_programs(alliance: Alliance) -> QuerySet[Program]:
    return Program.objects.filter(alliance=alliance).select_related("membership__tier")


def directory_programs(
    alliance: Alliance, *, town: str = "", kind: str = "", q: str = "", ccap: bool = False
) -> QuerySet[Program]:
    qs = Program.objects.filter(
        alliance=alliance, listed_in_directory=True, membership__status=MembershipStatus.ACTIVE
    )
    if town:
        qs = qs.filter(town__iexact=town)
    if kind in ProgramKind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(town__icontains=q))
    if ccap:
        qs = qs.filter(accepts_ccap=True)
    return qs


def directory_towns(alliance: Alliance) -> list[str]:
    return list(
        Program.objects.filter(
            alliance=alliance, listed_in_directory=True, membership__status=MembershipStatus.ACTIVE
        )
        .order_by("town")
        .values_list("town", flat=True)
        .distinct()
    )


def classrooms_of(program: Program) -> QuerySet[Classroom]:
    return Classroom.objects.filter(program=program)


@dataclass
class HubSummary:
    members: int
    centers: int
    family_homes: int
    licensed_capacity: int
    staffed_capacity: int
    pending_applications: int
    fees_due: int
    by_town: list[tuple[str, int]]


def hub_summary(alliance: Alliance, *, today: date) -> HubSummary:
    active = Program.objects.filter(alliance=alliance, membership__status=MembershipStatus.ACTIVE)
    totals = active.aggregate(
        members=Count("id"),
        centers=Count("id", filter=Q(kind=ProgramKind.CENTER)),
        family_homes=Count("id", filter=Q(kind=ProgramKind.FAMILY_HOME)),
        licensed=Sum("licensed_capacity"),
        staffed=Sum("staffed_capacity"),
        fees_due=Count(
            "id",
            filter=Q(membership__fee_paid_through__isnull=True)
            | Q(membership__fee_paid_through__lt=today),
        ),
    )
    by_town = list(
        active.values("town")
        .annotate(n=Count("id"))
        .order_by("-n", "town")
        .values_list("town", "n")[:10]
    )
    pending = MembershipApplication.objects.filter(
        alliance=alliance, status=ApplicationStatus.SUBMITTED
    ).count()
    return HubSummary(
        members=totals["members"] or 0,
        centers=totals["centers"] or 0,
        family_homes=totals["family_homes"] or 0,
        licensed_capacity=totals["licensed"] or 0,
        staffed_capacity=totals["staffed"] or 0,
        pending_applications=pending,
        fees_due=totals["fees_due"] or 0,
        by_town=by_town,
    )


def expiring_licenses(
    alliance: Alliance, *, today: date, within_days: int = 90, limit: int = 20
) -> list[Program]:
    """Active members whose license has lapsed or lapses within ``within_days``."""
    return list(
        Program.objects.filter(
            alliance=alliance,
            membership__status=MembershipStatus.ACTIVE,
            license_expires_on__isnull=False,
            license_expires_on__lte=today + timedelta(days=within_days),
        ).order_by("license_expires_on")[:limit]
    )


def program_summary(program: Program) -> dict:
    rooms = Classroom.objects.filter(program=program, is_active=True).aggregate(
        n=Count("id"), licensed=Sum("licensed_capacity"), staffed=Sum("staffed_capacity")
    )
    return {
        "classrooms": rooms["n"] or 0,
        "room_licensed": rooms["licensed"] or 0,
        "room_staffed": rooms["staffed"] or 0,
    }


def recent_activity(*, program: Program | None = None, limit: int = 10) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("actor")
    if program is not None:
        qs = qs.filter(program=program)
    return qs[:limit]
