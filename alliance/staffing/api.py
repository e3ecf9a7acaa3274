"""API for staff, credentials, compliance, ratio status, job postings and applications.

Every endpoint opens its program through :func:`alliance.api.tenancy.api_program` (404 for
a program that is not the caller's, 403 for a missing permission); writes go through the
staffing services. Staff records and jobs need ``program.manage`` (wages are private);
the ratio status needs ``program.view``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.core.policy import Perm
from alliance.staffing import queries, services, services_credentials, services_jobs
from alliance.staffing.access import access_application, access_posting, access_staff
from alliance.staffing.api_schemas import (
    ApplicationOut,
    ApplicationPage,
    CompliancePage,
    CredentialIn,
    CredentialOut,
    HireIn,
    PostingIn,
    PostingOut,
    PostingPage,
    PostingPatch,
    RatioStatusOut,
    StaffIn,
    StaffOut,
    StaffPage,
    StaffPatch,
    StageIn,
)
from alliance.staffing.board import ratio_board
from alliance.staffing.models import Application, JobPosting, StaffMember

POSTING_OUT_FIELDS = (
    "title",
    "role",
    "employment_type",
    "hours_per_week",
    "wage_min",
    "wage_max",
    "description",
    "requirements",
    "status",
    "posted_on",
    "closes_on",
)
ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
MANAGE = Perm.PROGRAM_MANAGE


def _staff(s: StaffMember) -> dict[str, Any]:
    return {
        "id": s.pk,
        "full_name": s.full_name,
        "email": s.email,
        "phone": s.phone,
        "role": s.role,
        "hire_date": s.hire_date,
        "hours_per_week": s.hours_per_week,
        "wage": s.wage,
        "separated_on": s.separated_on,
        "separation_reason": s.separation_reason,
        "has_account": s.user_id is not None,
    }


def _posting(p: JobPosting) -> dict[str, Any]:
    fields = POSTING_OUT_FIELDS
    return {"id": p.pk, "program": p.program.slug, **{f: getattr(p, f) for f in fields}}


def _application(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "posting_id": a.posting_id,
        "candidate_id": a.candidate_id,
        "candidate_name": a.candidate.full_name,
        "stage": a.stage,
        "created_at": a.created_at,
    }


def _home(home) -> dict[str, Any] | None:
    if home is None:
        return None
    return {
        "in_care": home.in_care,
        "own_children": home.own_children,
        "total": home.total,
        "infants": home.infants,
        "max_in_care": home.limits.max_in_care,
        "max_total_with_own_children": home.limits.max_total_with_own_children,
        "max_infants": home.limits.max_infants,
        "breaches": list(home.breaches),
    }


@api.get(
    "/programs/{slug}/ratio-status", response={200: RatioStatusOut, **ERRORS}, tags=["staffing"]
)
def ratio_status(request: HttpRequest, slug: str):
    """Each classroom now: children present, staff required by the state's ratios, staff
    present; and the shortfalls the schedule shows in the coming hours."""
    with api_program(request, slug) as program:
        board = ratio_board(program, timezone.now())
        return {
            "program": program.slug,
            "at": board.at,
            "resting": board.resting,
            "building_short": board.building_short,
            "home": _home(board.home),
            "classrooms": [
                {
                    "classroom_id": r.classroom_id,
                    "name": r.name,
                    "children_present": r.children,
                    "youngest_months": r.youngest_months,
                    "required_staff": r.required,
                    "present_staff": r.present,
                    "shortfall": r.shortfall,
                    "status": r.status,
                    "resting": r.resting,
                    "over_home_limit": r.over_home_limit,
                    "ratio_basis": r.ratio_basis,
                    "rest_denied": r.rest_denied,
                    "field_trip": r.field_trip,
                    "home_breaches": list(r.home_breaches),
                }
                for r in board.rooms
            ],
            "shortfalls": [
                {
                    "classroom_id": g.classroom_id,
                    "name": g.name,
                    "day": g.day,
                    "starts_at": g.starts_at.strftime("%H:%M"),
                    "ends_at": g.ends_at.strftime("%H:%M"),
                    "required_staff": g.required,
                    "scheduled_staff": g.present,
                    "now": g.now,
                    "requested": g.requested,
                }
                for g in board.gaps
            ],
        }


@api.get("/programs/{slug}/staff", response={200: StaffPage, **ERRORS}, tags=["staffing"])
def list_staff(request: HttpRequest, slug: str, page: Query[PageIn], former: bool = False):
    """Current staff by name (``former=true``: those who left, latest first)."""
    with api_program(request, slug, MANAGE) as program:
        return page_of(queries.staff_of(program, current=not former), page, _staff)


@api.post("/programs/{slug}/staff", response={201: StaffOut, **ERRORS}, tags=["staffing"])
def create_staff(request: HttpRequest, slug: str, payload: StaffIn):
    with api_program(request, slug, MANAGE) as program:
        staff = services.create_staff(
            acting_user=request.user, program=program, **payload.model_dump()
        )
        return Status(201, _staff(staff))


@api.get("/programs/{slug}/staff/{staff_id}", response={200: StaffOut, **ERRORS}, tags=["staffing"])
def get_staff(request: HttpRequest, slug: str, staff_id: int):
    with api_program(request, slug, MANAGE) as program:
        return _staff(access_staff(program, staff_id))


@api.patch(
    "/programs/{slug}/staff/{staff_id}", response={200: StaffOut, **ERRORS}, tags=["staffing"]
)
def update_staff(request: HttpRequest, slug: str, staff_id: int, payload: StaffPatch):
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        fields = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
        return _staff(services.update_staff(acting_user=request.user, staff=staff, **fields))


@api.get(
    "/programs/{slug}/staff/{staff_id}/credentials",
    response={200: list[CredentialOut], **ERRORS},
    tags=["staffing"],
)
def list_credentials(request: HttpRequest, slug: str, staff_id: int):
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        return [
            {
                "id": c.pk,
                "kind": c.kind,
                "issued_on": c.issued_on,
                "expires_on": c.expires_on,
                "number": c.number,
                "has_proof": bool(c.proof),
                "verified": c.verified_at is not None,
            }
            for c in queries.credentials_by_staff([staff])[staff.pk]
        ]


@api.post(
    "/programs/{slug}/staff/{staff_id}/credentials",
    response={201: CredentialOut, **ERRORS},
    tags=["staffing"],
)
def add_credential(request: HttpRequest, slug: str, staff_id: int, payload: CredentialIn):
    """Record a credential (proof files are uploaded on the staff page)."""
    with api_program(request, slug, MANAGE) as program:
        staff = access_staff(program, staff_id)
        c = services_credentials.add_credential(
            acting_user=request.user, staff=staff, **payload.model_dump()
        )
        out = {"id": c.pk, "kind": c.kind, "issued_on": c.issued_on, "expires_on": c.expires_on}
        return Status(201, {**out, "number": c.number, "has_proof": False, "verified": False})


@api.get("/programs/{slug}/compliance", response={200: CompliancePage, **ERRORS}, tags=["staffing"])
def compliance(request: HttpRequest, slug: str, page: Query[PageIn]):
    """Each current staff member's required credentials: ok, expiring (60 days), lapsed or
    missing."""
    with api_program(request, slug, MANAGE) as program:
        rows = queries.program_compliance(program, timezone.localdate()).rows
        items = [
            {
                "staff_id": row.staff.pk,
                "full_name": row.staff.full_name,
                "role": row.staff.role,
                "findings": [
                    {
                        "requirement": f.requirement.key,
                        "status": f.status,
                        "expires_on": f.credential.expires_on if f.credential else None,
                        "days_left": f.days_left,
                    }
                    for f in row.findings
                ],
            }
            for row in rows[page.offset : page.offset + page.limit]
        ]
        return {"count": len(rows), "limit": page.limit, "offset": page.offset, "items": items}


@api.get("/programs/{slug}/jobs", response={200: PostingPage, **ERRORS}, tags=["jobs"])
def list_postings(request: HttpRequest, slug: str, page: Query[PageIn]):
    with api_program(request, slug, MANAGE) as program:
        rows = JobPosting.objects.filter(program=program).select_related("program")
        return page_of(rows, page, _posting)


@api.post("/programs/{slug}/jobs", response={201: PostingOut, **ERRORS}, tags=["jobs"])
def create_posting(request: HttpRequest, slug: str, payload: PostingIn):
    with api_program(request, slug, MANAGE) as program:
        posting = services_jobs.create_posting(
            acting_user=request.user, program=program, **payload.model_dump()
        )
        return Status(201, _posting(posting))


@api.patch(
    "/programs/{slug}/jobs/{posting_id}", response={200: PostingOut, **ERRORS}, tags=["jobs"]
)
def update_posting(request: HttpRequest, slug: str, posting_id: int, payload: PostingPatch):
    """Change a posting, or close it (``{"status": "closed"}``): it leaves the job board."""
    with api_program(request, slug, MANAGE) as program:
        posting = access_posting(program, posting_id)
        fields = {
            k: v
            for k, v in payload.model_dump(exclude_unset=True).items()
            if v is not None or k == "closes_on"
        }
        posting = services_jobs.update_posting(acting_user=request.user, posting=posting, **fields)
        return _posting(posting)


@api.post(
    "/programs/{slug}/applications/{application_id}/hire",
    response={201: StaffOut, **ERRORS},
    tags=["jobs"],
)
def hire(request: HttpRequest, slug: str, application_id: int, payload: HireIn):
    """Hire the candidate: creates the staff record (and invites them to sign in)."""
    with api_program(request, slug, MANAGE) as program:
        application = access_application(program, application_id)
        staff = services_jobs.hire(
            acting_user=request.user, application=application, **payload.model_dump()
        )
        return Status(201, _staff(staff))


@api.get(
    "/programs/{slug}/jobs/{posting_id}/applications",
    response={200: ApplicationPage, **ERRORS},
    tags=["jobs"],
)
def list_applications(request: HttpRequest, slug: str, posting_id: int, page: Query[PageIn]):
    with api_program(request, slug, MANAGE) as program:
        posting = access_posting(program, posting_id)
        rows = posting.applications.select_related("candidate").order_by("-created_at", "-pk")
        return page_of(rows, page, _application)


@api.post(
    "/programs/{slug}/applications/{application_id}/stage",
    response={200: ApplicationOut, **ERRORS},
    tags=["jobs"],
)
def move_application(request: HttpRequest, slug: str, application_id: int, payload: StageIn):
    """Move an application along the pipeline (hiring is done on the page, with wage)."""
    with api_program(request, slug, MANAGE) as program:
        application = access_application(program, application_id)
        services_jobs.move_application(
            acting_user=request.user, application=application, **payload.model_dump()
        )
        return _application(application)


# The rest of the staffing API registers its routes on import.
from alliance.staffing import api_jobs, api_work  # noqa: E402, F401
