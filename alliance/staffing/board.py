"""The live ratio board: each classroom now, and shortfalls the schedule shows ahead.

Children come from the enrollment module (check-ins now, the day's schedule ahead); staff
come from clock-ins, or — for a person who has not clocked in today — from their schedule.
A fixed number of queries whatever the number of rooms, staff or children: rooms, clock-ins,
schedule, settings, rest switches, field trips, the home's day (family homes only) and
substitute requests, plus the enrollment module's reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from alliance.members.models import Classroom, Program, ProgramKind
from alliance.rules.capacity import HomeCheck, check_home, family_home_limits
from alliance.rules.ratios import required_staff
from alliance.staffing.models import (
    FieldTrip,
    HomeDay,
    RestToggle,
    ScheduleBlock,
    ShortfallRequest,
    StaffingSettings,
    StaffShift,
)
from alliance.staffing.models_staff import TEACHING_ROLES
from alliance.staffing.ratio import (
    AWAKE,
    FAMILY_HOME,
    HOME,
    UNDER,
    RoomStatus,
    age_in_months,
    resting_at,
    room_status,
)

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
    home: HomeCheck | None = None  # a family home's children (own included) against its limits
    trips: list[FieldTrip] = field(default_factory=list)  # today's field trips not yet over

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


def _window(settings: StaffingSettings) -> tuple[time, time] | None:
    if settings.rest_starts_at is None or settings.rest_ends_at is None:
        return None
    return (settings.rest_starts_at, settings.rest_ends_at)


def _ages(births: list[date], on: date) -> list[int]:
    return [age_in_months(b, on) for b in births]


@dataclass
class _Day:
    """Everything read once for the day, so each checkpoint is computed without queries."""

    state: str
    kind: str
    day: date
    tz: ZoneInfo
    rooms: list[Classroom]
    settings: StaffingSettings
    toggles: dict[int, list[tuple[time, bool]]]
    trips: list[FieldTrip]
    home_day: HomeDay | None

    def trip_at(self, room_id: int, moment: time) -> str:
        at = datetime.combine(self.day, moment, tzinfo=self.tz)
        for trip in self.trips:
            if trip.classroom_id == room_id and trip.starts_at <= at < trip.ends_at:
                return trip.destination
        return ""

    def resting(self, room_id: int, moment: time) -> bool:
        return resting_at(moment, self.toggles.get(room_id, []), _window(self.settings))


def _statuses(
    d: _Day,
    moment: time,
    ages: dict[int, list[int]],
    staff: dict[int, list[str]],
    spare_staff: int = 0,
) -> tuple[list[RoomStatus], bool, HomeCheck | None]:
    """Every room at ``moment``; also whether the building is short of staff for awake
    ratios (rooms away on a field trip are out of the building) and a home's check."""
    trips = {r.pk: d.trip_at(r.pk, moment) for r in d.rooms}
    home = None
    if d.kind == FAMILY_HOME:
        limits = family_home_limits(d.state, d.day)
        if limits is not None:
            home = check_home(
                limits,
                [a for r in d.rooms for a in ages.get(r.pk, [])],
                own_children=d.home_day.own_children if d.home_day else 0,
                own_infants=d.home_day.own_infants if d.home_day else 0,
            )
    building_short = False
    if d.kind != FAMILY_HOME and any(d.resting(r.pk, moment) for r in d.rooms):
        inside = [r for r in d.rooms if not trips[r.pk]]
        awake_needed = sum(
            required_staff(d.state, ages.get(r.pk, []), False, on=d.day) for r in inside
        )
        in_building = sum(len(staff.get(r.pk, [])) for r in inside) + spare_staff
        building_short = in_building < awake_needed
    statuses = [
        room_status(
            state=d.state,
            program_kind=d.kind,
            classroom_id=room.pk,
            name=room.name,
            ages_in_months=ages.get(room.pk, []),
            staff=staff.get(room.pk, []),
            resting=d.resting(room.pk, moment),
            on=d.day,
            field_trip=trips[room.pk],
            building_short=building_short,
            home=home,
        )
        for room in d.rooms
    ]
    return statuses, building_short, home


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
    zone = ZoneInfo(program.alliance.timezone)
    local = at.astimezone(zone)
    day, moment = local.date(), local.time().replace(microsecond=0)
    present_fn = children_present or _enrollment("children_present")
    scheduled_fn = children_scheduled or _enrollment("children_scheduled")
    settings = settings_for(program)
    state = program.alliance.state
    kind = FAMILY_HOME if program.kind == ProgramKind.FAMILY_HOME else "center"

    rooms = list(
        Classroom.objects.filter(program=program, is_active=True).order_by("age_min_months", "name")
    )
    day_start = datetime.combine(day, time.min, tzinfo=zone)
    day_end = day_start + timedelta(days=1)
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
    toggles: dict[int, list[tuple[time, bool]]] = defaultdict(list)
    for toggle in RestToggle.objects.filter(
        program=program, at__gte=day_start, at__lte=at
    ).order_by("at", "pk"):
        toggles[toggle.classroom_id].append(
            (toggle.at.astimezone(zone).time().replace(microsecond=0), toggle.resting)
        )
    d = _Day(
        state=state,
        kind=kind,
        day=day,
        tz=zone,
        rooms=rooms,
        settings=settings,
        toggles=dict(toggles),
        trips=list(
            FieldTrip.objects.filter(
                program=program,
                cancelled_at__isnull=True,
                starts_at__lt=day_end,
                ends_at__gt=day_start,
            ).select_related("classroom")
        ),
        home_day=(
            HomeDay.objects.filter(program=program, day=day).first()
            if kind == FAMILY_HOME
            else None
        ),
    )
    clocked = {s.staff_id for s in shifts}
    here: dict[int, list[str]] = defaultdict(list)
    spare = 0  # clocked in, in no classroom: in the building
    for shift in shifts:
        if shift.ended_at is None or shift.ended_at > at:
            if shift.classroom_id:
                here[shift.classroom_id].append(shift.staff.full_name)
            else:
                spare += 1
    for block in blocks:
        if block.staff_id not in clocked and block.starts_at <= moment < block.ends_at:
            here[block.classroom_id].append(block.staff.full_name)

    births_now = present_fn(program, at) if present_fn else {}
    ages_now = {room.pk: _ages(births_now.get(room.pk, []), day) for room in rooms}
    statuses, building_short, home = _statuses(d, moment, ages_now, here, spare)

    births_day = dict(scheduled_fn(program, day) if scheduled_fn else {})
    # Children already here count for the hours ahead when more of them came than were
    # scheduled (drop-ins, make-up days).
    for room_id, births in births_now.items():
        if len(births) > len(births_day.get(room_id, [])):
            births_day[room_id] = births
    gaps = _gaps(
        d=d,
        statuses=statuses,
        blocks=blocks,
        births=births_day,
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
        resting=_is_resting(settings, moment)
        or any(s.ratio_basis != AWAKE and s.ratio_basis != HOME for s in statuses),
        building_short=building_short,
        settings=settings,
        staff_present=sum(s.present for s in statuses),
        children_present=sum(s.children for s in statuses),
        home=home,
        trips=[t for t in d.trips if t.ends_at > at],
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
    d: _Day,
    statuses: list[RoomStatus],
    blocks: list[ScheduleBlock],
    births: dict[int, list[date]],
    moment: time,
) -> list[Gap]:
    closes = max((b.ends_at for b in blocks), default=time(18, 0))
    points = _checkpoints(moment, d.settings.forecast_hours, blocks)
    ages = {room.pk: _ages(births.get(room.pk, []), d.day) for room in d.rooms}
    ahead_by_point: list[tuple[time, dict[int, RoomStatus]]] = []
    for point in points:
        scheduled: dict[int, list[str]] = defaultdict(list)
        for b in blocks:
            if b.starts_at <= point < b.ends_at:
                scheduled[b.classroom_id].append(b.staff.full_name)
        found, _short, _home = _statuses(d, point, ages, scheduled)
        ahead_by_point.append((point, {s.classroom_id: s for s in found}))
    gaps: list[Gap] = []
    for room, now in zip(d.rooms, statuses, strict=True):
        short_at: list[tuple[time, int, int]] = []
        ok_after: time | None = None
        for point, by_room in ahead_by_point:
            ahead = by_room[room.pk]
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
            gaps.append(Gap(room.pk, room.name, d.day, start, end, now.required, now.present, True))
        elif short_at:
            start, required, present = short_at[0]
            end = ok_after or closes
            if end > start:
                gaps.append(Gap(room.pk, room.name, d.day, start, end, required, present, False))
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
