"""The director's classroom transitions page: children who will age past their room in the
next weeks, the suggested next room, and one-click or bulk moves."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core.policy import Perm, has_perm
from alliance.enrollment.access import access_enrollment
from alliance.enrollment.transitions import NOTICE_WEEKS, transition_children, upcoming_transitions
from alliance.members.access import access_classroom
from alliance.members.decorators import requires
from alliance.members.queries import classrooms_of


def _weeks(raw: str | None) -> int:
    try:
        return min(26, max(1, int(raw or NOTICE_WEEKS)))
    except ValueError:
        return NOTICE_WEEKS


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def transitions(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    weeks = _weeks(request.GET.get("weeks"))
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    errors: list[str] = []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        ids = [int(i) for i in request.POST.getlist("move") if i.isdigit()][:200]
        moves = []
        for pk in ids:
            enrollment = access_enrollment(program, pk)
            try:
                room = access_classroom(program, int(request.POST.get(f"room-{pk}", "")))
                on = date.fromisoformat(request.POST.get(f"on-{pk}", ""))
            except ValueError:
                errors.append(
                    _("%(child)s: choose the next classroom and a date (YYYY-MM-DD).")
                    % {"child": enrollment.child}
                )
                continue
            moves.append((enrollment, room, on))
        if not ids:
            errors.append(_("Tick at least one child to move."))
        if not errors:
            try:
                moved = transition_children(acting_user=request.user, program=program, moves=moves)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    _("%(n)s children moved to their next classroom.") % {"n": len(moved)},
                )
                return redirect(request.get_full_path())
    rows = upcoming_transitions(program, today, weeks)
    return render(
        request,
        "enrollment/program/transitions.html",
        {
            "program": program,
            "rows": rows,
            "weeks": weeks,
            "rooms": list(classrooms_of(program, active=True)),
            "can_manage": can_manage,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
