"""Reads for members pages, API and reports. Each is a bounded number of queries that does
not grow with the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from alliance.core.models import AuditEntry
from alliance.members.models import (
    Alliance,
    ApplicationStatus,
    Classroom,
    MembershipApplication,
    MembershipStatus,
    MembershipTier,
    Program,
    ProgramKind,
    Site,
)

# Fields a directory row may carry to anyone: never email, address, license or capacity.
PUBLIC_DIRECTORY_FIELDS = (
    "id",
    "slug",
    "name",
    "kind",
    "town",
    "ages_min_months",
    "ages_max_months",
    "accepts_ccap",
    "languages",
    "quality_rating",
)


def member_programs(alliance: Alliance, *, q: str = "") -> QuerySet[Program]:
    qs = Program.objects.filter(alliance=alliance).select_related("membership__tier")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(town__icontains=q) | Q(license_number__iexact=q))
    return qs


def directory_programs(
    alliance: Alliance, *, town: str = "", kind: str = "", q: str = "", ccap: bool = False
) -> QuerySet[Program]:
    """Listed, active members; only the public columns are loaded."""
    qs = Program.objects.filter(
        alliance=alliance, listed_in_directory=True, membership__status=MembershipStatus.ACTIVE
    ).only(*PUBLIC_DIRECTORY_FIELDS)
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


def classrooms_of(program: Program, *, active: bool | None = None) -> QuerySet[Classroom]:
    """The program's classrooms; ``active`` True/False picks in-use or archived rooms."""
    qs = Classroom.objects.filter(program=program).select_related("site")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def sites_of(program: Program) -> QuerySet[Site]:
    return Site.objects.filter(program=program).annotate(
        rooms=Count("classrooms", filter=Q(classrooms__is_active=True))
    )


def tiers_of(alliance: Alliance, *, offered_only: bool = False) -> QuerySet[MembershipTier]:
    qs = MembershipTier.objects.filter(alliance=alliance)
    return qs.filter(is_active=True) if offered_only else qs


def applications(alliance: Alliance, *, status: str) -> QuerySet[MembershipApplication]:
    return MembershipApplication.objects.filter(alliance=alliance, status=status)


def audit_entries(*, program: Program | None = None) -> QuerySet[AuditEntry]:
    """The audit trail visible in the open scope (a program's, or the whole alliance's)."""
    qs = AuditEntry.objects.select_related("actor", "program")
    if program is not None:
        qs = qs.filter(program=program)
    return qs


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
    """Active members whose license has lapsed or lapses within ``within_days``, soonest
    first, each with ``days_left`` set."""
    programs = list(
        Program.objects.filter(
            alliance=alliance,
            membership__status=MembershipStatus.ACTIVE,
            license_expires_on__isnull=False,
            license_expires_on__lte=today + timedelta(days=within_days),
        ).order_by("license_expires_on", "name")[:limit]
    )
    for program in programs:
        program.days_left = program.license_days_left(today)
    return programs


def program_summary(program: Program) -> dict:
    rooms = Classroom.objects.filter(program=program, is_active=True).aggregate(
        n=Count("id"), licensed=Sum("licensed_capacity"), staffed=Sum("staffed_capacity")
    )
    return {
        "classrooms": rooms["n"] or 0,
        "room_licensed": rooms["licensed"] or 0,
        "room_staffed": rooms["staffed"] or 0,
    }


@dataclass
class MemberDetail:
    """What the hub sees beside a member's membership: contacts, license, rooms, history."""

    program: Program
    directors: list
    classrooms: dict
    sites: int
    application: MembershipApplication | None
    activity: list[AuditEntry]


def member_detail(program: Program, *, activity_limit: int = 8) -> MemberDetail:
    from alliance.accounts.models import Role
    from alliance.core.policy import RoleKind

    directors = list(
        Role.objects.filter(program=program, kind=RoleKind.DIRECTOR)
        .select_related("user")
        .order_by("user__full_name")
    )
    return MemberDetail(
        program=program,
        directors=directors,
        classrooms=program_summary(program),
        sites=Site.objects.filter(program=program).count(),
        application=MembershipApplication.objects.filter(program=program).first(),
        activity=list(audit_entries(program=program)[:activity_limit]),
    )


def program_people(program: Program, *, now: datetime) -> tuple[list, list]:
    """People with a role at the program, and invitations still waiting (two queries)."""
    from alliance.accounts.models import Invitation, Role

    roles = list(
        Role.objects.filter(program=program)
        .select_related("user")
        .order_by("kind", "user__full_name")
    )
    pending = list(
        Invitation.objects.filter(
            program=program,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
    )
    return roles, pending


def recent_activity(*, program: Program | None = None, limit: int = 10) -> QuerySet[AuditEntry]:
    return audit_entries(program=program)[:limit]
