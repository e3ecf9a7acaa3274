"""A director's substitute pages: request cover, follow it, approve hours, rate.

The tenant middleware has opened the program's scope and 404s other programs' users;
viewing needs PROGRAM_VIEW (staff see the requests), changing needs SUBSTITUTES_REQUEST.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.charts import Bar, bar_chart
from alliance.core.forms import submit_flashing
from alliance.core.policy import Perm, has_perm
from alliance.core.tables import build_table
from alliance.members import queries as member_queries
from alliance.members.decorators import requires
from alliance.substitutes import queries, services, services_after, services_pool
from alliance.substitutes.access import access_request, access_timesheet
from alliance.substitutes.forms import ApproveForm, CancelForm, RatingForm, RequestForm
from alliance.substitutes.models import AssignmentStatus, DispatchMode, RequestStatus


def _pool_choices(program) -> list[tuple[int, str]]:
    return [
        (p.user_id, str(p.user))
        for p in queries.pool_of(program.alliance_id).filter(status="active")[:500]
    ]


@requires(Perm.PROGRAM_VIEW)
def request_list(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    past = request.GET.get("show") == "past"
    table = build_table(
        request,
        queries.requests_of(program, past=past),
        columns=[
            (_("Date"), "date"),
            (_("Hours"), None),
            (_("Classroom"), None),
            (_("Status"), "status"),
            (_("Substitute"), None),
        ],
        orderings={"date": ("first_date", "start"), "status": ("status", "first_date")},
        default_sort="-date" if past else "date",
    )
    return render(
        request,
        "substitutes/program/requests.html",
        {
            "program": program,
            "table": table,
            "past": past,
            "can_request": has_perm(request.user, Perm.SUBSTITUTES_REQUEST, program=program),
            "timesheets": queries.pending_timesheets(program),
            "budget": queries.budget_status(program, timezone.localdate().year),
        },
    )


@requires(Perm.SUBSTITUTES_REQUEST)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    classrooms = list(member_queries.classrooms_of(program, active=True))
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        classrooms=classrooms,
        pool=_pool_choices(program),
        initial={"day": timezone.localdate(), "start": "07:30", "end": "16:00"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        preferred = None
        if data.get("preferred"):
            from alliance.accounts.models import User

            preferred = User.objects.filter(pk=data["preferred"]).first()
        try:
            sub_request = services.create_request(
                acting_user=request.user,
                program=program,
                classroom=data.get("classroom"),
                dates=form.dates(),
                start=data["start"],
                end=data["end"],
                requirements=data.get("requirements") or [],
                notes=data.get("notes") or "",
                preferred=preferred,
                mode=data.get("mode") or None,
                tiered=False if data.get("skip_tiers") else None,
            )
        except ValidationError as exc:
            if "dates" in getattr(exc, "error_dict", {}):
                exc.error_dict["day"] = exc.error_dict.pop("dates")
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Request sent. We are contacting substitutes now."))
            return redirect("substitutes:request_detail", program.slug, sub_request.pk)
    return render(
        request,
        "substitutes/program/request_form.html",
        {"program": program, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.PROGRAM_VIEW)
def request_detail(request: HttpRequest, program_slug: str, request_id: int) -> HttpResponse:
    program = request.program
    sub_request = access_request(program, request_id)
    assignment = queries.assignment_of(sub_request)
    can_act = has_perm(request.user, Perm.SUBSTITUTES_REQUEST, program=program)
    started = services.shift_start(program, sub_request.first_date, sub_request.start) <= (
        timezone.now()
    )
    return render(
        request,
        "substitutes/program/request_detail.html",
        {
            "program": program,
            "req": sub_request,
            "assignment": assignment,
            "offers": queries.offers_of(sub_request),
            "can_act": can_act,
            "started": started,
            "cancel_form": CancelForm(),
            "rating_form": RatingForm(
                initial={"stars": assignment.rating.stars}
                if assignment and hasattr(assignment, "rating")
                else None
            ),
            "open": sub_request.status == RequestStatus.OPEN,
            "confirmed": assignment is not None and assignment.status == AssignmentStatus.CONFIRMED,
            "picks": sub_request.mode == DispatchMode.PICKS,
            "volunteers": queries.volunteers_of(sub_request)
            if sub_request.mode == DispatchMode.PICKS
            else [],
            "backups": queries.backups_of(sub_request),
            "favourites": queries.favourite_ids(program),
        },
    )


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def pick(request: HttpRequest, program_slug: str, request_id: int) -> HttpResponse:
    """Director-picks mode: choose one volunteer (exactly one assignment)."""
    program = request.program
    sub_request = access_request(program, request_id)
    try:
        offer_id = int(request.POST.get("offer_id", ""))
    except ValueError:
        offer_id = 0
    try:
        assignment = services.pick_volunteer(
            acting_user=request.user, request=sub_request, offer_id=offer_id
        )
    except ValidationError as exc:
        return _refused(request, program, request_id, exc)
    return _done(
        request,
        program,
        request_id,
        _("%(name)s is coming; the other volunteers were told and are backups.")
        % {"name": assignment.substitute},
    )


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def favourite(request: HttpRequest, program_slug: str, user_id: int) -> HttpResponse:
    """Mark (``action=mark``) or unmark a favourite substitute, then go back."""
    from alliance.accounts.models import User

    program = request.program
    substitute = User.objects.filter(pk=user_id).first()
    back = _safe_next(request) or reverse("substitutes:people", args=[program.slug])
    if substitute is None:
        messages.error(request, _("This person is not in your alliance's substitute pool."))
        return redirect(back)
    try:
        if request.POST.get("action") == "unmark":
            services_pool.unmark_favourite(
                acting_user=request.user, program=program, substitute=substitute
            )
            messages.success(
                request, _("%(name)s is no longer a favourite.") % {"name": substitute}
            )
        else:
            services_pool.mark_favourite(
                acting_user=request.user, program=program, substitute=substitute
            )
            messages.success(
                request, _("%(name)s is a favourite: asked first.") % {"name": substitute}
            )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect(back)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@requires(Perm.PROGRAM_VIEW)
def people(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The program's substitutes: favourites and everyone who worked here, with ratings."""
    program = request.program
    return render(
        request,
        "substitutes/program/people.html",
        {
            "program": program,
            "rows": queries.program_substitutes(program),
            "can_act": has_perm(request.user, Perm.SUBSTITUTES_REQUEST, program=program),
        },
    )


def _done(request: HttpRequest, program, request_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("substitutes:request_detail", program.slug, request_id)


def _refused(request: HttpRequest, program, request_id: int, exc: ValidationError):
    for text in exc.messages:
        messages.error(request, text)
    return redirect("substitutes:request_detail", program.slug, request_id)


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def request_cancel(request: HttpRequest, program_slug: str, request_id: int) -> HttpResponse:
    program = request.program
    sub_request = access_request(program, request_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_request(acting_user=request.user, request=sub_request, reason=reason)
    except ValidationError as exc:
        return _refused(request, program, request_id, exc)
    return _done(request, program, request_id, _("Request cancelled; substitutes were told."))


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def request_redispatch(request: HttpRequest, program_slug: str, request_id: int) -> HttpResponse:
    program = request.program
    sub_request = access_request(program, request_id)
    try:
        services.redispatch(acting_user=request.user, request=sub_request)
    except ValidationError as exc:
        return _refused(request, program, request_id, exc)
    return _done(request, program, request_id, _("Sent again to the pool."))


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def no_show(request: HttpRequest, program_slug: str, request_id: int) -> HttpResponse:
    program = request.program
    sub_request = access_request(program, request_id)
    assignment = queries.assignment_of(sub_request)
    if assignment is None:
        return _refused(request, program, request_id, ValidationError(_("Nobody is assigned.")))
    try:
        services.record_no_show(acting_user=request.user, assignment=assignment)
    except ValidationError as exc:
        return _refused(request, program, request_id, exc)
    return _done(request, program, request_id, _("No-show recorded."))


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def rate(request: HttpRequest, program_slug: str, request_id: int) -> HttpResponse:
    program = request.program
    sub_request = access_request(program, request_id)
    assignment = queries.assignment_of(sub_request)
    form = RatingForm(request.POST)
    if assignment is None or not form.is_valid():
        messages.error(request, _("Choose 1 to 5 stars."))
        return redirect("substitutes:request_detail", program.slug, request_id)
    try:
        services_after.rate_substitute(
            acting_user=request.user,
            assignment=assignment,
            stars=form.cleaned_data["stars"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        return _refused(request, program, request_id, exc)
    return _done(request, program, request_id, _("Thank you for rating."))


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def block(request: HttpRequest, program_slug: str, request_id: int) -> HttpResponse:
    program = request.program
    sub_request = access_request(program, request_id)
    assignment = queries.assignment_of(sub_request)
    if assignment is None:
        return _refused(request, program, request_id, ValidationError(_("Nobody is assigned.")))
    services_pool.block_substitute(
        acting_user=request.user,
        program=program,
        substitute=assignment.substitute,
        reason=request.POST.get("reason", ""),
    )
    return _done(request, program, request_id, _("They will not be offered your shifts again."))


@requires(Perm.SUBSTITUTES_REQUEST)
@require_POST
def timesheet_approve(request: HttpRequest, program_slug: str, timesheet_id: int) -> HttpResponse:
    program = request.program
    sheet = access_timesheet(program, timesheet_id)
    submit_flashing(
        request,
        ApproveForm(request.POST),
        lambda data: services_after.approve_timesheet(
            acting_user=request.user, timesheet=sheet, **data
        ),
        success=_("Hours approved."),
    )
    return redirect("substitutes:requests", program.slug)


@requires(Perm.PROGRAM_VIEW)
def numbers(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    figures = queries.numbers(alliance_id=program.alliance_id, program=program)
    return render(
        request,
        "substitutes/numbers.html",
        {"program": program, "n": figures, "chart": trend_chart(figures)},
    )


def trend_chart(figures: queries.Numbers):
    if not figures.by_month:
        return None
    return bar_chart(
        [
            Bar(
                label=month.strftime("%b %Y"),
                value=filled,
                display=_("%(f)d filled, %(u)d unfilled") % {"f": filled, "u": unfilled},
            )
            for month, filled, unfilled in figures.by_month
        ],
        title=_("Filled requests by month"),
    )
