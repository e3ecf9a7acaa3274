"""A program's openings (computed, plus the director's published or held seats), its
enrollment numbers, and the waiting families proposed, offered or referred to it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.policy import Perm, has_perm
from alliance.enrollment import services_openings, stats
from alliance.enrollment.access import (
    access_adjustment,
    access_program_application,
    visible_to_program,
)
from alliance.enrollment.forms import OpeningForm, ReferForm
from alliance.enrollment.models import Application, OpeningAdjustment
from alliance.enrollment.services_applications import refer_application
from alliance.members.access import access_classroom
from alliance.members.decorators import requires
from alliance.members.models import Program
from alliance.members.queries import classrooms_of


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def openings(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    rooms = list(classrooms_of(program, active=True))
    form = OpeningForm(request.POST or None, classrooms=rooms, initial={"starts_on": today})
    if request.method == "POST":
        if not can_manage:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services_openings.adjust_openings(
                    acting_user=request.user,
                    program=program,
                    classroom=access_classroom(program, d["classroom"]),
                    kind=d["kind"],
                    seats=d["seats"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    note=d["note"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Openings updated."))
                return redirect("enrollment:openings", program.slug)
    figures = stats.numbers([program], today)
    return render(
        request,
        "enrollment/program/openings.html",
        {
            "program": program,
            "figures": figures,
            "form": form,
            "can_manage": can_manage,
            "adjustments": OpeningAdjustment.objects.filter(program=program)
            .select_related("classroom")
            .order_by("-starts_on")[:50],
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_MANAGE)
@require_POST
def opening_remove(request: HttpRequest, program_slug: str, adjustment_id: int) -> HttpResponse:
    program = request.program
    services_openings.remove_adjustment(
        acting_user=request.user, adjustment=access_adjustment(program, adjustment_id)
    )
    messages.success(request, _("Removed."))
    return redirect("enrollment:openings", program.slug)


@requires(Perm.PROGRAM_VIEW)
def program_applications(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    applications = (
        Application.objects.filter(alliance_id=program.alliance_id)
        .filter(visible_to_program(program))
        .select_related("family")
        .prefetch_related("applicants__child")
        .distinct()
        .order_by("submitted_at")[:200]
    )
    return render(
        request,
        "enrollment/program/applications.html",
        {"program": program, "applications": applications},
    )


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def program_application(
    request: HttpRequest, program_slug: str, application_id: int
) -> HttpResponse:
    program = request.program
    application = access_program_application(program, application_id)
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    others = Program.objects.filter(alliance_id=program.alliance_id).exclude(pk=program.pk)
    form = ReferForm(request.POST or None, programs=others)
    if request.method == "POST":
        if not can_manage:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                refer_application(
                    acting_user=request.user,
                    application=application,
                    to_program=others.get(pk=form.cleaned_data["to_program"]),
                    from_program=program,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The family is referred."))
                return redirect("enrollment:program_applications", program.slug)
    return render(
        request,
        "enrollment/program/application.html",
        {
            "program": program,
            "application": application,
            "applicants": application.applicants.select_related("child"),
            "form": form,
            "can_manage": can_manage,
        },
        status=422 if form.errors else 200,
    )
