"""API for training sessions and one's own registrations.

Alliance endpoints open the alliance through :func:`alliance.api.tenancy.api_alliance` with
``Perm.ALLIANCE_MEMBER`` (anyone holding a role in that alliance); ``/me`` endpoints reach
only the caller's own registrations. Every write goes through
:mod:`alliance.training.services`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from django_scopes import scopes_disabled
from ninja import Query, Schema, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core.policy import Perm
from alliance.core.tenancy import alliance_scope
from alliance.training import queries, services
from alliance.training.access import access_session
from alliance.training.api_schemas import (
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
    """Register the caller: "confirmed" with a seat, "waitlisted" when the session is full."""
    with api_alliance(request, alliance, Perm.ALLIANCE_MEMBER) as hub:
        session = access_session(hub.pk, session_id)
        registration = services.register(
            acting_user=request.user, session=session, person=request.user
        )
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
