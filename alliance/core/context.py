"""Navigation for the page shell: what this person may reach, by role."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core import policy
from alliance.core.policy import Perm, RoleKind


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    program = getattr(request, "program", None)
    alliance = getattr(request, "alliance", None)
    items: list[dict] = []
    if user is not None and user.is_authenticated:
        for hub in policy.hub_alliances(user):
            base = reverse("members:hub_dashboard", args=[hub.slug])
            items += [
                {"label": _("Hub"), "url": base},
                {"label": _("Members"), "url": reverse("members:hub_members", args=[hub.slug])},
                {
                    "label": _("Applications"),
                    "url": reverse("members:hub_applications", args=[hub.slug]),
                },
            ]
        for prog in policy.programs_for(user):
            items.append(
                {"label": prog.name, "url": reverse("members:program_dashboard", args=[prog.slug])}
            )
        kinds = policy.role_kinds(user)
        if kinds & {RoleKind.SUBSTITUTE, RoleKind.FAMILY, RoleKind.COMMITTEE} and not items:
            items.append({"label": _("Home"), "url": reverse("core:home")})
    path = request.path
    for item in items:
        item["current"] = path == item["url"] or (
            item["url"] != "/"
            and path.startswith(item["url"])
            and len(item["url"]) > 3
            and not any(
                o is not item and len(o["url"]) > len(item["url"]) and path.startswith(o["url"])
                for o in items
            )
        )
    program_nav = []
    if program is not None and user is not None and user.is_authenticated:
        program_nav = [
            {
                "label": _("Overview"),
                "url": reverse("members:program_dashboard", args=[program.slug]),
            },
            {"label": _("Classrooms"), "url": reverse("members:classrooms", args=[program.slug])},
            {"label": _("Profile"), "url": reverse("members:program_profile", args=[program.slug])},
        ]
        if policy.has_perm(user, Perm.PROGRAM_INVITE, program=program):
            program_nav.append(
                {
                    "label": _("People"),
                    "url": reverse("members:program_people", args=[program.slug]),
                }
            )
            program_nav.append(
                {
                    "label": _("Activity"),
                    "url": reverse("members:program_audit", args=[program.slug]),
                }
            )
        for item in program_nav:
            item["current"] = path == item["url"] or (
                path.startswith(item["url"]) and item is not program_nav[0]
            )
    return {
        "nav_items": items,
        "program_nav": program_nav,
        "current_program": program,
        "current_alliance": alliance,
        "demo_mode": settings.DEMO_MODE,
    }
