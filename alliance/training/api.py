"""API for training sessions and one's own registrations.

Alliance endpoints open the alliance through :func:`alliance.api.tenancy.api_alliance` with
``Perm.ALLIANCE_MEMBER`` (anyone holding a role in that alliance); ``/me`` endpoints reach
only the caller's own registrations. Every write goes through
:mod:`alliance.training.services`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from ninja import Query, Schema, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core import policy
from alliance.core.policy import Perm
from alliance.core.tenancy import alliance_scope
from alliance.training import queries, services
from alliance.training.access import (
    access_session,
    directed_programs,
    staff_people,
    workforce_person,
)
from alliance.training.api_schemas import (
    AttendanceIn,
    AttendanceResultOut,
    RegisterOtherIn,
    RosterEntryOut,
    TrainingRegistrationOut,
    TrainingRegistrationPage,
    TrainingSessionOut,
    TrainingSessionPage,
)
from alliance.training.models import Registration, SessionLanguage

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}


class TrainingSessionFilter(Schema):
    language: SessionLanguage | None = None
    include_past: bool = False


@api.get(
    "/alliances/{alliance}/trainings",
    response={200: TrainingSessionPage, **ERRORS},
    tags=["training"],
)
def list_trainings(
    request: HttpRequest, alliance: str, page: Query[PageIn], filters: Query[TrainingSessionFilter]
):
    """The alliance's training sessions, soonest first (upcoming only unless include_past)."""
    with api_alliance(request, alliance, Perm.ALLIANCE_MEMBER) as hub:
        rows = queries.sessions_of(hub).order_by("starts_at", "pk")
        if not filters.include_past:
            rows = rows.filter(ends_at__gte=timezone.now())
        if filters.language:
            rows = rows.filter(language=filters.language)
        return page_of(rows, page, TrainingSessionOut.from_session)


@api.get(
    "/alliances/{alliance}/trainings/{session_id}",
    response={200: TrainingSessionOut, **ERRORS},
    tags=["training"],
)
def get_training(request: HttpRequest, alliance: str, session_id: int):
    with api_alliance(request, alliance, Perm.ALLIANCE_MEMBER) as hub:
        session = queries.sessions_of(hub).filter(pk=session_id).first()
        if session is None:
            raise Http404
        return TrainingSessionOut.from_session(session)


@api.post(
    "/alliances/{alliance}/trainings/{session_id}/register",
    response={201: TrainingRegistrationOut, **ERRORS},
    tags=["training"],
)
def register(request: HttpRequest, alliance: str, session_id: int):
    """Register the caller: "confirmed" with a seat, "waitlisted" when the session is full.
    Families and committee members cannot take training seats (403)."""
    with api_alliance(request, alliance, Perm.TRAINING_REGISTER) as hub:
        session = access_session(hub.pk, session_id)
        registration = services.register(
            acting_user=request.user, session=session, person=request.user
        )
        return Status(201, TrainingRegistrationOut.from_registration(registration))


@api.get(
    "/alliances/{alliance}/trainings/{session_id}/registrations",
    response={200: list[RosterEntryOut], **ERRORS},
    tags=["training"],
)
def roster(request: HttpRequest, alliance: str, session_id: int):
    """Who holds a seat or waits: everyone for the hub and the session's trainer; a
    director sees the people of their own programs."""
    with api_alliance(request, alliance, Perm.ALLIANCE_MEMBER) as hub:
        session = access_session(hub.pk, session_id)
        rows = queries.roster(session)
        if not (policy.is_hub(request.user, hub) or session.trainer_id == request.user.pk):
            programs = directed_programs(request.user, hub.pk)
            if not programs:
                raise PermissionDenied
            people = {p.pk for p in staff_people(programs)}
            rows = [r for r in rows if r.person_id in people]
        return [
            {
                "id": r.pk,
                "person_id": r.person_id,
                "person_name": str(r.person),
                "email": r.person.email,
                "program": r.program.slug if r.program else None,
                "status": r.status,
                "attendance": r.attendance,
                "attendance_version": r.attendance_version,
            }
            for r in rows
        ]


@api.post(
    "/alliances/{alliance}/trainings/{session_id}/attendance",
    response={200: AttendanceResultOut, 409: AttendanceResultOut, **ERRORS},
    tags=["training"],
)
def mark_attendance(request: HttpRequest, alliance: str, session_id: int, payload: AttendanceIn):
    """The trainer (or the hub) marks attendance. Each mark carries the version it saw
    (from the registrations list); a row another trainer changed meanwhile is left as it
    is and returned under ``conflicts`` with status 409 — nothing is overwritten."""
    with api_alliance(request, alliance, Perm.ALLIANCE_MEMBER) as hub:
        session = access_session(hub.pk, session_id)
        if not (policy.is_hub(request.user, hub) or session.trainer_id == request.user.pk):
            raise PermissionDenied
        marks = {m.registration_id: (m.version, m.attendance) for m in payload.marks}
        result = services.mark_attendance(acting_user=request.user, session=session, marks=marks)

        def rows(items):
            return [
                {
                    "registration_id": r.pk,
                    "attendance": r.attendance,
                    "version": r.attendance_version,
                }
                for r in items
            ]

        body = {"changed": rows(result.changed), "conflicts": rows(result.conflicts)}
        return Status(409 if result.conflicts else 200, body)


@api.post(
    "/alliances/{alliance}/trainings/{session_id}/registrations",
    response={201: TrainingRegistrationOut, **ERRORS},
    tags=["training"],
)
def register_other(request: HttpRequest, alliance: str, session_id: int, payload: RegisterOtherIn):
    """Register someone else: a hub admin anyone of the alliance's workforce (by
    ``user_id`` or ``email``), a director a person of their own program's staff."""
    with api_alliance(request, alliance, Perm.TRAINING_REGISTER) as hub:
        if not policy.is_hub(request.user, hub) and not directed_programs(request.user, hub.pk):
            raise PermissionDenied
        if payload.user_id is None and not (payload.email or "").strip():
            raise ValidationError({"user_id": _("Give the person's user_id or email.")})
        session = access_session(hub.pk, session_id)
        person = workforce_person(hub, email=payload.email or "", user_id=payload.user_id)
        registration = services.register(acting_user=request.user, session=session, person=person)
        return Status(201, TrainingRegistrationOut.from_registration(registration))


def _own(request: HttpRequest):
    # Unscoped on purpose: the filter is the caller, and one list may span alliances.
    with scopes_disabled():
        return (
            Registration.objects.filter(person=request.user)
            .select_related("session__course", "session__alliance")
            .order_by("-session__starts_at", "pk")
        )


@api.get(
    "/me/training-registrations",
    response={200: TrainingRegistrationPage, **ERRORS},
    tags=["training"],
)
def my_registrations(request: HttpRequest, page: Query[PageIn]):
    """The caller's registrations in every alliance, latest session first."""
    with scopes_disabled():
        return page_of(_own(request), page, TrainingRegistrationOut.from_registration)


@api.post(
    "/me/training-registrations/{registration_id}/cancel",
    response={200: TrainingRegistrationOut, **ERRORS},
    tags=["training"],
)
def cancel_registration(request: HttpRequest, registration_id: int):
    """Cancel one of the caller's registrations; a freed seat goes to the waitlist."""
    with scopes_disabled():
        registration = _own(request).filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    with alliance_scope(registration.alliance_id):
        registration = services.cancel_registration(
            acting_user=request.user, registration=registration
        )
        return TrainingRegistrationOut.from_registration(registration)
