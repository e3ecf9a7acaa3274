"""The audited ways to reach one members record: scoped lookups that 404 alike for
"missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404

from alliance.core.access import first_or_404
from alliance.members.models import (
    Classroom,
    Membership,
    MembershipApplication,
    MembershipStatus,
    MembershipTier,
    Program,
    Site,
)


def access_classroom(program: Program, classroom_id: int) -> Classroom:
    return first_or_404(Classroom.objects.filter(program=program, pk=classroom_id))


def access_site(program: Program, site_id: int) -> Site:
    return first_or_404(Site.objects.filter(program=program, pk=site_id))


def access_tier(alliance_id: int, tier_id: int) -> MembershipTier:
    return first_or_404(MembershipTier.objects.filter(alliance_id=alliance_id, pk=tier_id))


def access_application(alliance_id: int, application_id: int) -> MembershipApplication:
    return first_or_404(
        MembershipApplication.objects.select_related("tier", "reviewed_by", "program").filter(
            alliance_id=alliance_id, pk=application_id
        )
    )


def access_member(alliance_id: int, program_id: int) -> Program:
    return first_or_404(
        Program.objects.select_related("alliance", "membership__tier").filter(
            alliance_id=alliance_id, pk=program_id
        )
    )


def access_membership(program: Program) -> Membership:
    membership = Membership.objects.select_related("tier").filter(program=program).first()
    if membership is None:
        raise Http404
    membership.program = program  # already loaded: saves a query for the audit row
    return membership


def access_directory_entry(alliance_id: int, slug: str) -> Program:
    program = Program.objects.filter(
        alliance_id=alliance_id,
        slug=slug,
        listed_in_directory=True,
        membership__status=MembershipStatus.ACTIVE,
    ).first()
    if program is None:
        raise Http404
    return program
