"""The audited ways to reach one role or invitation of a program: scoped lookups that 404
alike for "missing" and "not yours"."""

from __future__ import annotations

from alliance.accounts.models import Invitation, Role
from alliance.core.access import first_or_404
from alliance.members.models import Program


def access_role(program: Program, role_id: int) -> Role:
    return first_or_404(
        Role.objects.select_related("user", "program", "alliance").filter(
            program=program, pk=role_id
        )
    )


def access_invitation(program: Program, invitation_id: int) -> Invitation:
    return first_or_404(
        Invitation.objects.select_related("program", "alliance").filter(
            program=program, pk=invitation_id
        )
    )
