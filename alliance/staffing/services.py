"""Every change to staff records, schedules, clock-ins and staffing settings.

Keyword-only, atomic, audited; bad input raises ``ValidationError`` per field before any
write. Credentials: :mod:`alliance.staffing.services_credentials`; jobs:
:mod:`alliance.staffing.services_jobs`; ratio shortfalls: :mod:`alliance.staffing.services_ratio`.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from alliance.accounts.models import Role, User
from alliance.core.audit import changes, log_action
from alliance.core.tasks import enqueue_on_commit
from alliance.members.models import Classroom, Program
from alliance.staffing.models import (
    ScheduleBlock,
    SeparationReason,
    StaffingSettings,
    StaffMember,
    StaffRole,
    StaffShift,
)

STAFF_FIELDS = ("full_name", "email", "phone", "role", "hire_date", "hours_per_week", "wage")
SETTINGS_FIELDS = ("auto_request_substitutes", "forecast_hours", "rest_starts_at", "rest_ends_at")


def _check_staff(candidate: StaffMember) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        candidate.full_clean(exclude=["program", "user"], validate_constraints=False)
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    if not (candidate.full_name or "").strip():
        errors["full_name"] = [_("Enter the person's name.")]
    if candidate.role not in StaffRole.values:
        errors["role"] = [_("Choose a role from the list.")]
    # A future start is fine (a hire who starts next month) but not years ahead.
    if (
        isinstance(candidate.hire_date, date)
        and (candidate.hire_date - timezone.localdate()).days > 366
    ):
        errors["hire_date"] = [_("The hire date is more than a year away.")]
    return errors


def _account_for(program: Program, email: str) -> User | None:
    """The account with this email that already holds a role at the program, if any."""
    if not email:
        return None
    with scopes_disabled():
        role = (
            Role.objects.filter(program=program, user__email__iexact=email)
            .select_related("user")
            .first()
        )
    return role.user if role else None


@transaction.atomic
def create_staff(
    *,
    acting_user: User | None,
    program: Program,
    full_name: str,
    role: str,
    hire_date: date,
    hours_per_week: Decimal,
    wage: Decimal,
    email: str = "",
    phone: str = "",
    user: User | None = None,
) -> StaffMember:
    """Add a staff record. Linked to ``user`` (or to the account with this email that
    already holds a role at the program) so they see their own record and credentials."""
    email = (email or "").strip().lower()
    staff = StaffMember(
        program=program,
        user=user or _account_for(program, email),
        full_name=(full_name or "").strip(),
        email=email,
        phone=(phone or "").strip(),
        role=role,
        hire_date=hire_date,
        hours_per_week=hours_per_week,
        wage=wage,
    )
    errors = _check_staff(staff)
    if (
        staff.user_id
        and StaffMember.objects.filter(
            program=program, user=staff.user, separated_on__isnull=True
        ).exists()
    ):
        errors["email"] = [_("This person already has a current staff record here.")]
    if errors:
        raise ValidationError(errors)
    staff.save()
    log_action(
        actor=acting_user,
        action="staff.created",
        target=staff,
        alliance=program.alliance,
        program=program,
        summary=f"Added staff {staff.full_name}",
        data={name: getattr(staff, name) for name in STAFF_FIELDS},
    )
    return staff


@transaction.atomic
def update_staff(*, acting_user: User, staff: StaffMember, **fields: Any) -> StaffMember:
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise ValidationError({n: _("This field cannot be changed here.") for n in unknown})
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    candidate = copy.copy(staff)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors = _check_staff(candidate)
    if staff.separated_on and "hire_date" in fields and fields["hire_date"] > staff.separated_on:
        errors["hire_date"] = [_("The hire date must be before the last day.")]
    if errors:
        raise ValidationError(errors)
    diff = changes(staff, fields)
    if diff:
        staff.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="staff.updated",
            target=staff,
            alliance=staff.program.alliance,
            program=staff.program,
            summary=f"Updated {staff.full_name}",
            data=diff,
        )
        if {"hours_per_week", "role"} & set(diff):
            _recheck_benefits(staff)
    return staff


def _recheck_benefits(staff: StaffMember) -> None:
    """Hours, role or a last day decide benefits eligibility: let the benefits module review
    this program at once rather than at its daily run (after the commit, in the worker)."""
    if not apps.is_installed("alliance.benefits"):
        return
    from alliance.benefits.tasks import review_eligibility_task

    enqueue_on_commit(review_eligibility_task, staff.program_id)


@transaction.atomic
def separate_staff(
    *, acting_user: User, staff: StaffMember, separated_on: date, reason: str, note: str = ""
) -> StaffMember:
    """Record the last day and the reason; the record stays for turnover and tenure."""
    errors: dict[str, list[str]] = {}
    if staff.separated_on is not None:
        errors["separated_on"] = [_("This person has already left.")]
    elif not isinstance(separated_on, date):
        errors["separated_on"] = [_("Enter the last day.")]
    elif separated_on < staff.hire_date:
        errors["separated_on"] = [_("The last day cannot be before the hire date.")]
    if reason not in SeparationReason.values:
        errors["separation_reason"] = [_("Choose why the person left.")]
    if errors:
        raise ValidationError(errors)
    staff.separated_on = separated_on
    staff.separation_reason = reason
    staff.separation_note = (note or "").strip()[:300]
    staff.save(update_fields=["separated_on", "separation_reason", "separation_note"])
    StaffShift.objects.filter(staff=staff, ended_at__isnull=True).update(ended_at=timezone.now())
    log_action(
        actor=acting_user,
        action="staff.separated",
        target=staff,
        alliance=staff.program.alliance,
        program=staff.program,
        summary=f"{staff.full_name} left ({reason})",
        data={"separated_on": separated_on, "reason": reason},
    )
    _recheck_benefits(staff)
    return staff


@transaction.atomic
def add_schedule_block(
    *,
    acting_user: User,
    staff: StaffMember,
    classroom: Classroom,
    weekday: int,
    starts_at: time,
    ends_at: time,
) -> ScheduleBlock:
    errors: dict[str, list[str]] = {}
    if classroom.program_id != staff.program_id:
        errors["classroom"] = [_("Choose one of this program's classrooms.")]
    if weekday not in range(7):
        errors["weekday"] = [_("Choose a day of the week.")]
    if not isinstance(starts_at, time):
        errors["starts_at"] = [_("Enter a start time.")]
    if not isinstance(ends_at, time):
        errors["ends_at"] = [_("Enter an end time.")]
    elif isinstance(starts_at, time) and ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    if not errors:
        overlap = ScheduleBlock.objects.filter(
            staff=staff, weekday=weekday, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists()
        if overlap:
            errors["starts_at"] = [_("This overlaps another block of the same day.")]
    if errors:
        raise ValidationError(errors)
    block = ScheduleBlock.objects.create(
        program_id=staff.program_id,
        staff=staff,
        classroom=classroom,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    log_action(
        actor=acting_user,
        action="staff.schedule_added",
        target=staff,
        alliance=staff.program.alliance,
        program=staff.program,
        summary=f"Scheduled {staff.full_name} in {classroom.name}",
        data={"weekday": weekday, "start": starts_at, "end": ends_at, "classroom": classroom.pk},
    )
    return block


@transaction.atomic
def remove_schedule_block(*, acting_user: User, block: ScheduleBlock) -> None:
    staff = block.staff
    data = {"weekday": block.weekday, "start": block.starts_at, "end": block.ends_at}
    block.delete()
    log_action(
        actor=acting_user,
        action="staff.schedule_removed",
        target=staff,
        alliance=staff.program.alliance,
        program=staff.program,
        summary=f"Removed a schedule block of {staff.full_name}",
        data=data,
    )


@transaction.atomic
def clock_in(
    *,
    acting_user: User,
    staff: StaffMember,
    classroom: Classroom | None,
    at: datetime | None = None,
) -> StaffShift:
    """Open a shift. A person already clocked in is moved to the new room instead (their
    open shift ends now and a new one starts), so nobody is counted twice."""
    at = at or timezone.now()
    if not staff.is_current:
        raise ValidationError({"staff": _("This person no longer works here.")})
    if classroom is not None and classroom.program_id != staff.program_id:
        raise ValidationError({"classroom": _("Choose one of this program's classrooms.")})
    StaffShift.objects.filter(staff=staff, ended_at__isnull=True).update(ended_at=at)
    try:
        with transaction.atomic():
            shift = StaffShift.objects.create(
                program_id=staff.program_id, staff=staff, classroom=classroom, started_at=at
            )
    except IntegrityError as exc:  # a simultaneous clock-in won the race
        raise ValidationError({"staff": _("This person was just clocked in.")}) from exc
    log_action(
        actor=acting_user,
        action="staff.clocked_in",
        target=staff,
        alliance=staff.program.alliance,
        program=staff.program,
        summary=f"{staff.full_name} clocked in",
        data={"classroom": classroom.pk if classroom else None, "at": at},
    )
    return shift


@transaction.atomic
def clock_out(*, acting_user: User, staff: StaffMember, at: datetime | None = None) -> int:
    """Close the open shift (if any). Returns how many shifts were closed (0 or 1)."""
    at = at or timezone.now()
    closed = StaffShift.objects.filter(staff=staff, ended_at__isnull=True).update(ended_at=at)
    if closed:
        log_action(
            actor=acting_user,
            action="staff.clocked_out",
            target=staff,
            alliance=staff.program.alliance,
            program=staff.program,
            summary=f"{staff.full_name} clocked out",
            data={"at": at},
        )
    return closed


@transaction.atomic
def update_settings(*, acting_user: User, program: Program, **fields: Any) -> StaffingSettings:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({n: _("This field cannot be changed here.") for n in unknown})
    settings, _created = StaffingSettings.objects.get_or_create(program=program)
    candidate = copy.copy(settings)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors: dict[str, list[str]] = {}
    try:
        candidate.full_clean(exclude=["program"], validate_unique=False)
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    starts, ends = candidate.rest_starts_at, candidate.rest_ends_at
    if (starts is None) != (ends is None):
        errors["rest_ends_at"] = [_("Give both the start and the end of rest time, or neither.")]
    elif starts is not None and ends <= starts:
        errors["rest_ends_at"] = [_("Rest time must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    diff = changes(settings, fields)
    if diff:
        settings.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="staffing.settings_updated",
            target=settings,
            alliance=program.alliance,
            program=program,
            summary="Staffing settings changed",
            data=diff,
        )
    return settings


@transaction.atomic
def link_account(*, acting_user: User, staff: StaffMember, user: User) -> StaffMember:
    """Attach ``user``'s account to a record made without one (e.g. a hire who accepted the
    invitation), so they see their own record; credentials held on the record move to the
    account, where the substitute pool reads them too."""
    from alliance.staffing.models import Credential

    if staff.user_id is not None and staff.user_id != user.pk:
        raise ValidationError({"email": _("This record belongs to another account.")})
    if staff.user_id == user.pk:
        return staff
    staff.user = user
    staff.save(update_fields=["user"])
    Credential.objects.filter(staff=staff).update(person=user, staff=None)
    log_action(
        actor=acting_user,
        action="staff.account_linked",
        target=staff,
        alliance=staff.program.alliance,
        program=staff.program,
        summary=f"Linked {staff.full_name} to their account",
        data={"user": user.pk},
    )
    return staff
