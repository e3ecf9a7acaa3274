"""Landing page, the signed-in home that sends each person to their dashboard, health."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from huey.contrib.djhuey import HUEY

from alliance import __version__
from alliance.core import policy
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance

log = logging.getLogger("alliance.core")


def landing(request: HttpRequest) -> HttpResponse:
    """With one alliance, its public home; with several (a state network), the list."""
    alliances = list(Alliance.objects.all()[:200])
    if len(alliances) == 1:
        return redirect("members:alliance_home", alliance_slug=alliances[0].slug)
    return render(request, "core/landing.html", {"alliances": alliances})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the dashboard of their main role; list the rest."""
    roles = policy.roles_of(request.user)
    hubs = [r for r in roles if r.kind == RoleKind.HUB]
    if hubs:
        return redirect("members:hub_dashboard", alliance_slug=hubs[0].alliance.slug)
    programs = policy.programs_for(request.user)
    if len(programs) == 1 and all(r.program_id for r in roles):
        # Only program roles: go straight there. Someone who also substitutes (or is a
        # family, or on the committee) needs this page to see every role.
        return redirect("members:program_dashboard", program_slug=programs[0].slug)
    return render(
        request,
        "core/home.html",
        {"roles": roles, "programs": programs, "kinds": policy.role_kinds(request.user)},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers and monitors: 200 only when the database
    and the task queue answer, else 503. Details of a failure go to the log, not out."""
    checks: dict[str, str | int] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        log.exception("healthz: database check failed")
        checks["database"] = "error"
    try:
        checks["queue_pending"] = HUEY.pending_count()
        checks["queue"] = "ok"
    except Exception:  # noqa: BLE001 - any queue failure means unhealthy
        log.exception("healthz: task queue check failed")
        checks["queue"] = "error"
    healthy = checks["database"] == "ok" and checks["queue"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks, "version": __version__},
        status=200 if healthy else 503,
    )
