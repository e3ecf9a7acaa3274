"""The audited ways to reach one members record: scoped lookups that 404 alike for
"missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404

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
    classroom = Classroom.objects.filter(program=program, pk=classroom_id).first()
    if classroom is None:
        raise Http404
    return classroom


def access_site(program: Program, site_id: int) -> Site:
    site = Site.objects.filter(program=program, pk=site_id).first()
    if site is None:
        raise Http404
    return site


def access_tier(alliance_id: int, tier_id: int) -> MembershipTier:
    tier = MembershipTier.objects.filter(alliance_id=alliance_id, pk=tier_id).first()
    if tier is None:
        raise Http404
    return tier


def access_application(alliance_id: int, application_id: int) -> MembershipApplication:
    application = (
        MembershipApplication.objects.select_related("tier", "reviewed_by", "program")
        .filter(alliance_id=alliance_id, pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_member(alliance_id: int, program_id: int) -> Program:
    program = (
        Program.objects.select_related("alliance", "membership__tier")
        .filter(alliance_id=alliance_id, pk=program_id)
        .first()
    )
    if program is None:
        raise Http404
    return program


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
