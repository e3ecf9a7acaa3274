"""Tenancy for the API, in one place.

Bearer tokens are checked inside ninja, after ``TenantMiddleware`` has run, so API paths
never carry ``program_slug``/``alliance_slug`` kwargs (the middleware would treat them as
session pages) and every endpoint opens its scope through these helpers instead.
Decisions stay in :mod:`alliance.core.policy`: a program the caller may not see is 404
(exactly like a missing one); a missing permission is 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from alliance.core import policy
from alliance.core.policy import Perm, RoleKind
from alliance.core.tenancy import alliance_scope, program_scope
from alliance.members.models import Alliance, Program

if TYPE_CHECKING:
    from alliance.accounts.models import User


@contextmanager
def api_program(
    request: HttpRequest, slug: str, perm: Perm = Perm.PROGRAM_VIEW
) -> Iterator[Program]:
    """Load the program named ``slug`` for this caller and run the block in its scope."""
    program = policy.program_for_request(request, slug)
    if program is None:
        raise Http404
    if not policy.has_perm(request.user, perm, program=program):
        raise PermissionDenied
    request.program = program
    request.alliance = program.alliance
    with program_scope(program):
        yield program


@contextmanager
def api_alliance(
    request: HttpRequest, slug: str, perm: Perm = Perm.HUB_MANAGE
) -> Iterator[Alliance]:
    """Load the alliance named ``slug`` and run the block in its (all-programs) scope.

    Alliances are public (their directory is), so only a missing one is 404; a caller
    without ``perm`` there gets 403, as on the hub's pages."""
    alliance = policy.alliance_for_request(request, slug)
    if alliance is None:
        raise Http404
    if not policy.has_perm(request.user, perm, alliance=alliance):
        raise PermissionDenied
    request.alliance = alliance
    with alliance_scope(alliance):
        yield alliance


def visible_programs(user: User) -> QuerySet[Program]:
    """Every program ``policy.can_see_program`` allows: the caller's own programs and all
    programs of alliances where they are a hub admin. Unscoped on purpose: the filter is
    the policy itself, and one list may span several alliances."""
    roles = policy.roles_of(user)
    own = {r.program_id for r in roles if r.program_id is not None}
    hubs = {r.alliance_id for r in roles if r.kind == RoleKind.HUB}
    return (
        Program.unscoped.filter(Q(pk__in=own) | Q(alliance_id__in=hubs))
        .select_related("alliance")
        .order_by("name", "pk")
    )
