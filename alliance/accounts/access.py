"""The audited ways to reach one role or invitation of a program: scoped lookups that 404
alike for "missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404

from alliance.accounts.models import Invitation, Role
from alliance.members.models import Program


def access_role(program: Program, role_id: int) -> Role:
    role = (
        Role.objects.select_related("user", "program", "alliance")
        .filter(program=program, pk=role_id)
        .first()
    )
    if role is None:
        raise Http404
    return role


def access_invitation(program: Program, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("program", "alliance")
        .filter(program=program, pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
