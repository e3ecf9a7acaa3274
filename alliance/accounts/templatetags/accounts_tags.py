"""Template filters that ask ``accounts.roles`` (and so the policy) what a button may do."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from alliance.accounts import roles
from alliance.accounts.models import Invitation, Role

register = template.Library()


@register.filter
def removable_in(role: Role, request: HttpRequest) -> bool:
    """``{% if role|removable_in:request %}``: may this request's user remove the role?"""
    program = getattr(request, "program", None)
    return program is not None and roles.may_remove_role(request.user, role, program)


@register.filter
def revocable_in(invitation: Invitation, request: HttpRequest) -> bool:
    program = getattr(request, "program", None)
    return program is not None and roles.may_revoke_invitation(request.user, invitation, program)
