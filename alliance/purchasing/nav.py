"""Navigation entries of purchasing (no queries)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core.policy import Perm, has_perm


def hub_items(user, alliance) -> list[dict]:
    return [{"label": _("Purchasing"), "url": reverse("purchasing:hub_home", args=[alliance.slug])}]


def program_items(user, program) -> list[dict]:
    if not has_perm(user, Perm.PROGRAM_VIEW, program=program):
        return []
    return [{"label": _("Purchasing"), "url": reverse("purchasing:home", args=[program.slug])}]
