"""Demo training: a catalog of New Jersey courses, sessions over the past year and the next
three months, registrations with a waitlist, and attendance for past sessions.

staff1@example.org has attended a few sessions this year, short of the 12 hours a center
teacher needs, and is registered for one coming up."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from alliance.seed.registry import SeedContext, register_step
from alliance.training.models import (
    Attendance,
    Course,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    Topic,
)

# (title, topic, hours, orientation, language, description)
COURSES = [
    (
        "Health and Safety Orientation for New Staff",
        Topic.HEALTH_SAFETY,
        "3",
        True,
        "en",
        "Required orientation: licensing rules, supervision, safe sleep, emergency plans, "
        "medication, and recognizing and reporting child abuse (N.J.A.C. 3A:52).",
    ),
    (
        "Orientación de salud y seguridad para personal nuevo",
        Topic.HEALTH_SAFETY,
        "3",
        True,
        "es",
        "Orientación obligatoria: reglamento de licencias, supervisión, sueño seguro, planes de "
        "emergencia, medicamentos y cómo reconocer y reportar el maltrato infantil.",
    ),
    (
        "Pediatric CPR and First Aid",
        Topic.CPR_FIRST_AID,
        "6",
        False,
        "en",
        "American Heart Association Heartsaver course for infants and children; "
        "certification valid for two years.",
    ),
    (
        "RCP pediátrica y primeros auxilios",
        Topic.CPR_FIRST_AID,
        "6",
        False,
        "es",
        "Curso Heartsaver en español para bebés y niños; certificación válida por dos años.",
    ),
    (
        "Responsive Care for Infants and Toddlers",
        Topic.INFANT_TODDLER,
        "3",
        False,
        "en",
        "Primary caregiving, routines as curriculum, and reading infants' cues.",
    ),
    (
        "Creative Curriculum: Setting Up the Classroom",
        Topic.CURRICULUM,
        "3",
        False,
        "en",
        "Interest areas, daily schedule and studies in The Creative Curriculum for Preschool.",
    ),
    (
        "Creative Curriculum: Studies and Intentional Teaching",
        Topic.CURRICULUM,
        "2.5",
        False,
        "en",
        "Planning a study from children's questions; intentional teaching cards.",
    ),
    (
        "ASQ-3 and ASQ:SE-2 Developmental Screening",
        Topic.SCREENING,
        "3",
        False,
        "en",
        "Administering and scoring the Ages & Stages Questionnaires and talking with families "
        "about results and referrals to NJ Early Intervention.",
    ),
    (
        "Evaluación del desarrollo con ASQ-3",
        Topic.SCREENING,
        "3",
        False,
        "es",
        "Cómo aplicar y calificar los cuestionarios ASQ-3 y hablar con las familias.",
    ),
    (
        "Partnering with Families",
        Topic.FAMILIES,
        "2",
        False,
        "en",
        "Daily communication, conferences and culturally responsive family engagement.",
    ),
    (
        "Director Leadership: Staff Retention",
        Topic.LEADERSHIP,
        "3",
        False,
        "en",
        "Coaching, schedules and recognition that keep good teachers.",
    ),
]
PLACES = [
    "Union County Alliance training room, 45 Elm St, Elizabeth",
    "Plainfield Public Library, 800 Park Ave, Plainfield",
    "Kean University, STEM Building room 215, Union",
]
ONLINE = "https://meet.example.org/alliance-training"


def seed_training(ctx: SeedContext) -> dict[str, int]:
    rng = ctx.rng
    alliance = ctx.alliance
    tz = ZoneInfo(alliance.timezone)
    courses = Course.objects.bulk_create(
        [
            Course(
                alliance=alliance,
                title=title,
                topic=topic,
                hours=Decimal(hours),
                is_orientation=orientation,
                description=description,
            )
            for title, topic, hours, orientation, _lang, description in COURSES
        ]
    )
    languages = {c.pk: spec[4] for c, spec in zip(courses, COURSES, strict=True)}
    staff1 = next(
        (u for u, _p in ctx.staff if ctx.is_demo and u.email == "staff1@example.org"), None
    )
    # Sessions: about one a week from a year back to three months ahead.
    sessions: list[Session] = []
    day = ctx.today - timedelta(days=364)
    end = ctx.today + timedelta(days=91)
    while day <= end:
        course = rng.choice(courses)
        saturday = day.weekday() == 5
        start = time(9, 0) if saturday else time(18, 30)
        starts = datetime.combine(day, start, tzinfo=tz)
        ends = starts + timedelta(hours=float(max(course.hours, Decimal("1"))))
        online = rng.random() < 0.25
        sessions.append(
            Session(
                alliance=alliance,
                course=course,
                starts_at=starts,
                ends_at=ends,
                location="" if online else rng.choice(PLACES),
                online_url=ONLINE if online else "",
                seats=rng.choice([12, 16, 20, 24]),
                hours=course.hours,
                language=languages[course.pk],
                trainer=ctx.hub if rng.random() < 0.3 else None,
                trainer_name="" if rng.random() < 0.3 else rng.choice(TRAINERS),
                status=SessionStatus.CANCELLED if rng.random() < 0.04 else SessionStatus.SCHEDULED,
                reminder_sent_at=starts - timedelta(days=1) if day < ctx.today else None,
            )
        )
        day += timedelta(days=rng.choice([5, 6, 7, 8, 9]))
    sessions = Session.objects.bulk_create(sessions)
    programs = {p.pk: p for p in ctx.programs}
    everyone = list(ctx.staff) + [(u, programs[pid]) for pid, u in ctx.directors.items()]
    people, seen = [], set()
    for user, program in everyone:
        if user.pk not in seen and user != staff1:
            seen.add(user.pk)
            people.append((user, program))
    registrations: list[Registration] = []
    now = datetime.combine(ctx.today, time(12), tzinfo=tz)
    for session in sessions:
        if session.status == SessionStatus.CANCELLED:
            continue
        wanted = rng.randint(session.seats // 2, session.seats + 3)
        chosen = rng.sample(people, min(wanted, len(people)))
        past = session.starts_at < now
        for n, (user, program) in enumerate(chosen):
            confirmed = n < session.seats
            registrations.append(
                _registration(
                    ctx, session, user, program, confirmed=confirmed, past=past, present=None
                )
            )
    if staff1 is not None:
        taken: dict[int, int] = {}
        for r in registrations:
            if r.status == RegistrationStatus.CONFIRMED:
                taken[r.session_id] = taken.get(r.session_id, 0) + 1
        registrations += _staff1_history(ctx, sessions, staff1, now, taken)
    Registration.objects.bulk_create(registrations, batch_size=2000)
    return {
        "training courses": len(courses),
        "training sessions": len(sessions),
        "training registrations": len(registrations),
    }


TRAINERS = ["Lorraine Whitaker, RN", "Carmen Ruiz", "Dr. Angela Brooks", "Miguel Santos"]


def _registration(ctx, session, user, program, *, confirmed, past, present):
    rng = ctx.rng
    status = RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED
    if past and not confirmed:
        status = RegistrationStatus.CANCELLED  # the waitlist lapses once a session is over
    attendance = Attendance.UNMARKED
    if past and confirmed:
        if present is None:
            present = rng.random() < 0.88
        attendance = Attendance.PRESENT if present else Attendance.ABSENT
    return Registration(
        alliance=ctx.alliance,
        session=session,
        person=user,
        program=program,
        status=status,
        waitlisted_at=None if confirmed else session.starts_at - timedelta(days=3),
        attendance=attendance,
        attendance_version=0 if attendance == Attendance.UNMARKED else 1,
        marked_at=session.ends_at if attendance != Attendance.UNMARKED else None,
        certificate_code=f"{rng.getrandbits(40):010X}",
    )


def _staff1_history(ctx, sessions, staff1, now, taken) -> list[Registration]:
    """Two or three sessions this calendar year (under 12 hours) and one coming up."""
    program = next(p for u, p in ctx.staff if u == staff1)
    this_year = [
        s
        for s in sessions
        if s.status == SessionStatus.SCHEDULED
        and s.starts_at < now
        and s.starts_at.year == ctx.today.year
        and s.language == "en"
        and s.course.topic != Topic.LEADERSHIP
    ]
    rows, hours = [], Decimal(0)
    for session in this_year[::3]:
        if hours + session.hours >= Decimal(10) or len(rows) == 3:
            break
        hours += session.hours
        rows.append(
            _registration(ctx, session, staff1, program, confirmed=True, past=True, present=True)
        )
    upcoming = [
        s
        for s in sessions
        if s.status == SessionStatus.SCHEDULED
        and s.starts_at > now
        and s.language == "en"
        and taken.get(s.pk, 0) < s.seats
    ]
    if upcoming:
        rows.append(
            _registration(
                ctx, upcoming[0], staff1, program, confirmed=True, past=False, present=None
            )
        )
    return rows


register_step("training.catalog", seed_training)
