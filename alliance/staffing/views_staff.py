"""A program's staff pages: records, credentials, schedules, compliance, retention.

Staff records hold wages, so every page here needs ``program.manage`` (the director and the
hub); the tenant middleware has already turned away other programs' users with 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.access import access_classroom
from alliance.members.decorators import requires
from alliance.members.models import Classroom
from alliance.staffing import queries, services, services_credentials
from alliance.staffing.access import access_block, access_credential, access_staff
from alliance.staffing.forms import BlockForm, CredentialForm, SeparateForm, StaffForm

MANAGE = Perm.PROGRAM_MANAGE


@requires(MANAGE)
def staff_list(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    former = request.GET.get("show") == "former"
    today = timezone.localdate()
    rows = list(queries.staff_of(program, current=not former)[:500])
    compliance = {}
    if not former:
        creds = queries.credentials_by_staff(rows)
        state = program.alliance.state
        compliance = {s.pk: queries.compliance_of(s, creds[s.pk], state, today) for s in rows}
    return render(
        request,
        "staffing/staff_list.html",
        {
            "program": program,
            "rows": [(s, compliance.get(s.pk)) for s in rows],
            "former": former,
            "retention": queries.program_retention(program, today),
        },
    )


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = StaffForm(request.POST if request.method == "POST" else None)
    outcome = submit(
        request,
        form,
        lambda data: services.create_staff(acting_user=request.user, program=program, **data),
        success=lambda staff: _("%(name)s added.") % {"name": staff.full_name},
    )
    if outcome.ok:
        return redirect("staffing:staff_detail", program.slug, outcome.result.pk)
    return render(
        request,
        "staffing/staff_form.html",
        {"program": program, "form": form},
        status=422 if form.errors else 200,
    )


def _detail(request, staff, *, form=None, cred_form=None, block_form=None, sep_form=None):
    program = request.program
    classrooms = Classroom.objects.filter(program=program, is_active=True)
    today = timezone.localdate()
    credentials = queries.credentials_by_staff([staff])[staff.pk]
    errors = any(f is not None and f.errors for f in (form, cred_form, block_form, sep_form))
    initial = {f: getattr(staff, f) for f in services.STAFF_FIELDS}
    return render(
        request,
        "staffing/staff_detail.html",
        {
            "program": program,
            "staff": staff,
            "form": form or StaffForm(initial=initial),
            "cred_form": cred_form or CredentialForm(),
            "block_form": block_form or BlockForm(classrooms=classrooms),
            "sep_form": sep_form or SeparateForm(initial={"separated_on": today}),
            "credentials": credentials,
            "compliance": queries.compliance_of(staff, credentials, program.alliance.state, today),
            "blocks": list(staff.schedule.select_related("classroom")),
            "open_shift": staff.shifts.filter(ended_at__isnull=True).first(),
            "classrooms": list(classrooms),
        },
        status=422 if errors else 200,
    )


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, program_slug: str, staff_id: int) -> HttpResponse:
    staff = access_staff(request.program, staff_id)
    if request.method == "GET":
        return _detail(request, staff)
    form = StaffForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.update_staff(acting_user=request.user, staff=staff, **data),
        success=_("Saved."),
    ).ok:
        return redirect("staffing:staff_detail", request.program.slug, staff.pk)
    return _detail(request, staff, form=form)


@requires(MANAGE)
@require_POST
def credential_add(request: HttpRequest, program_slug: str, staff_id: int) -> HttpResponse:
    staff = access_staff(request.program, staff_id)
    form = CredentialForm(request.POST, request.FILES)
    if submit(
        request,
        form,
        lambda data: services_credentials.add_credential(
            acting_user=request.user, staff=staff, **data
        ),
        success=_("Credential added."),
    ).ok:
        return redirect("staffing:staff_detail", request.program.slug, staff.pk)
    return _detail(request, staff, cred_form=form)


@requires(MANAGE)
@require_POST
def credential_verify(
    request: HttpRequest, program_slug: str, staff_id: int, credential_id: int
) -> HttpResponse:
    staff = access_staff(request.program, staff_id)
    credential = access_credential(staff, credential_id)
    if request.POST.get("remove"):
        services_credentials.remove_credential(
            acting_user=request.user, staff=staff, credential=credential
        )
        messages.success(request, _("Credential removed."))
    else:
        services_credentials.verify_credential(
            acting_user=request.user, staff=staff, credential=credential
        )
        messages.success(request, _("Marked as checked."))
    return redirect("staffing:staff_detail", request.program.slug, staff.pk)


@requires(MANAGE)
@require_POST
def block_add(request: HttpRequest, program_slug: str, staff_id: int) -> HttpResponse:
    staff = access_staff(request.program, staff_id)
    classrooms = Classroom.objects.filter(program=request.program, is_active=True)
    form = BlockForm(request.POST, classrooms=classrooms)
    if submit(
        request,
        form,
        lambda data: services.add_schedule_block(acting_user=request.user, staff=staff, **data),
        success=_("Added to the schedule."),
    ).ok:
        return redirect("staffing:staff_detail", request.program.slug, staff.pk)
    return _detail(request, staff, block_form=form)


@requires(MANAGE)
@require_POST
def block_remove(
    request: HttpRequest, program_slug: str, staff_id: int, block_id: int
) -> HttpResponse:
    staff = access_staff(request.program, staff_id)
    services.remove_schedule_block(acting_user=request.user, block=access_block(staff, block_id))
    messages.success(request, _("Removed from the schedule."))
    return redirect("staffing:staff_detail", request.program.slug, staff.pk)


@requires(MANAGE)
@require_POST
def separate(request: HttpRequest, program_slug: str, staff_id: int) -> HttpResponse:
    staff = access_staff(request.program, staff_id)
    form = SeparateForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.separate_staff(
            acting_user=request.user,
            staff=staff,
            separated_on=data["separated_on"],
            reason=data["reason"],
            note=data["note"],
        ),
        success=lambda _result: _("%(name)s's last day is recorded.") % {"name": staff},
    ).ok:
        return redirect("staffing:staff_list", request.program.slug)
    return _detail(request, staff, sep_form=form)


@requires(MANAGE)
@require_POST
def board_clock(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The ratio board's clock form names the person in the form, not the URL."""
    staff_id = request.POST.get("staff") or ""
    if not staff_id.isdigit():
        messages.error(request, _("Choose a staff member."))
        return redirect("staffing:board", request.program.slug)
    return clock(request, program_slug, int(staff_id), to_board=True)


@requires(MANAGE)
@require_POST
def clock(
    request: HttpRequest, program_slug: str, staff_id: int, to_board: bool = False
) -> HttpResponse:
    """Clock a person in (to a classroom) or out, from their page or the ratio board."""
    staff = access_staff(request.program, staff_id)
    try:
        if request.POST.get("action") == "out":
            services.clock_out(acting_user=request.user, staff=staff)
            messages.success(request, _("%(name)s clocked out.") % {"name": staff})
        else:
            room_id = request.POST.get("classroom") or ""
            room = access_classroom(request.program, int(room_id)) if room_id.isdigit() else None
            services.clock_in(acting_user=request.user, staff=staff, classroom=room)
            messages.success(request, _("%(name)s clocked in.") % {"name": staff})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if to_board:
        return redirect("staffing:board", request.program.slug)
    return redirect("staffing:staff_detail", request.program.slug, staff.pk)


@requires(MANAGE)
def compliance(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    report = queries.program_compliance(program, today)
    show = request.GET.get("show", "problems")
    rows = report.rows if show == "all" else [r for r in report.rows if r.problems]
    return render(
        request,
        "staffing/compliance.html",
        {"program": program, "report": report, "rows": rows, "show": show, "today": today},
    )
