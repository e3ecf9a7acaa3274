"""Navigation entries of the training module."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core import policy
from alliance.core.policy import Perm, RoleKind


def hub_items(user, alliance) -> list[dict]:
    return [{"label": _("Training"), "url": reverse("training:hub_sessions", args=[alliance.slug])}]


def program_items(user, program) -> list[dict]:
    if not policy.has_perm(user, Perm.PROGRAM_MANAGE, program=program):
        return []
    return [{"label": _("Training"), "url": reverse("training:compliance", args=[program.slug])}]


def personal_items(user) -> list[dict]:
    """Staff, directors and substitutes reach their own training (once per alliance)."""
    kinds = {RoleKind.DIRECTOR, RoleKind.STAFF, RoleKind.SUBSTITUTE}
    seen: list[dict] = []
    slugs: set[str] = set()
    for role in policy.roles_of(user):
        if role.kind in kinds and role.alliance.slug not in slugs:
            slugs.add(role.alliance.slug)
            seen.append(
                {
                    "label": _("My training"),
                    "url": reverse("training:mine", args=[role.alliance.slug]),
                }
            )
    return seen
