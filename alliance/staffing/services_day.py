"""The director's changes to a day on the ratio board: field trips, a room resting now or
awake again, and a family home's own children present. Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.members.models import Classroom, Program, ProgramKind
from alliance.staffing.models import FieldTrip, HomeDay, RestToggle

MAX_TRIP = timedelta(hours=14)


def _room_of(program: Program, classroom: Classroom) -> None:
    if classroom.program_id != program.pk:
        raise ValidationError({"classroom": _("Choose one of this program's classrooms.")})


@transaction.atomic
def plan_field_trip(
    *,
    acting_user: User,
    program: Program,
    classroom: Classroom,
    starts_at: datetime,
    ends_at: datetime,
    destination: str,
) -> FieldTrip:
    """Mark a classroom away on a field trip. While it is away the room needs at least the
    state's field-trip minimum of staff (NJ: 2), and the board shows the trip."""
    _room_of(program, classroom)
    destination = (destination or "").strip()
    errors: dict[str, list[str]] = {}
    if not destination:
        errors["destination"] = [_("Say where the class is going.")]
    elif len(destination) > 150:
        errors["destination"] = [_("Keep the destination under 150 characters.")]
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        errors["starts_at"] = [_("Enter when the class leaves.")]
    if not isinstance(ends_at, datetime) or timezone.is_naive(ends_at):
        errors["ends_at"] = [_("Enter when the class returns.")]
    elif "starts_at" not in errors:
        if ends_at <= starts_at:
            errors["ends_at"] = [_("The class must return after it leaves.")]
        elif ends_at - starts_at > MAX_TRIP:
            errors["ends_at"] = [_("A field trip lasts one day at most; check the times.")]
        elif ends_at <= timezone.now():
            errors["ends_at"] = [_("This trip is already over; enter a trip still ahead.")]
    if not errors:
        overlap = FieldTrip.objects.filter(
            classroom=classroom,
            cancelled_at__isnull=True,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        ).exists()
        if overlap:
            errors["starts_at"] = [_("This room already has a field trip at that time.")]
    if errors:
        raise ValidationError(errors)
    trip = FieldTrip.objects.create(
        program=program,
        classroom=classroom,
        starts_at=starts_at,
        ends_at=ends_at,
        destination=destination,
        created_by=acting_user,
    )
    log_action(
        actor=acting_user,
        action="staffing.field_trip_planned",
        target=trip,
        alliance=program.alliance,
        program=program,
        summary=f"{classroom.name} field trip to {destination}",
        data={"classroom": classroom.pk, "starts_at": starts_at, "ends_at": ends_at},
    )
    return trip


@transaction.atomic
def cancel_field_trip(*, acting_user: User, trip: FieldTrip) -> FieldTrip:
    """Call a trip off (or end it early): from now on the room's usual ratio applies."""
    if trip.cancelled_at is not None:
        raise ValidationError({"trip": _("This field trip was already called off.")})
    trip.cancelled_at = timezone.now()
    trip.save(update_fields=["cancelled_at"])
    log_action(
        actor=acting_user,
        action="staffing.field_trip_cancelled",
        target=trip,
        alliance=trip.program.alliance,
        program=trip.program,
        summary=f"Field trip to {trip.destination} called off",
        data={"classroom": trip.classroom_id},
    )
    return trip


@transaction.atomic
def set_resting(
    *,
    acting_user: User,
    program: Program,
    classroom: Classroom,
    resting: bool,
    at: datetime | None = None,
) -> RestToggle:
    """Switch a room to resting (or back to awake) from now. Resting ratios then apply to
    it only with a staff member in the room and enough staff in the building for awake
    ratios; the board says which ratio applies."""
    _room_of(program, classroom)
    if program.kind == ProgramKind.FAMILY_HOME:
        raise ValidationError(
            {"classroom": _("Resting ratios are for centers; a family home keeps its limits.")}
        )
    toggle = RestToggle.objects.create(
        program=program,
        classroom=classroom,
        at=at or timezone.now(),
        resting=bool(resting),
        created_by=acting_user,
    )
    log_action(
        actor=acting_user,
        action="staffing.room_resting" if resting else "staffing.room_awake",
        target=toggle,
        alliance=program.alliance,
        program=program,
        summary=f"{classroom.name} {'resting' if resting else 'awake'}",
        data={"classroom": classroom.pk, "resting": bool(resting)},
    )
    return toggle


@transaction.atomic
def record_home_day(
    *,
    acting_user: User,
    program: Program,
    day: date,
    own_children: int,
    own_infants: int = 0,
) -> HomeDay:
    """A family child care provider's own children at home on ``day`` (they count towards
    the home's total of 8 and its infant limit, not towards the 5 in care)."""
    errors: dict[str, list[str]] = {}
    if program.kind != ProgramKind.FAMILY_HOME:
        errors["own_children"] = [_("Only a family child care home records its own children.")]
    if not isinstance(own_children, int) or not 0 <= own_children <= 20:
        errors["own_children"] = [_("Enter how many of your own children are home (0–20).")]
    if not isinstance(own_infants, int) or own_infants < 0:
        errors["own_infants"] = [_("Enter how many of them are under 2 (0 or more).")]
    elif isinstance(own_children, int) and own_infants > own_children:
        errors["own_infants"] = [_("The children under 2 are among your own children.")]
    if not isinstance(day, date):
        errors["day"] = [_("Enter the day.")]
    if errors:
        raise ValidationError(errors)
    row, _created = HomeDay.objects.update_or_create(
        program=program,
        day=day,
        defaults={
            "own_children": own_children,
            "own_infants": own_infants,
            "updated_by": acting_user,
        },
    )
    log_action(
        actor=acting_user,
        action="staffing.home_day_recorded",
        target=row,
        alliance=program.alliance,
        program=program,
        summary=f"Own children at home {day}: {own_children}",
        data={"day": day, "own_children": own_children, "own_infants": own_infants},
    )
    return row
