"""Attendance (taken by the trainer, safe against two trainers at once) and personal
calendar feed tokens. Re-exported by :mod:`alliance.training.services`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.members.models import Alliance
from alliance.training.models import (
    Attendance,
    FeedToken,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)

# --- attendance -----------------------------------------------------------------------------


@dataclass
class AttendanceResult:
    changed: list[Registration] = field(default_factory=list)
    # Rows someone else marked since this form was loaded: left as they are, shown again.
    conflicts: list[Registration] = field(default_factory=list)


@transaction.atomic
def mark_attendance(
    *, acting_user: User, session: Session, marks: dict[int, tuple[int, str]]
) -> AttendanceResult:
    """Record attendance: ``marks`` maps registration id → (version seen, new attendance).

    Each row is written with a conditional UPDATE on the version its form saw, so when two
    trainers mark the same session at once neither overwrites the other: a row someone else
    changed in the meantime is reported as a conflict (unless both chose the same answer)
    and left as it is. Only confirmed registrations can be marked; a session that has not
    started yet cannot.
    """
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"session": _("This session has been cancelled.")})
    if session.starts_at > timezone.now():
        raise ValidationError({"session": _("Attendance can be taken once the session starts.")})
    valid = {Attendance.PRESENT, Attendance.ABSENT, Attendance.UNMARKED}
    errors = {
        str(rid): [_("Choose present, absent or not marked.")]
        for rid, (_v, value) in marks.items()
        if value not in valid
    }
    if errors:
        raise ValidationError(errors)
    rows = {
        r.pk: r
        for r in session.registrations.filter(
            pk__in=list(marks), status=RegistrationStatus.CONFIRMED
        ).select_related("person")
    }
    if set(marks) - set(rows):
        raise ValidationError(
            {"registration": _("Attendance can only be taken for confirmed participants.")}
        )
    result = AttendanceResult()
    now = timezone.now()
    for rid, (seen, value) in marks.items():
        row = rows[rid]
        if row.attendance_version == seen and row.attendance == value:
            continue  # unchanged on this form
        updated = Registration.objects.filter(pk=rid, attendance_version=seen).update(
            attendance=value,
            attendance_version=F("attendance_version") + 1,
            marked_by=acting_user,
            marked_at=now,
        )
        if not updated:
            row.refresh_from_db(fields=["attendance", "attendance_version", "marked_by"])
            if row.attendance != value:
                result.conflicts.append(row)
            continue
        row.refresh_from_db(fields=["attendance", "attendance_version", "marked_by", "marked_at"])
        result.changed.append(row)
        log_action(
            actor=acting_user,
            action="training.attendance.marked",
            target=row,
            alliance=session.alliance,
            program=row.program,
            summary=f"{row.person} — {session}: {value}",
            data={"attendance": value},
        )
    return result


@transaction.atomic
def feed_token_for(*, person: User, alliance: Alliance, reset: bool = False) -> FeedToken:
    """The person's calendar feed token here, created on first use; ``reset`` replaces it."""
    token = FeedToken.objects.filter(alliance=alliance, person=person).first()
    if token is None:
        token = FeedToken.objects.create(
            alliance=alliance, person=person, token=secrets.token_urlsafe(24)
        )
    elif reset:
        token.token = secrets.token_urlsafe(24)
        token.save(update_fields=["token"])
        log_action(
            actor=person,
            action="training.feed.reset",
            target=token,
            alliance=alliance,
            summary=_("Calendar feed link replaced"),
        )
    return token
