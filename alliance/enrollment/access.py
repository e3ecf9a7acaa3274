"""The audited ways to reach one enrollment record: scoped lookups that 404 alike for
"missing" and "not yours". A program reaches an application only through a proposal, an
offer or a referral to it."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from alliance.accounts.models import User
from alliance.core.access import first_or_404
from alliance.enrollment.models import (
    Application,
    Attendance,
    Enrollment,
    Offer,
    OpeningAdjustment,
    Proposal,
    Referral,
)
from alliance.members.models import Alliance, Program


def access_enrollment(program: Program, enrollment_id: int) -> Enrollment:
    return first_or_404(
        Enrollment.objects.select_related("child__family", "classroom", "program__alliance").filter(
            program=program, pk=enrollment_id
        )
    )


def access_attendance(program: Program, attendance_id: int) -> Attendance:
    return first_or_404(
        Attendance.objects.select_related("child", "classroom", "program__alliance").filter(
            program=program, pk=attendance_id
        )
    )


def access_adjustment(program: Program, adjustment_id: int) -> OpeningAdjustment:
    return first_or_404(
        OpeningAdjustment.objects.select_related("program__alliance", "classroom").filter(
            program=program, pk=adjustment_id
        )
    )


def visible_to_program(program: Program) -> Q:
    """Applications a program may see: proposed, offered or referred to it."""
    return (
        Q(applicants__proposals__program=program, applicants__proposals__status="offered")
        | Q(applicants__offers__program=program)
        | Q(referrals__to_program=program)
    )


def access_program_application(program: Program, application_id: int) -> Application:
    return first_or_404(
        Application.objects.filter(alliance_id=program.alliance_id, pk=application_id)
        .filter(visible_to_program(program))
        .select_related("family")
        .distinct()
    )


def access_application(alliance: Alliance, application_id: int) -> Application:
    return first_or_404(
        Application.objects.select_related("family", "alliance").filter(
            alliance=alliance, pk=application_id
        )
    )


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
    """A signed-in family member's application (through Family.account)."""
    return first_or_404(
        Application.objects.select_related("family", "alliance")
        .filter(alliance=alliance, pk=application_id)
        .filter(family__account=user)
    )


def access_proposal(alliance: Alliance, proposal_id: int) -> Proposal:
    return first_or_404(Proposal.objects.filter(alliance=alliance, pk=proposal_id))


def access_offer(alliance: Alliance, offer_id: int) -> Offer:
    return first_or_404(
        Offer.objects.select_related("program", "classroom", "applicant__child").filter(
            alliance=alliance, pk=offer_id
        )
    )


def family_offer(application: Application, offer_id: int) -> Offer:
    return first_or_404(
        Offer.objects.select_related("program", "classroom", "applicant__child").filter(
            applicant__application=application, pk=offer_id
        )
    )


def access_referral_to(program: Program, referral_id: int) -> Referral:
    """A referral made to ``program`` (the receiving side answers it)."""
    return first_or_404(
        Referral.objects.select_related(
            "application__family", "to_program", "from_program", "alliance"
        ).filter(to_program=program, pk=referral_id)
    )
