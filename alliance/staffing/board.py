"""The live ratio board: each classroom now, and shortfalls the schedule shows ahead.

Children come from the enrollment module (check-ins now, the day's schedule ahead); staff
come from clock-ins, or — for a person who has not clocked in today — from their schedule.
A fixed number of queries whatever the number of rooms, staff or children.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from alliance.members.models import Classroom, Program, ProgramKind
from alliance.rules.ratios import required_staff
from alliance.staffing.models import (
    ScheduleBlock,
    ShortfallRequest,
    StaffingSettings,
    StaffShift,
)
from alliance.staffing.models_staff import TEACHING_ROLES
from alliance.staffing.ratio import FAMILY_HOME, UNDER, RoomStatus, age_in_months, room_status

ChildrenFn = Callable[..., dict[int, list[date]]]


def _enrollment(name: str) -> ChildrenFn | None:
    try:
        from alliance.enrollment import queries as enrollment_queries
    except ImportError:
        return None
    return getattr(enrollment_queries, name, None)


@dataclass(frozen=True)
class Gap:
    """A classroom short of staff from ``starts_at`` to ``ends_at`` on ``day``."""

    classroom_id: int
    name: str
    day: date
    starts_at: time
    ends_at: time
    required: int
    present: int
    now: bool  # short right now (else: the schedule shows it coming)
    requested: bool = False


@dataclass
class Board:
    program: Program
    at: datetime  # local time of the program
    rooms: list[RoomStatus]
    gaps: list[Gap]
    resting: bool
    building_short: bool  # resting ratios need enough staff in the building for awake ones
    settings: StaffingSettings
    staff_present: int = 0
    children_present: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def under(self) -> list[RoomStatus]:
        return [r for r in self.rooms if r.status == UNDER]


def settings_for(program: Program) -> StaffingSettings:
    found = StaffingSettings.objects.filter(program=program).first()
    return found or StaffingSettings(program=program)


def _is_resting(settings: StaffingSettings, moment: time) -> bool:
    if settings.rest_starts_at is None or settings.rest_ends_at is None:
        return False
    return settings.rest_starts_at <= moment < settings.rest_ends_at


def _ages(births: list[date], on: date) -> list[int]:
    return [age_in_months(b, on) for b in births]


def ratio_board(
    program: Program,
    at: datetime,
    *,
    children_present: ChildrenFn | None = None,
    children_scheduled: ChildrenFn | None = None,
) -> Board:
    """The board at ``at`` (aware). Call inside the program's scope.

    ``children_present(program, at)`` and ``children_scheduled(program, on)`` return
    ``{classroom_id: [birth dates]}``; by default they are the enrollment module's.
    """
    local = at.astimezone(ZoneInfo(program.alliance.timezone))
    day, moment = local.date(), local.time().replace(microsecond=0)
    present_fn = children_present or _enrollment("children_present")
    scheduled_fn = children_scheduled or _enrollment("children_scheduled")
    settings = settings_for(program)
    state = program.alliance.state
    kind = FAMILY_HOME if program.kind == ProgramKind.FAMILY_HOME else "center"

    rooms = list(
        Classroom.objects.filter(program=program, is_active=True).order_by("age_min_months", "name")
    )
    day_start = datetime.combine(day, time.min, tzinfo=local.tzinfo)
    shifts = list(
        StaffShift.objects.filter(program=program, started_at__gte=day_start, started_at__lte=at)
        .filter(staff__role__in=TEACHING_ROLES)
        .select_related("staff")
    )
    blocks = list(
        ScheduleBlock.objects.filter(
            program=program,
            weekday=day.weekday(),
            staff__hire_date__lte=day,
            staff__role__in=TEACHING_ROLES,
        )
        .filter(Q(staff__separated_on__isnull=True) | Q(staff__separated_on__gte=day))
        .select_related("staff")
    )
    clocked = {s.staff_id for s in shifts}
    here: dict[int, list[str]] = defaultdict(list)
    for shift in shifts:
        if shift.classroom_id and (shift.ended_at is None or shift.ended_at > at):
            here[shift.classroom_id].append(shift.staff.full_name)
    for block in blocks:
        if block.staff_id not in clocked and block.starts_at <= moment < block.ends_at:
            here[block.classroom_id].append(block.staff.full_name)

    births_now = present_fn(program, at) if present_fn else {}
    resting = _is_resting(settings, moment)
    statuses = []
    for room in rooms:
        statuses.append(
            room_status(
                state=state,
                program_kind=kind,
                classroom_id=room.pk,
                name=room.name,
                ages_in_months=_ages(births_now.get(room.pk, []), day),
                staff=here.get(room.pk, []),
                resting=resting,
                on=day,
            )
        )
    building_short = False
    if resting and kind != FAMILY_HOME:
        awake_needed = sum(
            required_staff(state, _ages(births_now.get(r.pk, []), day), False, on=day)
            for r in rooms
        )
        building_short = sum(s.present for s in statuses) < awake_needed

    births_day = dict(scheduled_fn(program, day) if scheduled_fn else {})
    # Children already here count for the hours ahead when more of them came than were
    # scheduled (drop-ins, make-up days).
    for room_id, births in births_now.items():
        if len(births) > len(births_day.get(room_id, [])):
            births_day[room_id] = births
    gaps = _gaps(
        program=program,
        state=state,
        kind=kind,
        rooms=rooms,
        statuses=statuses,
        blocks=blocks,
        births=births_day,
        settings=settings,
        day=day,
        moment=moment,
    )
    requested = list(
        ShortfallRequest.objects.filter(program=program, day=day).values_list(
            "classroom_id", "starts_at", "ends_at"
        )
    )
    gaps = [Gap(**{**g.__dict__, "requested": _covered(g, requested)}) for g in gaps]
    return Board(
        program=program,
        at=local,
        rooms=statuses,
        gaps=gaps,
        resting=resting,
        building_short=building_short,
        settings=settings,
        staff_present=sum(s.present for s in statuses),
        children_present=sum(s.children for s in statuses),
    )


def _checkpoints(moment: time, hours: int, blocks: list[ScheduleBlock]) -> list[time]:
    """Times to check ahead: each hour on the hour and every scheduled end, within
    ``hours`` of now and within the day's scheduled opening hours."""
    if not blocks or hours == 0:
        return []
    opens = min(b.starts_at for b in blocks)
    closes = max(b.ends_at for b in blocks)
    now = datetime.combine(date.min, moment)
    horizon = now + timedelta(hours=hours)
    points: set[time] = set()
    mark = now.replace(minute=0, second=0) + timedelta(hours=1)
    while mark <= horizon and mark.date() == date.min:
        points.add(mark.time())
        mark += timedelta(hours=1)
    for block in blocks:
        end = datetime.combine(date.min, block.ends_at)
        if now < end <= horizon:
            points.add(block.ends_at)
    return sorted(p for p in points if opens <= p < closes)


def _gaps(
    *,
    program: Program,
    state: str,
    kind: str,
    rooms: list[Classroom],
    statuses: list[RoomStatus],
    blocks: list[ScheduleBlock],
    births: dict[int, list[date]],
    settings: StaffingSettings,
    day: date,
    moment: time,
) -> list[Gap]:
    closes = max((b.ends_at for b in blocks), default=time(18, 0))
    points = _checkpoints(moment, settings.forecast_hours, blocks)
    gaps: list[Gap] = []
    for room, now in zip(rooms, statuses, strict=True):
        ages = _ages(births.get(room.pk, []), day)
        short_at: list[tuple[time, int, int]] = []
        ok_after: time | None = None
        for point in points:
            scheduled = [
                b for b in blocks if b.classroom_id == room.pk and b.starts_at <= point < b.ends_at
            ]
            ahead = room_status(
                state=state,
                program_kind=kind,
                classroom_id=room.pk,
                name=room.name,
                ages_in_months=ages,
                staff=[b.staff.full_name for b in scheduled],
                resting=_is_resting(settings, point),
                on=day,
            )
            if ahead.status == UNDER:
                if ok_after is None:
                    short_at.append((point, ahead.required, ahead.present))
            elif short_at or now.status == UNDER:
                ok_after = point
                break
        if now.status == UNDER:
            # A substitute can only be asked for a time still ahead: the next quarter hour.
            start = _next_quarter(moment)
            end = ok_after or (closes if closes > moment else _plus_hours(moment, 2))
            gaps.append(Gap(room.pk, room.name, day, start, end, now.required, now.present, True))
        elif short_at:
            start, required, present = short_at[0]
            end = ok_after or closes
            if end > start:
                gaps.append(Gap(room.pk, room.name, day, start, end, required, present, False))
    return gaps


def _plus_hours(moment: time, hours: int) -> time:
    later = datetime.combine(date.min, moment) + timedelta(hours=hours)
    return later.time() if later.date() == date.min else time(23, 59)


def _next_quarter(moment: time) -> time:
    now = datetime.combine(date.min, moment.replace(second=0, microsecond=0))
    later = now + timedelta(minutes=15 - now.minute % 15)
    return later.time() if later.date() == date.min else time(23, 59)


def _covered(gap: Gap, requested: list[tuple[int, time, time]]) -> bool:
    """A request already made for this room covers the gap's start."""
    return any(
        room == gap.classroom_id and start <= gap.starts_at < end for room, start, end in requested
    )
