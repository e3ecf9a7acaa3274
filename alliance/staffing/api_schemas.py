"""What the staffing API reads and writes; inputs forbid unknown fields and bound values."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from alliance.accounts.models import Language
from alliance.api.types import Money, PageOut
from alliance.staffing.models import CredentialKind, SeparationReason, StaffRole
from alliance.staffing.models_jobs import ApplicationStage, Availability, EmploymentType

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
    ratio_basis: str = Field(
        description="awake, resting, resting_awake (rests, but the awake "
        "ratio applies: see rest_denied) or home"
    )
    rest_denied: str
    field_trip: str = Field(description="destination while away on a field trip, else empty")
    home_breaches: list[str]


class HomeOut(Schema):
    in_care: int
    own_children: int
    total: int
    infants: int
    max_in_care: int
    max_total_with_own_children: int
    max_infants: int | None
    breaches: list[str]


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
    home: HomeOut | None = None
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


# --- schedules, clock-ins, separations, the day's changes -------------------------------------


class BlockOut(Schema):
    id: int
    staff_id: int
    classroom_id: int
    weekday: int
    starts_at: str
    ends_at: str


class BlockIn(StrictSchema):
    classroom_id: int
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday")
    starts_at: time
    ends_at: time


class ClockInIn(StrictSchema):
    classroom_id: int | None = None


class ShiftOut(Schema):
    id: int
    staff_id: int
    full_name: str
    classroom_id: int | None
    started_at: datetime
    ended_at: datetime | None


class ShiftPage(PageOut):
    items: list[ShiftOut]


class SeparationIn(StrictSchema):
    separated_on: date
    reason: SeparationReason
    note: str = Field("", max_length=300)


class FieldTripIn(StrictSchema):
    classroom_id: int
    starts_at: datetime
    ends_at: datetime
    destination: str = Field(..., min_length=1, max_length=150)


class FieldTripOut(Schema):
    id: int
    classroom_id: int
    destination: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool


class RestIn(StrictSchema):
    classroom_id: int
    resting: bool


class HomeDayIn(StrictSchema):
    own_children: int = Field(..., ge=0, le=20)
    own_infants: int = Field(0, ge=0, le=20)


class HomeDayOut(Schema):
    day: date
    own_children: int
    own_infants: int


# --- the public job board and a candidate's own applications -----------------------------------


class PublicPostingOut(Schema):
    id: int
    program: str
    program_name: str
    town: str
    title: str
    role: str
    employment_type: str
    hours_per_week: Decimal
    wage_min: Money
    wage_max: Money
    description: str
    requirements: str
    posted_on: date
    closes_on: date | None
    url: str


class PublicPostingPage(PageOut):
    items: list[PublicPostingOut]


class ApplyIn(StrictSchema):
    email: str = Field(..., min_length=3, max_length=254)
    full_name: str = Field(..., min_length=1, max_length=150)
    phone: str = Field("", max_length=30)
    town: str = Field(..., min_length=1, max_length=80)
    towns: list[str] = Field(default_factory=list, max_length=20)
    experience_years: int = Field(0, ge=0, le=60)
    experience: str = Field("", max_length=4000)
    credentials: list[CredentialKind] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=20)
    availability: Availability = Availability.EITHER
    availability_note: str = Field("", max_length=200)
    share_with_members: bool = False
    message: str = Field("", max_length=4000)
    # The language of the confirmation email (default: the request's Accept-Language).
    language: Language | None = None


class AppliedOut(Schema):
    application_id: int
    candidate_id: int
    stage: str
    shares_profile: bool


class MyApplicationOut(Schema):
    id: int
    candidate_id: int
    alliance: str
    posting_id: int
    title: str
    program_name: str
    stage: str
    created_at: datetime
    shares_profile: bool


class MyApplicationPage(PageOut):
    items: list[MyApplicationOut]


class CandidateConsentOut(Schema):
    candidate_id: int
    shares_profile: bool


class PostingPatch(StrictSchema):
    title: str | None = Field(None, min_length=1, max_length=120)
    hours_per_week: Hours | None = None
    wage_min: Wage | None = None
    wage_max: Wage | None = None
    description: str | None = Field(None, min_length=1, max_length=10000)
    requirements: str | None = Field(None, max_length=10000)
    closes_on: date | None = None
    status: str | None = Field(None, description="open or closed")


class HireIn(StrictSchema):
    hire_date: date
    wage: Wage
    hours_per_week: Hours | None = None
    role: StaffRole | None = None
