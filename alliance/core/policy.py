"""The permission policy: every "may this user do that?" is decided here and only here.

Roles are rows of ``accounts.Role``: a person may hold several (a teacher who also
substitutes). Program roles (director, staff) carry a program; alliance roles (hub,
substitute, family, committee) carry only an alliance.

Two different answers, on purpose (as pretix and Zulip do):

* a user with nothing to do with a program gets **404** for every URL of it (same as a
  program that does not exist), decided by :func:`program_for_request`;
* a user who belongs to the program but lacks the role for an action gets **403**,
  decided by :func:`require`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django_scopes import scopes_disabled

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alliance.accounts.models import Role, User
    from alliance.members.models import Alliance, Program


class RoleKind(StrEnum):
    HUB = "hub"
    DIRECTOR = "director"
    STAFF = "staff"
    SUBSTITUTE = "substitute"
    FAMILY = "family"
    COMMITTEE = "committee"


PROGRAM_ROLES = frozenset({RoleKind.DIRECTOR, RoleKind.STAFF})
ALLIANCE_ROLES = frozenset({RoleKind.HUB, RoleKind.SUBSTITUTE, RoleKind.FAMILY, RoleKind.COMMITTEE})


class Perm(StrEnum):
    """Named permissions. One name per permission, used by views, API and templates."""

    PROGRAM_VIEW = "program.view"  # see the program's pages
    PROGRAM_MANAGE = "program.manage"  # edit profile, classrooms, sites
    PROGRAM_INVITE = "program.invite"  # invite staff
    SUBSTITUTES_REQUEST = "substitutes.request"  # request cover, approve hours, rate subs
    BILLING_MANAGE = "billing.manage"  # rates, runs, invoices, payments, claims, reports
    BENEFITS_MANAGE = "benefits.manage"  # employer policy, staff elections, statements
    FINANCE_VIEW = "finance.view"  # Iron Triangle, benchmarks, cost-of-care model
    ALLIANCE_MEMBER = "alliance.member"  # members-only directory fields
    HUB_MANAGE = "hub.manage"  # alliance-wide administration
    COMMUNITY_MEMBER = "community.member"  # forum, shared documents, events, suggestions
    COMMITTEE_VIEW = "committee.view"  # the Advisory Committee's pages
    TRAINING_REGISTER = "training.register"  # take a seat at the alliance's training sessions


# Which roles grant which permission. Program permissions are granted by a role at that
# program; hub admins hold every permission for every program of their alliance.
_PROGRAM_GRANTS: dict[Perm, frozenset[RoleKind]] = {
    Perm.PROGRAM_VIEW: frozenset({RoleKind.DIRECTOR, RoleKind.STAFF}),
    Perm.PROGRAM_MANAGE: frozenset({RoleKind.DIRECTOR}),
    Perm.PROGRAM_INVITE: frozenset({RoleKind.DIRECTOR}),
    Perm.SUBSTITUTES_REQUEST: frozenset({RoleKind.DIRECTOR}),
    Perm.BILLING_MANAGE: frozenset({RoleKind.DIRECTOR}),
    Perm.BENEFITS_MANAGE: frozenset({RoleKind.DIRECTOR}),
    Perm.FINANCE_VIEW: frozenset({RoleKind.DIRECTOR}),
}

# Alliance-wide permissions granted by a role anywhere in that alliance.
_ALLIANCE_GRANTS: dict[Perm, frozenset[RoleKind]] = {
    Perm.COMMUNITY_MEMBER: frozenset(
        {RoleKind.HUB, RoleKind.DIRECTOR, RoleKind.STAFF, RoleKind.COMMITTEE}
    ),
    Perm.COMMITTEE_VIEW: frozenset({RoleKind.HUB, RoleKind.COMMITTEE}),
    # Training is for the child care workforce: families and committee members do not register.
    Perm.TRAINING_REGISTER: frozenset(
        {RoleKind.HUB, RoleKind.DIRECTOR, RoleKind.STAFF, RoleKind.SUBSTITUTE}
    ),
}


def roles_of(user: User) -> list[Role]:
    """The user's roles, loaded once per user object (cached on it)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_alliance_roles", None)
    if cached is None:
        from alliance.accounts.models import Role

        with scopes_disabled():
            cached = list(Role.objects.filter(user=user).select_related("program", "alliance"))
        user._alliance_roles = cached
    return cached


def role_kinds(user: User) -> set[str]:
    return {role.kind for role in roles_of(user)}


def is_hub(user: User, alliance: Alliance | int) -> bool:
    alliance_id = alliance if isinstance(alliance, int) else alliance.pk
    return any(r.kind == RoleKind.HUB and r.alliance_id == alliance_id for r in roles_of(user))


def program_roles(user: User, program: Program) -> set[str]:
    return {r.kind for r in roles_of(user) if r.program_id == program.pk}


def can_see_program(user: User, program: Program) -> bool:
    """Belongs to the program (any program role) or is a hub admin of its alliance."""
    return bool(program_roles(user, program)) or is_hub(user, program.alliance_id)


def has_perm(
    user: User, perm: Perm, *, program: Program | None = None, alliance: Alliance | None = None
) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if program is not None:
        if is_hub(user, program.alliance_id):
            return True
        granted = _PROGRAM_GRANTS.get(perm, frozenset())
        return bool(program_roles(user, program) & granted)
    if alliance is not None:
        if perm == Perm.HUB_MANAGE:
            return is_hub(user, alliance)
        if perm == Perm.ALLIANCE_MEMBER:
            return any(r.alliance_id == alliance.pk for r in roles_of(user))
        granted = _ALLIANCE_GRANTS.get(perm, frozenset())
        return any(r.alliance_id == alliance.pk and r.kind in granted for r in roles_of(user))
    return False


def require(request: HttpRequest, perm: Perm) -> None:
    """Raise 403 unless the request's user holds ``perm`` in the request's tenant."""
    if not has_perm(
        request.user,
        perm,
        program=request.program,
        alliance=None if request.program else request.alliance,
    ):
        raise PermissionDenied


def program_for_request(request: HttpRequest, slug: str) -> Program | None:
    """The program named in the URL if this user may see it; None means 404."""
    from alliance.members.models import Program

    program = Program.unscoped.select_related("alliance").filter(slug=slug).first()
    if program is None:
        return None
    return program if can_see_program(request.user, program) else None


def alliance_for_request(request: HttpRequest, slug: str) -> Alliance | None:
    from alliance.members.models import Alliance

    return Alliance.objects.filter(slug=slug).first()


def programs_for(user: User) -> list[Program]:
    """Programs where the user holds a program role (for navigation)."""
    seen: dict[int, Program] = {}
    for role in roles_of(user):
        if role.program_id and role.program_id not in seen:
            seen[role.program_id] = role.program
    return sorted(seen.values(), key=lambda p: p.name)


def hub_alliances(user: User) -> list[Alliance]:
    return [r.alliance for r in roles_of(user) if r.kind == RoleKind.HUB]


def kinds_label(kinds: Iterable[str]) -> list[str]:
    order = [k.value for k in RoleKind]
    return sorted(set(kinds), key=order.index)
