"""Navigation entries of the substitute pool (no queries: roles are cached on the user)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core.policy import Perm, RoleKind, has_perm, role_kinds


def program_items(user, program) -> list[dict]:
    if not has_perm(user, Perm.PROGRAM_VIEW, program=program):
        return []
    return [
        {"label": _("Substitutes"), "url": reverse("substitutes:requests", args=[program.slug])}
    ]


def hub_items(user, alliance) -> list[dict]:
    if not has_perm(user, Perm.HUB_MANAGE, alliance=alliance):
        return []
    return [
        {
            "label": _("Substitute pool"),
            "url": reverse("substitutes:hub_pool", args=[alliance.slug]),
        }
    ]


def personal_items(user) -> list[dict]:
    if RoleKind.SUBSTITUTE not in role_kinds(user):
        return []
    return [{"label": _("My shifts"), "url": reverse("substitutes:my_shifts")}]
