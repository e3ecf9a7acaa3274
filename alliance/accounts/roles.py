"""Who may take away which program role or invitation, composed only from the policy.

Directors manage their staff; director roles (and invitations to be director) are the
hub's to give and take, so co-directors cannot remove each other. Nobody removes their own
director role (the service refuses it too).
"""

from __future__ import annotations

from alliance.accounts.models import Invitation, Role, User
from alliance.core.policy import Perm, RoleKind, has_perm
from alliance.members.models import Alliance, Program


def _may_manage(user: User, kind: str, program: Program, alliance: Alliance) -> bool:
    if kind == RoleKind.DIRECTOR:
        return has_perm(user, Perm.HUB_MANAGE, alliance=alliance)
    return has_perm(user, Perm.PROGRAM_INVITE, program=program)


def may_remove_role(user: User, role: Role, program: Program) -> bool:
    """``program`` is the request's program (the role was reached through it)."""
    if role.program_id != program.pk:
        return False
    if role.user_id == user.pk and role.kind == RoleKind.DIRECTOR:
        return False
    return _may_manage(user, role.kind, program, program.alliance)


def may_revoke_invitation(user: User, invitation: Invitation, program: Program) -> bool:
    if invitation.program_id != program.pk:
        return False
    return _may_manage(user, invitation.kind, program, program.alliance)
