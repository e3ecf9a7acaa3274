"""Elections pages: a staff member's own (``me/``) and a director acting for one of their
staff (``staff/<id>/``); the same page and the same services, on a phone first."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.benefits import queries, services_elections
from alliance.benefits.access import access_life_event, access_staff, program_dependents
from alliance.benefits.forms import DependentForm, LifeEventForm, percent_or_none
from alliance.benefits.models import Plan
from alliance.core.access import first_or_404
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.staffing.models import StaffMember


def _own(request: HttpRequest) -> StaffMember | None:
    return queries.own_staff_record(request.program, request.user)


def _page_url(request: HttpRequest, staff: StaffMember, own: bool) -> str:
    if own:
        return reverse("benefits:my_elections", args=[request.program.slug])
    return reverse("benefits:staff_elections", args=[request.program.slug, staff.pk])


def _elections_page(request: HttpRequest, staff: StaffMember | None, *, own: bool) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    posted_plan = request.POST.get("plan", "")
    if request.method == "POST" and staff is not None:
        kind = request.POST.get("kind", "")
        waive = request.POST.get("action") == "waive"
        plan = None
        if not waive and posted_plan.isdigit():
            plan = Plan.objects.filter(alliance_id=program.alliance_id, pk=int(posted_plan)).first()
        event = None
        if request.POST.get("life_event", "").isdigit():
            event = access_life_event(staff, int(request.POST["life_event"]))
        ids = [int(i) for i in request.POST.getlist("dependents") if i.isdigit()]
        try:
            services_elections.elect(
                acting_user=request.user, staff=staff, kind=kind, today=today, waive=waive,
                plan=plan, tier=request.POST.get("tier", ""),
                deferral_percent=percent_or_none(request.POST.get("deferral_percent", "")),
                dependents=program_dependents(program, ids), life_event=event,
                replace=request.POST.get("replace") == "1",
            )  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request,
                _("Saved: your waiver is recorded.") if waive else _("Saved: you are enrolled."),
            )
            return redirect(_page_url(request, staff, own))
    context = {
        "program": program,
        "staff": staff,
        "own": own,
        "errors": [m for msgs in errors.values() for m in msgs],
        "posted_plan": posted_plan,
        "dependent_form": DependentForm(),
        "event_form": LifeEventForm(),
    }
    if staff is not None:
        context["choices"] = queries.choices_for(staff, today)
    return render(request, "benefits/elections.html", context, status=422 if errors else 200)


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def my_elections(request: HttpRequest, program_slug: str) -> HttpResponse:
    staff = _own(request)
    if request.method == "POST" and staff is None:
        return render(request, "benefits/elections.html", {"program": request.program}, status=404)
    return _elections_page(request, staff, own=True)


@requires(Perm.BENEFITS_MANAGE)
@require_http_methods(["GET", "POST"])
def staff_elections(request: HttpRequest, program_slug: str, staff_id: int) -> HttpResponse:
    return _elections_page(request, access_staff(request.program, staff_id), own=False)


def _add(request: HttpRequest, staff: StaffMember, own: bool, what: str) -> HttpResponse:
    if what == "dependent":
        form = DependentForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: services_elections.add_dependent(
                acting_user=request.user, staff=staff, **data
            ),
            success=_("Dependent added."),
        )
    else:
        form = LifeEventForm(request.POST, request.FILES)
        done = submit(
            request,
            form,
            lambda data: services_elections.record_life_event(
                acting_user=request.user, staff=staff, today=timezone.localdate(), **data
            ),
            success=_("Life event recorded: you may change your elections."),
        )
    if not done.ok:
        context = {
            "program": request.program,
            "staff": staff,
            "own": own,
            "choices": queries.choices_for(staff, timezone.localdate()),
            "dependent_form": form if what == "dependent" else DependentForm(),
            "event_form": form if what == "event" else LifeEventForm(),
            "errors": [],
        }
        return render(request, "benefits/elections.html", context, status=422)
    return redirect(_page_url(request, staff, own))


@requires(Perm.PROGRAM_VIEW)
@require_POST
def my_add(request: HttpRequest, program_slug: str, what: str) -> HttpResponse:
    staff = first_or_404(
        StaffMember.objects.filter(pk=getattr(_own(request), "pk", None), program=request.program)
    )
    return _add(request, staff, True, what)


@requires(Perm.BENEFITS_MANAGE)
@require_POST
def staff_add(request: HttpRequest, program_slug: str, staff_id: int, what: str) -> HttpResponse:
    return _add(request, access_staff(request.program, staff_id), False, what)
