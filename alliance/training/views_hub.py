"""Hub pages: the course catalog, sessions and their rosters, the registry export.
Every view requires HUB_MANAGE."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.accounts.models import User
from alliance.core.forms import submit
from alliance.core.policy import Perm, RoleKind
from alliance.core.tables import build_table
from alliance.members.decorators import requires
from alliance.members.models import Alliance
from alliance.training import queries, services
from alliance.training.access import access_course, access_session
from alliance.training.export import registry_csv
from alliance.training.forms import CourseForm, SessionForm
from alliance.training.models import SessionStatus


def trainers_of(alliance: Alliance) -> QuerySet[User]:
    """People who may be picked as trainer: hub staff, directors and staff of the alliance."""
    kinds = [RoleKind.HUB, RoleKind.DIRECTOR, RoleKind.STAFF]
    return (
        User.objects.filter(roles__alliance=alliance, roles__kind__in=kinds, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


@requires(Perm.HUB_MANAGE)
def sessions(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    show = request.GET.get("show", "upcoming")
    rows = queries.sessions_of(alliance)
    now = timezone.now()
    rows = rows.filter(ends_at__lt=now) if show == "past" else rows.filter(ends_at__gte=now)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        rows = rows.filter(Q(course__title__icontains=q) | Q(location__icontains=q))
    table = build_table(
        request,
        rows,
        columns=[
            (_("Starts"), "starts"),
            (_("Course"), "course"),
            (_("Language"), None),
            (_("Place"), None),
            (_("Seats taken"), None),
            (_("Waitlist"), None),
            (_("Status"), None),
        ],
        orderings={"starts": ("starts_at", "pk"), "course": ("course__title", "starts_at")},
        default_sort="-starts" if show == "past" else "starts",
    )
    return render(
        request,
        "training/hub/sessions.html",
        {"alliance": alliance, "table": table, "show": show, "q": q, "year": now.year},
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def courses(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = CourseForm(request.POST if request.method == "POST" else None)
    if submit(
        request,
        form,
        lambda data: services.create_course(acting_user=request.user, alliance=alliance, **data),
        success=_("Course added to the catalog."),
    ).ok:
        return redirect("training:hub_courses", alliance.slug)
    return render(
        request,
        "training/hub/courses.html",
        {"alliance": alliance, "form": form, "courses": queries.courses_of(alliance)},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, alliance_slug: str, course_id: int) -> HttpResponse:
    alliance = request.alliance
    course = access_course(alliance.pk, course_id)
    if request.method == "POST":
        form = CourseForm(request.POST, instance=copy.copy(course))
        if submit(
            request,
            form,
            lambda data: services.update_course(acting_user=request.user, course=course, **data),
            success=_("Course saved."),
        ).ok:
            return redirect("training:hub_courses", alliance.slug)
    else:
        form = CourseForm(instance=course)
    return render(
        request,
        "training/hub/course_form.html",
        {"alliance": alliance, "course": course, "form": form},
        status=422 if form.errors else 200,
    )


def _session_form(request: HttpRequest, alliance: Alliance, instance=None) -> SessionForm:
    # The form validates a copy; only the service writes to the real row.
    return SessionForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(instance) if instance is not None else None,
        alliance=alliance,
        trainers=trainers_of(alliance),
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = _session_form(request, alliance)
    if request.method == "GET" and request.GET.get("course"):
        form.initial["course"] = request.GET["course"]
    outcome = submit(
        request,
        form,
        lambda data: services.schedule_session(acting_user=request.user, alliance=alliance, **data),
        success=_("Session scheduled."),
    )
    if outcome.ok:
        return redirect("training:hub_session", alliance.slug, outcome.result.pk)
    return render(
        request,
        "training/hub/session_form.html",
        {"alliance": alliance, "form": form, "session": None},
        status=422 if form.errors else 200,
    )


def _hours_or_course(cleaned: dict) -> dict:
    """A session left without hours counts its course's hours."""
    data = dict(cleaned)
    if data.get("hours") is None:
        data["hours"] = data["course"].hours
    return data


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    alliance = request.alliance
    session = access_session(alliance.pk, session_id)
    form = _session_form(request, alliance, instance=session)
    if request.method == "GET":
        form.initial["hours"] = session.hours
    if submit(
        request,
        form,
        lambda data: services.update_session(
            acting_user=request.user, session=session, **_hours_or_course(data)
        ),
        success=_("Session saved."),
    ).ok:
        return redirect("training:hub_session", alliance.slug, session.pk)
    return render(
        request,
        "training/hub/session_form.html",
        {"alliance": alliance, "form": form, "session": session},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
def session_detail(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    alliance = request.alliance
    session = access_session(alliance.pk, session_id)
    return render(
        request,
        "training/hub/session_detail.html",
        {
            "alliance": alliance,
            "session": session,
            "roster": queries.roster(session),
            "is_cancelled": session.status == SessionStatus.CANCELLED,
            "open": session.status == SessionStatus.SCHEDULED
            and session.starts_at > timezone.now(),
        },
    )


@requires(Perm.HUB_MANAGE)
@require_POST
def session_cancel(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    alliance = request.alliance
    session = access_session(alliance.pk, session_id)
    try:
        services.cancel_session(acting_user=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Session cancelled; everyone registered has been told."))
    return redirect("training:hub_session", alliance.slug, session.pk)


@requires(Perm.HUB_MANAGE)
def registry_export(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Completed hours of a year as CSV for the state workforce registry."""
    alliance = request.alliance
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    # Built here, inside the tenant scope (a streamed body would be read after it closes).
    rows = queries.registry_rows(alliance, year).iterator(chunk_size=2000)
    response = HttpResponse(
        "".join(registry_csv(rows, tz=alliance.timezone)), content_type="text/csv; charset=utf-8"
    )
    filename = f"{alliance.slug}-training-hours-{year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
