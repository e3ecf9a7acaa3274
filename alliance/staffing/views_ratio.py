"""The live ratio board (htmx refresh), the one-click substitute request, settings."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.forms import submit
from alliance.core.policy import Perm, has_perm
from alliance.members.access import access_classroom
from alliance.members.decorators import requires
from alliance.members.models import Classroom, ProgramKind
from alliance.staffing import services, services_day, services_ratio
from alliance.staffing.access import access_field_trip
from alliance.staffing.board import ratio_board, settings_for
from alliance.staffing.forms import FieldTripForm, HomeDayForm, SettingsForm
from alliance.staffing.models import HomeDay, StaffMember
from alliance.staffing.models_staff import TEACHING_ROLES


def _classrooms(program):
    return Classroom.objects.filter(program=program, is_active=True).order_by("name")


def _context(request: HttpRequest, *, trip_form=None, home_form=None) -> dict:
    program = request.program
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    board = ratio_board(program, timezone.now())
    staff = []
    is_home = program.kind == ProgramKind.FAMILY_HOME
    if can_manage:
        staff = list(
            StaffMember.objects.filter(
                program=program, separated_on__isnull=True, role__in=TEACHING_ROLES
            ).order_by("full_name")
        )
        if trip_form is None and not is_home:
            trip_form = FieldTripForm(
                classrooms=_classrooms(program), initial={"day": board.at.date()}
            )
        if home_form is None and is_home:
            own = HomeDay.objects.filter(program=program, day=board.at.date()).first()
            home_form = HomeDayForm(
                initial={
                    "own_children": own.own_children if own else 0,
                    "own_infants": own.own_infants if own else 0,
                }
            )
    return {
        "program": program,
        "board": board,
        "can_manage": can_manage,
        "staff": staff,
        "rooms_by_id": {r.classroom_id: r for r in board.rooms},
        "trip_form": trip_form,
        "home_form": home_form,
        "is_home": is_home,
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
    if submit(
        request,
        form,
        lambda data: services.update_settings(acting_user=request.user, program=program, **data),
        success=_("Staffing settings saved."),
    ).ok:
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


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def field_trip_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Mark a room away on a field trip (times in the program's time zone)."""
    program = request.program
    form = FieldTripForm(request.POST, classrooms=_classrooms(program))
    zone = ZoneInfo(program.alliance.timezone)
    if submit(
        request,
        form,
        lambda data: services_day.plan_field_trip(
            acting_user=request.user,
            program=program,
            classroom=data["classroom"],
            starts_at=datetime.combine(data["day"], data["starts_at"], tzinfo=zone),
            ends_at=datetime.combine(data["day"], data["ends_at"], tzinfo=zone),
            destination=data["destination"],
        ),
        success=lambda _result: (
            _("Field trip recorded: %(room)s needs at least 2 staff while away.")
            % {"room": form.cleaned_data["classroom"].name}
        ),
    ).ok:
        return redirect("staffing:board", program.slug)
    return render(request, "staffing/board.html", _context(request, trip_form=form), status=422)


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def field_trip_cancel(request: HttpRequest, program_slug: str, trip_id: int) -> HttpResponse:
    trip = access_field_trip(request.program, trip_id)
    try:
        services_day.cancel_field_trip(acting_user=request.user, trip=trip)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Field trip called off."))
    return redirect("staffing:board", request.program.slug)


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def room_rest(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The per-room "resting now" / "awake now" switch."""
    program = request.program
    room_id = request.POST.get("classroom") or ""
    if not room_id.isdigit():
        messages.error(request, _("Choose a classroom."))
        return redirect("staffing:board", program.slug)
    classroom = access_classroom(program, int(room_id))
    resting = request.POST.get("resting") == "1"
    try:
        services_day.set_resting(
            acting_user=request.user, program=program, classroom=classroom, resting=resting
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (_("%(room)s is resting.") if resting else _("%(room)s is awake."))
            % {"room": classroom.name},
        )
    return redirect("staffing:board", program.slug)


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def home_day(request: HttpRequest, program_slug: str) -> HttpResponse:
    """A family child care provider enters their own children at home today."""
    program = request.program
    form = HomeDayForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services_day.record_home_day(
            acting_user=request.user,
            program=program,
            day=timezone.localdate(timezone=ZoneInfo(program.alliance.timezone)),
            **data,
        ),
        success=_("Saved: your own children at home today."),
    ).ok:
        return redirect("staffing:board", program.slug)
    return render(request, "staffing/board.html", _context(request, home_form=form), status=422)
