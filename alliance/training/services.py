"""Every change to training: courses, sessions, registrations, attendance, feed tokens.

Each service is keyword-only, atomic, takes the acting user and writes an audit row. Bad
input raises ``ValidationError`` with a message per field before anything is saved.
Session and seat counting happen under a row lock on the session, so two people taking the
last seat at once end up one confirmed and one waitlisted, never two confirmed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import changes, log_action
from alliance.core.policy import PROGRAM_ROLES, roles_of
from alliance.members.models import Alliance, Program
from alliance.training.models import (
    Attendance,
    Course,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from alliance.training.notify import tell
from alliance.training.services_attendance import (  # noqa: F401 - one import point for callers
    AttendanceResult,
    feed_token_for,
    mark_attendance,
)

COURSE_FIELDS = ("title", "topic", "description", "hours", "is_orientation", "is_active")
SESSION_FIELDS = (
    "course",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "seats",
    "hours",
    "language",
    "trainer",
    "trainer_name",
    "notes",
)


def _link(name: str, *args: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _full_clean(instance: Any, *, exclude: list[str]) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


def _only(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})


# --- courses ------------------------------------------------------------------------------


def _course_errors(course: Course) -> dict[str, list[str]]:
    errors = _full_clean(course, exclude=["alliance"])
    taken = Course.objects.filter(alliance_id=course.alliance_id, title__iexact=course.title)
    if course.title and taken.exclude(pk=course.pk).exists():
        errors.setdefault("title", [_("The catalog already has a course with this title.")])
    return errors


@transaction.atomic
def create_course(*, acting_user: User, alliance: Alliance, **data: Any) -> Course:
    _only(data, COURSE_FIELDS)
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    course = Course(alliance=alliance, **data)
    errors = _course_errors(course)
    if errors:
        raise ValidationError(errors)
    course.save()
    log_action(
        actor=acting_user,
        action="training.course.created",
        target=course,
        alliance=alliance,
        summary=course.title,
    )
    return course


@transaction.atomic
def update_course(*, acting_user: User, course: Course, **data: Any) -> Course:
    _only(data, COURSE_FIELDS)
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    original = {name: getattr(course, name) for name in data}
    diff = changes(course, data)
    errors = _course_errors(course)
    if errors:
        for name, value in original.items():
            setattr(course, name, value)
        raise ValidationError(errors)
    if diff:
        course.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="training.course.updated",
            target=course,
            alliance=course.alliance,
            summary=course.title,
            data=diff,
        )
    return course


# --- sessions -----------------------------------------------------------------------------


def _session_errors(session: Session) -> dict[str, list[str]]:
    errors = _full_clean(session, exclude=["alliance", "course", "trainer"])
    if session.course_id and session.course.alliance_id != session.alliance_id:
        errors["course"] = [_("Choose one of this alliance's courses.")]
    starts, ends = session.starts_at, session.ends_at
    if isinstance(starts, datetime) and isinstance(ends, datetime) and ends <= starts:
        errors.setdefault("ends_at", [_("The session must end after it starts.")])
    if not session.location.strip() and not session.online_url:
        errors.setdefault("location", [_("Give a place, an online link, or both.")])
    return errors


@transaction.atomic
def schedule_session(*, acting_user: User, alliance: Alliance, **data: Any) -> Session:
    """Add a session. Hours default to the course's hours."""
    _only(data, SESSION_FIELDS)
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    course = data.get("course")
    if data.get("hours") is None and course is not None:
        data["hours"] = course.hours
    session = Session(alliance=alliance, **data)
    errors = _session_errors(session)
    if course is None:
        errors["course"] = [_("Choose a course.")]
    if errors:
        raise ValidationError(errors)
    session.save()
    log_action(
        actor=acting_user,
        action="training.session.scheduled",
        target=session,
        alliance=alliance,
        summary=str(session),
    )
    return session


@transaction.atomic
def update_session(*, acting_user: User, session: Session, **data: Any) -> Session:
    """Change a session. More seats promote people from the waitlist; fewer seats than are
    already confirmed is refused (cancel registrations first)."""
    _only(data, SESSION_FIELDS)
    session = _locked(session)
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    original = {name: getattr(session, name) for name in data}
    diff = changes(session, data)
    errors = _session_errors(session)
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if isinstance(session.seats, int) and session.seats < confirmed:
        errors.setdefault(
            "seats",
            [
                _("%(n)s people already have a seat; cancel registrations before reducing seats.")
                % {"n": confirmed}
            ],
        )
    if errors:
        for name, value in original.items():
            setattr(session, name, value)
        raise ValidationError(errors)
    if diff:
        session.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="training.session.updated",
            target=session,
            alliance=session.alliance,
            summary=str(session),
            data=diff,
        )
        _promote_waitlisted(acting_user=acting_user, session=session)
    return session


@transaction.atomic
def cancel_session(*, acting_user: User, session: Session) -> Session:
    """Cancel a session and tell everyone registered or waiting."""
    session = _locked(session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"status": _("This session is already cancelled.")})
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    log_action(
        actor=acting_user,
        action="training.session.cancelled",
        target=session,
        alliance=session.alliance,
        summary=str(session),
    )
    link = _link("training:catalog", session.alliance.slug)
    for registration in session.registrations.exclude(
        status=RegistrationStatus.CANCELLED
    ).select_related("person"):
        tell(person=registration.person, kind="training_cancelled", session=session, link=link)
    return session


def _locked(session: Session) -> Session:
    """Re-read the session under a row lock (serializes seat counting)."""
    locked = (
        Session.objects.select_for_update()
        .select_related("course", "alliance")
        .get(pk=session.pk, alliance_id=session.alliance_id)
    )
    return locked


# --- registrations -------------------------------------------------------------------------


def program_of(person: User, alliance_id: int) -> Program | None:
    """The program where ``person`` works in this alliance (first by name), if any."""
    programs = sorted(
        (
            r.program
            for r in roles_of(person)
            if r.kind in PROGRAM_ROLES and r.alliance_id == alliance_id and r.program_id
        ),
        key=lambda p: p.name,
    )
    return programs[0] if programs else None


@transaction.atomic
def register(*, acting_user: User, session: Session, person: User) -> Registration:
    """Give ``person`` a seat at ``session``, or a place on its waitlist when it is full.

    Guarantees: a person holds at most one registration per session (registering again after
    cancelling reuses it); confirmed registrations never exceed the seats; sessions that are
    cancelled or already started are refused; only the alliance's workforce (hub, directors,
    staff, substitutes) takes a seat, and only the person, a hub admin or the director of
    the person's program may register them.
    """
    from alliance.training.access import may_register_for, may_take_training

    if not may_take_training(person, session.alliance):
        raise ValidationError(
            {
                "person": _(
                    "Training is for staff of member programs, directors and substitutes; "
                    "this person cannot be registered."
                )
            }
        )
    if not may_register_for(acting_user, person, session.alliance):
        raise ValidationError(
            {"person": _("You can register only yourself or the staff of your own program.")}
        )
    session = _locked(session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"session": _("This session has been cancelled.")})
    if session.starts_at <= timezone.now():
        raise ValidationError({"session": _("This session has already started.")})
    registration = Registration.objects.filter(session=session, person=person).first()
    if registration is not None and registration.is_active:
        if acting_user.pk != person.pk:
            raise ValidationError(
                {"person": _("%(name)s is already registered for this session.") % {"name": person}}
            )
        raise ValidationError({"session": _("You are already registered for this session.")})
    taken = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    now = timezone.now()
    status = (
        RegistrationStatus.CONFIRMED if taken < session.seats else RegistrationStatus.WAITLISTED
    )
    if registration is None:
        registration = Registration(alliance_id=session.alliance_id, session=session, person=person)
    registration.status = status
    registration.program = program_of(person, session.alliance_id)
    registration.waitlisted_at = now if status == RegistrationStatus.WAITLISTED else None
    registration.cancelled_at = None
    registration.save()
    registration.session = session
    log_action(
        actor=acting_user,
        action=f"training.registration.{status}",
        target=registration,
        alliance=session.alliance,
        program=registration.program,
        summary=f"{person} — {session}",
        data={"by_other": acting_user.pk != person.pk},
    )
    kind = (
        "training_registered" if status == RegistrationStatus.CONFIRMED else "training_waitlisted"
    )
    tell(person=person, kind=kind, session=session, link=_my_link(session))
    return registration


def _my_link(session: Session) -> str:
    return _link("training:session", session.alliance.slug, session.pk)


@transaction.atomic
def cancel_registration(*, acting_user: User, registration: Registration) -> Registration:
    """Cancel a registration; a freed seat goes to the first person on the waitlist."""
    session = _locked(registration.session)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"registration": _("This registration is already cancelled.")})
    if registration.attendance == Attendance.PRESENT:
        raise ValidationError(
            {"registration": _("Attendance has been taken; this registration cannot be cancelled.")}
        )
    was = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    registration.session = session
    log_action(
        actor=acting_user,
        action="training.registration.cancelled",
        target=registration,
        alliance=session.alliance,
        program=registration.program,
        summary=f"{registration.person_id} — {session} (was {was})",
    )
    if was == RegistrationStatus.CONFIRMED:
        _promote_waitlisted(acting_user=acting_user, session=session)
    return registration


def _promote_waitlisted(*, acting_user: User, session: Session) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served (caller holds the lock)."""
    if session.status == SessionStatus.CANCELLED or session.starts_at <= timezone.now():
        return []
    taken = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = session.seats - taken
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .select_related("person")
        .order_by("waitlisted_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        log_action(
            actor=acting_user,
            action="training.registration.promoted",
            target=registration,
            alliance=session.alliance,
            program=registration.program,
            summary=f"{registration.person} — {session}",
        )
        tell(
            person=registration.person,
            kind="training_promoted",
            session=session,
            link=_my_link(session),
        )
    return promoted


# --- reminders ------------------------------------------------------------


REMINDER_AHEAD = timedelta(hours=48)


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind confirmed participants of sessions starting in the next 48 hours, once per
    session. Each session is claimed with a conditional UPDATE, so two workers running at
    once never send the same reminder twice. Runs across alliances (a periodic job)."""
    from django_scopes import scopes_disabled

    now = now or timezone.now()
    sent = 0
    with scopes_disabled():
        due = Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_AHEAD,
        ).select_related("course", "alliance")
        for session in due:
            with transaction.atomic():
                claimed = Session.objects.filter(pk=session.pk, reminder_sent_at__isnull=True)
                if not claimed.update(reminder_sent_at=now):
                    continue
                for registration in session.registrations.filter(
                    status=RegistrationStatus.CONFIRMED
                ).select_related("person"):
                    tell(
                        person=registration.person,
                        kind="training_reminder",
                        session=session,
                        link=_my_link(session),
                    )
                    sent += 1
    return sent
