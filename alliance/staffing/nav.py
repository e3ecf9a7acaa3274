"""Navigation entries of the staffing module (no queries: the policy caches roles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core.policy import Perm, has_perm


def program_items(user, program) -> list[dict]:
    items = [{"label": _("Ratios"), "url": reverse("staffing:board", args=[program.slug])}]
    if has_perm(user, Perm.PROGRAM_MANAGE, program=program):
        items += [
            {"label": _("Staff"), "url": reverse("staffing:staff_list", args=[program.slug])},
            {"label": _("Jobs"), "url": reverse("staffing:postings", args=[program.slug])},
        ]
    else:
        url = reverse("staffing:my_record", args=[program.slug])
        items.append({"label": _("My record"), "url": url})
    return items


def hub_items(user, alliance) -> list[dict]:
    return [
        {"label": _("Staffing"), "url": reverse("staffing:hub_retention", args=[alliance.slug])}
    ]
