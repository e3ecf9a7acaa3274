"""Subsidy agencies of an alliance, for the hub: ``/api/v1/alliances/{alliance}/subsidy-agencies``
(list, add) and ``…/{agency_id}`` (change, deactivate or reactivate with ``is_active``).

Every endpoint opens the alliance with ``api_alliance`` (``Perm.HUB_MANAGE``: 403 without
it, 404 for a missing alliance or another alliance's agency); writes go through
``services_agencies``; bad input is 422 ``{"message", "fields"}``. Imported by
``billing/api.py``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance
from alliance.api.types import ErrorOut, Message, PageIn, PageOut, page_of
from alliance.billing import services_agencies
from alliance.billing.access_claims import access_alliance_agency
from alliance.billing.models import SubsidyAgency

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
TAGS = ["billing: subsidy agencies"]
FIELDS = ("name", "code", "email", "phone", "address", "requires_attendance")


class AgencyOut(Schema):
    id: int
    name: str
    code: str
    email: str
    phone: str
    address: str
    requires_attendance: bool
    is_active: bool
    claims: int = Field(..., description="How many claims (and adjustments) refer to it.")


class AgencyPage(PageOut):
    items: list[AgencyOut]


class AgencyIn(Schema):
    name: str
    code: str = Field(..., description="Short code, unique in the alliance (upper-cased).")
    email: str = ""
    phone: str = ""
    address: str = ""
    requires_attendance: bool = True


class AgencyPatch(Schema):
    name: str | None = None
    code: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    requires_attendance: bool | None = None
    is_active: bool | None = Field(None, description="False deactivates, true reactivates.")


def _agencies(alliance):
    return (
        SubsidyAgency.objects.filter(alliance=alliance)
        .annotate(n_claims=Count("claims"))
        .order_by("-is_active", "name", "pk")
    )


def _agency(a: SubsidyAgency) -> dict:
    return {
        "id": a.pk,
        "name": a.name,
        "code": a.code,
        "email": a.email,
        "phone": a.phone,
        "address": a.address,
        "requires_attendance": a.requires_attendance,
        "is_active": a.is_active,
        "claims": a.n_claims,
    }


@api.get("/alliances/{alliance}/subsidy-agencies", response={200: AgencyPage, **ERRORS}, tags=TAGS)
def list_agencies(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """The alliance's agencies, active first, with their number of claims."""
    with api_alliance(request, alliance) as found:
        return page_of(_agencies(found), page, _agency)


@api.post("/alliances/{alliance}/subsidy-agencies", response={201: AgencyOut, **ERRORS}, tags=TAGS)
def create_agency(request: HttpRequest, alliance: str, payload: AgencyIn):
    """Add an agency (422 ``code`` if another agency of the alliance uses the code)."""
    with api_alliance(request, alliance) as found:
        agency = services_agencies.save_agency(
            acting_user=request.user, alliance=found, **payload.model_dump()
        )
        return Status(201, _agency(_agencies(found).get(pk=agency.pk)))


@api.patch(
    "/alliances/{alliance}/subsidy-agencies/{agency_id}",
    response={200: AgencyOut, **ERRORS},
    tags=TAGS,
)
def update_agency(request: HttpRequest, alliance: str, agency_id: int, payload: AgencyPatch):
    """Change the given fields; ``is_active`` deactivates or reactivates the agency."""
    with api_alliance(request, alliance) as found, transaction.atomic():
        agency = access_alliance_agency(found.pk, agency_id)
        data = payload.model_dump(exclude_unset=True)
        active = data.pop("is_active", None)
        if data:
            values = {f: getattr(agency, f) for f in FIELDS}
            values.update({k: v for k, v in data.items() if v is not None})
            agency = services_agencies.save_agency(
                acting_user=request.user, alliance=found, agency=agency, **values
            )
        if active is not None and active != agency.is_active:
            services_agencies.set_agency_active(
                acting_user=request.user, agency=agency, active=active
            )
        return _agency(_agencies(found).get(pk=agency.pk))
