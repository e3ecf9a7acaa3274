"""API for the working day: schedules, clock-ins, separations, field trips, rooms resting
and a family home's own children. Every route needs ``program.manage`` (director, hub);
other programs are 404. Imported by :mod:`alliance.staffing.api`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core.policy import Perm
from alliance.members.access import access_classroom
from alliance.staffing import services, services_day
from alliance.staffing.access import access_block, access_field_trip, access_staff
from alliance.staffing.api_schemas import (
    BlockIn,
    BlockOut,
    ClockInIn,
    FieldTripIn,
    FieldTripOut,
    HomeDayIn,
    HomeDayOut,
    RestIn,
    SeparationIn,
    ShiftOut,
    ShiftPage,
    StaffOut,
)
from alliance.staffing.models import FieldTrip, ScheduleBlock, StaffShift

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
MANAGE = Perm.PROGRAM_MANAGE


def _block(b: ScheduleBlock) -> dict:
    return {
        "id": b.pk,
        "staff_id": b.staff_id,
        "classroom_id": b.classroom_id,
        "weekday": b.weekday,
        "starts_at": b.starts_at.strftime("%H:%M"),
        "ends_at": b.ends_at.strftime("%H:%M"),
    }


def _shift(s: StaffShift) -> dict:
    return {
        "id": s.pk,
        "staff_id": s.staff_id,
        "full_name": s.staff.full_name,
        "classroom_id": s.classroom_id,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
    }


def _trip(t: FieldTrip) -> dict:
    return {
        "id": t.pk,
        "classroom_id": t.classroom_id,
        "destination": t.destination,
        "starts_at": t.starts_at,
        "ends_at": t.ends_at,
        "cancelled": t.cancelled_at is not None,
    }


# --- schedules ---------------------------------------------------------------------------


@api.get(
    "/programs/{slug}/staff/{staff_id}/schedule",
    response={200: list[BlockOut], **ERRORS},
    tags=["staffing"],
)
def list_schedule(request: HttpRequest, slug: str, staff_id: int):
    """The person's weekly schedule: classroom, weekday (0 = Monday), start and end."""
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        return [_block(b) for b in staff.schedule.order_by("weekday", "starts_at", "pk")]


@api.post(
    "/programs/{slug}/staff/{staff_id}/schedule",
    response={201: BlockOut, **ERRORS},
    tags=["staffing"],
)
def add_schedule_block(request: HttpRequest, slug: str, staff_id: int, payload: BlockIn):
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        block = services.add_schedule_block(
            acting_user=request.user,
            staff=staff,
            classroom=access_classroom(program, payload.classroom_id),
            weekday=payload.weekday,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
        )
        return Status(201, _block(block))


@api.delete(
    "/programs/{slug}/staff/{staff_id}/schedule/{block_id}",
    response={204: None, **ERRORS},
    tags=["staffing"],
)
def remove_schedule_block(request: HttpRequest, slug: str, staff_id: int, block_id: int):
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        services.remove_schedule_block(
            acting_user=request.user, block=access_block(staff, block_id)
        )
        return Status(204, None)


# --- clock-ins ---------------------------------------------------------------------------


@api.post(
    "/programs/{slug}/staff/{staff_id}/clock-in",
    response={201: ShiftOut, **ERRORS},
    tags=["staffing"],
)
def clock_in(request: HttpRequest, slug: str, staff_id: int, payload: ClockInIn):
    """Clock in now (into a classroom, or none); a person already in moves rooms."""
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        room = (
            access_classroom(program, payload.classroom_id)
            if payload.classroom_id is not None
            else None
        )
        shift = services.clock_in(acting_user=request.user, staff=staff, classroom=room)
        shift.staff = staff
        return Status(201, _shift(shift))


@api.post(
    "/programs/{slug}/staff/{staff_id}/clock-out",
    response={200: Message, **ERRORS},
    tags=["staffing"],
)
def clock_out(request: HttpRequest, slug: str, staff_id: int):
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        closed = services.clock_out(acting_user=request.user, staff=staff)
        return {"message": "clocked out" if closed else "was not clocked in"}


@api.get("/programs/{slug}/clock-ins", response={200: ShiftPage, **ERRORS}, tags=["staffing"])
def list_clock_ins(request: HttpRequest, slug: str, page: Query[PageIn], day: date | None = None):
    """Clock-ins of one day (default today, the program's time zone), latest first."""
    with api_program(request, slug, MANAGE) as program:
        zone = ZoneInfo(program.alliance.timezone)
        day = day or timezone.localdate(timezone=zone)
        start = datetime.combine(day, time.min, tzinfo=zone)
        rows = (
            StaffShift.objects.filter(
                program=program, started_at__gte=start, started_at__lt=start + timedelta(days=1)
            )
            .select_related("staff")
            .order_by("-started_at", "-pk")
        )
        return page_of(rows, page, _shift)


# --- separations -------------------------------------------------------------------------


@api.post(
    "/programs/{slug}/staff/{staff_id}/separation",
    response={200: StaffOut, **ERRORS},
    tags=["staffing"],
)
def separate(request: HttpRequest, slug: str, staff_id: int, payload: SeparationIn):
    """Record the last day and why the person left (kept for turnover and tenure)."""
    from alliance.staffing.api import _staff

    with api_program(request, slug, MANAGE) as program:
        staff = services.separate_staff(
            acting_user=request.user,
            staff=access_staff(program, staff_id),
            separated_on=payload.separated_on,
            reason=payload.reason,
            note=payload.note,
        )
        return _staff(staff)


# --- field trips, resting rooms, a family home's own children ----------------------------


@api.get(
    "/programs/{slug}/field-trips", response={200: list[FieldTripOut], **ERRORS}, tags=["staffing"]
)
def list_field_trips(request: HttpRequest, slug: str):
    """Field trips not yet over (at most 200), soonest first."""
    with api_program(request, slug, MANAGE) as program:
        rows = FieldTrip.objects.filter(
            program=program, cancelled_at__isnull=True, ends_at__gt=timezone.now()
        ).order_by("starts_at", "pk")[:200]
        return [_trip(t) for t in rows]


@api.post("/programs/{slug}/field-trips", response={201: FieldTripOut, **ERRORS}, tags=["staffing"])
def plan_field_trip(request: HttpRequest, slug: str, payload: FieldTripIn):
    """Mark a room away on a field trip: it needs at least the state's minimum (NJ: 2)."""
    with api_program(request, slug, MANAGE) as program:
        trip = services_day.plan_field_trip(
            acting_user=request.user,
            program=program,
            classroom=access_classroom(program, payload.classroom_id),
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            destination=payload.destination,
        )
        return Status(201, _trip(trip))


@api.post(
    "/programs/{slug}/field-trips/{trip_id}/cancel",
    response={200: FieldTripOut, **ERRORS},
    tags=["staffing"],
)
def cancel_field_trip(request: HttpRequest, slug: str, trip_id: int):
    with api_program(request, slug, MANAGE) as program:
        trip = services_day.cancel_field_trip(
            acting_user=request.user, trip=access_field_trip(program, trip_id)
        )
        return _trip(trip)


@api.post("/programs/{slug}/ratio-rest", response={200: Message, **ERRORS}, tags=["staffing"])
def set_resting(request: HttpRequest, slug: str, payload: RestIn):
    """Switch a room to resting or awake from now; ratio-status shows which ratio applies."""
    with api_program(request, slug, MANAGE) as program:
        services_day.set_resting(
            acting_user=request.user,
            program=program,
            classroom=access_classroom(program, payload.classroom_id),
            resting=payload.resting,
        )
        return {"message": "resting" if payload.resting else "awake"}


@api.put("/programs/{slug}/home-day", response={200: HomeDayOut, **ERRORS}, tags=["staffing"])
def record_home_day(request: HttpRequest, slug: str, payload: HomeDayIn):
    """A family home's own children at home today (they count towards the total of 8)."""
    with api_program(request, slug, MANAGE) as program:
        row = services_day.record_home_day(
            acting_user=request.user,
            program=program,
            day=timezone.localdate(timezone=ZoneInfo(program.alliance.timezone)),
            own_children=payload.own_children,
            own_infants=payload.own_infants,
        )
        return {"day": row.day, "own_children": row.own_children, "own_infants": row.own_infants}
