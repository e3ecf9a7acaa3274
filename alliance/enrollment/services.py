"""Every change to enrollments and attendance.

Keyword-only, atomic, audited; bad input raises ``ValidationError`` per field before any
write. Applications live in :mod:`alliance.enrollment.services_applications`, matching and
offers in :mod:`alliance.enrollment.services_offers`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.enrollment.models import (
    WEEKDAYS,
    Attendance,
    AttendanceCorrection,
    Enrollment,
    EnrollmentStatus,
    Schedule,
)
from alliance.enrollment.rules import age_fits, clean_days
from alliance.families.models import Child
from alliance.members.models import Classroom, Program


def _overlapping(child: Child, start: date, end: date | None, exclude_pk: int | None = None):
    from django.db.models import Q

    qs = Enrollment.objects.filter(child=child).exclude(
        status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True
    )
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


@transaction.atomic
def enroll_child(
    *,
    acting_user: User | None,
    program: Program,
    child: Child,
    classroom: Classroom,
    start_date: date,
    schedule: str = Schedule.FULL_TIME,
    days: str = WEEKDAYS,
    end_date: date | None = None,
    offer=None,
) -> Enrollment:
    """Enroll ``child`` in ``classroom`` from ``start_date``. Guarantees: the classroom is
    the program's and in use, the child's age fits the room on the start date, the child has
    no other enrollment over the same dates, and the audit row is written."""
    errors: dict[str, str] = {}
    if classroom.program_id != program.pk or not classroom.is_active:
        errors["classroom"] = _("Choose one of this program's classrooms.")
    elif not age_fits(child.birth_date, classroom, start_date):
        errors["classroom"] = _(
            "%(child)s is not in this room's age range (%(min)s–%(max)s months) on the start date."
        ) % {"child": child, "min": classroom.age_min_months, "max": classroom.age_max_months}
    if child.family.alliance_id != program.alliance_id:
        errors["child"] = _("This child's family is not part of this alliance.")
    if end_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date must be on or after the start date.")
    if schedule not in Schedule.values:
        errors["schedule"] = _("Choose full time or part time.")
    try:
        days = clean_days(days)
    except ValueError:
        errors["days"] = _("Choose at least one weekday.")
    if not errors and _overlapping(child, start_date, end_date).exists():
        errors["child"] = _("%(child)s is already enrolled on those dates.") % {"child": child}
    if errors:
        raise ValidationError(errors)
    enrollment = Enrollment.objects.create(
        program=program,
        child=child,
        classroom=classroom,
        start_date=start_date,
        end_date=end_date,
        schedule=schedule,
        days=days,
        offer=offer,
    )
    log_action(
        actor=acting_user,
        action="enrollment.created",
        target=enrollment,
        alliance=program.alliance,
        program=program,
        summary=f"{child} → {classroom.name} from {start_date:%Y-%m-%d}",
    )
    return enrollment


@transaction.atomic
def withdraw_child(
    *, acting_user: User, enrollment: Enrollment, last_day: date, reason: str
) -> Enrollment:
    """End an enrollment early with a reason; the seat opens the day after ``last_day``."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    errors: dict[str, str] = {}
    if enrollment.status != EnrollmentStatus.ACTIVE:
        errors["__all__"] = _("This enrollment has already ended.")
    if last_day < enrollment.start_date:
        errors["last_day"] = _("The last day cannot be before the start date.")
    if not reason.strip():
        errors["reason"] = _("Say why the child is leaving (it helps forecast openings).")
    if errors:
        raise ValidationError(errors)
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.end_date = last_day
    enrollment.withdrawal_reason = reason.strip()[:300]
    enrollment.save(update_fields=["status", "end_date", "withdrawal_reason"])
    log_action(
        actor=acting_user,
        action="enrollment.withdrawn",
        target=enrollment,
        alliance=enrollment.program.alliance,
        program=enrollment.program,
        summary=f"last day {last_day:%Y-%m-%d}: {enrollment.withdrawal_reason}",
    )
    return enrollment


@transaction.atomic
def move_child(
    *, acting_user: User, enrollment: Enrollment, classroom: Classroom, on: date
) -> Enrollment:
    """Move a child to another classroom of the same program from ``on`` (e.g. as they age):
    the old enrollment ends the day before and a new one starts, keeping the schedule."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError({"__all__": _("This enrollment has already ended.")})
    if on <= enrollment.start_date:
        raise ValidationError({"on": _("The move must be after the enrollment's start date.")})
    if classroom.pk == enrollment.classroom_id:
        raise ValidationError({"classroom": _("The child is already in this classroom.")})
    end = enrollment.end_date
    enrollment.status = EnrollmentStatus.MOVED
    enrollment.end_date = on - timedelta(days=1)
    enrollment.save(update_fields=["status", "end_date"])
    new = enroll_child(
        acting_user=acting_user,
        program=enrollment.program,
        child=enrollment.child,
        classroom=classroom,
        start_date=on,
        end_date=end,
        schedule=enrollment.schedule,
        days=enrollment.days,
    )
    log_action(
        actor=acting_user,
        action="enrollment.moved",
        target=enrollment,
        alliance=enrollment.program.alliance,
        program=enrollment.program,
        summary=f"→ {classroom.name} from {on:%Y-%m-%d}",
        data={"new_enrollment": new.pk},
    )
    return new


def _enrollment_on(program: Program, child_id: int, on: date) -> Enrollment | None:
    from alliance.enrollment.queries import enrolled_on

    return (
        enrolled_on(program, on)
        .filter(
            child_id=child_id,
            status__in=[
                EnrollmentStatus.ACTIVE,
                EnrollmentStatus.MOVED,
                EnrollmentStatus.WITHDRAWN,
            ],
        )
        .select_related("child", "classroom")
        .first()
    )


@transaction.atomic
def check_in(
    *, acting_user: User, program: Program, child_id: int, at: datetime | None = None
) -> Attendance:
    """Check a child in (one tap). Only a child enrolled in the program that day."""
    at = at or timezone.now()
    on = timezone.localdate(at)
    enrollment = _enrollment_on(program, child_id, on)
    if enrollment is None:
        raise ValidationError({"child": _("This child is not enrolled here on that day.")})
    if Attendance.objects.filter(child_id=child_id, date=on).exists():
        raise ValidationError({"child": _("This child is already checked in today.")})
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                program=program,
                child_id=child_id,
                classroom=enrollment.classroom,
                date=on,
                checked_in_at=at,
                checked_in_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError({"child": _("This child is already checked in today.")}) from None
    log_action(
        actor=acting_user,
        action="attendance.checked_in",
        target=attendance,
        alliance=program.alliance,
        program=program,
        summary=f"{enrollment.child} {at:%H:%M}",
    )
    return attendance


@transaction.atomic
def check_out(
    *, acting_user: User, attendance: Attendance, at: datetime | None = None
) -> Attendance:
    at = at or timezone.now()
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if attendance.checked_out_at is not None:
        raise ValidationError({"child": _("This child is already checked out.")})
    if at < attendance.checked_in_at:
        raise ValidationError({"checked_out_at": _("Check-out cannot be before check-in.")})
    attendance.checked_out_at = at
    attendance.checked_out_by = acting_user
    attendance.save(update_fields=["checked_out_at", "checked_out_by"])
    log_action(
        actor=acting_user,
        action="attendance.checked_out",
        target=attendance,
        alliance=attendance.program.alliance,
        program=attendance.program,
        summary=f"{at:%H:%M}",
    )
    return attendance


@transaction.atomic
def correct_attendance(
    *,
    acting_user: User,
    attendance: Attendance,
    checked_in_at: datetime,
    checked_out_at: datetime | None,
    reason: str,
) -> Attendance:
    """Change recorded times; each changed time gets a correction row (old, new, who, why)."""
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Say why the times are corrected.")
    if timezone.localdate(checked_in_at) != attendance.date:
        errors["checked_in_at"] = _("Check-in must be on the attendance day.")
    if checked_out_at is not None and checked_out_at < checked_in_at:
        errors["checked_out_at"] = _("Check-out cannot be before check-in.")
    if errors:
        raise ValidationError(errors)
    changed = []
    for field, new in (("checked_in_at", checked_in_at), ("checked_out_at", checked_out_at)):
        old = getattr(attendance, field)
        if old != new:
            AttendanceCorrection.objects.create(
                program=attendance.program,
                attendance=attendance,
                field=field,
                old_value=old,
                new_value=new,
                reason=reason.strip()[:300],
                corrected_by=acting_user,
            )
            setattr(attendance, field, new)
            changed.append(field)
    if changed:
        attendance.save(update_fields=changed)
        log_action(
            actor=acting_user,
            action="attendance.corrected",
            target=attendance,
            alliance=attendance.program.alliance,
            program=attendance.program,
            summary=reason.strip(),
            data={"fields": changed},
        )
    return attendance


@transaction.atomic
def enroll_new_child(
    *,
    acting_user: User,
    program: Program,
    first_name: str,
    last_name: str,
    birth_date: date,
    guardian_name: str,
    email: str,
    classroom: Classroom,
    start_date: date,
    schedule: str = Schedule.FULL_TIME,
    days: str = WEEKDAYS,
) -> Enrollment:
    """A child who came to the program directly: the family and child are created (or the
    family found by email) and the child enrolled, all or nothing."""
    from alliance.families.models import Family
    from alliance.families.services import family_account

    errors: dict[str, str] = {}
    if birth_date > timezone.localdate():
        errors["birth_date"] = _("A birth date cannot be in the future.")
    if not first_name.strip() or not last_name.strip():
        errors["first_name"] = _("Enter the child's first and last name.")
    if errors:
        raise ValidationError(errors)
    email = email.strip().lower()
    family = (
        Family.objects.filter(alliance=program.alliance, email__iexact=email).first()
        if email
        else None
    )
    if family is None:
        family = Family.objects.create(
            alliance=program.alliance,
            account=family_account(alliance=program.alliance, email=email),
            name=_("%(name)s family") % {"name": last_name.strip()},
            guardian_name=guardian_name.strip(),
            email=email,
            town=program.town,
            zip_code=program.zip_code,
        )
    child = Child.objects.filter(
        family=family, first_name__iexact=first_name.strip(), birth_date=birth_date
    ).first() or Child.objects.create(
        family=family,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
    )
    return enroll_child(
        acting_user=acting_user,
        program=program,
        child=child,
        classroom=classroom,
        start_date=start_date,
        schedule=schedule,
        days=days,
    )
