"""Reads for training pages, the API and exports. Every list is a bounded number of queries
whatever its length."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import Role, User
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance, Program, ProgramKind
from alliance.rules import training as rules
from alliance.training.models import (
    Attendance,
    Course,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)


def with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("course", "trainer").annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
        present=Count("registrations", filter=Q(registrations__attendance="present")),
    )


def sessions_of(alliance: Alliance) -> QuerySet[Session]:
    return with_counts(Session.objects.filter(alliance=alliance))


def upcoming_sessions(alliance: Alliance, *, now: datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    return (
        sessions_of(alliance)
        .filter(status=SessionStatus.SCHEDULED, ends_at__gte=now)
        .order_by("starts_at", "pk")
    )


def courses_of(alliance: Alliance) -> QuerySet[Course]:
    return Course.objects.filter(alliance=alliance).annotate(n_sessions=Count("sessions"))


def roster(session: Session) -> list[Registration]:
    return list(
        session.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("person", "program", "marked_by")
        .order_by("status", "waitlisted_at", "person__full_name", "pk")
    )


def registrations_of(person: User, alliance: Alliance) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(alliance=alliance, person=person)
        .select_related("session__course", "session__alliance")
        .order_by("-session__starts_at", "pk")
    )


def year_bounds(alliance: Alliance, year: int) -> tuple[datetime, datetime]:
    tz = ZoneInfo(alliance.timezone)
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def attended(alliance: Alliance, person_ids: list[int], year: int) -> QuerySet[Registration]:
    """Sessions attended in ``year`` by these people (hours are personal: any program)."""
    start, end = year_bounds(alliance, year)
    return (
        Registration.objects.filter(
            alliance=alliance,
            person_id__in=person_ids,
            attendance=Attendance.PRESENT,
            status=RegistrationStatus.CONFIRMED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .select_related("session__course", "person", "program")
        .order_by("session__starts_at", "pk")
    )


# --- requirements -------------------------------------------------------------------------


def _staff_model():
    """The staffing module's StaffMember, if that module provides it."""
    try:
        return apps.get_model("staffing", "StaffMember")
    except LookupError:
        return None


def _staff_roles(program: Program, person_ids: list[int]) -> dict[int, str]:
    """Job role (head teacher, assistant…) from the staff records, where there is one."""
    model = _staff_model()
    if model is None or not person_ids:
        return {}
    names = {f.name for f in model._meta.get_fields()}
    person_field = next((n for n in ("user", "person") if n in names), None)
    if person_field is None or "role" not in names or "program" not in names:
        return {}
    rows = model.objects.filter(program=program, **{f"{person_field}_id__in": person_ids})
    if "separated_on" in names:
        rows = rows.filter(separated_on__isnull=True)
    return {
        pid: role for pid, role in rows.values_list(f"{person_field}_id", "role") if pid and role
    }


def role_label(role: str) -> str:
    """The role's name for people: the staff record's label, else the sign-in role's."""
    model = _staff_model()
    if model is not None:
        try:
            labels = dict(model._meta.get_field("role").choices or [])
        except Exception:  # noqa: BLE001 - a staff model without a role field: use ours
            labels = {}
        if role in labels:
            return str(labels[role])
    return str({"director": _("Director"), "staff": _("Staff")}.get(role, role))


@dataclass
class PersonHours:
    person: User
    role: str  # the role the requirement was chosen by
    progress: rules.Progress
    sessions: list[Registration]

    @property
    def role_label(self) -> str:
        return role_label(self.role)


def hours_for_program(program: Program, year: int) -> list[PersonHours]:
    """Each director and staff member of ``program`` with their hours in ``year``
    against their requirement. Four queries whatever the number of people."""
    roles = (
        Role.objects.filter(program=program, kind__in=[RoleKind.DIRECTOR, RoleKind.STAFF])
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    people: dict[int, tuple[User, str]] = {}
    for role in roles:
        current = people.get(role.user_id)
        if current is None or role.kind == RoleKind.DIRECTOR:
            people[role.user_id] = (role.user, str(role.kind))
    staff_roles = _staff_roles(program, list(people))
    by_person: dict[int, list[Registration]] = defaultdict(list)
    for row in attended(program.alliance, list(people), year):
        by_person[row.person_id].append(row)
    result = []
    for pid, (user, kind) in people.items():
        role = staff_roles.get(pid, kind)
        result.append(_person_hours(program.alliance, program, user, role, by_person[pid]))
    return sorted(result, key=lambda h: (h.progress.met, str(h.person).lower()))


def _person_hours(
    alliance: Alliance, program: Program | None, user: User, role: str, rows: list[Registration]
) -> PersonHours:
    requirement = rules.requirement_for(
        alliance.state if alliance.state in rules.states() else "NJ",
        family_home=program is not None and program.kind == ProgramKind.FAMILY_HOME,
        role=role,
    )
    progress = rules.progress(
        requirement, [(r.session.hours, r.session.course.is_orientation) for r in rows]
    )
    return PersonHours(person=user, role=role, progress=progress, sessions=rows)


def hours_for_person(person: User, alliance: Alliance, year: int) -> PersonHours:
    """One person's year: requirement by their program and role there (staff record first,
    then their role kind); substitutes and others without a program count as center staff."""
    from alliance.training.services import program_of

    program = program_of(person, alliance.pk)
    role = str(RoleKind.STAFF)
    if program is not None:
        kinds = {r.kind for r in Role.objects.filter(program=program, user=person)}
        role = str(RoleKind.DIRECTOR) if RoleKind.DIRECTOR in kinds else str(RoleKind.STAFF)
        role = _staff_roles(program, [person.pk]).get(person.pk, role)
    rows = list(attended(alliance, [person.pk], year))
    return _person_hours(alliance, program, person, role, rows)


def registry_rows(alliance: Alliance, year: int) -> QuerySet[Registration]:
    """Completed training for the state workforce registry export."""
    start, end = year_bounds(alliance, year)
    return (
        Registration.objects.filter(
            alliance=alliance,
            attendance=Attendance.PRESENT,
            status=RegistrationStatus.CONFIRMED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .select_related("person", "program", "session__course", "session__trainer")
        .order_by("session__starts_at", "person__full_name", "pk")
    )
