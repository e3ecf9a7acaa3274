"""Every change to requests for cover and their offers.

Services are keyword-only, atomic, take the acting user and write an audit row; bad input
raises ``ValidationError({field: message})`` before anything is saved. An offer that can no
longer be taken raises :class:`OfferUnavailable` (the API answers 409).

The pool's profiles are changed in :mod:`alliance.substitutes.services_pool`, what follows a
shift in :mod:`alliance.substitutes.services_after`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.core.tasks import enqueue_on_commit
from alliance.members.models import Classroom, Program
from alliance.substitutes import history, messages
from alliance.substitutes.candidates import facts_for, load_candidates
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    Backup,
    BackupSource,
    DispatchMode,
    Offer,
    OfferStatus,
    PoolSettings,
    ProfileStatus,
    Qualification,
    RequestStatus,
    SubstituteProfile,
    SubstituteRequest,
    Tier,
    UnfilledReason,
)
from alliance.substitutes.ranking import explain, rank
from alliance.substitutes.tiers import take_wave, tiers_for

MAX_DAYS = 20


class OfferUnavailable(Exception):
    """The offer cannot be taken (any more): filled, expired, cancelled or already used."""

    def __init__(self, message: str, *, filled: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.filled = filled  # the shift was filled: the person goes on the backup list


def pool_settings(alliance_id: int) -> PoolSettings:
    settings = PoolSettings.objects.filter(alliance_id=alliance_id).first()
    if settings is None:
        settings, _created = PoolSettings.objects.get_or_create(alliance_id=alliance_id)
    return settings


def shift_start(program: Program, day: date, at: time) -> datetime:
    """The aware moment a shift starts, in the program's alliance's time zone."""
    try:
        tz = ZoneInfo(program.alliance.timezone)
    except (KeyError, ValueError):
        tz = ZoneInfo("America/New_York")
    return datetime.combine(day, at, tzinfo=tz)


def _check_request(
    *,
    program: Program,
    classroom: Classroom | None,
    dates: Sequence[date],
    start: time | None,
    end: time | None,
    requirements: Iterable[str],
    mode: str | None,
    preferred: User | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not dates:
        errors["dates"] = _("Choose at least one day.")
    elif len(set(dates)) > MAX_DAYS:
        errors["dates"] = _("One request covers at most %(n)d days.") % {"n": MAX_DAYS}
    if start is None:
        errors["start"] = _("Enter the start time.")
    if end is None:
        errors["end"] = _("Enter the end time.")
    if start is not None and end is not None and end <= start:
        errors["end"] = _("The shift must end after it starts.")
    if dates and start is not None and "dates" not in errors:
        first = min(dates)
        if shift_start(program, first, start) <= timezone.now():
            errors["dates"] = _("The shift on %(day)s has already started.") % {
                "day": first.isoformat()
            }
    if classroom is not None and classroom.program_id != program.pk:
        errors["classroom"] = _("Choose one of your classrooms.")
    unknown = set(requirements) - set(Qualification.values)
    if unknown:
        errors["requirements"] = _("Unknown qualification: %(q)s.") % {
            "q": ", ".join(sorted(unknown))
        }
    if mode is not None and mode not in DispatchMode.values:
        errors["mode"] = _("Choose “waves”, “broadcast” or “picks”.")
    if preferred is not None:
        from alliance.substitutes.models import SubstituteProfile

        if not SubstituteProfile.objects.filter(
            alliance_id=program.alliance_id, user=preferred
        ).exists():
            errors["preferred"] = _("This person is not in the substitute pool.")
    return errors


@transaction.atomic
def create_request(
    *,
    acting_user: User | None,
    program: Program,
    classroom: Classroom | None,
    dates: list[date],
    start: time,
    end: time,
    requirements: Sequence[str] = (),
    notes: str = "",
    preferred: User | None = None,
    mode: str | None = None,
    tiered: bool | None = None,
    source: str = "form",
) -> SubstituteRequest:
    """Ask the pool for cover (from a form, the API or code such as the ratio engine).

    Guarantees: the shift is in the future, ends after it starts, and its classroom is the
    program's; the request is saved with its audit row, and dispatch starts only once the
    transaction commits (a rolled-back request never offers anything)."""
    errors = _check_request(
        program=program,
        classroom=classroom,
        dates=dates,
        start=start,
        end=end,
        requirements=requirements,
        mode=mode,
        preferred=preferred,
    )
    if errors:
        raise ValidationError(errors)
    days = sorted(set(dates))
    settings = pool_settings(program.alliance_id)
    request = SubstituteRequest.objects.create(
        program=program,
        classroom=classroom,
        dates=[d.isoformat() for d in days],
        first_date=days[0],
        last_date=days[-1],
        start=start,
        end=end,
        requirements=sorted(set(requirements)),
        notes=notes.strip(),
        preferred=preferred,
        mode=mode or settings.default_mode,
        tiered=settings.tiered_release if tiered is None else tiered,
        source=source[:20],
        requested_by=acting_user,
    )
    log_action(
        actor=acting_user,
        action="substitutes.request_created",
        target=request,
        alliance=program.alliance,
        program=program,
        summary=_("Substitute requested for %(days)s") % {"days": ", ".join(request.dates)},
        data={"source": source, "mode": request.mode, "tiered": request.tiered},
    )
    from alliance.substitutes.tasks import dispatch_task

    enqueue_on_commit(dispatch_task, program.pk, request.pk)
    return request


@transaction.atomic
def dispatch_request(*, request_id: int, now: datetime | None = None) -> list[Offer]:
    """Offer the request to the next substitutes: the next wave of the ranking (tier by
    tier when the request is tiered), or everyone eligible (broadcast, and director-picks,
    where the offer invites them to volunteer). Idempotent on a request that is no longer
    open.

    Marks the request unfilled when nobody is eligible at all; schedules the next wave."""
    now = now or timezone.now()
    request = (
        SubstituteRequest.objects.select_for_update(of=("self",))
        .select_related("program__alliance", "classroom")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.status != RequestStatus.OPEN:
        return []
    settings = pool_settings(request.program.alliance_id)
    facts = facts_for(request)
    ranked = rank(load_candidates(alliance_id=request.program.alliance_id, request=request), facts)
    offered = set(Offer.objects.filter(request=request).values_list("substitute_id", flat=True))
    fresh = [r for r in ranked if r.candidate.user_id not in offered]
    tiers = tiers_for(request)
    if request.mode == DispatchMode.WAVES:
        fresh = take_wave(fresh, tiers, settings.wave_size, request.tiered)
    if not fresh:
        if not offered:
            _mark_unfilled(request, UnfilledReason.NO_ELIGIBLE)
        return []
    request.wave += 1
    request.save(update_fields=["wave"])
    expires = min(
        now + timedelta(hours=settings.offer_hours),
        shift_start(request.program, request.first_date, request.start),
    )
    offers = Offer.objects.bulk_create(
        [
            Offer(
                request=request,
                substitute_id=r.candidate.user_id,
                wave=request.wave,
                tier=tiers.of(r.candidate.user_id),
                score=r.score,
                reasons=[tiers.reason(r.candidate.user_id), *explain(r.candidate, facts)],
                expires_at=expires,
            )
            for r in fresh
        ]
    )
    users = User.objects.in_bulk([o.substitute_id for o in offers])
    for offer in offers:
        offer.request = request
        offer.substitute = users[offer.substitute_id]
        messages.send_offer(offer)
    log_action(
        actor=None,
        action="substitutes.offers_sent",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=_("Wave %(wave)d: offered to %(n)d substitutes")
        % {"wave": request.wave, "n": len(offers)},
    )
    if request.mode == DispatchMode.WAVES:
        from alliance.substitutes.tasks import next_wave_task

        delay = settings.wave_minutes * 60
        transaction.on_commit(
            lambda: next_wave_task.schedule(args=(request.program_id, request.pk), delay=delay)
        )
    return offers


def _mark_unfilled(request: SubstituteRequest, reason: str) -> None:
    request.status = RequestStatus.UNFILLED
    request.unfilled_reason = reason
    request.save(update_fields=["status", "unfilled_reason"])
    log_action(
        actor=None,
        action="substitutes.request_unfilled",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=str(UnfilledReason(reason).label),
    )
    if request.requested_by_id:
        messages.tell(request.requested_by, messages.UNFILLED, request)


def accept_offer(*, acting_user: User, offer_id: int, now: datetime | None = None) -> Assignment:
    """The substitute takes the shift. Exactly one acceptance wins per request.

    The request row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the write
    transaction itself serializes, ``transaction_mode = IMMEDIATE``), the offer is re-read
    under the lock, and a partial unique index backs it up: a second live assignment for a
    request cannot exist. Everyone else's pending offer is closed and they are told."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _accept(acting_user=acting_user, offer_id=offer_id, now=now)
    except IntegrityError as exc:
        _note_backup(acting_user, offer_id, BackupSource.LATE_ACCEPT)
        raise OfferUnavailable(_("Sorry, this shift has just been filled."), filled=True) from exc
    except OfferUnavailable as exc:
        if exc.filled:
            _note_backup(acting_user, offer_id, BackupSource.LATE_ACCEPT)
        raise


def _note_backup(user: User, offer_id: int, source: str) -> Backup | None:
    """Someone who tried to take a shift already filled joins its backup list, in order
    (in its own transaction: the refused accept itself changed nothing)."""
    with transaction.atomic():
        head = Offer.objects.filter(pk=offer_id, substitute=user).values("request_id").first()
        if head is None:
            return None
        request = (
            SubstituteRequest.objects.select_for_update(of=("self",))
            .select_related("program__alliance")
            .get(pk=head["request_id"])
        )
        if request.status != RequestStatus.FILLED or request.assigned_to_id == user.pk:
            return None
        backup = Backup.objects.filter(request=request, substitute=user).first()
        if backup is not None:
            return backup
        last = Backup.objects.filter(request=request).order_by("-position").first()
        backup = Backup.objects.create(
            request=request,
            substitute=user,
            position=(last.position + 1) if last else 1,
            source=source,
        )
        log_action(
            actor=user,
            action="substitutes.backup_added",
            target=request,
            alliance=request.program.alliance,
            program=request.program,
            summary=_("%(name)s is backup %(n)d") % {"name": user, "n": backup.position},
        )
        messages.tell(user, messages.BACKUP, request)
        return backup


def _lock_offer(acting_user: User, offer_id: int) -> tuple[SubstituteRequest, Offer]:
    """The request row locked, then the offer re-read under the lock (404-alike if not
    the caller's)."""
    head = Offer.objects.filter(pk=offer_id, substitute=acting_user).values("request_id").first()
    if head is None:
        raise OfferUnavailable(_("This offer does not exist."))
    request = (
        SubstituteRequest.objects.select_for_update(of=("self",))
        .select_related("program__alliance")
        .get(pk=head["request_id"])
    )
    return request, Offer.objects.get(pk=offer_id)


def _checks_still_valid(request: SubstituteRequest, user: User, *, strict: bool = False) -> None:
    """Refuse a substitute whose checks lapsed since the offer (``strict``: also one now
    suspended, inactive or busy elsewhere then)."""
    from alliance.substitutes.ranking import INELIGIBLE, ineligibility

    still = load_candidates(
        alliance_id=request.program.alliance_id,
        request=request,
        user_ids=[user.pk],
        prefilter=False,
    )
    why = ineligibility(still[0], facts_for(request)) if still else "inactive"
    if why == "checks" or not still:
        raise OfferUnavailable(
            _("A background check or CPR/First Aid of yours has expired; the hub can help.")
        )
    if strict and why in ("inactive", "busy"):
        raise OfferUnavailable(
            _("This substitute cannot take the shift any more (%(why)s).")
            % {"why": INELIGIBLE[why]}
        )


def _accept(*, acting_user: User, offer_id: int, now: datetime) -> Assignment:
    request, offer = _lock_offer(acting_user, offer_id)
    _check_open(offer, request, now)
    if messages.is_invitation(offer):
        raise OfferUnavailable(
            _("The director picks the substitute for this shift: volunteer, and you will be told.")
        )
    _checks_still_valid(request, acting_user)
    assignment = Assignment.objects.create(
        request=request, substitute=acting_user, offer=offer, accepted_at=now
    )
    history.refresh_for(assignment)
    offer.status = OfferStatus.ACCEPTED
    offer.responded_at = now
    offer.save(update_fields=["status", "responded_at"])
    request.status = RequestStatus.FILLED
    request.assigned_to = acting_user
    request.filled_at = now
    request.save(update_fields=["status", "assigned_to", "filled_at"])
    others = list(
        Offer.objects.filter(request=request, status=OfferStatus.PENDING)
        .exclude(pk=offer.pk)
        .select_related("substitute")
    )
    Offer.objects.filter(pk__in=[o.pk for o in others]).update(
        status=OfferStatus.FILLED, responded_at=now
    )
    log_action(
        actor=acting_user,
        action="substitutes.offer_accepted",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=_("%(name)s accepted the shift") % {"name": acting_user},
        data={"offer": offer.pk, "assignment": assignment.pk},
    )
    for other in others:
        messages.tell(other.substitute, messages.FILLED_ELSEWHERE, request)
    if request.requested_by_id:
        from django.urls import reverse

        link = reverse("substitutes:request_detail", args=[request.program.slug, request.pk])
        messages.tell(request.requested_by, messages.REQUEST_FILLED, request, link=link)
    return assignment


def _check_open(offer: Offer, request: SubstituteRequest, now: datetime) -> None:
    if offer.status == OfferStatus.ACCEPTED:
        raise OfferUnavailable(_("You have already accepted this shift."))
    if request.status == RequestStatus.FILLED or offer.status == OfferStatus.FILLED:
        raise OfferUnavailable(_("Sorry, this shift has already been filled."), filled=True)
    if request.status == RequestStatus.CANCELLED or offer.status == OfferStatus.WITHDRAWN:
        raise OfferUnavailable(_("This shift was cancelled by the program."))
    if offer.status == OfferStatus.DECLINED:
        raise OfferUnavailable(_("You already declined this shift."))
    if offer.status == OfferStatus.EXPIRED or offer.expires_at <= now:
        raise OfferUnavailable(_("This offer has expired."))
    if request.status != RequestStatus.OPEN:
        raise OfferUnavailable(_("This shift is no longer open."))
    if offer.status == OfferStatus.VOLUNTEERED:
        raise OfferUnavailable(_("You have already volunteered; the director will tell you."))


@transaction.atomic
def decline_offer(*, acting_user: User, offer_id: int, now: datetime | None = None) -> Offer:
    """The substitute says no. In waves mode, the next wave goes out at once if every offer
    of the current wave has been answered."""
    now = now or timezone.now()
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("request__program__alliance")
        .filter(pk=offer_id, substitute=acting_user)
        .first()
    )
    if offer is None:
        raise OfferUnavailable(_("This offer does not exist."))
    if not (offer.status == OfferStatus.VOLUNTEERED and offer.request.status == RequestStatus.OPEN):
        _check_open(offer, offer.request, now)  # a volunteer may still withdraw
    offer.status = OfferStatus.DECLINED
    offer.responded_at = now
    offer.save(update_fields=["status", "responded_at"])
    request = offer.request
    log_action(
        actor=acting_user,
        action="substitutes.offer_declined",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=_("%(name)s declined") % {"name": acting_user},
    )
    if not Offer.objects.filter(request=request, status=OfferStatus.PENDING).exists():
        from alliance.substitutes.tasks import dispatch_task

        enqueue_on_commit(dispatch_task, request.program_id, request.pk)
    return offer


@transaction.atomic
def cancel_request(
    *, acting_user: User | None, request: SubstituteRequest, reason: str = ""
) -> SubstituteRequest:
    """The program no longer needs cover: offers are withdrawn, an assigned sub is told."""
    if request.status in (RequestStatus.CANCELLED, RequestStatus.UNFILLED):
        raise ValidationError({"status": _("This request is already closed.")})
    now = timezone.now()
    request = SubstituteRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    live = request.assignments.filter(status=AssignmentStatus.CONFIRMED).first()
    if live is not None:
        live.status = AssignmentStatus.CANCELLED
        live.cancelled_at = now
        live.cancel_reason = reason[:200]
        live.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        messages.tell(live.substitute, messages.SHIFT_CANCELLED, request)
    Offer.objects.filter(
        request=request, status__in=[OfferStatus.PENDING, OfferStatus.VOLUNTEERED]
    ).update(status=OfferStatus.WITHDRAWN, responded_at=now)
    request.status = RequestStatus.CANCELLED
    request.cancelled_at = now
    request.cancel_reason = reason[:200]
    request.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    log_action(
        actor=acting_user,
        action="substitutes.request_cancelled",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=reason[:300],
    )
    return request


@transaction.atomic
def cancel_assignment(
    *, acting_user: User, assignment: Assignment, reason: str = "", now: datetime | None = None
) -> SubstituteRequest:
    """The substitute can no longer come: the request reopens and is dispatched again
    (to everyone not yet asked; those already asked may be asked again in a new wave).
    A cancellation within ``late_cancel_hours`` of the shift counts against reliability."""
    now = now or timezone.now()
    if assignment.status != AssignmentStatus.CONFIRMED:
        raise ValidationError({"status": _("This shift is not confirmed any more.")})
    request = SubstituteRequest.objects.select_for_update(of=("self",)).get(
        pk=assignment.request_id
    )
    settings = pool_settings(request.program.alliance_id)
    starts = shift_start(request.program, request.first_date, request.start)
    if starts <= now:
        raise ValidationError({"status": _("The shift has already started.")})
    assignment.status = AssignmentStatus.CANCELLED
    assignment.cancelled_at = now
    assignment.cancelled_by_sub = True
    assignment.late_cancel = starts - now < timedelta(hours=settings.late_cancel_hours)
    assignment.cancel_reason = reason[:200]
    assignment.save(
        update_fields=["status", "cancelled_at", "cancelled_by_sub", "late_cancel", "cancel_reason"]
    )
    history.refresh_for(assignment)
    request.status = RequestStatus.OPEN
    request.assigned_to = None
    request.filled_at = None
    request.save(update_fields=["status", "assigned_to", "filled_at"])
    backups = _offer_to_backups(request, settings, assignment.substitute_id, now)
    # The substitute's old offer must not be accepted again, the others may come back.
    Offer.objects.filter(request=request, status=OfferStatus.FILLED).delete()
    log_action(
        actor=acting_user,
        action="substitutes.assignment_cancelled",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=reason[:300],
        data={"late": assignment.late_cancel, "backups_offered": len(backups)},
    )
    if request.requested_by_id:
        messages.tell(request.requested_by, messages.SUB_CANCELLED, request)
    from alliance.substitutes.tasks import dispatch_task, next_wave_task

    if backups:
        # The backups have the shift first; the normal dispatch resumes after a wave's time.
        delay = settings.wave_minutes * 60
        transaction.on_commit(
            lambda: next_wave_task.schedule(args=(request.program_id, request.pk), delay=delay)
        )
    else:
        enqueue_on_commit(dispatch_task, request.program_id, request.pk)
    return request


def _offer_to_backups(
    request: SubstituteRequest, settings: PoolSettings, cancelled_by: int, now: datetime
) -> list[Offer]:
    """Offer a reopened shift to its backup list at once (first to accept wins), to those
    still eligible, in backup order. Returns the offers sent."""
    backups = list(
        Backup.objects.filter(request=request, offered_at__isnull=True)
        .exclude(substitute_id=cancelled_by)
        .order_by("position", "pk")
    )
    if not backups:
        return []
    facts = facts_for(request)
    ranked = {
        r.candidate.user_id: r
        for r in rank(
            load_candidates(
                alliance_id=request.program.alliance_id,
                request=request,
                user_ids=[b.substitute_id for b in backups],
                prefilter=False,
            ),
            facts,
        )
    }
    chosen = [b for b in backups if b.substitute_id in ranked]
    if not chosen:
        return []
    request.wave += 1
    request.save(update_fields=["wave"])
    expires = min(
        now + timedelta(hours=settings.offer_hours),
        shift_start(request.program, request.first_date, request.start),
    )
    existing = {
        o.substitute_id: o
        for o in Offer.objects.filter(
            request=request, substitute_id__in=[b.substitute_id for b in chosen]
        )
    }
    users = User.objects.in_bulk([b.substitute_id for b in chosen])
    sent = []
    for backup in chosen:
        r = ranked[backup.substitute_id]
        why = {
            "factor": "tier",
            "points": 0,
            "why": _("backup %(n)d: on the list behind the filled shift") % {"n": backup.position},
        }
        offer = existing.get(backup.substitute_id) or Offer(
            request=request, substitute_id=backup.substitute_id
        )
        offer.status = OfferStatus.PENDING
        offer.tier = Tier.BACKUP
        offer.wave = request.wave
        offer.score = r.score
        offer.reasons = [why, *explain(r.candidate, facts)]
        offer.expires_at = expires
        offer.responded_at = None
        offer.volunteered_at = None
        offer.save()
        offer.request = request
        offer.substitute = users[backup.substitute_id]
        messages.send_offer(offer)
        sent.append(offer)
    Backup.objects.filter(pk__in=[b.pk for b in chosen]).update(offered_at=now)
    log_action(
        actor=None,
        action="substitutes.backups_offered",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=_("Offered first to %(n)d backups") % {"n": len(sent)},
    )
    return sent


def volunteer_offer(*, acting_user: User, offer_id: int, now: datetime | None = None) -> Offer:
    """Director-picks mode: the substitute says "I can work it". The director then picks
    one volunteer; volunteering after the shift was filled puts them on the backup list."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            request, offer = _lock_offer(acting_user, offer_id)
            _check_open(offer, request, now)
            if not messages.is_invitation(offer):
                raise OfferUnavailable(
                    _("This shift goes to the first to accept: accept it instead.")
                )
            _checks_still_valid(request, acting_user)
            offer.status = OfferStatus.VOLUNTEERED
            offer.volunteered_at = now
            offer.responded_at = now
            offer.save(update_fields=["status", "volunteered_at", "responded_at"])
            log_action(
                actor=acting_user,
                action="substitutes.volunteered",
                target=request,
                alliance=request.program.alliance,
                program=request.program,
                summary=_("%(name)s volunteered") % {"name": acting_user},
                data={"offer": offer.pk},
            )
            if request.requested_by_id:
                from django.urls import reverse

                link = reverse(
                    "substitutes:request_detail", args=[request.program.slug, request.pk]
                )
                messages.tell(
                    request.requested_by,
                    messages.VOLUNTEERED,
                    request,
                    link=link,
                    extra={"volunteer": str(acting_user)},
                )
            return offer
    except OfferUnavailable as exc:
        if exc.filled:
            _note_backup(acting_user, offer_id, BackupSource.VOLUNTEER)
        raise


def pick_volunteer(
    *, acting_user: User, request: SubstituteRequest, offer_id: int, now: datetime | None = None
) -> Assignment:
    """The director picks one volunteer: exactly one assignment, under the same row lock as
    an accept (a concurrent pick, or a pick racing a cancellation, finds the request no
    longer open). The other volunteers are told and join the backup list, best first."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _pick(acting_user=acting_user, request_id=request.pk, offer_id=offer_id, now=now)
    except IntegrityError as exc:
        raise ValidationError({"offer_id": _("Another volunteer was just picked.")}) from exc


def _pick(*, acting_user: User, request_id: int, offer_id: int, now: datetime) -> Assignment:
    request = (
        SubstituteRequest.objects.select_for_update(of=("self",))
        .select_related("program__alliance")
        .get(pk=request_id)
    )
    if request.status == RequestStatus.FILLED:
        raise ValidationError({"offer_id": _("A substitute was already picked for this shift.")})
    if request.status != RequestStatus.OPEN:
        raise ValidationError({"offer_id": _("This request is no longer open.")})
    offer = (
        Offer.objects.select_related("substitute")
        .filter(pk=offer_id, request=request, status=OfferStatus.VOLUNTEERED)
        .first()
    )
    if offer is None:
        raise ValidationError({"offer_id": _("Choose one of the volunteers listed.")})
    try:
        _checks_still_valid(request, offer.substitute, strict=True)
    except OfferUnavailable as exc:
        raise ValidationError({"offer_id": exc.message}) from exc
    substitute = offer.substitute
    assignment = Assignment.objects.create(
        request=request, substitute=substitute, offer=offer, accepted_at=now
    )
    history.refresh_for(assignment)
    offer.status = OfferStatus.ACCEPTED
    offer.save(update_fields=["status"])
    request.status = RequestStatus.FILLED
    request.assigned_to = substitute
    request.filled_at = now
    request.save(update_fields=["status", "assigned_to", "filled_at"])
    others = list(
        Offer.objects.filter(
            request=request, status__in=[OfferStatus.PENDING, OfferStatus.VOLUNTEERED]
        )
        .exclude(pk=offer.pk)
        .select_related("substitute")
        .order_by("-score", "volunteered_at", "pk")
    )
    volunteers = [o for o in others if o.status == OfferStatus.VOLUNTEERED]
    Offer.objects.filter(pk__in=[o.pk for o in others]).update(status=OfferStatus.FILLED)
    already = set(Backup.objects.filter(request=request).values_list("substitute_id", flat=True))
    last = Backup.objects.filter(request=request).order_by("-position").first()
    position = last.position if last else 0
    fresh = []
    for o in volunteers:
        if o.substitute_id in already:
            continue
        position += 1
        fresh.append(
            Backup(
                request=request,
                substitute_id=o.substitute_id,
                position=position,
                source=BackupSource.VOLUNTEER,
            )
        )
    Backup.objects.bulk_create(fresh)
    log_action(
        actor=acting_user,
        action="substitutes.volunteer_picked",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=_("%(name)s picked") % {"name": substitute},
        data={"offer": offer.pk, "assignment": assignment.pk, "backups": len(fresh)},
    )
    messages.tell(substitute, messages.PICKED, request)
    for other in others:
        kind = (
            messages.NOT_PICKED
            if other.status == OfferStatus.VOLUNTEERED
            else messages.FILLED_ELSEWHERE
        )
        messages.tell(other.substitute, kind, request)
    return assignment


@transaction.atomic
def record_no_show(*, acting_user: User, assignment: Assignment) -> Assignment:
    """The substitute did not come (counts against reliability)."""
    if assignment.status != AssignmentStatus.CONFIRMED:
        raise ValidationError({"status": _("Only a confirmed shift can be a no-show.")})
    request = assignment.request
    if shift_start(request.program, request.first_date, request.start) > timezone.now():
        raise ValidationError({"status": _("The shift has not started yet.")})
    assignment.status = AssignmentStatus.NO_SHOW
    assignment.save(update_fields=["status"])
    history.refresh_for(assignment)
    log_action(
        actor=acting_user,
        action="substitutes.no_show",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
        summary=_("No-show recorded"),
    )
    apply_no_show_policy(assignment=assignment)
    return assignment


def apply_no_show_policy(*, assignment: Assignment) -> str:
    """After a no-show: a warning at ``no_show_warning_after`` no-shows within
    ``no_show_window_months``, a suspension at ``no_show_suspend_after`` (never offered work
    until the hub reinstates them; the hub is told). Returns "suspended", "warned" or ""."""
    from django_scopes import scopes_disabled

    request = assignment.request
    alliance = request.program.alliance
    settings = pool_settings(alliance.pk)
    since = timezone.localdate() - timedelta(days=round(settings.no_show_window_months * 30.44))
    substitute = assignment.substitute
    with scopes_disabled():
        count = Assignment.objects.filter(
            substitute=substitute,
            status=AssignmentStatus.NO_SHOW,
            request__program__alliance_id=alliance.pk,
            request__first_date__gte=since,
        ).count()
        profile = (
            SubstituteProfile.objects.select_for_update()
            .filter(alliance_id=alliance.pk, user=substitute)
            .first()
        )
    extra = {
        "count": count,
        "months": settings.no_show_window_months,
        "substitute": str(substitute),
    }
    if count >= settings.no_show_suspend_after and profile is not None:
        if profile.status == ProfileStatus.SUSPENDED:
            return "suspended"
        profile.status = ProfileStatus.SUSPENDED
        profile.suspended_at = timezone.now()
        profile.save(update_fields=["status", "suspended_at"])
        with scopes_disabled():
            # Offers still open are withdrawn: a suspended substitute is offered nothing.
            Offer.objects.filter(
                substitute=substitute,
                request__program__alliance_id=alliance.pk,
                status__in=[OfferStatus.PENDING, OfferStatus.VOLUNTEERED],
            ).update(status=OfferStatus.WITHDRAWN, responded_at=timezone.now())
        log_action(
            actor=None,
            action="substitutes.suspended",
            target=profile,
            alliance=alliance,
            summary=_("Suspended after %(n)d no-shows") % {"n": count},
            data={"no_shows": count},
        )
        messages.tell(substitute, messages.SUSPENDED, request, extra=extra)
        from django.urls import reverse

        from alliance.accounts.models import Role
        from alliance.core.policy import RoleKind

        link = reverse("substitutes:hub_profile", args=[alliance.slug, profile.pk])
        with scopes_disabled():
            hub = [
                r.user
                for r in Role.objects.filter(alliance=alliance, kind=RoleKind.HUB).select_related(
                    "user"
                )
            ]
        for person in {u.pk: u for u in hub}.values():
            messages.tell(person, messages.SUSPENDED_HUB, request, link=link, extra=extra)
        return "suspended"
    if count >= settings.no_show_warning_after:
        messages.tell(substitute, messages.NO_SHOW_WARNING, request, extra=extra)
        log_action(
            actor=None,
            action="substitutes.no_show_warning",
            target=request,
            alliance=alliance,
            program=request.program,
            summary=_("Warning sent to %(name)s") % {"name": substitute},
        )
        return "warned"
    return ""


@transaction.atomic
def redispatch(*, acting_user: User, request: SubstituteRequest) -> SubstituteRequest:
    """Try again for an unfilled request whose shift has not started."""
    if request.status != RequestStatus.UNFILLED:
        raise ValidationError({"status": _("Only an unfilled request can be sent again.")})
    if shift_start(request.program, request.first_date, request.start) <= timezone.now():
        raise ValidationError({"status": _("The shift has already started.")})
    request.status = RequestStatus.OPEN
    request.unfilled_reason = ""
    request.save(update_fields=["status", "unfilled_reason"])
    log_action(
        actor=acting_user,
        action="substitutes.request_redispatched",
        target=request,
        alliance=request.program.alliance,
        program=request.program,
    )
    from alliance.substitutes.tasks import dispatch_task

    enqueue_on_commit(dispatch_task, request.program_id, request.pk)
    return request


@transaction.atomic
def close_stale(*, now: datetime | None = None) -> int:
    """Requests whose shift started while still open become unfilled; their offers expire."""
    now = now or timezone.now()
    count = 0
    candidates = SubstituteRequest.objects.filter(
        status=RequestStatus.OPEN, first_date__lte=now.date() + timedelta(days=1)
    ).select_related("program__alliance", "requested_by")
    for request in candidates:
        if shift_start(request.program, request.first_date, request.start) > now:
            continue
        Offer.objects.filter(
            request=request, status__in=[OfferStatus.PENDING, OfferStatus.VOLUNTEERED]
        ).update(status=OfferStatus.EXPIRED)
        _mark_unfilled(request, UnfilledReason.NO_ACCEPT)
        count += 1
    return count


@transaction.atomic
def expire_offers(*, now: datetime | None = None) -> int:
    """Pending offers past their ``expires_at`` become expired (they could no longer be
    taken anyway); returns how many. Runs periodically across every program."""
    now = now or timezone.now()
    return Offer.objects.filter(status=OfferStatus.PENDING, expires_at__lte=now).update(
        status=OfferStatus.EXPIRED
    )
