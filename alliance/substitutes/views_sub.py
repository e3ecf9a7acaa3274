"""A substitute's own pages: offers, shifts, hours, profile and availability.

These URLs carry no tenant, so each view finds the caller's own profile and opens its
alliance's scope (or the shift's program scope) itself. Only the caller's own offers and
shifts are reachable (404 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core.forms import submit
from alliance.core.tenancy import alliance_scope, program_scope
from alliance.members.models import Program
from alliance.substitutes import queries, services, services_after, services_pool
from alliance.substitutes.access import access_my_assignment, access_my_offer, profile_of_user
from alliance.substitutes.forms import AvailabilityForm, DayOffForm, ProfileForm, TimesheetForm
from alliance.substitutes.messages import is_invitation
from alliance.substitutes.models import AssignmentStatus, AvailabilityException
from alliance.substitutes.views_offer import offer_state


def substitute_only(view: Callable) -> Callable:
    """Signed out → sign-in; signed in without a pool profile → 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        profile = profile_of_user(request.user)
        if profile is None:
            raise PermissionDenied
        request.sub_profile = profile
        return view(request, *args, **kwargs)

    return wrapped


@substitute_only
def my_shifts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "substitutes/me/shifts.html",
        {
            "profile": request.sub_profile,
            "offers": queries.open_offers_for(request.user),
            "upcoming": queries.shifts_for(request.user),
            "past": queries.shifts_for(request.user, past=True)[:20],
        },
    )


@substitute_only
@require_http_methods(["GET", "POST"])
def my_offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = access_my_offer(request.user, offer_id)
    program = offer.request.program
    context = {
        "offer": offer,
        "req": offer.request,
        "program": program,
        "signed_in": True,
        "invitation": is_invitation(offer),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            with program_scope(program):
                if action == "accept":
                    services.accept_offer(acting_user=request.user, offer_id=offer.pk)
                    messages.success(request, _("The shift is yours. Thank you!"))
                elif action == "volunteer":
                    services.volunteer_offer(acting_user=request.user, offer_id=offer.pk)
                    messages.success(request, _("Thank you for volunteering!"))
                elif action == "decline":
                    services.decline_offer(acting_user=request.user, offer_id=offer.pk)
                    messages.success(request, _("Declined. Thank you for answering."))
                else:
                    context["problem"] = _("Choose accept or decline.")
                    context["state"] = offer_state(offer)
                    return render(request, "substitutes/offer.html", context, status=422)
        except services.OfferUnavailable as exc:
            context["problem"] = exc.message
            context["state"] = offer_state(offer)
            return render(request, "substitutes/offer.html", context, status=409)
        return redirect("substitutes:my_shifts")
    context["state"] = offer_state(offer)
    return render(request, "substitutes/offer.html", context)


@substitute_only
@require_http_methods(["GET", "POST"])
def my_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = access_my_assignment(request.user, assignment_id)
    sub_request = assignment.request
    program = sub_request.program
    form = TimesheetForm(
        request.POST if request.POST.get("action") == "hours" else None,
        days=sub_request.days,
        initial={"start": sub_request.start, "end": sub_request.end, "break_minutes": 0},
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        with program_scope(program):
            if action == "cancel":
                try:
                    services.cancel_assignment(
                        acting_user=request.user,
                        assignment=assignment,
                        reason=request.POST.get("reason", ""),
                    )
                except ValidationError as exc:
                    for text in exc.messages:
                        messages.error(request, text)
                    return redirect("substitutes:my_assignment", assignment.pk)
                messages.success(request, _("Cancelled. The program has been told."))
                return redirect("substitutes:my_shifts")
            if submit(  # the form is bound only when its action was posted
                request,
                form,
                lambda data: services_after.submit_timesheet(
                    acting_user=request.user, assignment=assignment, **data
                ),
                success=_("Hours sent for approval."),
            ).ok:
                return redirect("substitutes:my_assignment", assignment.pk)
            status = 422
    with program_scope(program):
        sheets = list(assignment.timesheets.order_by("work_date"))
    return render(
        request,
        "substitutes/me/assignment.html",
        {
            "assignment": assignment,
            "req": sub_request,
            "program": program,
            "form": form,
            "sheets": sheets,
            "confirmed": assignment.status == AssignmentStatus.CONFIRMED,
            "worked": assignment.status in (AssignmentStatus.CONFIRMED, AssignmentStatus.COMPLETED),
        },
        status=status,
    )


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _availability_initial(profile) -> dict:
    initial = {}
    for window in profile.availability.all():
        initial[f"d{window.weekday}_start"] = window.start
        initial[f"d{window.weekday}_end"] = window.end
    return initial


@substitute_only
@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    profile = request.sub_profile
    with alliance_scope(profile.alliance):
        programs = list(Program.objects.filter(alliance=profile.alliance).order_by("name"))
        which = request.POST.get("form") if request.method == "POST" else None
        form = ProfileForm(
            request.POST if which == "profile" else None,
            programs=programs,
            initial={
                "qualifications": profile.qualifications,
                "languages": profile.languages,
                "home_town": profile.home_town,
                "travel_miles": profile.travel_miles,
                "preferred_programs": list(profile.preferred_programs.all()),
                "blocked_programs": list(profile.blocked_programs.all()),
            },
        )
        availability = AvailabilityForm(
            request.POST if which == "availability" else None,
            initial=_availability_initial(profile),
        )
        day_off = DayOffForm(request.POST if which == "day_off" else None)
        saved = None
        if which == "profile" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services_pool.update_profile(
                    acting_user=request.user,
                    profile=profile,
                    preferred_programs=data.pop("preferred_programs"),
                    blocked_programs=data.pop("blocked_programs"),
                    **data,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                saved = _("Profile saved.")
        elif which == "availability" and availability.is_valid():
            services_pool.set_availability(
                acting_user=request.user, profile=profile, windows=availability.windows()
            )
            saved = _("Availability saved.")
        elif which == "day_off" and day_off.is_valid():
            try:
                services_pool.add_day_off(
                    acting_user=request.user, profile=profile, **day_off.cleaned_data
                )
            except ValidationError as exc:
                day_off.add_service_errors(exc)
            else:
                saved = _("Day off added.")
        elif which == "remove_day_off":
            services_pool.remove_day_off(
                acting_user=request.user,
                profile=profile,
                day_off_id=_int(request.POST.get("day_off_id")),
            )
            saved = _("Day off removed.")
        if saved:
            messages.success(request, saved)
            return redirect("substitutes:my_profile")
        days_off = list(AvailabilityException.objects.filter(profile=profile).order_by("day"))
    rows = [(availability[f"d{n}_start"], availability[f"d{n}_end"]) for n in range(7)]
    invalid = form.errors or availability.errors or day_off.errors
    return render(
        request,
        "substitutes/me/profile.html",
        {
            "profile": profile,
            "form": form,
            "availability": availability,
            "rows": rows,
            "day_off": day_off,
            "days_off": days_off,
        },
        status=422 if invalid else 200,
    )
