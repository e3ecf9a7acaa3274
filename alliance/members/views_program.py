"""A member program's own pages. The tenant middleware has already opened its scope and
turned away users of other programs with 404; each view names the permission it needs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.accounts.models import Invitation, Role
from alliance.accounts.services import invite
from alliance.core.charts import Bar, bar_chart
from alliance.core.models import AuditEntry
from alliance.core.policy import Perm, RoleKind, has_perm
from alliance.core.tables import build_table
from alliance.members import queries, services
from alliance.members.access import access_classroom
from alliance.members.decorators import requires
from alliance.members.forms import ClassroomForm, InviteForm, ProgramForm


@requires(Perm.PROGRAM_VIEW)
def dashboard(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    rooms = list(queries.classrooms_of(program).filter(is_active=True))
    chart = (
        bar_chart(
            [
                Bar(
                    label=r.name,
                    value=r.staffed_capacity,
                    display=f"{r.staffed_capacity} / {r.licensed_capacity}",
                )
                for r in rooms
            ],
            title=_("Staffed capacity by classroom (staffed / licensed)"),
        )
        if rooms
        else None
    )
    return render(
        request,
        "members/program/dashboard.html",
        {
            "program": program,
            "summary": queries.program_summary(program),
            "rooms": rooms,
            "chart": chart,
            "days_left": program.license_days_left(today),
            "membership": getattr(program, "membership", None),
            "can_manage": has_perm(request.user, Perm.PROGRAM_MANAGE, program=program),
            "activity": queries.recent_activity(program=program, limit=6),
        },
    )


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    if request.method == "POST" and not can_manage:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = ProgramForm(request.POST if request.method == "POST" else None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_program(acting_user=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("members:program_profile", program.slug)
    if not can_manage:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "members/program/profile.html",
        {"program": program, "form": form, "can_manage": can_manage},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_VIEW)
def classrooms(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    table = build_table(
        request,
        queries.classrooms_of(program),
        columns=[
            (_("Classroom"), "name"),
            (_("Ages (months)"), "ages"),
            (_("Licensed"), "licensed"),
            (_("Staffed"), "staffed"),
            (_("In use"), None),
        ],
        orderings={
            "name": ("name",),
            "ages": ("age_min_months", "age_max_months"),
            "licensed": ("licensed_capacity",),
            "staffed": ("staffed_capacity",),
        },
        default_sort="ages",
    )
    return render(
        request,
        "members/program/classrooms.html",
        {
            "program": program,
            "table": table,
            "can_manage": has_perm(request.user, Perm.PROGRAM_MANAGE, program=program),
        },
    )


@requires(Perm.PROGRAM_MANAGE)
@require_http_methods(["GET", "POST"])
def classroom_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            classroom = services.create_classroom(
                acting_user=request.user,
                program=program,
                name=data["name"],
                age_min_months=data["age_min_months"],
                age_max_months=data["age_max_months"],
                licensed_capacity=data["licensed_capacity"],
                staffed_capacity=data["staffed_capacity"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Classroom “%(name)s” added.") % {"name": classroom.name})
            return redirect("members:classrooms", program.slug)
    return render(
        request,
        "members/program/classroom_form.html",
        {"program": program, "form": form, "classroom": None},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_MANAGE)
@require_http_methods(["GET", "POST"])
def classroom_edit(request: HttpRequest, program_slug: str, classroom_id: int) -> HttpResponse:
    program = request.program
    classroom = access_classroom(program, classroom_id)
    initial = {f: getattr(classroom, f) for f in services.CLASSROOM_FIELDS}
    form = ClassroomForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["staffed_capacity"] is None:
            data["staffed_capacity"] = data["licensed_capacity"]
        try:
            services.update_classroom(acting_user=request.user, classroom=classroom, **data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Classroom “%(name)s” saved.") % {"name": classroom.name})
            return redirect("members:classrooms", program.slug)
    return render(
        request,
        "members/program/classroom_form.html",
        {"program": program, "form": form, "classroom": classroom},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_INVITE)
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invite(
                acting_user=request.user,
                email=form.cleaned_data["email"],
                kind=RoleKind.STAFF,
                alliance=program.alliance,
                program=program,
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("members:program_people", program.slug)
    roles = (
        Role.objects.filter(program=program)
        .select_related("user")
        .order_by("kind", "user__full_name")
    )
    pending = [
        i
        for i in Invitation.objects.filter(
            program=program,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
    ]
    return render(
        request,
        "members/program/people.html",
        {"program": program, "form": form, "roles": roles, "pending": pending},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_INVITE)
def audit(request: HttpRequest, program_slug: str) -> HttpResponse:
    table = build_table(
        request,
        AuditEntry.objects.select_related("actor", "program"),
        columns=[(_("When"), "at"), (_("Who"), None), (_("Program"), None), (_("What"), None)],
        orderings={"at": ("at",)},
        default_sort="-at",
        per_page=50,
    )
    return render(request, "members/audit.html", {"program": request.program, "table": table})
