"""Demo enrollment: the base step's placements become enrollments, the waiting children
become applications on the alliance's waiting list, and the demo programs have attendance
for today (and the last two weeks).

family1@example.org (Fernanda López) has one child enrolled at Little Learners and one on
the waiting list, so her application page and "My applications" show data at once.
"""

from __future__ import annotations

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
    Schedule,
)
from alliance.enrollment.rules import months_between
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk

PART_TIME_DAYS = ["024", "13", "012", "234", "0123"]


def _start_date(ctx: SeedContext, born: date, room) -> date:
    """A start in the last year, on a day the child already fit the room."""
    start = ctx.today - timedelta(days=ctx.rng.randint(14, 365))
    while months_between(born, start) < room.age_min_months and start < ctx.today:
        start += timedelta(days=30)
    return min(start, ctx.today)


def seed_enrollment(ctx: SeedContext) -> dict[str, int]:
    rng = ctx.rng
    enrollments = []
    for child, room in ctx.placements:
        part = rng.random() < 0.2
        enrollments.append(
            Enrollment(
                program_id=room.program_id,
                child=child,
                classroom=room,
                start_date=_start_date(ctx, child.birth_date, room),
                schedule=Schedule.PART_TIME if part else Schedule.FULL_TIME,
                days=rng.choice(PART_TIME_DAYS) if part else WEEKDAYS,
            )
        )
    enrollments = bulk(Enrollment, enrollments)

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
        "enrollments": len(enrollments),
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
