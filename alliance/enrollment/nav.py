"""Navigation entries of the enrollment module (no queries: the policy caches roles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core.policy import RoleKind, role_kinds


def program_items(user, program) -> list[dict]:
    return [
        {"label": _("Enrollment"), "url": reverse("enrollment:enrollments", args=[program.slug])},
        {"label": _("Attendance"), "url": reverse("enrollment:attendance", args=[program.slug])},
    ]


def hub_items(user, alliance) -> list[dict]:
    return [
        {
            "label": _("Enrollment"),
            "url": reverse("enrollment:hub_waitlist", args=[alliance.slug]),
        }
    ]


def personal_items(user) -> list[dict]:
    if RoleKind.FAMILY not in role_kinds(user):
        return []
    return [
        {"label": _("My child care applications"), "url": reverse("enrollment:my_applications")}
    ]
