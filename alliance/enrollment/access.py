"""The audited ways to reach one enrollment record: scoped lookups that 404 alike for
"missing" and "not yours". A program reaches an application only through a proposal, an
offer or a referral to it."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from alliance.accounts.models import User
from alliance.enrollment.models import (
    Application,
    Attendance,
    Enrollment,
    Offer,
    OpeningAdjustment,
    Proposal,
)
from alliance.members.models import Alliance, Program


def access_enrollment(program: Program, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_related("child__family", "classroom", "program__alliance")
        .filter(program=program, pk=enrollment_id)
        .first()
    )
    if enrollment is None:
        raise Http404
    return enrollment


def access_attendance(program: Program, attendance_id: int) -> Attendance:
    attendance = (
        Attendance.objects.select_related("child", "classroom", "program__alliance")
        .filter(program=program, pk=attendance_id)
        .first()
    )
    if attendance is None:
        raise Http404
    return attendance


def access_adjustment(program: Program, adjustment_id: int) -> OpeningAdjustment:
    adjustment = (
        OpeningAdjustment.objects.select_related("program__alliance", "classroom")
        .filter(program=program, pk=adjustment_id)
        .first()
    )
    if adjustment is None:
        raise Http404
    return adjustment


def visible_to_program(program: Program) -> Q:
    """Applications a program may see: proposed, offered or referred to it."""
    return (
        Q(applicants__proposals__program=program, applicants__proposals__status="offered")
        | Q(applicants__offers__program=program)
        | Q(referrals__to_program=program)
    )


def access_program_application(program: Program, application_id: int) -> Application:
    application = (
        Application.objects.filter(alliance_id=program.alliance_id, pk=application_id)
        .filter(visible_to_program(program))
        .select_related("family")
        .distinct()
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_application(alliance: Alliance, application_id: int) -> Application:
    application = (
        Application.objects.select_related("family", "alliance")
        .filter(alliance=alliance, pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_family_application(alliance: Alliance, token: str) -> Application:
    """The family's own link (no sign-in needed)."""
    application = (
        Application.objects.select_related("family", "alliance")
        .filter(alliance=alliance, token=token)
        .first()
        if token
        else None
    )
    if application is None:
        raise Http404
    return application


def access_own_application(user: User, alliance: Alliance, application_id: int) -> Application:
    """A signed-in family member's application (linked account or same email)."""
    application = (
        Application.objects.select_related("family", "alliance")
        .filter(alliance=alliance, pk=application_id)
        .filter(Q(family__account=user) | Q(family__email__iexact=user.email))
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_proposal(alliance: Alliance, proposal_id: int) -> Proposal:
    proposal = Proposal.objects.filter(alliance=alliance, pk=proposal_id).first()
    if proposal is None:
        raise Http404
    return proposal


def access_offer(alliance: Alliance, offer_id: int) -> Offer:
    offer = (
        Offer.objects.select_related("program", "classroom", "applicant__child")
        .filter(alliance=alliance, pk=offer_id)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def family_offer(application: Application, offer_id: int) -> Offer:
    offer = (
        Offer.objects.select_related("program", "classroom", "applicant__child")
        .filter(applicant__application=application, pk=offer_id)
        .first()
    )
    if offer is None:
        raise Http404
    return offer
