"""API of coordinated enrollment.

Program endpoints (enrollments, attendance, openings) open their tenant through
``api_program``; hub endpoints (proposals, offers, vacancies, matching runs) through
``api_alliance``. A family reaches its application with the private token it got when
applying (no account needed), or lists its applications with its own bearer token.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance, api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core import policy
from alliance.core.policy import Perm
from alliance.core.tenancy import alliance_scope, scopes_disabled
from alliance.enrollment import queries, services, services_applications, services_offers
from alliance.enrollment.access import (
    access_application,
    access_attendance,
    access_enrollment,
    access_family_application,
    access_offer,
    access_program_application,
    access_proposal,
    access_referral_to,
    family_offer,
)
from alliance.enrollment.api_schemas import (
    ApplicationCreated,
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    AttendanceOut,
    AttendancePage,
    CheckInIn,
    CorrectionIn,
    CorrectionPage,
    DeclineIn,
    EnrollmentIn,
    EnrollmentOut,
    EnrollmentPage,
    MatchingRunOut,
    MoveIn,
    OfferOut,
    OfferPage,
    OpeningPage,
    PreferencesIn,
    ProposalPage,
    ReferralAnswerIn,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    TransitionPage,
    TransitionsIn,
    WithdrawIn,
)
from alliance.enrollment.models import (
    Application,
    Attendance,
    Offer,
    Proposal,
    ProposalStatus,
    Referral,
)
from alliance.enrollment.openings import seat_batches
from alliance.families.models import Child
from alliance.families.queries import families_of
from alliance.members.access import access_classroom
from alliance.members.models import Alliance, Program

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
PUBLIC_ERRORS = {404: Message, 422: ErrorOut}


def _application_out(app: Application) -> dict:
    return {
        "id": app.pk,
        "status": app.status,
        "family": app.family.name,
        "town": app.family.town,
        "desired_start": app.desired_start,
        "schedule": app.schedule,
        "days": app.days,
        "preferred_programs": app.preferred_programs,
        "preferred_towns": app.preferred_towns,
        "ccap": app.ccap,
        "languages": app.languages,
        "submitted_at": app.submitted_at,
        "children": [
            {
                "id": a.pk,
                "first_name": a.child.first_name,
                "birth_date": a.child.birth_date,
                "status": a.status,
            }
            for a in app.applicants.all()
        ],
    }


def _program_ids(alliance: Alliance, slugs: list[str]) -> list[int]:
    found = dict(
        Program.objects.filter(alliance=alliance, slug__in=slugs).values_list("slug", "pk")
    )
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError(
            {"preferred_programs": _("Unknown programs: %(s)s") % {"s": ", ".join(unknown)}}
        )
    return [found[s] for s in slugs]


def _input(
    alliance: Alliance, payload: PreferencesIn, **extra
) -> services_applications.ApplicationInput:
    data = payload.model_dump(exclude={"children", "preferred_programs"})
    data["preferred_programs"] = _program_ids(alliance, payload.preferred_programs)
    data.update(extra)
    return services_applications.ApplicationInput(**data)


# --- families (public, by token) ---------------------------------------------------------


@api.post(
    "/alliances/{alliance}/applications",
    auth=None,
    response={201: ApplicationCreated, **PUBLIC_ERRORS},
    tags=["applications"],
)
def create_application(request: HttpRequest, alliance: str, payload: ApplicationIn):
    """A family applies (no account needed). Keep the returned ``token``: it reads, updates
    and withdraws the application and answers offers."""
    found = Alliance.objects.filter(slug=alliance).first()
    if found is None:
        raise Http404
    with alliance_scope(found):
        children = [
            services_applications.ChildInput(c.first_name, c.last_name, c.birth_date)
            for c in payload.children
        ]
        data = _input(found, payload, children=children)
        app = services_applications.submit_application(acting_user=None, alliance=found, data=data)
        return Status(201, {**_application_out(app), "token": app.token})


def _by_token(alliance: str, token: str) -> tuple[Alliance, Application]:
    found = Alliance.objects.filter(slug=alliance).first()
    if found is None:
        raise Http404
    return found, access_family_application(found, token)


@api.get(
    "/alliances/{alliance}/applications/{token}",
    auth=None,
    response={200: ApplicationOut, **PUBLIC_ERRORS},
    tags=["applications"],
)
def get_application(request: HttpRequest, alliance: str, token: str):
    with scopes_disabled():
        _alliance, app = _by_token(alliance, token)
    with alliance_scope(app.alliance_id):
        return _application_out(app)


@api.patch(
    "/alliances/{alliance}/applications/{token}",
    auth=None,
    response={200: ApplicationOut, **PUBLIC_ERRORS},
    tags=["applications"],
)
def update_application(request: HttpRequest, alliance: str, token: str, payload: PreferencesIn):
    with scopes_disabled():
        found, app = _by_token(alliance, token)
    with alliance_scope(found):
        family = app.family
        data = _input(
            found,
            payload,
            guardian_name=family.guardian_name,
            email=family.email,
            language=family.language,
            children=[],
            consent_to_share=app.consent_to_share,
        )
        app = services_applications.update_application(acting_user=None, application=app, data=data)
        return _application_out(app)


@api.post(
    "/alliances/{alliance}/applications/{token}/withdraw",
    auth=None,
    response={200: ApplicationOut, **PUBLIC_ERRORS},
    tags=["applications"],
)
def withdraw_application(request: HttpRequest, alliance: str, token: str, payload: DeclineIn):
    with scopes_disabled():
        found, app = _by_token(alliance, token)
    with alliance_scope(found):
        app = services_applications.withdraw_application(
            acting_user=None, application=app, reason=payload.reason
        )
        return _application_out(app)


@api.post(
    "/alliances/{alliance}/applications/{token}/confirm",
    auth=None,
    response={200: ApplicationOut, **PUBLIC_ERRORS},
    tags=["applications"],
)
def confirm_application(request: HttpRequest, alliance: str, token: str):
    """Answer the "still interested?" check-in: the application stays on the waiting list."""
    with scopes_disabled():
        found, app = _by_token(alliance, token)
    with alliance_scope(found):
        app = services_applications.confirm_interest(acting_user=None, application=app)
        return _application_out(app)


def _offer_out(o: Offer) -> dict:
    return {
        "id": o.pk,
        "applicant_id": o.applicant_id,
        "child": str(o.applicant.child),
        "program": o.program.slug,
        "classroom_id": o.classroom_id,
        "start_date": o.start_date,
        "status": o.status,
        "sent_at": o.sent_at,
        "expires_at": o.expires_at,
    }


@api.post(
    "/alliances/{alliance}/applications/{token}/offers/{offer_id}/accept",
    auth=None,
    response={200: OfferOut, **PUBLIC_ERRORS},
    tags=["offers"],
)
def accept_offer(request: HttpRequest, alliance: str, token: str, offer_id: int):
    """Accept a place: the child is enrolled and the program told. 422 once it expired,
    was withdrawn or was already answered."""
    with scopes_disabled():
        found, app = _by_token(alliance, token)
    with alliance_scope(found):
        offer = family_offer(app, offer_id)
        services_offers.accept_offer(acting_user=None, offer=offer)
        offer.refresh_from_db()
        return _offer_out(offer)


@api.post(
    "/alliances/{alliance}/applications/{token}/offers/{offer_id}/decline",
    auth=None,
    response={200: OfferOut, **PUBLIC_ERRORS},
    tags=["offers"],
)
def decline_offer(
    request: HttpRequest, alliance: str, token: str, offer_id: int, payload: DeclineIn
):
    with scopes_disabled():
        found, app = _by_token(alliance, token)
    with alliance_scope(found):
        offer = family_offer(app, offer_id)
        services_offers.decline_offer(acting_user=None, offer=offer, reason=payload.reason)
        offer.refresh_from_db()
        return _offer_out(offer)


@api.get("/me/applications", response={200: ApplicationPage, **ERRORS}, tags=["applications"])
def my_applications(request: HttpRequest, page: Query[PageIn]):
    """The caller's own applications (family accounts)."""
    user = request.user
    with scopes_disabled():
        qs = (
            Application.objects.filter(family__in=families_of(user))
            .select_related("family")
            .prefetch_related("applicants__child")
            .order_by("-submitted_at", "pk")
        )
        return page_of(qs, page, _application_out)


# --- program: enrollments, attendance, openings -----------------------------------------


def _enrollment_out(e) -> dict:
    return {
        "id": e.pk,
        "child_id": e.child_id,
        "child_name": str(e.child),
        "birth_date": e.child.birth_date,
        "classroom_id": e.classroom_id,
        "classroom": e.classroom.name,
        "start_date": e.start_date,
        "end_date": e.end_date,
        "schedule": e.schedule,
        "days": e.days,
        "status": e.status,
        "withdrawal_reason": e.withdrawal_reason,
    }


@api.get(
    "/programs/{slug}/enrollments", response={200: EnrollmentPage, **ERRORS}, tags=["enrollments"]
)
def list_enrollments(request: HttpRequest, slug: str, page: Query[PageIn], current: bool = True):
    with api_program(request, slug) as program:
        qs = queries.enrollments_of(program, current=current).order_by("classroom_id", "pk")
        return page_of(qs, page, _enrollment_out)


@api.post(
    "/programs/{slug}/enrollments", response={201: EnrollmentOut, **ERRORS}, tags=["enrollments"]
)
def create_enrollment(request: HttpRequest, slug: str, payload: EnrollmentIn):
    """Enroll a child of the alliance's families (e.g. one referred to the program)."""
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        child = Child.objects.filter(pk=payload.child_id, family__alliance=program.alliance).first()
        if child is None:
            raise ValidationError({"child_id": _("Unknown child.")})
        enrollment = services.enroll_child(
            acting_user=request.user,
            program=program,
            child=child,
            classroom=access_classroom(program, payload.classroom_id),
            start_date=payload.start_date,
            end_date=payload.end_date,
            schedule=payload.schedule,
            days=payload.days,
        )
        return Status(201, _enrollment_out(enrollment))


@api.get(
    "/programs/{slug}/enrollments/{enrollment_id}",
    response={200: EnrollmentOut, **ERRORS},
    tags=["enrollments"],
)
def get_enrollment(request: HttpRequest, slug: str, enrollment_id: int):
    with api_program(request, slug) as program:
        return _enrollment_out(access_enrollment(program, enrollment_id))


@api.post(
    "/programs/{slug}/enrollments/{enrollment_id}/withdraw",
    response={200: EnrollmentOut, **ERRORS},
    tags=["enrollments"],
)
def withdraw_enrollment(request: HttpRequest, slug: str, enrollment_id: int, payload: WithdrawIn):
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        enrollment = services.withdraw_child(
            acting_user=request.user,
            enrollment=access_enrollment(program, enrollment_id),
            last_day=payload.last_day,
            reason=payload.reason,
        )
        return _enrollment_out(access_enrollment(program, enrollment.pk))


def _attendance_out(a: Attendance) -> dict:
    return {
        "id": a.pk,
        "child_id": a.child_id,
        "classroom_id": a.classroom_id,
        "on": a.date,
        "checked_in_at": a.checked_in_at,
        "checked_out_at": a.checked_out_at,
    }


@api.get(
    "/programs/{slug}/attendance", response={200: AttendancePage, **ERRORS}, tags=["attendance"]
)
def list_attendance(
    request: HttpRequest, slug: str, page: Query[PageIn], on: dt.date | None = None
):
    """One day's attendance (today by default)."""
    with api_program(request, slug) as program:
        day = on or timezone.localdate()
        qs = Attendance.objects.filter(program=program, date=day).order_by("classroom_id", "pk")
        return page_of(qs, page, _attendance_out)


@api.post(
    "/programs/{slug}/attendance", response={201: AttendanceOut, **ERRORS}, tags=["attendance"]
)
def check_in(request: HttpRequest, slug: str, payload: CheckInIn):
    """Check a child in now. 422 for a child not enrolled here today or already in."""
    with api_program(request, slug) as program:
        record = services.check_in(
            acting_user=request.user, program=program, child_id=payload.child_id
        )
        return Status(201, _attendance_out(record))


@api.post(
    "/programs/{slug}/attendance/{attendance_id}/check-out",
    response={200: AttendanceOut, **ERRORS},
    tags=["attendance"],
)
def check_out(request: HttpRequest, slug: str, attendance_id: int):
    with api_program(request, slug) as program:
        record = services.check_out(
            acting_user=request.user, attendance=access_attendance(program, attendance_id)
        )
        return _attendance_out(record)


def _openings(programs: list[Program], page: PageIn) -> dict:
    batches = seat_batches(programs, timezone.localdate())
    items = [
        {
            "classroom_id": b.classroom.pk,
            "classroom": b.classroom.name,
            "program": b.classroom.program.slug,
            "town": b.classroom.program.town,
            "age_min_months": b.classroom.age_min_months,
            "age_max_months": b.classroom.age_max_months,
            "seats": b.seats,
            "available_from": b.available_from,
        }
        for b in batches
    ]
    return {
        "count": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "items": items[page.offset : page.offset + page.limit],
    }


@api.get("/programs/{slug}/openings", response={200: OpeningPage, **ERRORS}, tags=["openings"])
def program_openings(request: HttpRequest, slug: str, page: Query[PageIn]):
    """Open staffed seats of the program's classrooms, now and over the next six months."""
    with api_program(request, slug) as program:
        return _openings([program], page)


@api.get(
    "/alliances/{alliance}/vacancies", response={200: OpeningPage, **ERRORS}, tags=["openings"]
)
def vacancies(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """Every listed member's open seats (the vacancy export for state referral systems)."""
    with api_alliance(request, alliance) as found:
        programs = list(Program.objects.filter(alliance=found, listed_in_directory=True))
        return _openings(programs, page)


# --- hub: matching, proposals, offers ----------------------------------------------------


def _proposal_out(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "applicant_id": p.applicant_id,
        "child": str(p.applicant.child),
        "program": p.program.slug,
        "classroom_id": p.classroom_id,
        "start_date": p.start_date,
        "score": p.score,
        "status": p.status,
        "reasons": [{"reason": str(r), "points": float(pts)} for r, pts in p.reasons],
    }


def _proposals(qs):
    return qs.select_related("applicant__child", "program")


@api.post("/alliance/matching-runs", response={201: MatchingRunOut, **ERRORS}, tags=["matching"])
def create_matching_run(request: HttpRequest, alliance: str | None = None):
    """Run the matching engine for the caller's alliance (hub admins; name ``alliance`` if
    you are hub admin of several) and return the proposals with their scores."""
    hubs = policy.hub_alliances(request.user)
    if alliance:
        hubs = [a for a in hubs if a.slug == alliance]
    if len(hubs) != 1:
        raise PermissionDenied
    with alliance_scope(hubs[0]):
        run = services_offers.run_matching(acting_user=request.user, alliance=hubs[0])
        proposals = _proposals(run.proposals.order_by("-score", "pk"))[:1000]
        return Status(
            201,
            {
                "id": run.pk,
                "applicants": run.applicants,
                "seats": run.seats,
                "matched": run.matched,
                "total_score": run.total_score,
                "seconds": run.seconds,
                "optimality_gap": run.optimality_gap,
                "proposals": [_proposal_out(p) for p in proposals],
            },
        )


@api.get(
    "/alliances/{alliance}/proposals", response={200: ProposalPage, **ERRORS}, tags=["matching"]
)
def list_proposals(request: HttpRequest, alliance: str, page: Query[PageIn]):
    with api_alliance(request, alliance) as found:
        qs = _proposals(
            Proposal.objects.filter(alliance=found, status=ProposalStatus.PROPOSED)
        ).order_by("-score", "pk")
        return page_of(qs, page, _proposal_out)


@api.post(
    "/alliances/{alliance}/proposals/{proposal_id}/offer",
    response={201: OfferOut, **ERRORS},
    tags=["offers"],
)
def send_offer(request: HttpRequest, alliance: str, proposal_id: int):
    with api_alliance(request, alliance) as found:
        offer = services_offers.send_offer(
            acting_user=request.user, proposal=access_proposal(found, proposal_id)
        )
        return Status(201, _offer_out(offer))


@api.get("/alliances/{alliance}/offers", response={200: OfferPage, **ERRORS}, tags=["offers"])
def list_offers(request: HttpRequest, alliance: str, page: Query[PageIn]):
    with api_alliance(request, alliance) as found:
        qs = (
            Offer.objects.filter(alliance=found)
            .select_related("applicant__child", "program")
            .order_by("-sent_at", "pk")
        )
        return page_of(qs, page, _offer_out)


@api.post(
    "/alliances/{alliance}/offers/{offer_id}/withdraw",
    response={200: OfferOut, **ERRORS},
    tags=["offers"],
)
def withdraw_offer(request: HttpRequest, alliance: str, offer_id: int, payload: DeclineIn):
    with api_alliance(request, alliance) as found:
        offer = services_offers.withdraw_offer(
            acting_user=request.user,
            offer=access_offer(found, offer_id),
            reason=payload.reason,
        )
        return _offer_out(offer)


# --- corrections, moves, transitions ------------------------------------------------------


def _correction_out(c) -> dict:
    return {
        "id": c.pk,
        "attendance_id": c.attendance_id,
        "field": c.field,
        "old_value": c.old_value,
        "new_value": c.new_value,
        "reason": c.reason,
        "corrected_at": c.corrected_at,
    }


@api.get(
    "/programs/{slug}/attendance/{attendance_id}/corrections",
    response={200: CorrectionPage, **ERRORS},
    tags=["attendance"],
)
def list_corrections(request: HttpRequest, slug: str, attendance_id: int, page: Query[PageIn]):
    """Every correction of one attendance record: old and new time, who, why."""
    with api_program(request, slug) as program:
        record = access_attendance(program, attendance_id)
        return page_of(record.corrections.order_by("-corrected_at", "pk"), page, _correction_out)


@api.post(
    "/programs/{slug}/attendance/{attendance_id}/corrections",
    response={200: AttendanceOut, **ERRORS},
    tags=["attendance"],
)
def correct_attendance(request: HttpRequest, slug: str, attendance_id: int, payload: CorrectionIn):
    """Correct a record's times with a reason (directors, hub); each changed time is logged."""
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        record = services.correct_attendance(
            acting_user=request.user,
            attendance=access_attendance(program, attendance_id),
            checked_in_at=payload.checked_in_at,
            checked_out_at=payload.checked_out_at,
            reason=payload.reason,
        )
        return _attendance_out(record)


@api.post(
    "/programs/{slug}/enrollments/{enrollment_id}/move",
    response={201: EnrollmentOut, **ERRORS},
    tags=["enrollments"],
)
def move_enrollment(request: HttpRequest, slug: str, enrollment_id: int, payload: MoveIn):
    """Move a child to another classroom from ``on`` (the current enrollment ends the day
    before); returns the new enrollment. The room must fit the child's age and have a free
    staffed seat that day."""
    from alliance.enrollment.transitions import transition_children

    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        enrollment = access_enrollment(program, enrollment_id)
        (new,) = transition_children(
            acting_user=request.user,
            program=program,
            moves=[(enrollment, access_classroom(program, payload.classroom_id), payload.on)],
        )
        return Status(201, _enrollment_out(access_enrollment(program, new.pk)))


@api.get(
    "/programs/{slug}/transitions", response={200: TransitionPage, **ERRORS}, tags=["enrollments"]
)
def list_transitions(request: HttpRequest, slug: str, page: Query[PageIn], weeks: int = 8):
    """Children who will age past their classroom in the next ``weeks`` weeks (1-26), with
    the suggested next classroom (one with a free staffed seat that day)."""
    from alliance.enrollment.transitions import upcoming_transitions

    with api_program(request, slug) as program:
        rows = upcoming_transitions(program, timezone.localdate(), min(26, max(1, weeks)))
        items = [
            {
                "enrollment_id": t.enrollment.pk,
                "child_id": t.enrollment.child_id,
                "child_name": str(t.enrollment.child),
                "classroom_id": t.enrollment.classroom_id,
                "leaves_on": t.leaves_on,
                "kindergarten": t.kindergarten,
                "next_classroom_id": t.next_room.pk if t.next_room else None,
            }
            for t in rows
        ]
        return {
            "count": len(items),
            "limit": page.limit,
            "offset": page.offset,
            "items": items[page.offset : page.offset + page.limit],
        }


@api.post(
    "/programs/{slug}/transitions",
    response={201: EnrollmentPage, **ERRORS},
    tags=["enrollments"],
)
def make_transitions(request: HttpRequest, slug: str, payload: TransitionsIn):
    """Move several children at once, all or nothing; returns the new enrollments."""
    from alliance.enrollment.transitions import transition_children

    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        moves = [
            (
                access_enrollment(program, m.enrollment_id),
                access_classroom(program, m.classroom_id),
                m.on,
            )
            for m in payload.moves[:200]
        ]
        new = transition_children(acting_user=request.user, program=program, moves=moves)
        items = [_enrollment_out(access_enrollment(program, e.pk)) for e in new]
        return Status(201, {"count": len(items), "limit": len(items), "offset": 0, "items": items})


# --- referrals ----------------------------------------------------------------------------


def _referral_out(r) -> dict:
    return {
        "id": r.pk,
        "application_id": r.application_id,
        "family": r.application.family.name,
        "children": [str(a.child) for a in r.application.applicants.all()],
        "from_program": r.from_program.slug if r.from_program else None,
        "to_program": r.to_program.slug,
        "note": r.note,
        "status": r.status,
        "response_note": r.response_note,
        "created_at": r.created_at,
    }


def _referrals(qs):
    return qs.select_related("application__family", "from_program", "to_program").prefetch_related(
        "application__applicants__child"
    )


def _member(alliance_id: int, slug: str) -> Program:
    with alliance_scope(alliance_id):  # a program's scope shows only that program
        found = Program.objects.filter(alliance_id=alliance_id, slug=slug).first()
    if found is None:
        raise ValidationError({"to_program": _("Choose a member program of this alliance.")})
    return found


@api.get("/programs/{slug}/referrals", response={200: ReferralPage, **ERRORS}, tags=["referrals"])
def program_referrals(request: HttpRequest, slug: str, page: Query[PageIn]):
    """Families referred to this program (newest first)."""
    with api_program(request, slug) as program:
        qs = _referrals(Referral.objects.filter(to_program=program)).order_by("-created_at", "pk")
        return page_of(qs, page, _referral_out)


@api.post("/programs/{slug}/referrals", response={201: ReferralOut, **ERRORS}, tags=["referrals"])
def refer_from_program(request: HttpRequest, slug: str, payload: ReferralIn):
    """Refer a family this program can see (offered or referred to it) on to another member,
    with the family's consent."""
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        application = access_program_application(program, payload.application_id)
        referral = services_applications.refer_application(
            acting_user=request.user,
            application=application,
            to_program=_member(program.alliance_id, payload.to_program),
            from_program=program,
            note=payload.note,
        )
        return Status(201, _referral_out(referral))


@api.post(
    "/programs/{slug}/referrals/{referral_id}/answer",
    response={200: ReferralOut, **ERRORS},
    tags=["referrals"],
)
def answer_referral(request: HttpRequest, slug: str, referral_id: int, payload: ReferralAnswerIn):
    """The receiving program accepts (it will contact the family) or declines (with why)."""
    with api_program(request, slug, Perm.PROGRAM_MANAGE) as program:
        referral = services_applications.respond_to_referral(
            acting_user=request.user,
            referral=access_referral_to(program, referral_id),
            accept=payload.accept,
            note=payload.note,
        )
        return _referral_out(referral)


@api.get(
    "/alliances/{alliance}/referrals", response={200: ReferralPage, **ERRORS}, tags=["referrals"]
)
def hub_referrals(request: HttpRequest, alliance: str, page: Query[PageIn]):
    with api_alliance(request, alliance) as found:
        qs = _referrals(Referral.objects.filter(alliance=found)).order_by("-created_at", "pk")
        return page_of(qs, page, _referral_out)


@api.post(
    "/alliances/{alliance}/referrals", response={201: ReferralOut, **ERRORS}, tags=["referrals"]
)
def hub_refer(request: HttpRequest, alliance: str, payload: ReferralIn):
    """The hub refers a waiting family to a member (with the family's consent)."""
    with api_alliance(request, alliance) as found:
        referral = services_applications.refer_application(
            acting_user=request.user,
            application=access_application(found, payload.application_id),
            to_program=_member(found.pk, payload.to_program),
            note=payload.note,
        )
        return Status(201, _referral_out(referral))


@api.get("/alliances/{alliance}/vacancies.csv", response=ERRORS, tags=["openings"])
def vacancies_csv(request: HttpRequest, alliance: str):
    """The vacancy export as CSV (the same columns as the hub's download), for state
    referral systems."""
    import csv

    from django.http import HttpResponse

    from alliance.enrollment.views_hub import VACANCY_HEADER, vacancy_rows

    with api_alliance(request, alliance) as found:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{found.slug}-vacancies.csv"'
        writer = csv.DictWriter(response, fieldnames=VACANCY_HEADER)
        writer.writeheader()
        for row in vacancy_rows(found, timezone.localdate()):
            writer.writerow(row)
        return response
