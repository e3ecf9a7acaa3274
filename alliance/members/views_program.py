"""A member program's own pages. The tenant middleware has already opened its scope and
turned away users of other programs with 404; each view names the permission it needs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.accounts.services import invite
from alliance.core.charts import Bar, bar_chart
from alliance.core.forms import submit
from alliance.core.policy import Perm, RoleKind, has_perm
from alliance.core.tables import build_table
from alliance.members import queries, services
from alliance.members.access import access_classroom, access_site
from alliance.members.decorators import requires
from alliance.members.forms import ClassroomForm, InviteForm, ProgramForm, SiteForm


@requires(Perm.PROGRAM_VIEW)
def dashboard(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    rooms = list(queries.classrooms_of(program, active=True))
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
        raise PermissionDenied
    form = ProgramForm(request.POST if request.method == "POST" else None, instance=program)
    if submit(
        request,
        form,
        lambda data: services.update_program(acting_user=request.user, program=program, **data),
        success=_("Profile saved."),
    ).ok:
        return redirect("members:program_profile", program.slug)
    if not can_manage:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "members/program/profile.html",
        {
            "program": program,
            "form": form,
            "can_manage": can_manage,
            "sites": list(queries.sites_of(program)),
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_VIEW)
def classrooms(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    archived = request.GET.get("show") == "archived"
    table = build_table(
        request,
        queries.classrooms_of(program, active=not archived),
        columns=[
            (_("Classroom"), "name"),
            (_("Ages (months)"), "ages"),
            (_("Licensed"), "licensed"),
            (_("Staffed"), "staffed"),
            (_("Site"), None),
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
            "archived": archived,
            "can_manage": has_perm(request.user, Perm.PROGRAM_MANAGE, program=program),
        },
    )


def _classroom_data(cleaned: dict) -> dict:
    data = dict(cleaned)
    if data.get("staffed_capacity") is None:
        data["staffed_capacity"] = data["licensed_capacity"]
    return data


@requires(Perm.PROGRAM_MANAGE)
@require_http_methods(["GET", "POST"])
def classroom_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    sites = list(queries.sites_of(program))
    form = ClassroomForm(request.POST if request.method == "POST" else None, sites=sites)
    if submit(
        request,
        form,
        lambda data: services.create_classroom(
            acting_user=request.user, program=program, **_classroom_data(data)
        ),
        success=lambda classroom: _("Classroom “%(name)s” added.") % {"name": classroom.name},
    ).ok:
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
    form = ClassroomForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        sites=list(queries.sites_of(program)),
        editing=True,
    )
    was_active = classroom.is_active
    if submit(
        request,
        form,
        lambda data: services.update_classroom(
            acting_user=request.user, classroom=classroom, **_classroom_data(data)
        ),
    ).ok:
        if was_active and not classroom.is_active:
            message = _("Classroom “%(name)s” archived.")
        else:
            message = _("Classroom “%(name)s” saved.")
        messages.success(request, message % {"name": classroom.name})
        return redirect("members:classrooms", program.slug)
    return render(
        request,
        "members/program/classroom_form.html",
        {"program": program, "form": form, "classroom": classroom},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_VIEW)
def sites(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    return render(
        request,
        "members/program/sites.html",
        {
            "program": program,
            "sites": list(queries.sites_of(program).order_by("name", "pk")),
            "can_manage": has_perm(request.user, Perm.PROGRAM_MANAGE, program=program),
        },
    )


@requires(Perm.PROGRAM_MANAGE)
@require_http_methods(["GET", "POST"])
def site_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = SiteForm(request.POST if request.method == "POST" else None)
    if submit(
        request,
        form,
        lambda data: services.create_site(acting_user=request.user, program=program, **data),
        success=lambda site: _("Site “%(name)s” added.") % {"name": site.name},
    ).ok:
        return redirect("members:sites", program.slug)
    return render(
        request,
        "members/program/site_form.html",
        {"program": program, "form": form, "site": None},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_MANAGE)
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, program_slug: str, site_id: int) -> HttpResponse:
    program = request.program
    site = access_site(program, site_id)
    form = SiteForm(
        request.POST if request.method == "POST" else None,
        initial={f: getattr(site, f) for f in services.SITE_FIELDS},
    )
    if submit(
        request,
        form,
        lambda data: services.update_site(acting_user=request.user, site=site, **data),
        success=lambda _result: _("Site “%(name)s” saved.") % {"name": site.name},
    ).ok:
        return redirect("members:sites", program.slug)
    return render(
        request,
        "members/program/site_form.html",
        {"program": program, "form": form, "site": site},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_INVITE)
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = InviteForm(request.POST if request.method == "POST" else None)
    if submit(
        request,
        form,
        lambda data: invite(
            acting_user=request.user,
            email=data["email"],
            kind=RoleKind.STAFF,
            alliance=program.alliance,
            program=program,
            full_name=data["full_name"],
            language=data["language"] or None,
        ),
        success=lambda _result: (
            _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
    ).ok:
        return redirect("members:program_people", program.slug)
    roles, pending = queries.program_people(program, now=timezone.now())
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
        queries.audit_entries(program=request.program),
        columns=[(_("When"), "at"), (_("Who"), None), (_("Program"), None), (_("What"), None)],
        orderings={"at": ("at",)},
        default_sort="-at",
        per_page=50,
    )
    return render(request, "members/audit.html", {"program": request.program, "table": table})
