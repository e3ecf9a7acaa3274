"""Navigation entries of finance (no queries)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core.policy import Perm, has_perm


def hub_items(user, alliance) -> list[dict]:
    return [{"label": _("Finance"), "url": reverse("finance:hub_members", args=[alliance.slug])}]


def program_items(user, program) -> list[dict]:
    if not has_perm(user, Perm.FINANCE_VIEW, program=program):
        return []
    return [{"label": _("Finance"), "url": reverse("finance:dashboard", args=[program.slug])}]
