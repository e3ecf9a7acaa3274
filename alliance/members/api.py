"""API for the caller, programs, classrooms and memberships.

Every program endpoint opens its tenant through :func:`alliance.api.tenancy.api_program`
(404 for a program that is missing or not the caller's, 403 for a missing permission) and
every write goes through :mod:`alliance.members.services`. Path parameters are named
``slug`` and ``alliance`` — never ``program_slug``/``alliance_slug``, which the tenant
middleware would take for session pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance, api_program, visible_programs
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core import policy
from alliance.core.policy import Perm
from alliance.members import queries, services
from alliance.members.access import access_classroom, access_membership
from alliance.members.api_schemas import (
    ClassroomIn,
    ClassroomOut,
    ClassroomPage,
    ClassroomPatch,
    MembershipOut,
    MembershipPage,
    MembershipPatch,
    MeOut,
    ProgramOut,
    ProgramPage,
    ProgramPatch,
)
from alliance.members.models import Membership, MembershipTier, Program

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}


@api.get("/me", response={200: MeOut, 401: Message}, tags=["me"])
def me(request: HttpRequest):
    """The caller and every role they hold."""
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "roles": [
            {
                "kind": role.kind,
                "alliance": role.alliance.slug,
                "program": role.program.slug if role.program_id else None,
            }
            for role in policy.roles_of(user)
        ],
    }


# --- programs -----------------------------------------------------------------------------


@api.get("/programs", response={200: ProgramPage, **ERRORS}, tags=["programs"])
def list_programs(request: HttpRequest, page: Query[PageIn]):
    """Programs the caller may see: their own, and for hub admins every program of their
    alliance, by name."""
    return page_of(visible_programs(request.user), page)


@api.get("/programs/{slug}", response={200: ProgramOut, **ERRORS}, tags=["programs"])
def get_program(request: HttpRequest, slug: str):
    with api_program(request, slug) as program:
        return program


@api.patch("/programs/{slug}", response={200: ProgramOut, **ERRORS}, tags=["programs"])
def update_program(request: HttpRequest, slug: str, payload: ProgramPatch):
    """Change the program's profile (directors and hub admins)."""
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        return services.update_program(
            acting_user=request.user, program=program, **payload.model_dump(exclude_unset=True)
        )


# --- classrooms ---------------------------------------------------------------------------


@api.get(
    "/programs/{slug}/classrooms", response={200: ClassroomPage, **ERRORS}, tags=["classrooms"]
)
def list_classrooms(request: HttpRequest, slug: str, page: Query[PageIn]):
    """The program's classrooms, youngest first."""
    with api_program(request, slug) as program:
        return page_of(queries.classrooms_of(program), page)


@api.post(
    "/programs/{slug}/classrooms", response={201: ClassroomOut, **ERRORS}, tags=["classrooms"]
)
def create_classroom(request: HttpRequest, slug: str, payload: ClassroomIn):
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        classroom = services.create_classroom(
            acting_user=request.user, program=program, **payload.model_dump()
        )
        return Status(201, classroom)


@api.get(
    "/programs/{slug}/classrooms/{classroom_id}",
    response={200: ClassroomOut, **ERRORS},
    tags=["classrooms"],
)
def get_classroom(request: HttpRequest, slug: str, classroom_id: int):
    with api_program(request, slug) as program:
        return access_classroom(program, classroom_id)


@api.patch(
    "/programs/{slug}/classrooms/{classroom_id}",
    response={200: ClassroomOut, **ERRORS},
    tags=["classrooms"],
)
def update_classroom(request: HttpRequest, slug: str, classroom_id: int, payload: ClassroomPatch):
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        classroom = access_classroom(program, classroom_id)
        classroom.program = program  # already loaded, with its alliance
        return services.update_classroom(
            acting_user=request.user, classroom=classroom, **payload.model_dump(exclude_unset=True)
        )


# --- memberships --------------------------------------------------------------------------


@api.get(
    "/programs/{slug}/membership", response={200: MembershipOut, **ERRORS}, tags=["memberships"]
)
def get_membership(request: HttpRequest, slug: str):
    """The program's membership of its alliance: tier, annual fee, status and dates."""
    with api_program(request, slug) as program:
        membership = access_membership(program)
        membership.program = program
        return membership


@api.get(
    "/alliances/{alliance}/memberships",
    response={200: MembershipPage, **ERRORS},
    tags=["memberships"],
)
def list_memberships(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """Every member program's membership, by program name (hub admins)."""
    with api_alliance(request, alliance) as hub:
        memberships = (
            Membership.objects.filter(program__alliance=hub)
            .select_related("program", "tier")
            .order_by("program__name", "pk")
        )
        return page_of(memberships, page)


@api.patch(
    "/alliances/{alliance}/memberships/{slug}",
    response={200: MembershipOut, **ERRORS},
    tags=["memberships"],
)
def change_membership(request: HttpRequest, alliance: str, slug: str, payload: MembershipPatch):
    """Change a member's status or tier, or record the fee as paid (hub admins)."""
    with api_alliance(request, alliance) as hub:
        program = Program.objects.select_related("alliance").filter(alliance=hub, slug=slug)
        program = program.first()
        if program is None:
            raise Http404
        membership = access_membership(program)
        membership.program = program
        tier = None
        if payload.tier is not None:
            tier = MembershipTier.objects.filter(alliance=hub, pk=payload.tier).first()
            if tier is None:
                raise ValidationError(
                    {"tier": _("Choose one of this alliance's membership tiers.")}
                )
        return services.change_membership(
            acting_user=request.user,
            membership=membership,
            status=payload.status,
            tier=tier,
            fee_paid_through=payload.fee_paid_through,
        )
