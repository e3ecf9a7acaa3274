"""Navigation entries of the community module (no queries: roles are cached on the user)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core import policy
from alliance.core.policy import Perm, RoleKind


def hub_items(user, alliance) -> list[dict]:
    slug = alliance.slug
    return [
        {"label": _("Surveys"), "url": reverse("community:hub_surveys", args=[slug])},
        {"label": _("Challenges"), "url": reverse("community:hub_board", args=[slug])},
        {"label": _("Committee"), "url": reverse("community:committee", args=[slug])},
        {"label": _("Forum"), "url": reverse("community:forum", args=[slug])},
    ]


def personal_items(user) -> list[dict]:
    """Forum and committee for members who are not hub admins (the hub has its own)."""
    items: list[dict] = []
    seen: set[int] = set()
    for role in policy.roles_of(user):
        alliance = role.alliance
        if alliance.pk in seen or role.kind == RoleKind.HUB:
            continue
        if policy.is_hub(user, alliance):
            continue
        seen.add(alliance.pk)
        if policy.has_perm(user, Perm.COMMITTEE_VIEW, alliance=alliance):
            items.append(
                {
                    "label": _("Committee"),
                    "url": reverse("community:committee", args=[alliance.slug]),
                }
            )
        if policy.has_perm(user, Perm.COMMUNITY_MEMBER, alliance=alliance):
            items.append(
                {"label": _("Forum"), "url": reverse("community:forum", args=[alliance.slug])}
            )
            items.append(
                {"label": _("Events"), "url": reverse("community:events", args=[alliance.slug])}
            )
    return items
