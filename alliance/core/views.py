"""Landing page, the signed-in home that sends each person to their dashboard, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from alliance import __version__
from alliance.core import policy
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance


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
    if len(programs) == 1:
        return redirect("members:program_dashboard", program_slug=programs[0].slug)
    return render(
        request,
        "core/home.html",
        {"roles": roles, "programs": programs, "kinds": policy.role_kinds(request.user)},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: answers 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = "ok"
    except Exception as exc:  # noqa: BLE001 - report any database failure as unhealthy
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": db, "version": __version__})
