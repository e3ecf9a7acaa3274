"""Pages for people of the alliance (staff, directors, providers, substitutes): the session
catalog, registering and cancelling, their own hours and certificates, the trainer's
attendance sheet, and the calendar feeds."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core import policy
from alliance.core.policy import Perm
from alliance.core.tables import build_table
from alliance.members.decorators import requires
from alliance.training import queries, services
from alliance.training.access import (
    access_own_registration,
    access_registration,
    access_session,
    directed_programs,
    may_take_training,
    staff_people,
    workforce_person,
)
from alliance.training.certificates import certificate_pdf
from alliance.training.feeds import calendar
from alliance.training.models import (
    Attendance,
    FeedToken,
    Registration,
    RegistrationStatus,
    SessionLanguage,
    SessionStatus,
)


@requires(Perm.ALLIANCE_MEMBER)
def catalog(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    rows = queries.upcoming_sessions(alliance)
    language = request.GET.get("language", "")
    if language in SessionLanguage.values:
        rows = rows.filter(language=language)
    table = build_table(
        request,
        rows,
        columns=[(_("When"), "starts"), (_("Course"), "course"), (_("Seats"), None)],
        orderings={"starts": ("starts_at", "pk"), "course": ("course__title", "starts_at")},
        default_sort="starts",
    )
    mine = dict(
        Registration.objects.filter(
            alliance=alliance, person=request.user, session__in=[s.pk for s in table.rows]
        ).values_list("session_id", "status")
    )
    for session in table.rows:
        session.my_status = mine.get(session.pk)
        session.seats_left = max(0, session.seats - session.confirmed)
    return render(
        request,
        "training/member/catalog.html",
        {
            "alliance": alliance,
            "table": table,
            "language": language,
            "languages": SessionLanguage.choices,
        },
    )


def _is_trainer_or_hub(user, session) -> bool:
    return session.trainer_id == user.pk or policy.is_hub(user, session.alliance_id)


@requires(Perm.ALLIANCE_MEMBER)
def session(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    alliance = request.alliance
    item = access_session(alliance.pk, session_id)
    mine = Registration.objects.filter(session=item, person=request.user).first()
    confirmed = item.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    now = timezone.now()
    my_staff = staff_people(directed_programs(request.user, alliance.pk))
    return render(
        request,
        "training/member/session.html",
        {
            "alliance": alliance,
            "session": item,
            "mine": mine if mine is not None and mine.is_active else None,
            "attended": mine is not None and mine.attendance == Attendance.PRESENT,
            "mine_id": mine.pk if mine is not None else None,
            "seats_left": max(0, item.seats - confirmed),
            "open": item.status == SessionStatus.SCHEDULED and item.starts_at > now,
            "is_cancelled": item.status == SessionStatus.CANCELLED,
            "can_take_attendance": _is_trainer_or_hub(request.user, item),
            "can_register": may_take_training(request.user, alliance),
            "my_staff": [p for p in my_staff if p.pk != request.user.pk],
        },
    )


@requires(Perm.TRAINING_REGISTER)
@require_POST
def register(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    alliance = request.alliance
    item = access_session(alliance.pk, session_id)
    try:
        registration = services.register(
            acting_user=request.user, session=item, person=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("You are registered. We sent you the details."))
        else:
            messages.info(
                request,
                _("The session is full: you are on the waitlist and get the next free seat."),
            )
    return redirect("training:session", alliance.slug, item.pk)


@requires(Perm.TRAINING_REGISTER)
@require_POST
def register_other(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    """A hub admin registers anyone of the workforce (by email); a director registers a
    person of their own staff (chosen from the list)."""
    alliance = request.alliance
    item = access_session(alliance.pk, session_id)
    is_hub = policy.is_hub(request.user, alliance)
    if not is_hub and not directed_programs(request.user, alliance.pk):
        raise PermissionDenied
    raw = (request.POST.get("person") or "").strip()
    email = (request.POST.get("email") or "").strip()[:254]
    back = (
        "training:hub_session"
        if is_hub and request.POST.get("from") == "hub"
        else "training:session"
    )
    if not raw.isdigit() and not email:
        messages.error(request, _("Choose the person to register, or enter their email."))
        return redirect(back, alliance.slug, item.pk)
    try:
        person = workforce_person(
            alliance, email=email, user_id=int(raw) if raw.isdigit() else None
        )
    except Http404:
        messages.error(
            request,
            _("No staff member, director or substitute of this alliance has that email."),
        )
        return redirect(back, alliance.slug, item.pk)
    try:
        registration = services.register(acting_user=request.user, session=item, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("%(name)s is registered.") % {"name": person})
        else:
            messages.info(
                request, _("The session is full: %(name)s is on the waitlist.") % {"name": person}
            )
    return redirect(back, alliance.slug, item.pk)


@requires(Perm.ALLIANCE_MEMBER)
@require_POST
def cancel(request: HttpRequest, alliance_slug: str, registration_id: int) -> HttpResponse:
    alliance = request.alliance
    registration = access_own_registration(alliance.pk, request.user, registration_id)
    try:
        services.cancel_registration(acting_user=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("training:session", alliance.slug, registration.session_id)


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@requires(Perm.ALLIANCE_MEMBER)
def mine(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    year = _year(request)
    hours = queries.hours_for_person(request.user, alliance, year)
    now = timezone.now()
    upcoming = list(
        queries.registrations_of(request.user, alliance)
        .filter(session__ends_at__gte=now, session__status=SessionStatus.SCHEDULED)
        .exclude(status=RegistrationStatus.CANCELLED)
        .order_by("session__starts_at", "pk")[:100]
    )
    token = FeedToken.objects.filter(alliance=alliance, person=request.user).first()
    return render(
        request,
        "training/member/mine.html",
        {
            "alliance": alliance,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 4, -1)),
            "hours": hours,
            "upcoming": upcoming,
            "feed_url": _feed_url(request, alliance.slug, token),
        },
    )


def _feed_url(request: HttpRequest, slug: str, token: FeedToken | None) -> str:
    if token is None:
        return ""
    return request.build_absolute_uri(reverse("training:personal_feed", args=[slug, token.token]))


@requires(Perm.ALLIANCE_MEMBER)
@require_POST
def feed_token(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    reset = request.POST.get("reset") == "1"
    services.feed_token_for(person=request.user, alliance=request.alliance, reset=reset)
    messages.success(
        request,
        _("Your calendar link was replaced; the old one no longer works.")
        if reset
        else _("Your calendar link is ready. Add it to your calendar app."),
    )
    return redirect("training:mine", alliance_slug)


def _pdf_response(registration: Registration, language: str) -> HttpResponse:
    if registration.attendance != Attendance.PRESENT:
        raise Http404
    response = HttpResponse(certificate_pdf(registration, language=language), "application/pdf")
    name = f"certificate-{registration.certificate_code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Perm.ALLIANCE_MEMBER)
def certificate(request: HttpRequest, alliance_slug: str, registration_id: int) -> HttpResponse:
    """The certificate of one's own attended session (404 until attendance is taken)."""
    registration = access_own_registration(request.alliance.pk, request.user, registration_id)
    return _pdf_response(registration, request.user.language or "en")


@requires(Perm.ALLIANCE_MEMBER)
def hub_certificate(request: HttpRequest, alliance_slug: str, registration_id: int) -> HttpResponse:
    if not policy.is_hub(request.user, request.alliance):
        raise PermissionDenied
    registration = access_registration(request.alliance.pk, registration_id)
    return _pdf_response(registration, registration.person.language or "en")


@requires(Perm.ALLIANCE_MEMBER)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    """The trainer's sheet: one row per confirmed participant. Hub admins may use it too."""
    alliance = request.alliance
    item = access_session(alliance.pk, session_id)
    if not _is_trainer_or_hub(request.user, item):
        raise PermissionDenied
    rows = [r for r in queries.roster(item) if r.status == RegistrationStatus.CONFIRMED]
    conflicts: list[Registration] = []
    errors: list[str] = []
    if request.method == "POST":
        marks: dict[int, tuple[int, str]] = {}
        for row in rows:
            value = request.POST.get(f"a-{row.pk}")
            seen = request.POST.get(f"v-{row.pk}", "")
            if value is None or value == request.POST.get(f"o-{row.pk}"):
                continue  # not changed on this sheet: never written back
            if not seen.isdigit():
                errors.append(_("The form was incomplete; please load the page again."))
                break
            marks[row.pk] = (int(seen), value)
        if not errors:
            try:
                result = services.mark_attendance(
                    acting_user=request.user, session=item, marks=marks
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                if not result.conflicts:
                    messages.success(
                        request,
                        _("Attendance saved (%(n)s changed).") % {"n": len(result.changed)},
                    )
                    return redirect("training:attendance", alliance.slug, item.pk)
                conflicts = result.conflicts
                rows = [r for r in queries.roster(item) if r.status == RegistrationStatus.CONFIRMED]
    conflict_ids = {r.pk for r in conflicts}
    for row in rows:
        row.conflict = row.pk in conflict_ids
    return render(
        request,
        "training/member/attendance.html",
        {
            "alliance": alliance,
            "session": item,
            "rows": rows,
            "conflicts": conflicts,
            "errors": errors,
            "choices": Attendance.choices,
            "not_started": item.starts_at > timezone.now(),
        },
        status=422 if errors or conflicts else 200,
    )


# --- calendar feeds -------------------------------------------------------------------------


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


def public_feed(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Every session of the alliance from 60 days back on: public, like the directory."""
    alliance = request.alliance
    since = timezone.now() - timedelta(days=60)
    rows = queries.sessions_of(alliance).filter(ends_at__gte=since).order_by("starts_at")[:1000]
    title = _("%(alliance)s trainings") % {"alliance": alliance.name}
    return _ics(calendar(alliance, title, rows), f"{alliance.slug}-training")


def personal_feed(request: HttpRequest, alliance_slug: str, token: str) -> HttpResponse:
    """The sessions one person registered for, found by the secret in the URL."""
    alliance = request.alliance
    owner = FeedToken.objects.filter(alliance=alliance, token=token).first()
    if owner is None:
        raise Http404
    since = timezone.now() - timedelta(days=365)
    registrations = (
        Registration.objects.filter(
            alliance=alliance,
            person_id=owner.person_id,
            status=RegistrationStatus.CONFIRMED,
            session__ends_at__gte=since,
        )
        .select_related("session__course")
        .order_by("session__starts_at")[:500]
    )
    rows = [r.session for r in registrations]
    return _ics(calendar(alliance, _("My trainings"), rows), "my-training")
