"""Navigation entries of benefits (no queries: the policy caches roles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core.policy import Perm, has_perm


def hub_items(user, alliance) -> list[dict]:
    return [{"label": _("Benefits"), "url": reverse("benefits:hub_home", args=[alliance.slug])}]


def program_items(user, program) -> list[dict]:
    if has_perm(user, Perm.BENEFITS_MANAGE, program=program):
        return [{"label": _("Benefits"), "url": reverse("benefits:home", args=[program.slug])}]
    if has_perm(user, Perm.PROGRAM_VIEW, program=program):
        url = reverse("benefits:my_elections", args=[program.slug])
        return [{"label": _("My benefits"), "url": url}]
    return []
