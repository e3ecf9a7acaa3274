"""Navigation for the page shell: what this person may reach, by role."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core import policy
from alliance.core.policy import Perm


def _module_navs() -> list:
    """Each domain app may ship a ``nav.py`` with ``hub_items(user, alliance)``,
    ``program_items(user, program)`` and ``personal_items(user)``; they are asked in
    INSTALLED_APPS order. Modules add their sections there, never by editing this file."""
    global _NAVS
    if _NAVS is None:
        found = []
        for app in apps.get_app_configs():
            if not app.name.startswith("alliance."):
                continue
            try:
                found.append(importlib.import_module(f"{app.name}.nav"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.nav":
                    raise
        _NAVS = found
    return _NAVS


_NAVS: list | None = None


def _collect(hook: str, *args) -> list[dict]:
    items: list[dict] = []
    for module in _module_navs():
        fn = getattr(module, hook, None)
        if fn is not None:
            items += fn(*args)
    return items


def _mark_current(items: list[dict], path: str) -> None:
    """The longest item URL that prefixes the path is the current one."""
    best = None
    for item in items:
        url = item["url"]
        matches = path == url or (len(url) > 3 and path.startswith(url))
        if matches and (best is None or len(url) > len(best["url"])):
            best = item
    for item in items:
        item["current"] = item is best


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    program = getattr(request, "program", None)
    alliance = getattr(request, "alliance", None)
    items: list[dict] = []
    program_nav: list[dict] = []
    hub_nav: list[dict] = []
    if user is not None and user.is_authenticated:
        for hub in policy.hub_alliances(user):
            home = {"label": _("Hub"), "url": reverse("members:hub_dashboard", args=[hub.slug])}
            items.append(home)
            if program is None and alliance is not None and alliance.pk == hub.pk:
                # On the hub's own pages its sections get a row of their own (like a
                # program's), so the header stays one short line with every module on.
                hub_nav = [
                    {"label": _("Overview"), "url": home["url"]},
                    {"label": _("Members"), "url": reverse("members:hub_members", args=[hub.slug])},
                    {
                        "label": _("Applications"),
                        "url": reverse("members:hub_applications", args=[hub.slug]),
                    },
                ]
                hub_nav += _collect("hub_items", user, hub)
        for prog in policy.programs_for(user):
            items.append(
                {"label": prog.name, "url": reverse("members:program_dashboard", args=[prog.slug])}
            )
        personal = _collect("personal_items", user)
        if not items and (personal or policy.role_kinds(user)):
            items.append({"label": _("Home"), "url": reverse("core:home")})
        items += personal
        if program is not None:
            program_nav = [
                {
                    "label": _("Overview"),
                    "url": reverse("members:program_dashboard", args=[program.slug]),
                },
                {
                    "label": _("Classrooms"),
                    "url": reverse("members:classrooms", args=[program.slug]),
                },
            ]
            program_nav += _collect("program_items", user, program)
            program_nav.append(
                {
                    "label": _("Profile"),
                    "url": reverse("members:program_profile", args=[program.slug]),
                }
            )
            if policy.has_perm(user, Perm.PROGRAM_INVITE, program=program):
                program_nav += [
                    {
                        "label": _("People"),
                        "url": reverse("members:program_people", args=[program.slug]),
                    },
                    {
                        "label": _("Activity"),
                        "url": reverse("members:program_audit", args=[program.slug]),
                    },
                ]
    _mark_current(items, request.path)
    _mark_current(program_nav, request.path)
    _mark_current(hub_nav, request.path)
    if hub_nav:
        for item in items:
            item["current"] = item["url"] == hub_nav[0]["url"]
    return {
        "nav_items": items,
        "program_nav": program_nav,
        "hub_nav": hub_nav,
        "current_program": program,
        "current_alliance": alliance,
        "demo_mode": settings.DEMO_MODE,
    }
