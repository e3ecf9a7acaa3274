"""Demo staffing: staff records for every staff and director login, weekly schedules,
credentials (some expiring within 60 days, some lapsed, a few missing), people who left in
the last year (for turnover), staffing settings, job postings, candidates and applications;
on the demo alliance, today's field trip, an early nap and the family child care home's own
children (what the ratio board shows today).

director1@example.org sees Little Learners' staff, compliance and ratio board at once;
staff1@example.org (Sam Teacher) has a staff record there with credentials on file.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from alliance.members.models import ProgramKind
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk
from alliance.staffing.models import (
    Application,
    ApplicationStage,
    Candidate,
    Credential,
    FieldTrip,
    HomeDay,
    JobPosting,
    RestToggle,
    ScheduleBlock,
    SeparationReason,
    StaffingSettings,
    StaffMember,
    StaffRole,
)

SHIFTS = [(time(7, 0), time(15, 0)), (time(8, 30), time(16, 30)), (time(10, 0), time(18, 0))]
# Credential kind → years it stays valid (None: no expiry).
VALIDITY = {
    "cari": None,
    "fingerprints": None,
    "tb_test": 1,
    "physical": 2,
    "orientation": None,
    "cpr_first_aid": 2,
    "cda": 3,
    "degree_associate": None,
}
NAMES = [
    "Ana Ruiz", "Keisha Brown", "Mei Chen", "Olga Nowak", "Fatima Haddad", "Priya Patel",
    "Grace Kim", "Lucia Santos", "Tamika Jones", "Rosa Medina", "Joy Okafor", "Hannah Weiss",
    "Carmen Vega", "Nadia Pierre", "Emily Walsh", "Sofia Rossi",
]  # fmt: skip
LANGUAGES = [["English"], ["English", "Spanish"], ["Spanish"], ["English", "Polish"],
             ["English", "Haitian Creole"], ["English", "Arabic"]]  # fmt: skip


def _credentials_for(ctx: SeedContext, staff: StaffMember, alliance_id: int) -> list[Credential]:
    rng = ctx.rng
    kinds = ["cari", "fingerprints", "tb_test", "physical", "orientation"]
    if staff.role in (StaffRole.DIRECTOR, StaffRole.HEAD_TEACHER, StaffRole.GROUP_TEACHER,
                      StaffRole.PROVIDER):  # fmt: skip
        kinds.append("cpr_first_aid")
    if staff.role in (StaffRole.DIRECTOR, StaffRole.HEAD_TEACHER):
        kinds.append(rng.choice(["cda", "degree_associate"]))
    rows = []
    for kind in kinds:
        roll = rng.random()
        if roll < 0.04:
            continue  # missing
        years = VALIDITY[kind]
        if years is None:
            issued, expires = staff.hire_date - timedelta(days=rng.randint(5, 40)), None
        elif roll < 0.10:  # lapsed a few weeks ago
            expires = ctx.today - timedelta(days=rng.randint(1, 40))
            issued = expires - timedelta(days=365 * years)
        elif roll < 0.22:  # expiring within 60 days
            expires = ctx.today + timedelta(days=rng.randint(3, 58))
            issued = expires - timedelta(days=365 * years)
        else:
            expires = ctx.today + timedelta(days=rng.randint(70, 365 * years))
            issued = expires - timedelta(days=365 * years)
        issued = min(issued, ctx.today)
        rows.append(
            Credential(
                alliance_id=alliance_id,
                person_id=staff.user_id,
                staff=None if staff.user_id else staff,
                kind=kind,
                issued_on=issued,
                expires_on=expires,
                number=f"NJ-{rng.randint(100000, 999999)}" if kind == "cpr_first_aid" else "",
            )
        )
    return rows


def seed_staffing(ctx: SeedContext) -> dict[str, int]:
    rng = ctx.rng
    rooms: dict[int, list] = {}
    for room in ctx.classrooms:
        rooms.setdefault(room.program_id, []).append(room)
    records: list[StaffMember] = []

    def add(program, user, name, role, hired, left=None, reason=""):
        hours = Decimal(rng.choice([40, 40, 37.5, 30, 25]))
        base = {StaffRole.DIRECTOR: 28, StaffRole.PROVIDER: 24, StaffRole.HEAD_TEACHER: 22}
        wage = Decimal(base.get(role, 16) + rng.randint(0, 500) / 100).quantize(Decimal("0.01"))
        records.append(
            StaffMember(
                program=program,
                user=user,
                full_name=name,
                email=user.email if user else "",
                role=role,
                hire_date=hired,
                hours_per_week=hours,
                wage=wage,
                separated_on=left,
                separation_reason=reason,
            )
        )

    for program in ctx.programs:
        director = ctx.directors.get(program.pk)
        is_home = program.kind == ProgramKind.FAMILY_HOME
        if director is not None:
            hired = ctx.today - timedelta(days=rng.randint(900, 4000))
            role = StaffRole.PROVIDER if is_home else StaffRole.DIRECTOR
            add(program, director, director.full_name, role, hired)
        if not is_home:
            cook = rng.choice(NAMES)
            add(
                program,
                None,
                cook,
                StaffRole.COOK,
                ctx.today - timedelta(days=rng.randint(60, 2000)),
            )
        # People who left in the last year, for turnover figures.
        for _ in range(rng.choice([0, 1, 1, 2]) if not is_home else 0):
            hired = ctx.today - timedelta(days=rng.randint(400, 1500))
            left = ctx.today - timedelta(days=rng.randint(5, 360))
            reason = rng.choice(SeparationReason.values)
            add(program, None, rng.choice(NAMES), StaffRole.ASSISTANT, hired, left, reason)
    for index, (user, program) in enumerate(ctx.staff):
        if program.kind == ProgramKind.FAMILY_HOME:
            role = StaffRole.ASSISTANT
        else:
            role = [StaffRole.HEAD_TEACHER, StaffRole.GROUP_TEACHER, StaffRole.GROUP_TEACHER,
                    StaffRole.ASSISTANT, StaffRole.AIDE][index % 5]  # fmt: skip
        hired = ctx.today - timedelta(days=rng.randint(20, 3000))
        add(program, user, user.full_name, role, hired)
    records = bulk(StaffMember, records)

    credentials: list[Credential] = []
    blocks: list[ScheduleBlock] = []
    turn: dict[int, int] = {}
    # The enrollment seed checks children in today whatever the day, so staff work today too.
    weekdays = sorted({0, 1, 2, 3, 4, ctx.today.weekday()})
    # Demo: Little Learners' youngest room loses its second teacher at 11:30 (a shortfall the
    # board forecasts in the morning and shows in the afternoon).
    demo_room, demo_placed = None, 0
    if ctx.is_demo and ctx.programs:
        first = sorted(rooms.get(ctx.programs[0].pk, []), key=lambda r: r.age_min_months)
        demo_room = first[0] if first else None
    for staff in records:
        if staff.separated_on is not None:
            continue
        credentials += _credentials_for(ctx, staff, ctx.alliance.pk)
        program_rooms = rooms.get(staff.program_id, [])
        if staff.role == StaffRole.COOK or not program_rooms:
            continue
        n = turn.get(staff.program_id, 0)
        turn[staff.program_id] = n + 1
        room = program_rooms[n % len(program_rooms)]
        start, end = SHIFTS[(n // len(program_rooms)) % len(SHIFTS)]
        if demo_room is not None and room.pk == demo_room.pk:
            demo_placed += 1
            if demo_placed == 2:
                start, end = time(7, 0), time(11, 30)
            elif demo_placed > 2:
                room = program_rooms[1 % len(program_rooms)]
        for weekday in weekdays:
            blocks.append(
                ScheduleBlock(
                    program_id=staff.program_id,
                    staff=staff,
                    classroom=room,
                    weekday=weekday,
                    starts_at=start,
                    ends_at=end,
                )
            )
    bulk(Credential, credentials)
    bulk(ScheduleBlock, blocks)
    bulk(
        StaffingSettings,
        [
            StaffingSettings(program=p, rest_starts_at=time(12, 30), rest_ends_at=time(14, 30))
            for p in ctx.programs
            if p.kind == ProgramKind.CENTER
        ],
    )
    postings, candidates, applications = _jobs(ctx)
    trips, toggles, home_days = _today(ctx, rooms) if ctx.is_demo else (0, 0, 0)
    return {
        "staff records": len(records),
        "credentials": len(credentials),
        "schedule blocks": len(blocks),
        "job postings": postings,
        "candidates": candidates,
        "job applications": applications,
        "field trips": trips,
        "rest switches": toggles,
        "home days": home_days,
    }


def _today(ctx: SeedContext, rooms: dict[int, list]) -> tuple[int, int, int]:
    """Demo only: what changes the ratio board today. Little Learners' oldest room is on a
    field trip in the morning, its second-youngest room goes down for a nap before the rest
    window (12:30–14:30) starts, and provider1's home has her own children there."""
    if len(ctx.programs) < 3:
        return 0, 0, 0
    zone = ZoneInfo(ctx.alliance.timezone)
    director = ctx.directors.get(ctx.program(0).pk)

    def at(hour: int, minute: int = 0) -> datetime:
        return datetime.combine(ctx.today, time(hour, minute), tzinfo=zone)

    little = sorted(rooms.get(ctx.program(0).pk, []), key=lambda r: (r.age_min_months, r.pk))
    trips = toggles = 0
    if little:
        oldest = little[-1]
        bulk(
            FieldTrip,
            [
                FieldTrip(
                    program_id=oldest.program_id,
                    classroom=oldest,
                    starts_at=at(9, 30),
                    ends_at=at(11, 30),
                    destination="Trailside Nature and Science Center",
                    created_by=director,
                )
            ],
        )
        trips = 1
    if len(little) > 2:
        napping = little[1]
        bulk(
            RestToggle,
            [
                RestToggle(
                    program_id=napping.program_id,
                    classroom=napping,
                    at=at(12, 0),
                    resting=True,
                    created_by=director,
                )
            ],
        )
        toggles = 1
    home = ctx.program(2)
    home_days = 0
    if home.kind == ProgramKind.FAMILY_HOME:
        bulk(
            HomeDay,
            [
                HomeDay(
                    program=home,
                    day=ctx.today,
                    own_children=2,
                    own_infants=0,
                    updated_by=ctx.directors.get(home.pk),
                )
            ],
        )
        home_days = 1
    return trips, toggles, home_days


def _jobs(ctx: SeedContext) -> tuple[int, int, int]:
    rng = ctx.rng
    jobs = [
        ("Infant/toddler teacher", StaffRole.GROUP_TEACHER, 17, 21),
        ("Preschool head teacher", StaffRole.HEAD_TEACHER, 20, 25),
        ("Assistant teacher (part time)", StaffRole.ASSISTANT, 15, 17),
        ("Classroom aide", StaffRole.AIDE, 15, 16),
    ]
    hiring = [p for p in ctx.programs if p.kind == ProgramKind.CENTER][
        : max(3, len(ctx.programs) // 3)
    ]
    postings = []
    for i, program in enumerate(hiring):
        for title, role, low, high in jobs[: 2 if i < 2 else 1]:
            part = "part time" in title
            postings.append(
                JobPosting(
                    program=program,
                    title=title,
                    role=role,
                    employment_type="part_time" if part else "full_time",
                    hours_per_week=Decimal(20 if part else 40),
                    wage_min=Decimal(low),
                    wage_max=Decimal(high),
                    description=(
                        f"{program.name} in {program.town} is looking for a caring, reliable "
                        f"{title.lower()} to join a stable team. Paid planning time, "
                        "professional development through the alliance, and pooled benefits."
                    ),
                    requirements="CPR/First Aid (or willing to get it), background checks, "
                    "a CDA or progress towards one is a plus.",
                    posted_on=ctx.today - timedelta(days=rng.randint(1, 30)),
                    created_by=ctx.directors.get(program.pk),
                )
            )
    postings = bulk(JobPosting, postings)
    towns = [town for town, _zip in ctx.towns] or ["Elizabeth"]
    candidates = bulk(
        Candidate,
        [
            Candidate(
                alliance=ctx.alliance,
                full_name=name,
                email=f"{name.lower().replace(' ', '.')}.{ctx.alliance.slug}@example.net",
                phone=f"908-555-{1000 + i:04d}",
                town=rng.choice(towns),
                towns=rng.sample(towns, k=min(2, len(towns))),
                experience_years=rng.randint(0, 15),
                experience="Toddler and preschool rooms; lesson planning; family conferences.",
                credentials=rng.sample(["cpr_first_aid", "cda", "cari", "orientation"], k=2),
                languages=rng.choice(LANGUAGES),
                availability=rng.choice(["full_time", "part_time", "either"]),
                share_with_members=rng.random() < 0.7,
            )
            for i, name in enumerate(NAMES[:12])
        ],
    )
    stages = [ApplicationStage.APPLIED, ApplicationStage.APPLIED, ApplicationStage.SCREENED,
              ApplicationStage.INTERVIEW, ApplicationStage.OFFER]  # fmt: skip
    applications = []
    for i, candidate in enumerate(candidates):
        posting = postings[i % len(postings)] if postings else None
        if posting is None:
            break
        applications.append(
            Application(
                program_id=posting.program_id,
                posting=posting,
                candidate=candidate,
                stage=stages[i % len(stages)],
                message="I would love to work with your team.",
            )
        )
    bulk(Application, applications)
    return len(postings), len(candidates), len(applications)


register_step("staffing.records", seed_staffing)
