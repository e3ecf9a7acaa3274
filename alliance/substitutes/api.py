"""API of the substitute pool: programs request cover, substitutes answer offers.

Program endpoints open their tenant through ``api_program`` (404 for a program that is
missing or not the caller's, 403 without the permission). A substitute's endpoints reach
only the caller's own offers and shifts (404 otherwise). Accepting answers 200 to the one
winner and 409 to every later or concurrent accept.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from ninja import Query, Status

from alliance.accounts.models import User
from alliance.api.root import api
from alliance.api.tenancy import api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core.policy import Perm
from alliance.core.tenancy import program_scope
from alliance.members.access import access_classroom
from alliance.substitutes import queries, services
from alliance.substitutes.access import access_my_assignment, access_my_offer, access_request
from alliance.substitutes.api_schemas import (
    AssignmentOut,
    AssignmentPage,
    CancelIn,
    MyOfferOut,
    MyOfferPage,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    RequestPage,
)
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    Offer,
    OfferStatus,
    RequestStatus,
    SubstituteRequest,
)

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def _request_out(req: SubstituteRequest) -> dict:
    return {
        "id": req.pk,
        "program": req.program.slug,
        "classroom_id": req.classroom_id,
        "dates": req.days,
        "start": req.start,
        "end": req.end,
        "requirements": req.requirements,
        "notes": req.notes,
        "mode": req.mode,
        "source": req.source,
        "status": req.status,
        "unfilled_reason": req.unfilled_reason,
        "wave": req.wave,
        "assigned_to": _person(req.assigned_to),
        "created_at": req.created_at,
        "filled_at": req.filled_at,
    }


def _shift(req: SubstituteRequest) -> dict:
    return {
        "program": req.program.slug,
        "program_name": req.program.name,
        "town": req.program.town,
        "classroom": req.classroom.name if req.classroom_id else None,
        "dates": req.days,
        "start": req.start,
        "end": req.end,
        "notes": req.notes,
    }


@api.post(
    "/programs/{slug}/substitute-requests",
    response={201: RequestOut, **ERRORS},
    tags=["substitutes"],
)
def create_request(request: HttpRequest, slug: str, payload: RequestIn):
    """Ask the pool for cover. Offers go out once the request is saved."""
    with api_program(request, slug, Perm.SUBSTITUTES_REQUEST) as program:
        classroom = None
        if payload.classroom_id is not None:
            classroom = access_classroom(program, payload.classroom_id)
        preferred = None
        if payload.preferred_id is not None:
            preferred = User.objects.filter(pk=payload.preferred_id).first()
            if preferred is None:
                from django.core.exceptions import ValidationError

                raise ValidationError({"preferred_id": _("No such substitute.")})
        dates = list(payload.dates) + ([payload.date] if payload.date else [])
        req = services.create_request(
            acting_user=request.user,
            program=program,
            classroom=classroom,
            dates=dates,
            start=payload.start,
            end=payload.end,
            requirements=payload.requirements,
            notes=payload.notes,
            preferred=preferred,
            mode=payload.mode,
            source="api",
        )
        req.program = program
        return Status(201, _request_out(req))


@api.get(
    "/programs/{slug}/substitute-requests",
    response={200: RequestPage, **ERRORS},
    tags=["substitutes"],
)
def list_requests(request: HttpRequest, slug: str, page: Query[PageIn], past: bool = False):
    """Upcoming requests, soonest first (``past=true``: earlier ones, latest first)."""
    with api_program(request, slug) as program:
        qs = queries.requests_of(program, past=past).select_related("program")
        return page_of(qs, page, _request_out)


@api.get(
    "/programs/{slug}/substitute-requests/{request_id}",
    response={200: RequestDetailOut, **ERRORS},
    tags=["substitutes"],
)
def get_request(request: HttpRequest, slug: str, request_id: int):
    """Status, assignment and who was offered it with the ranking's reasons."""
    with api_program(request, slug) as program:
        req = access_request(program, request_id)
        out = _request_out(req)
        out["offers"] = [
            {
                "id": o.pk,
                "substitute": _person(o.substitute),
                "wave": o.wave,
                "score": o.score,
                "status": o.status,
                "reasons": o.reasons,
            }
            for o in queries.offers_of(req)
        ]
        return out


@api.post(
    "/programs/{slug}/substitute-requests/{request_id}/cancel",
    response={200: RequestOut, **ERRORS},
    tags=["substitutes"],
)
def cancel_request(request: HttpRequest, slug: str, request_id: int, payload: CancelIn):
    """The program no longer needs cover: offers are withdrawn, an assigned sub is told."""
    with api_program(request, slug, Perm.SUBSTITUTES_REQUEST) as program:
        req = access_request(program, request_id)
        req = services.cancel_request(acting_user=request.user, request=req, reason=payload.reason)
        req.program = program
        return _request_out(req)


@api.get("/me/substitute-offers", response={200: MyOfferPage, **ERRORS}, tags=["substitutes"])
def my_offers(request: HttpRequest, page: Query[PageIn]):
    """The caller's offers that can still be accepted, soonest shift first."""
    with scopes_disabled():
        qs = (
            Offer.objects.filter(
                substitute=request.user,
                status=OfferStatus.PENDING,
                expires_at__gt=timezone.now(),
                request__status=RequestStatus.OPEN,
            )
            .select_related("request__program", "request__classroom")
            .order_by("request__first_date", "request__start", "pk")
        )
        return page_of(
            qs,
            page,
            lambda o: {
                "id": o.pk,
                "status": o.status,
                "expires_at": o.expires_at,
                "shift": _shift(o.request),
            },
        )


def _answer(request: HttpRequest, offer_id: int, accept: bool):
    offer = access_my_offer(request.user, offer_id)
    try:
        with program_scope(offer.request.program):
            if accept:
                services.accept_offer(acting_user=request.user, offer_id=offer.pk)
            else:
                services.decline_offer(acting_user=request.user, offer_id=offer.pk)
            offer.refresh_from_db(fields=["status", "expires_at"])
    except services.OfferUnavailable as exc:
        return Status(409, {"message": exc.message})
    return {
        "id": offer.pk,
        "status": offer.status,
        "expires_at": offer.expires_at,
        "shift": _shift(offer.request),
    }


@api.post(
    "/substitute-offers/{offer_id}/accept",
    response={200: MyOfferOut, 409: Message, **ERRORS},
    tags=["substitutes"],
)
def accept_offer(request: HttpRequest, offer_id: int):
    """Take the shift: 200 to the first valid acceptance, 409 to every other."""
    return _answer(request, offer_id, accept=True)


@api.post(
    "/substitute-offers/{offer_id}/decline",
    response={200: MyOfferOut, 409: Message, **ERRORS},
    tags=["substitutes"],
)
def decline_offer(request: HttpRequest, offer_id: int):
    return _answer(request, offer_id, accept=False)


def _assignment_out(a: Assignment) -> dict:
    return {
        "id": a.pk,
        "request_id": a.request_id,
        "status": a.status,
        "accepted_at": a.accepted_at,
        "shift": _shift(a.request),
    }


@api.get("/me/substitute-shifts", response={200: AssignmentPage, **ERRORS}, tags=["substitutes"])
def my_shifts(request: HttpRequest, page: Query[PageIn]):
    """The caller's confirmed shifts from today on."""
    with scopes_disabled():
        qs = (
            Assignment.objects.filter(
                substitute=request.user,
                status=AssignmentStatus.CONFIRMED,
                request__last_date__gte=timezone.localdate(),
            )
            .select_related("request__program", "request__classroom")
            .order_by("request__first_date", "pk")
        )
        return page_of(qs, page, _assignment_out)


@api.post(
    "/substitute-shifts/{assignment_id}/cancel",
    response={200: AssignmentOut, **ERRORS},
    tags=["substitutes"],
)
def cancel_shift(request: HttpRequest, assignment_id: int, payload: CancelIn):
    """The substitute cannot come: the program is told and the shift is offered again."""
    assignment = access_my_assignment(request.user, assignment_id)
    with program_scope(assignment.request.program):
        services.cancel_assignment(
            acting_user=request.user, assignment=assignment, reason=payload.reason
        )
        assignment.refresh_from_db(fields=["status"])
    return _assignment_out(assignment)
