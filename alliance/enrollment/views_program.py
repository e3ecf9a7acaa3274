"""A program's enrollment pages: enrollments, the tablet attendance board, openings."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.forms import submit
from alliance.core.policy import Perm, has_perm
from alliance.core.tables import build_table
from alliance.enrollment import queries, services
from alliance.enrollment.access import access_attendance, access_enrollment
from alliance.enrollment.forms import CorrectionForm, EnrollForm, MoveForm, WithdrawForm
from alliance.enrollment.models import Attendance
from alliance.members.access import access_classroom
from alliance.members.decorators import requires
from alliance.members.queries import classrooms_of


@requires(Perm.PROGRAM_VIEW)
def enrollments(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    show = request.GET.get("show", "current")
    table = build_table(
        request,
        queries.enrollments_of(program, current=show != "all"),
        columns=[
            (_("Child"), "child"),
            (_("Classroom"), "classroom"),
            (_("Schedule"), None),
            (_("Start"), "start"),
            (_("End"), "end"),
            (_("Status"), "status"),
        ],
        orderings={
            "child": ("child__first_name", "child__last_name"),
            "classroom": ("classroom__age_min_months", "classroom__name"),
            "start": ("start_date",),
            "end": ("end_date",),
            "status": ("status",),
        },
        default_sort="classroom",
        per_page=50,
    )
    return render(
        request,
        "enrollment/program/enrollments.html",
        {
            "program": program,
            "table": table,
            "show": show,
            "can_manage": has_perm(request.user, Perm.PROGRAM_MANAGE, program=program),
        },
    )


@requires(Perm.PROGRAM_MANAGE)
@require_http_methods(["GET", "POST"])
def enrollment_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    rooms = list(classrooms_of(program, active=True))
    form = EnrollForm(request.POST or None, classrooms=rooms)
    if submit(
        request,
        form,
        lambda d: services.enroll_new_child(
            acting_user=request.user,
            program=program,
            first_name=d["first_name"],
            last_name=d["last_name"],
            birth_date=d["birth_date"],
            guardian_name=d["guardian_name"],
            email=d["email"],
            classroom=access_classroom(program, d["classroom"]),
            start_date=d["start_date"],
            schedule=d["schedule"],
            days="".join(d["days"]),
        ),
        success=lambda enrollment: _("%(child)s is enrolled.") % {"child": enrollment.child},
    ).ok:
        return redirect("enrollment:enrollments", program.slug)
    return render(
        request,
        "enrollment/program/enrollment_form.html",
        {"program": program, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def enrollment_detail(request: HttpRequest, program_slug: str, enrollment_id: int) -> HttpResponse:
    program = request.program
    enrollment = access_enrollment(program, enrollment_id)
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    rooms = [r for r in classrooms_of(program, active=True) if r.pk != enrollment.classroom_id]
    action = request.POST.get("action") if request.method == "POST" else None
    withdraw_form = WithdrawForm(request.POST if action == "withdraw" else None, prefix="w")
    move_form = MoveForm(request.POST if action == "move" else None, classrooms=rooms, prefix="m")
    if action and not can_manage:
        raise PermissionDenied
    if action == "withdraw":
        withdrawn = submit(
            request,
            withdraw_form,
            lambda data: services.withdraw_child(
                acting_user=request.user,
                enrollment=enrollment,
                last_day=data["last_day"],
                reason=data["reason"],
            ),
            success=_("The withdrawal is recorded."),
        )
        if withdrawn.ok:
            return redirect("enrollment:enrollment", program.slug, enrollment.pk)
    if action == "move":
        moved = submit(
            request,
            move_form,
            lambda data: services.move_child(
                acting_user=request.user,
                enrollment=enrollment,
                classroom=access_classroom(program, data["classroom"]),
                on=data["on"],
            ),
            success=_("The move is recorded."),
        )
        if moved.ok:
            return redirect("enrollment:enrollment", program.slug, moved.result.pk)
    invalid = withdraw_form.errors or move_form.errors
    return render(
        request,
        "enrollment/program/enrollment_detail.html",
        {
            "program": program,
            "enrollment": enrollment,
            "can_manage": can_manage,
            "withdraw_form": withdraw_form,
            "move_form": move_form,
            "history": enrollment.child.enrollments.filter(program=program).select_related(
                "classroom"
            ),
        },
        status=422 if invalid else 200,
    )


@requires(Perm.PROGRAM_VIEW)
def attendance(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    return render(
        request,
        "enrollment/program/attendance.html",
        {"program": program, "today": today, "rooms": queries.attendance_board(program, today)},
    )


@requires(Perm.PROGRAM_VIEW)
@require_POST
def attendance_tap(request: HttpRequest, program_slug: str) -> HttpResponse:
    """One tap per child: checks in, or out if already in."""
    program = request.program
    try:
        child_id = int(request.POST.get("child", ""))
    except ValueError:
        messages.error(request, _("Choose a child."))
        return redirect("enrollment:attendance", program.slug)
    today = timezone.localdate()
    record = Attendance.objects.filter(program=program, child_id=child_id, date=today).first()
    try:
        if record is None:
            record = services.check_in(acting_user=request.user, program=program, child_id=child_id)
            messages.success(request, _("%(child)s checked in.") % {"child": record.child})
        else:
            services.check_out(acting_user=request.user, attendance=record)
            messages.success(request, _("%(child)s checked out.") % {"child": record.child})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("enrollment:attendance", program.slug)
    return redirect(reverse("enrollment:attendance", args=[program.slug]) + f"#child-{child_id}")


@requires(Perm.PROGRAM_VIEW)
def attendance_log(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    since = timezone.localdate() - timedelta(days=30)
    table = build_table(
        request,
        queries.attendance_history(program, since),
        columns=[
            (_("Date"), "date"),
            (_("Child"), "child"),
            (_("Classroom"), None),
            (_("In"), None),
            (_("Out"), None),
            (_("Hours"), None),
        ],
        orderings={"date": ("date",), "child": ("child__first_name",)},
        default_sort="-date",
        per_page=50,
    )
    return render(
        request,
        "enrollment/program/attendance_log.html",
        {
            "program": program,
            "table": table,
            "can_manage": has_perm(request.user, Perm.PROGRAM_MANAGE, program=program),
        },
    )


@requires(Perm.PROGRAM_MANAGE)
@require_http_methods(["GET", "POST"])
def attendance_correct(request: HttpRequest, program_slug: str, attendance_id: int) -> HttpResponse:
    program = request.program
    record = access_attendance(program, attendance_id)
    tz = timezone.get_current_timezone()
    initial = {
        "checked_in": timezone.localtime(record.checked_in_at).time(),
        "checked_out": timezone.localtime(record.checked_out_at).time()
        if record.checked_out_at
        else None,
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda d: services.correct_attendance(
            acting_user=request.user,
            attendance=record,
            checked_in_at=datetime.combine(record.date, d["checked_in"], tz),
            checked_out_at=(
                datetime.combine(record.date, d["checked_out"], tz) if d["checked_out"] else None
            ),
            reason=d["reason"],
        ),
        success=_("Attendance corrected."),
    ).ok:
        return redirect("enrollment:attendance_log", program.slug)
    return render(
        request,
        "enrollment/program/attendance_correct.html",
        {
            "program": program,
            "record": record,
            "form": form,
            "corrections": record.corrections.select_related("corrected_by"),
        },
        status=422 if form.errors else 200,
    )
