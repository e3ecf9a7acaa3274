"""Scoped lookups of staffing records that 404 alike for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import Q

from alliance.core.access import first_or_404
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
    return first_or_404(
        StaffMember.objects.select_related("user", "program__alliance").filter(
            program=program, pk=staff_id
        )
    )


def access_credential(staff: StaffMember, credential_id: int) -> Credential:
    holder = Q(staff=staff) | (Q(person_id=staff.user_id) if staff.user_id else Q(pk__in=[]))
    return first_or_404(
        Credential.objects.filter(alliance_id=staff.program.alliance_id, pk=credential_id).filter(
            holder
        )
    )


def access_block(staff: StaffMember, block_id: int) -> ScheduleBlock:
    return first_or_404(
        ScheduleBlock.objects.filter(staff=staff, pk=block_id).select_related("staff")
    )


def access_posting(program: Program, posting_id: int) -> JobPosting:
    return first_or_404(
        JobPosting.objects.select_related("program__alliance").filter(
            program=program, pk=posting_id
        )
    )


def access_public_posting(alliance_id: int, posting_id: int) -> JobPosting:
    """An open posting of a member of this alliance (the public job board)."""
    return first_or_404(
        JobPosting.objects.select_related("program__alliance").filter(
            program__alliance_id=alliance_id, pk=posting_id, status=PostingStatus.OPEN
        )
    )


def access_application(program: Program, application_id: int) -> Application:
    return first_or_404(
        Application.objects.select_related("candidate", "posting", "program__alliance").filter(
            program=program, pk=application_id
        )
    )


def access_candidate(alliance_id: int, candidate_id: int, program: Program | None) -> Candidate:
    """A candidate the caller may read: one who consented to share with all members, or
    (for a director, ``program`` given) one who applied to that program's postings.
    Hub admins pass ``program=None`` and see consented profiles only, like everyone."""
    visible = Q(share_with_members=True)
    if program is not None:
        visible |= Q(applications__program=program)
    return first_or_404(
        Candidate.objects.filter(alliance_id=alliance_id, pk=candidate_id)
        .filter(visible)
        .distinct()
    )
