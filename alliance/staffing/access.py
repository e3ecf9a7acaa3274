"""Scoped lookups of staffing records that 404 alike for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import Q

from alliance.core.access import first_or_404
from alliance.members.models import Program
from alliance.staffing.models import (
    Application,
    Candidate,
    Credential,
    FieldTrip,
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
        applied = Application.objects.filter(program=program).exclude(stage="withdrawn")
        visible |= Q(pk__in=applied.values("candidate_id"))
    return first_or_404(
        Candidate.objects.filter(alliance_id=alliance_id, pk=candidate_id)
        .filter(visible)
        .distinct()
    )


def access_field_trip(program: Program, trip_id: int) -> FieldTrip:
    return first_or_404(
        FieldTrip.objects.select_related("program__alliance", "classroom").filter(
            program=program, pk=trip_id
        )
    )


CANDIDATE_SALT = "staffing.candidate"


def candidate_token(candidate: Candidate) -> str:
    """The secret of a candidate's own page (shown after applying): no account needed."""
    from django.core import signing

    return signing.dumps({"c": candidate.pk, "e": candidate.email}, salt=CANDIDATE_SALT)


def access_candidate_by_token(alliance_id: int, token: str) -> Candidate:
    """The candidate a token names (404 for a bad or foreign token, or a changed email)."""
    from django.core import signing
    from django.http import Http404

    try:
        data = signing.loads(token, salt=CANDIDATE_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    return first_or_404(
        Candidate.objects.filter(alliance_id=alliance_id, pk=data.get("c"), email=data.get("e"))
    )


def access_own_candidate(alliance_id: int | None, user, candidate_id: int) -> Candidate:
    """One of the signed-in user's own candidate profiles."""
    rows = Candidate.objects.filter(user=user, pk=candidate_id)
    if alliance_id is not None:
        rows = rows.filter(alliance_id=alliance_id)
    return first_or_404(rows)
