"""The live ratio board (htmx refresh), the one-click substitute request, settings."""

from __future__ import annotations

from datetime import date, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.policy import Perm, has_perm
from alliance.members.access import access_classroom
from alliance.members.decorators import requires
from alliance.staffing import services, services_ratio
from alliance.staffing.board import ratio_board, settings_for
from alliance.staffing.forms import SettingsForm
from alliance.staffing.models import StaffMember
from alliance.staffing.models_staff import TEACHING_ROLES


def _context(request: HttpRequest) -> dict:
    program = request.program
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    board = ratio_board(program, timezone.now())
    staff = []
    if can_manage:
        staff = list(
            StaffMember.objects.filter(
                program=program, separated_on__isnull=True, role__in=TEACHING_ROLES
            ).order_by("full_name")
        )
    return {
        "program": program,
        "board": board,
        "can_manage": can_manage,
        "staff": staff,
        "rooms_by_id": {r.classroom_id: r for r in board.rooms},
    }


@requires(Perm.PROGRAM_VIEW)
def board(request: HttpRequest, program_slug: str) -> HttpResponse:
    template = "staffing/_board.html" if request.htmx else "staffing/board.html"
    return render(request, template, _context(request))


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def request_substitute(request: HttpRequest, program_slug: str) -> HttpResponse:
    """One click on the board: ask the pool for a substitute for one gap."""
    program = request.program
    data = request.POST
    try:
        room_id = int(data.get("classroom", ""))
        day = date.fromisoformat(data.get("day", ""))
        starts_at = time.fromisoformat(data.get("starts_at", ""))
        ends_at = time.fromisoformat(data.get("ends_at", ""))
    except ValueError:
        messages.error(request, _("That shortfall could not be read; reload the board."))
        return redirect("staffing:board", program.slug)
    classroom = access_classroom(program, room_id)
    try:
        services_ratio.request_substitute(
            acting_user=request.user,
            program=program,
            classroom=classroom,
            day=day,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Substitute requested for %(room)s, %(start)s–%(end)s.")
            % {"room": classroom.name, "start": f"{starts_at:%H:%M}", "end": f"{ends_at:%H:%M}"},
        )
    return redirect("staffing:board", program.slug)


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def staffing_settings(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    current = settings_for(program)
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(acting_user=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Staffing settings saved."))
            return redirect("staffing:board", program.slug)
    if not can_manage:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "staffing/settings.html",
        {"program": program, "form": form, "can_manage": can_manage},
        status=422 if form.errors else 200,
    )
