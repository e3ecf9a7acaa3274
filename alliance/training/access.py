"""Scoped lookups of training records that 404 alike for "missing" and "not yours"."""

from __future__ import annotations

from alliance.accounts.models import Role, User
from alliance.core import policy
from alliance.core.access import first_or_404
from alliance.core.policy import Perm, RoleKind
from alliance.members.models import Alliance, Program
from alliance.training.models import Course, Registration, Session


def access_course(alliance_id: int, course_id: int) -> Course:
    return first_or_404(Course.objects.filter(alliance_id=alliance_id, pk=course_id))


def access_session(alliance_id: int, session_id: int) -> Session:
    return first_or_404(
        Session.objects.select_related("course", "alliance", "trainer").filter(
            alliance_id=alliance_id, pk=session_id
        )
    )


def access_own_registration(alliance_id: int, person: User, registration_id: int) -> Registration:
    """One of ``person``'s own registrations."""
    return first_or_404(
        Registration.objects.select_related(
            "session__course", "session__alliance", "person"
        ).filter(alliance_id=alliance_id, person=person, pk=registration_id)
    )


def access_registration(alliance_id: int, registration_id: int) -> Registration:
    """Any registration of the alliance (hub and trainers only: callers check that)."""
    return first_or_404(
        Registration.objects.select_related(
            "session__course", "session__alliance", "person"
        ).filter(alliance_id=alliance_id, pk=registration_id)
    )


def may_take_training(person: User, alliance: Alliance) -> bool:
    """The child care workforce of the alliance (hub, directors, staff, substitutes) may
    hold a seat; families and committee members may not."""
    return policy.has_perm(person, Perm.TRAINING_REGISTER, alliance=alliance)


def directed_programs(user: User, alliance_id: int) -> list[Program]:
    """Programs of this alliance where ``user`` is the director."""
    return [
        r.program
        for r in policy.roles_of(user)
        if r.kind == RoleKind.DIRECTOR and r.alliance_id == alliance_id and r.program_id
    ]


def may_register_for(acting_user: User, person: User, alliance: Alliance) -> bool:
    """Who may give ``person`` a seat: the person themself, a hub admin of the alliance
    (anyone of its workforce), or a director for the staff of their own program."""
    if acting_user.pk == person.pk or policy.is_hub(acting_user, alliance):
        return True
    programs = {p.pk for p in directed_programs(acting_user, alliance.pk)}
    return bool(programs) and any(
        r.program_id in programs and r.kind in policy.PROGRAM_ROLES for r in policy.roles_of(person)
    )


def staff_people(programs: list[Program]) -> list[User]:
    """Everyone holding a director or staff role at these programs, by name."""
    if not programs:
        return []
    roles = (
        Role.objects.filter(program__in=programs, kind__in=[RoleKind.DIRECTOR, RoleKind.STAFF])
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    seen: dict[int, User] = {}
    for role in roles:
        seen.setdefault(role.user_id, role.user)
    return list(seen.values())


def workforce_person(alliance: Alliance, *, email: str = "", user_id: int | None = None) -> User:
    """A person of the alliance's workforce found by email or id (404 otherwise)."""
    from django_scopes import scopes_disabled

    rows = Role.objects.filter(
        alliance=alliance,
        kind__in=[RoleKind.HUB, RoleKind.DIRECTOR, RoleKind.STAFF, RoleKind.SUBSTITUTE],
    )
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    else:
        rows = rows.filter(user__email__iexact=(email or "").strip())
    with scopes_disabled():
        role = first_or_404(rows.select_related("user"))
    return role.user


def access_program_registration(program: Program, registration_id: int) -> Registration:
    """A registration of someone who works at ``program`` (made for it, or by a person
    holding a role there now), for the program's director."""
    from django.db.models import Q

    people = Role.objects.filter(program=program).values("user_id")
    return first_or_404(
        Registration.objects.select_related("session__course", "session__alliance", "person")
        .filter(alliance_id=program.alliance_id, pk=registration_id)
        .filter(Q(program=program) | Q(person_id__in=people))
    )
