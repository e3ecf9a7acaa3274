"""A program's openings (computed, plus the director's published or held seats), its
enrollment numbers, and the waiting families proposed, offered or referred to it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.forms import submit
from alliance.core.policy import Perm, has_perm
from alliance.core.tenancy import alliance_scope
from alliance.enrollment import charts, services_openings, stats
from alliance.enrollment.access import (
    access_adjustment,
    access_program_application,
    access_referral_to,
    visible_to_program,
)
from alliance.enrollment.forms import OpeningForm, ReferForm
from alliance.enrollment.models import Application, OpeningAdjustment, ReferralStatus
from alliance.enrollment.services_applications import refer_application, respond_to_referral
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
        if submit(
            request,
            form,
            lambda d: services_openings.adjust_openings(
                acting_user=request.user,
                program=program,
                classroom=access_classroom(program, d["classroom"]),
                kind=d["kind"],
                seats=d["seats"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                note=d["note"],
            ),
            success=_("Openings updated."),
        ).ok:
            return redirect("enrollment:openings", program.slug)
    figures = stats.numbers([program], today)
    trend = charts.rate_trend([program], today)
    return render(
        request,
        "enrollment/program/openings.html",
        {
            "program": program,
            "figures": figures,
            "trend": trend,
            "trend_chart": charts.trend_chart(trend, today),
            "forecast_chart": charts.forecast_chart(figures["dates"], figures["forecast"], today),
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
    """A family's application as this program sees it: refer it on, or answer a referral
    made to this program."""
    program = request.program
    application = access_program_application(program, application_id)
    can_manage = has_perm(request.user, Perm.PROGRAM_MANAGE, program=program)
    with alliance_scope(program.alliance_id):  # a program's scope shows only that program
        others = list(
            Program.objects.filter(alliance_id=program.alliance_id).exclude(pk=program.pk)
        )
    action = request.POST.get("action", "refer") if request.method == "POST" else None
    form = ReferForm(request.POST if action == "refer" else None, programs=others)
    referrals = list(
        application.referrals.filter(to_program=program).select_related("from_program")
    )
    pending = next((r for r in referrals if r.status == ReferralStatus.PENDING), None)
    answer_error = ""
    if action and not can_manage:
        raise PermissionDenied
    if submit(  # the form is bound only when its action was posted
        request,
        form,
        lambda data: refer_application(
            acting_user=request.user,
            application=application,
            to_program=next(p for p in others if p.pk == data["to_program"]),
            from_program=program,
            note=data["note"],
        ),
        success=_("The family is referred."),
    ).ok:
        return redirect("enrollment:program_applications", program.slug)
    if action == "answer":
        try:
            if pending is None:
                raise ValidationError({"__all__": _("There is no referral to answer.")})
            respond_to_referral(
                acting_user=request.user,
                referral=access_referral_to(program, pending.pk),
                accept=request.POST.get("answer") == "accept",
                note=request.POST.get("response_note", ""),
            )
        except ValidationError as exc:
            answer_error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("enrollment:program_application", program.slug, application.pk)
    return render(
        request,
        "enrollment/program/application.html",
        {
            "program": program,
            "application": application,
            "applicants": application.applicants.select_related("child"),
            "form": form,
            "can_manage": can_manage,
            "referrals": referrals,
            "pending": pending,
            "answer_error": answer_error,
        },
        status=422 if form.errors or answer_error else 200,
    )
