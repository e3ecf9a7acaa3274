"""Demo enrollment: the base step's placements become enrollments, the waiting children
become applications on the alliance's waiting list, and the demo programs have attendance
for today (and the last two weeks).

A child started care at an age drawn between six weeks and now, so many children have been
in care for years; a child who has grown through the program's younger rooms has an
enrollment in each ("moved", ended the day before the next room's), then the current one.

family1@example.org (Fernanda López) has one child enrolled at Little Learners and one on
the waiting list, so her application page and "My applications" show data at once.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alliance.enrollment.models import (
    WEEKDAYS,
    Applicant,
    Application,
    Attendance,
    CcapStatus,
    Enrollment,
    EnrollmentStatus,
    Schedule,
)
from alliance.enrollment.rules import months_between
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk

PART_TIME_DAYS = ["024", "13", "012", "234", "0123"]


# A child starts care at six weeks at the earliest.
YOUNGEST_DAYS = 42


def _first_day(ctx: SeedContext, born: date) -> date:
    """The child's first day in the program, at an age drawn between six weeks and now (at
    least two weeks ago): older children have been in care longer, many since before the
    history began."""
    earliest = born + timedelta(days=YOUNGEST_DAYS)
    latest = ctx.today - timedelta(days=14)
    if earliest >= latest:
        return min(earliest, ctx.today)
    return earliest + timedelta(days=ctx.rng.randint(0, (latest - earliest).days))


def _aged(born: date, months: int) -> date:
    """The first day on which a child born on ``born`` is ``months`` months old."""
    y, m = divmod(born.month - 1 + months, 12)
    year, month = born.year + y, m + 1
    day = min(born.day, monthrange(year, month)[1])
    on = date(year, month, day)
    return on if months_between(born, on) >= months else on + timedelta(days=1)


def _rooms_path(rooms: list, room, born: date, first: date, today: date) -> list[tuple]:
    """(room, start, end) of the child's stay from ``first``: each of the program's rooms
    younger than ``room`` (one per minimum age) from the day the child was old enough for
    it until the next one, then ``room`` (end None) from the day the child was old enough
    for it (today at the latest)."""
    younger: dict[int, object] = {}
    for r in sorted(rooms, key=lambda r: (r.age_min_months, r.pk)):
        if r.age_min_months < room.age_min_months:
            younger.setdefault(r.age_min_months, r)
    current = min(max(first, _aged(born, room.age_min_months)), today)
    path = []
    steps = sorted(younger.items())
    for i, (age, r) in enumerate(steps):
        begins = max(first, _aged(born, age))
        until = _aged(born, steps[i + 1][0]) if i + 1 < len(steps) else current
        ends = min(until, current) - timedelta(days=1)
        if begins <= ends:
            path.append((r, begins, ends))
    return [*path, (room, current, None)]


def seed_enrollment(ctx: SeedContext) -> dict[str, int]:
    rng = ctx.rng
    rooms_of = defaultdict(list)
    for room in ctx.classrooms:
        rooms_of[room.program_id].append(room)
    enrollments, earlier = [], []
    for child, room in ctx.placements:
        part = rng.random() < 0.2
        first = _first_day(ctx, child.birth_date)
        schedule = Schedule.PART_TIME if part else Schedule.FULL_TIME
        days = rng.choice(PART_TIME_DAYS) if part else WEEKDAYS
        path = _rooms_path(rooms_of[room.program_id], room, child.birth_date, first, ctx.today)
        for stay, start, end in path:
            (enrollments if end is None else earlier).append(
                Enrollment(
                    program_id=room.program_id,
                    child=child,
                    classroom=stay,
                    start_date=start,
                    end_date=end,
                    status=EnrollmentStatus.ACTIVE if end is None else EnrollmentStatus.MOVED,
                    schedule=schedule,
                    days=days,
                )
            )
    enrollments = bulk(Enrollment, enrollments)
    earlier = bulk(Enrollment, earlier)

    # Waiting children: one application per family, submitted when the family started
    # waiting, preferring programs in or near their town.
    by_town = defaultdict(list)
    for program in ctx.programs:
        by_town[program.town].append(program.pk)
    towns = [t for t, _zip in ctx.towns]
    waiting_by_family = defaultdict(list)
    for child in ctx.waiting:
        waiting_by_family[child.family_id].append(child)
    families = {f.pk: f for f in ctx.families}
    applications, members = [], []
    for family_id, children in waiting_by_family.items():
        family = families[family_id]
        near = list(by_town.get(family.town, []))
        rng.shuffle(near)
        others = [t for t in towns if t != family.town]
        submitted = family.created_at
        applications.append(
            Application(
                alliance=ctx.alliance,
                family=family,
                desired_start=ctx.today + timedelta(days=rng.randint(0, 120)),
                schedule=Schedule.PART_TIME if rng.random() < 0.15 else Schedule.FULL_TIME,
                days=WEEKDAYS,
                preferred_programs=near[: rng.randint(1, 3)],
                preferred_towns=rng.sample(others, k=min(len(others), rng.randint(0, 2))),
                ccap=rng.choice(
                    [CcapStatus.NONE, CcapStatus.NONE, CcapStatus.APPLYING, CcapStatus.ELIGIBLE]
                ),
                languages=[family.language],
                consent_to_share=True,
                submitted_at=submitted,
                token=f"{rng.getrandbits(192):048x}",
            )
        )
        members.append(children)
    applications = bulk(Application, applications)
    applicants = bulk(
        Applicant,
        [
            Applicant(application=app, child=child)
            for app, children in zip(applications, members, strict=True)
            for child in children
        ],
    )

    attendance = _attendance(ctx, enrollments) if ctx.is_demo else []
    return {
        "enrollments": len(enrollments) + len(earlier),
        "applications": len(applications),
        "children waiting": len(applicants),
        "attendance days": len(attendance),
    }


def _attendance(ctx: SeedContext, enrollments: list[Enrollment]) -> list[Attendance]:
    """Today (whatever the weekday, so the demo has children present) and the last ten
    weekdays for the three demo programs; today's children are still in."""
    rng = ctx.rng
    tz = ZoneInfo(ctx.alliance.timezone)
    demo = {ctx.program(i).pk for i in range(min(3, len(ctx.programs)))}
    staff = {program_id: user for program_id, user in ctx.directors.items()}
    days = [ctx.today]
    day = ctx.today
    while len(days) < 11:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    rows = []
    for e in enrollments:
        if e.program_id not in demo:
            continue
        for on in days:
            if on < e.start_date:
                continue
            if on != ctx.today and str(on.weekday()) not in e.days:
                continue
            if rng.random() < 0.1:  # absent
                continue
            arrive = datetime.combine(on, time(7, 0), tz) + timedelta(minutes=rng.randint(0, 120))
            leave = None
            if on != ctx.today:
                leave = datetime.combine(on, time(15, 0), tz) + timedelta(
                    minutes=rng.randint(0, 150)
                )
            rows.append(
                Attendance(
                    program_id=e.program_id,
                    child_id=e.child_id,
                    classroom_id=e.classroom_id,
                    date=on,
                    checked_in_at=arrive,
                    checked_out_at=leave,
                    checked_in_by=staff.get(e.program_id),
                    checked_out_by=staff.get(e.program_id) if leave else None,
                )
            )
    return bulk(Attendance, rows)


register_step("enrollment.enrollments", seed_enrollment)
