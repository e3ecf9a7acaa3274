"""Scoped lookups of staffing records that 404 alike for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from alliance.members.models import Program
from alliance.staffing.models import (
    Application,
    Candidate,
    Credential,
    JobPosting,
    PostingStatus,
    ScheduleBlock,
    StaffMember,
)


def access_staff(program: Program, staff_id: int) -> StaffMember:
    staff = (
        StaffMember.objects.select_related("user", "program__alliance")
        .filter(program=program, pk=staff_id)
        .first()
    )
    if staff is None:
        raise Http404
    return staff


def access_credential(staff: StaffMember, credential_id: int) -> Credential:
    holder = Q(staff=staff) | (Q(person_id=staff.user_id) if staff.user_id else Q(pk__in=[]))
    credential = (
        Credential.objects.filter(alliance_id=staff.program.alliance_id, pk=credential_id)
        .filter(holder)
        .first()
    )
    if credential is None:
        raise Http404
    return credential


def access_block(staff: StaffMember, block_id: int) -> ScheduleBlock:
    block = ScheduleBlock.objects.filter(staff=staff, pk=block_id).select_related("staff").first()
    if block is None:
        raise Http404
    return block


def access_posting(program: Program, posting_id: int) -> JobPosting:
    posting = (
        JobPosting.objects.select_related("program__alliance")
        .filter(program=program, pk=posting_id)
        .first()
    )
    if posting is None:
        raise Http404
    return posting


def access_public_posting(alliance_id: int, posting_id: int) -> JobPosting:
    """An open posting of a member of this alliance (the public job board)."""
    posting = (
        JobPosting.objects.select_related("program__alliance")
        .filter(program__alliance_id=alliance_id, pk=posting_id, status=PostingStatus.OPEN)
        .first()
    )
    if posting is None:
        raise Http404
    return posting


def access_application(program: Program, application_id: int) -> Application:
    application = (
        Application.objects.select_related("candidate", "posting", "program__alliance")
        .filter(program=program, pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_candidate(alliance_id: int, candidate_id: int, program: Program | None) -> Candidate:
    """A candidate the caller may read: one who consented to share with all members, or
    (for a director, ``program`` given) one who applied to that program's postings.
    Hub admins pass ``program=None`` and see consented profiles only, like everyone."""
    visible = Q(share_with_members=True)
    if program is not None:
        visible |= Q(applications__program=program)
    candidate = (
        Candidate.objects.filter(alliance_id=alliance_id, pk=candidate_id)
        .filter(visible)
        .distinct()
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate
