"""Taking back a pending invitation or a role at a program (the People page's buttons).

The tenant middleware has already 404'd anyone outside the program; ``requires`` answers
403 to those without the invite permission; ``accounts.roles`` decides per role kind
(director roles are the hub's)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import services
from alliance.accounts.access import access_invitation, access_role
from alliance.accounts.roles import may_remove_role, may_revoke_invitation
from alliance.core.policy import Perm
from alliance.members.decorators import requires


@requires(Perm.PROGRAM_INVITE)
@require_POST
def revoke_invitation(request: HttpRequest, program_slug: str, invitation_id: int) -> HttpResponse:
    program = request.program
    invitation = access_invitation(program, invitation_id)
    if not may_revoke_invitation(request.user, invitation, program):
        raise PermissionDenied
    services.revoke_invitation(acting_user=request.user, invitation=invitation)
    messages.success(
        request, _("The invitation for %(email)s no longer works.") % {"email": invitation.email}
    )
    return redirect("members:program_people", program.slug)


@requires(Perm.PROGRAM_INVITE)
@require_POST
def remove_role(request: HttpRequest, program_slug: str, role_id: int) -> HttpResponse:
    program = request.program
    role = access_role(program, role_id)
    if not may_remove_role(request.user, role, program):
        raise PermissionDenied
    try:
        services.revoke_role(acting_user=request.user, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer has this role at %(program)s.")
            % {"name": role.user, "program": program.name},
        )
    return redirect("members:program_people", program.slug)
