"""What the staffing API reads and writes; inputs forbid unknown fields and bound values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from alliance.api.types import Money, PageOut
from alliance.staffing.models import CredentialKind, StaffRole
from alliance.staffing.models_jobs import ApplicationStage, EmploymentType

Hours = Annotated[Decimal, Field(ge=0, le=80, max_digits=4, decimal_places=1)]
Wage = Annotated[Decimal, Field(ge=0, le=99999, max_digits=7, decimal_places=2)]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


# --- ratio status ---------------------------------------------------------------------------


class RoomRatioOut(Schema):
    classroom_id: int
    name: str
    children_present: int
    youngest_months: int | None
    required_staff: int
    present_staff: int
    shortfall: int
    status: str
    resting: bool
    over_home_limit: bool


class GapOut(Schema):
    classroom_id: int
    name: str
    day: date
    starts_at: str
    ends_at: str
    required_staff: int
    scheduled_staff: int
    now: bool
    requested: bool


class RatioStatusOut(Schema):
    program: str
    at: datetime
    resting: bool
    building_short: bool
    classrooms: list[RoomRatioOut]
    shortfalls: list[GapOut]


# --- staff ----------------------------------------------------------------------------------


class StaffOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    role: str
    hire_date: date
    hours_per_week: Decimal
    wage: Money
    separated_on: date | None
    separation_reason: str
    has_account: bool


class StaffPage(PageOut):
    items: list[StaffOut]


class StaffIn(StrictSchema):
    full_name: str = Field(..., min_length=1, max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    role: StaffRole
    hire_date: date
    hours_per_week: Hours
    wage: Wage


class StaffPatch(StrictSchema):
    full_name: str | None = Field(None, min_length=1, max_length=150)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=30)
    role: StaffRole | None = None
    hire_date: date | None = None
    hours_per_week: Hours | None = None
    wage: Wage | None = None


class CredentialOut(Schema):
    id: int
    kind: str
    issued_on: date
    expires_on: date | None
    number: str
    has_proof: bool
    verified: bool


class CredentialIn(StrictSchema):
    kind: CredentialKind
    issued_on: date
    expires_on: date | None = None
    number: str = Field("", max_length=80)


class FindingOut(Schema):
    requirement: str
    status: str
    expires_on: date | None
    days_left: int | None


class ComplianceOut(Schema):
    staff_id: int
    full_name: str
    role: str
    findings: list[FindingOut]


class CompliancePage(PageOut):
    items: list[ComplianceOut]


# --- jobs -----------------------------------------------------------------------------------


class PostingOut(Schema):
    id: int
    program: str
    title: str
    role: str
    employment_type: str
    hours_per_week: Decimal
    wage_min: Money
    wage_max: Money
    description: str
    requirements: str
    status: str
    posted_on: date
    closes_on: date | None


class PostingPage(PageOut):
    items: list[PostingOut]


class PostingIn(StrictSchema):
    title: str = Field(..., min_length=1, max_length=120)
    role: StaffRole
    employment_type: EmploymentType = EmploymentType.FULL_TIME
    hours_per_week: Hours
    wage_min: Wage
    wage_max: Wage
    description: str = Field(..., min_length=1, max_length=10000)
    requirements: str = Field("", max_length=10000)
    closes_on: date | None = None


class ApplicationOut(Schema):
    id: int
    posting_id: int
    candidate_id: int
    candidate_name: str
    stage: str
    created_at: datetime


class ApplicationPage(PageOut):
    items: list[ApplicationOut]


class StageIn(StrictSchema):
    stage: ApplicationStage
    note: str | None = Field(None, max_length=4000)
