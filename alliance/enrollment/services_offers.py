"""Matching runs, the hub's review of proposals, and offers to families.

Guarantees: an offer is accepted at most once and never after it expired or was withdrawn
(the offer row is locked, then its status checked, so an acceptance racing a withdrawal ends
in one state); accepting creates the enrollment in the same transaction; a declined or
expired offer leads to the next proposal for that seat.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.core.tenancy import program_scope
from alliance.enrollment import matching
from alliance.enrollment.models import (
    Applicant,
    ApplicantStatus,
    Application,
    ApplicationStatus,
    Enrollment,
    EnrollmentStatus,
    MatchingRun,
    Offer,
    OfferStatus,
    Proposal,
    ProposalStatus,
    Schedule,
)
from alliance.enrollment.openings import SeatBatch, seat_batches
from alliance.members.models import Alliance, MembershipStatus, Program
from alliance.rules.enrollment import family_tiers, priority_points

OFFER_DAYS = 5


def waiting_candidates(alliance: Alliance, today: date) -> list[matching.Candidate]:
    """Every waiting child of the alliance as a matching candidate (two queries, plain
    values: no model instances for thousands of rows)."""
    rows = list(
        Applicant.objects.filter(
            application__alliance=alliance,
            application__status=ApplicationStatus.WAITING,
            status=ApplicantStatus.WAITING,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "child__birth_date",
            "application__desired_start",
            "application__submitted_at",
            "application__family_id",
            "application__family__town",
            "application__family__zip_code",
            "application__family__language",
            "application__preferred_programs",
            "application__preferred_towns",
            "application__languages",
            "application__ccap",
            "application__schedule",
            "application__consent_to_share",
            "child__first_name",
            "application__cps_referral",
            "application__special_needs",
        )
    )
    siblings: dict[int, set[int]] = defaultdict(set)
    with_program = Enrollment.objects.filter(
        child__family__alliance=alliance,
        child__family__applications__status=ApplicationStatus.WAITING,
        status=EnrollmentStatus.ACTIVE,
    ).values_list("child__family_id", "program_id")
    offered = Offer.objects.filter(alliance=alliance, status=OfferStatus.PENDING).values_list(
        "applicant__application__family_id", "program_id"
    )
    for family_id, program_id in [*with_program, *offered]:
        siblings[family_id].add(program_id)
    return [
        matching.Candidate(
            key=pk,
            birth_date=born,
            desired_start=max(desired, today),
            submitted=submitted.date(),
            town=town,
            zip_code=zip_code,
            preferred_programs=list(programs),
            preferred_towns=list(towns),
            languages=list(languages) or [language],
            ccap=ccap,
            part_time=schedule == Schedule.PART_TIME,
            consent=consent,
            sibling_programs=frozenset(siblings.get(family_id, ())),
            family=family_id,
            name=first_name,
            priority=priority_points(
                family_tiers(
                    cps_referral=cps,
                    ccap=ccap,
                    special_needs=needs,
                    languages=list(languages) or [language],
                )
            ),
        )
        for (
            pk,
            born,
            desired,
            submitted,
            family_id,
            town,
            zip_code,
            language,
            programs,
            towns,
            languages,
            ccap,
            schedule,
            consent,
            first_name,
            cps,
            needs,
        ) in rows
    ]


def slots_for(batches: list[SeatBatch]) -> list[matching.Slot]:
    out = []
    for j, b in enumerate(batches):
        room, program = b.classroom, b.classroom.program
        out.append(
            matching.Slot(
                key=j,
                classroom_id=room.pk,
                program_id=program.pk,
                town=program.town,
                zip_code=program.zip_code,
                age_min_months=room.age_min_months,
                age_max_months=room.age_max_months,
                available_from=b.available_from,
                seats=b.seats,
                languages=list(program.languages or []),
                accepts_ccap=program.accepts_ccap,
            )
        )
    return out


@transaction.atomic
def run_matching(*, acting_user: User | None, alliance: Alliance) -> MatchingRun:
    """Compute proposals for every waiting child and every opening of the alliance.
    Earlier proposals still waiting for review are superseded."""
    started = time.perf_counter()
    today = timezone.localdate()
    programs = list(
        Program.objects.filter(alliance=alliance).exclude(
            membership__status__in=[MembershipStatus.SUSPENDED, MembershipStatus.ENDED]
        )
    )
    batches = seat_batches(programs, today)
    candidates = waiting_candidates(alliance, today)
    slots = slots_for(batches)
    matches, gap = matching.solve_with_gap(candidates, slots, today)
    Proposal.objects.filter(alliance=alliance, status=ProposalStatus.PROPOSED).update(
        status=ProposalStatus.SUPERSEDED
    )
    run = MatchingRun.objects.create(
        alliance=alliance,
        started_by=acting_user,
        applicants=len(candidates),
        seats=sum(s.seats for s in slots),
        matched=len(matches),
        total_score=sum(m.score for m in matches),
        optimality_gap=gap,
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                alliance=alliance,
                run=run,
                applicant_id=m.candidate,
                program_id=slots[m.slot].program_id,
                classroom_id=slots[m.slot].classroom_id,
                start_date=m.start_date,
                seat_opened_on=slots[m.slot].available_from,
                score=m.score,
                reasons=[[label, points] for label, points in m.reasons],
            )
            for m in matches
        ],
        batch_size=2000,
    )
    run.seconds = round(time.perf_counter() - started, 3)
    run.save(update_fields=["seconds"])
    log_action(
        actor=acting_user,
        action="matching.run",
        target=run,
        alliance=alliance,
        summary=f"{run.matched} of {run.applicants} children matched to {run.seats} seats",
    )
    return run


@transaction.atomic
def reject_proposal(*, acting_user: User, proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError({"__all__": _("This proposal was already reviewed.")})
    proposal.status = ProposalStatus.REJECTED
    proposal.save(update_fields=["status"])
    log_action(
        actor=acting_user,
        action="proposal.rejected",
        target=proposal,
        alliance=proposal.alliance,
        program=proposal.program,
    )
    return proposal


@transaction.atomic
def send_offer(*, acting_user: User, proposal: Proposal, days: int = OFFER_DAYS) -> Offer:
    """Turn a proposal into an offer to the family, expiring in ``days`` days."""
    proposal = (
        Proposal.objects.select_for_update()
        .select_related(
            "applicant__application__family",
            "applicant__child",
            "program",
            "classroom",
            "alliance",
        )
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError({"__all__": _("This proposal was already reviewed.")})
    applicant = Applicant.objects.select_for_update().get(pk=proposal.applicant_id)
    if applicant.status != ApplicantStatus.WAITING:
        raise ValidationError({"__all__": _("This child is no longer waiting.")})
    if not 1 <= days <= 30:
        raise ValidationError({"days": _("Give the family between 1 and 30 days.")})
    now = timezone.now()
    offer = Offer.objects.create(
        alliance=proposal.alliance,
        program=proposal.program,
        classroom=proposal.classroom,
        applicant=applicant,
        proposal=proposal,
        start_date=proposal.start_date,
        sent_at=now,
        expires_at=now + timedelta(days=days),
        sent_by=acting_user,
    )
    proposal.status = ProposalStatus.OFFERED
    proposal.save(update_fields=["status"])
    applicant.status = ApplicantStatus.OFFERED
    applicant.save(update_fields=["status"])
    log_action(
        actor=acting_user,
        action="offer.sent",
        target=offer,
        alliance=offer.alliance,
        program=offer.program,
        summary=f"{proposal.applicant.child} → {proposal.classroom.name}",
    )
    from alliance.enrollment.notify import offer_sent

    offer_sent(offer)
    return offer


def send_offers(*, acting_user: User, proposals: list[Proposal]) -> list[Offer]:
    """Bulk review: every proposal gets its offer, or none does."""
    with transaction.atomic():
        return [send_offer(acting_user=acting_user, proposal=p) for p in proposals]


def _lock(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update()
        .select_related(
            "applicant__application__family", "applicant__child", "program__alliance", "classroom"
        )
        .get(pk=offer.pk)
    )


@transaction.atomic
def accept_offer(*, acting_user: User | None, offer: Offer) -> Enrollment:
    """The family accepts: the child is enrolled and the program told."""
    offer = _lock(offer)
    now = timezone.now()
    if offer.status == OfferStatus.PENDING and offer.expires_at <= now:
        raise ValidationError({"__all__": _("This offer expired.")})
    if offer.status != OfferStatus.PENDING or not _claim(
        offer, OfferStatus.ACCEPTED, now, expires_after=now
    ):
        offer.refresh_from_db(fields=["status"])
        raise ValidationError(
            {
                "__all__": _("This offer is no longer open (%(status)s).")
                % {"status": offer.get_status_display()}
            }
        )
    applicant = offer.applicant
    application = applicant.application
    from alliance.enrollment.services import enroll_child

    with program_scope(offer.program):
        enrollment = enroll_child(
            acting_user=acting_user,
            program=offer.program,
            child=applicant.child,
            classroom=offer.classroom,
            start_date=offer.start_date,
            schedule=application.schedule,
            days=application.days,
            offer=offer,
        )
    applicant.status = ApplicantStatus.PLACED
    applicant.placed_at = now
    applicant.save(update_fields=["status", "placed_at"])
    if not application.applicants.exclude(
        status__in=[ApplicantStatus.PLACED, ApplicantStatus.WITHDRAWN]
    ).exists():
        application.status = ApplicationStatus.PLACED
        application.save(update_fields=["status"])
    log_action(
        actor=acting_user,
        action="offer.accepted",
        target=offer,
        alliance=offer.alliance,
        program=offer.program,
    )
    from alliance.enrollment.notify import program_notified_of_placement

    program_notified_of_placement(offer, enrollment)
    return enrollment


def _claim(offer: Offer, status: str, now, *, expires_after=None, reason: str = "") -> bool:
    """Move a pending offer to ``status`` with one conditional UPDATE (compare and set):
    True if this call did it, False if another answer got there first. With the row lock of
    ``_lock`` (PostgreSQL) and SQLite's one-writer-at-a-time transactions this makes an
    acceptance racing a withdrawal (or a decline, or the expiry job) end in one state; the
    condition keeps it so even if a caller read a stale row."""
    pending = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING)
    if expires_after is not None:
        pending = pending.filter(expires_at__gt=expires_after)
    claimed = pending.update(status=status, responded_at=now, decline_reason=reason) == 1
    if claimed:
        offer.status, offer.responded_at, offer.decline_reason = status, now, reason
    return claimed


def _close(offer: Offer, status: str, acting_user: User | None, reason: str = "") -> Offer:
    if not _claim(offer, status, timezone.now(), reason=reason.strip()[:300]):
        raise ValidationError({"__all__": _("This offer is no longer open.")})
    applicant = offer.applicant
    if applicant.status == ApplicantStatus.OFFERED:
        applicant.status = ApplicantStatus.WAITING
        applicant.save(update_fields=["status"])
    log_action(
        actor=acting_user,
        action=f"offer.{status}",
        target=offer,
        alliance=offer.alliance,
        program=offer.program,
        summary=offer.decline_reason,
    )
    propose_next(offer)
    return offer


@transaction.atomic
def decline_offer(*, acting_user: User | None, offer: Offer, reason: str = "") -> Offer:
    """The family says no; the child stays waiting (for other programs) and the seat goes
    to the next proposal."""
    offer = _lock(offer)
    if offer.status != OfferStatus.PENDING:
        raise ValidationError({"__all__": _("This offer is no longer open.")})
    return _close(offer, OfferStatus.DECLINED, acting_user, reason)


@transaction.atomic
def withdraw_offer(*, acting_user: User, offer: Offer, reason: str = "") -> Offer:
    offer = _lock(offer)
    if offer.status != OfferStatus.PENDING:
        raise ValidationError({"__all__": _("This offer is no longer open.")})
    return _close(offer, OfferStatus.WITHDRAWN, acting_user, reason)


def expire_due_offers(*, alliance: Alliance, now=None) -> int:
    """Close every pending offer past its expiry (the periodic task calls this)."""
    now = now or timezone.now()
    count = 0
    for offer in Offer.objects.filter(
        alliance=alliance, status=OfferStatus.PENDING, expires_at__lte=now
    ):
        with transaction.atomic():
            locked = _lock(offer)
            if locked.status == OfferStatus.PENDING and locked.expires_at <= now:
                _close(locked, OfferStatus.EXPIRED, None)
                count += 1
    return count


def propose_next(offer: Offer) -> Proposal | None:
    """The best waiting child for the seat the offer held becomes a new proposal."""
    today = timezone.localdate()
    room = offer.classroom
    candidates = [
        c for c in waiting_candidates(offer.alliance, today) if c.key != offer.applicant_id
    ]
    program = offer.program
    slot = matching.Slot(
        key=0,
        classroom_id=room.pk,
        program_id=program.pk,
        town=program.town,
        zip_code=program.zip_code,
        age_min_months=room.age_min_months,
        age_max_months=room.age_max_months,
        available_from=max(offer.start_date, today),
        languages=list(program.languages or []),
        accepts_ccap=program.accepts_ccap,
    )
    matches = matching.solve(candidates, [slot], today)
    if not matches:
        return None
    m = matches[0]
    run = MatchingRun.objects.filter(alliance=offer.alliance).first()
    if run is None:
        return None
    return Proposal.objects.create(
        alliance=offer.alliance,
        run=run,
        applicant_id=m.candidate,
        program=program,
        classroom=room,
        start_date=m.start_date,
        seat_opened_on=slot.available_from,
        score=m.score,
        reasons=[[label, points] for label, points in m.reasons],
    )


def application_of(offer: Offer) -> Application:
    return offer.applicant.application
