"""API of the substitute pool: programs request cover, substitutes answer offers.

Program endpoints open their tenant through ``api_program`` (404 for a program that is
missing or not the caller's, 403 without the permission). A substitute's endpoints reach
only the caller's own offers and shifts (404 otherwise). Accepting answers 200 to the one
winner and 409 to every later or concurrent accept.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from ninja import Query, Status

from alliance.accounts.models import User
from alliance.api.root import api
from alliance.api.tenancy import api_alliance, api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core.policy import Perm
from alliance.core.tenancy import program_scope
from alliance.members.access import access_classroom
from alliance.substitutes import queries, services, services_pool
from alliance.substitutes.access import (
    access_my_assignment,
    access_my_offer,
    access_profile,
    access_request,
)
from alliance.substitutes.api_schemas import (
    AssignmentOut,
    AssignmentPage,
    CancelIn,
    FavouriteIn,
    FavouriteOut,
    FillPage,
    MyOfferOut,
    MyOfferPage,
    NeverWorksOut,
    PickIn,
    ProfileStatusOut,
    ReinstateIn,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    RequestPage,
    VolunteerOut,
)
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    Favourite,
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
        "tiered": req.tiered,
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
            tiered=payload.tiered,
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
                "tier": o.tier,
                "score": o.score,
                "status": o.status,
                "reasons": o.reasons,
            }
            for o in queries.offers_of(req)
        ]
        out["backups"] = [
            {
                "position": b.position,
                "substitute": _person(b.substitute),
                "source": b.source,
                "offered_at": b.offered_at,
            }
            for b in queries.backups_of(req)
        ]
        return out


@api.get(
    "/programs/{slug}/substitute-requests/{request_id}/volunteers",
    response={200: list[VolunteerOut], **ERRORS},
    tags=["substitutes"],
)
def list_volunteers(request: HttpRequest, slug: str, request_id: int):
    """Director-picks mode: who volunteered, best score first, with the ranking's reasons."""
    with api_program(request, slug) as program:
        req = access_request(program, request_id)
        return [
            {
                "offer_id": o.pk,
                "substitute": _person(o.substitute),
                "score": o.score,
                "tier": o.tier,
                "volunteered_at": o.volunteered_at,
                "reasons": o.reasons,
            }
            for o in queries.volunteers_of(req)
        ]


@api.post(
    "/programs/{slug}/substitute-requests/{request_id}/pick",
    response={200: RequestOut, **ERRORS},
    tags=["substitutes"],
)
def pick_volunteer(request: HttpRequest, slug: str, request_id: int, payload: PickIn):
    """Pick one volunteer: exactly one assignment; the others are told and become backups.
    A pick that loses a race (another pick, a cancellation) answers 422 and changes nothing."""
    with api_program(request, slug, Perm.SUBSTITUTES_REQUEST) as program:
        req = access_request(program, request_id)
        services.pick_volunteer(acting_user=request.user, request=req, offer_id=payload.offer_id)
        req = access_request(program, request_id)
        return _request_out(req)


@api.get(
    "/programs/{slug}/substitute-favourites",
    response={200: list[FavouriteOut], **ERRORS},
    tags=["substitutes"],
)
def list_favourites(request: HttpRequest, slug: str):
    """The program's favourite substitutes (asked first in waves mode)."""
    with api_program(request, slug) as program:
        rows = (
            Favourite.objects.filter(program=program)
            .select_related("substitute")
            .order_by("created_at")[:500]
        )
        return [{"substitute": _person(f.substitute), "created_at": f.created_at} for f in rows]


@api.post(
    "/programs/{slug}/substitute-favourites",
    response={201: FavouriteOut, **ERRORS},
    tags=["substitutes"],
)
def add_favourite(request: HttpRequest, slug: str, payload: FavouriteIn):
    """Mark a substitute of the pool as a favourite (idempotent)."""
    with api_program(request, slug, Perm.SUBSTITUTES_REQUEST) as program:
        substitute = User.objects.filter(pk=payload.substitute_id).first()
        if substitute is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"substitute_id": _("No such substitute.")})
        fav = services_pool.mark_favourite(
            acting_user=request.user, program=program, substitute=substitute
        )
        return Status(201, {"substitute": _person(substitute), "created_at": fav.created_at})


@api.delete(
    "/programs/{slug}/substitute-favourites/{substitute_id}",
    response={204: None, **ERRORS},
    tags=["substitutes"],
)
def remove_favourite(request: HttpRequest, slug: str, substitute_id: int):
    """Unmark a favourite (204 also when it was not one)."""
    with api_program(request, slug, Perm.SUBSTITUTES_REQUEST) as program:
        substitute = User.objects.filter(pk=substitute_id).first()
        if substitute is not None:
            services_pool.unmark_favourite(
                acting_user=request.user, program=program, substitute=substitute
            )
        return Status(204, None)


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
    "/substitute-offers/{offer_id}/volunteer",
    response={200: MyOfferOut, 409: Message, **ERRORS},
    tags=["substitutes"],
)
def volunteer_offer(request: HttpRequest, offer_id: int):
    """Director-picks mode: volunteer for the shift (409 when it can no longer be taken)."""
    offer = access_my_offer(request.user, offer_id)
    try:
        with program_scope(offer.request.program):
            services.volunteer_offer(acting_user=request.user, offer_id=offer.pk)
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


# --- the hub -------------------------------------------------------------------------------


def _report_range(since: date | None, until: date | None) -> tuple[date, date]:
    today = timezone.localdate()
    since, until = since or today - timedelta(days=90), until or today
    return (until, since) if until < since else (since, until)


@api.get(
    "/alliances/{alliance}/substitute-reports/fills",
    response={200: FillPage, **ERRORS},
    tags=["substitutes"],
)
def fills_report(
    request: HttpRequest,
    alliance: str,
    page: Query[PageIn],
    since: date | None = None,
    until: date | None = None,
):
    """How each request was filled (mode, tier, wave, minutes to fill, unfilled reason);
    first days in [since, until], default the last 90 days."""
    with api_alliance(request, alliance) as the_alliance:
        since, until = _report_range(since, until)
        qs = queries.fill_report(the_alliance.pk, since, until).order_by("-first_date", "-pk")
        return page_of(
            qs,
            page,
            lambda r: {
                "request_id": r.pk,
                "program": r.program.slug,
                "first_date": r.first_date,
                "days": len(r.dates),
                "mode": r.mode,
                "tiered": r.tiered,
                "status": r.status,
                "tier": r.fill_tier,
                "wave": r.fill_wave,
                "minutes_to_fill": queries.minutes_to_fill(r),
                "unfilled_reason": r.unfilled_reason,
                "substitute": _person(r.assigned_to),
            },
        )


@api.get(
    "/alliances/{alliance}/substitute-reports/never-work",
    response={200: list[NeverWorksOut], **ERRORS},
    tags=["substitutes"],
)
def never_work_report(request: HttpRequest, alliance: str):
    """Active substitutes offered at least the pool's threshold of requests in 90 days who
    never accepted nor volunteered, with offers declined and let expire."""
    with api_alliance(request, alliance) as the_alliance:
        settings = services.pool_settings(the_alliance.pk)
        return [
            {
                "substitute": {"id": n.user_id, "name": n.name},
                "offers": n.offers,
                "declined": n.declined,
                "ignored": n.ignored,
            }
            for n in queries.never_work(the_alliance.pk, min_offers=settings.never_work_min_offers)
        ]


@api.post(
    "/alliances/{alliance}/substitute-profiles/{profile_id}/reinstate",
    response={200: ProfileStatusOut, **ERRORS},
    tags=["substitutes"],
)
def reinstate(request: HttpRequest, alliance: str, profile_id: int, payload: ReinstateIn):
    """Lift a no-show suspension (the reason is required and audited)."""
    with api_alliance(request, alliance) as the_alliance:
        profile = access_profile(the_alliance.pk, profile_id)
        services_pool.reinstate_profile(
            acting_user=request.user, profile=profile, reason=payload.reason
        )
        return {"id": profile.pk, "substitute": _person(profile.user), "status": profile.status}
