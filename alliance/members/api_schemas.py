"""What the members API reads and writes. Input schemas forbid unknown fields and bound
every number and string, so the services only ever see well-typed values."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from alliance.api.types import Money, PageOut
from alliance.members.models import MembershipStatus, ProgramKind, QualityRating

AgeMonths = Annotated[int, Field(ge=0, le=216)]
Capacity = Annotated[int, Field(ge=0, le=32767)]


def _refuse_null(cls: type, value: Any) -> Any:
    # Leaving a field out means "unchanged"; null would mean "empty", which these fields
    # cannot be, so say so by name instead of failing later.
    if value is None:
        raise PydanticCustomError("not_null", _("This field cannot be empty (null)."))
    return value


class PatchSchema(Schema):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


# --- me -----------------------------------------------------------------------------------


class RoleOut(Schema):
    kind: str
    alliance: str
    program: str | None


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    roles: list[RoleOut]


# --- programs ------------------------------------------------------------------------------


class ProgramOut(Schema):
    slug: str
    alliance: str
    name: str
    kind: str
    license_number: str
    license_expires_on: date | None
    licensed_capacity: int
    staffed_capacity: int
    ages_min_months: int
    ages_max_months: int
    languages: list[str]
    accepts_ccap: bool
    quality_rating: int
    address: str
    town: str
    zip_code: str
    phone: str
    email: str
    website: str
    tax_id: str
    description: str
    listed_in_directory: bool

    @staticmethod
    def resolve_alliance(obj) -> str:
        return obj.alliance.slug


class ProgramPage(PageOut):
    items: list[ProgramOut]


class ProgramPatch(PatchSchema):
    """Send only the fields to change."""

    name: str | None = Field(None, max_length=150)
    kind: ProgramKind | None = None
    license_number: str | None = Field(None, max_length=40)
    license_expires_on: date | None = None
    licensed_capacity: Capacity | None = None
    staffed_capacity: Capacity | None = None
    ages_min_months: AgeMonths | None = None
    ages_max_months: AgeMonths | None = None
    languages: list[Annotated[str, Field(max_length=40)]] | None = Field(None, max_length=20)
    accepts_ccap: bool | None = None
    quality_rating: QualityRating | None = None
    address: str | None = Field(None, max_length=200)
    town: str | None = Field(None, max_length=80)
    zip_code: str | None = Field(None, max_length=10)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    tax_id: str | None = Field(None, max_length=20)
    description: str | None = Field(None, max_length=5000)
    listed_in_directory: bool | None = None

    # license_expires_on is the one field that may be cleared with null.
    _not_null = field_validator(
        *[
            n
            for n in ProgramOut.model_fields
            if n not in ("slug", "alliance", "license_expires_on")
        ],
        mode="before",
    )(_refuse_null)


# --- classrooms ----------------------------------------------------------------------------


class ClassroomOut(Schema):
    id: int
    name: str
    age_min_months: int
    age_max_months: int
    licensed_capacity: int
    staffed_capacity: int
    is_active: bool


class ClassroomPage(PageOut):
    items: list[ClassroomOut]


class ClassroomIn(PatchSchema):
    name: str = Field(max_length=80)
    age_min_months: AgeMonths
    age_max_months: AgeMonths
    licensed_capacity: Capacity
    staffed_capacity: Capacity | None = Field(
        None, description="Defaults to the licensed capacity."
    )


class ClassroomPatch(PatchSchema):
    """Send only the fields to change."""

    name: str | None = Field(None, max_length=80)
    age_min_months: AgeMonths | None = None
    age_max_months: AgeMonths | None = None
    licensed_capacity: Capacity | None = None
    staffed_capacity: Capacity | None = None
    is_active: bool | None = None

    _not_null = field_validator("*", mode="before")(_refuse_null)


# --- memberships ---------------------------------------------------------------------------


class TierOut(Schema):
    id: int
    name: str
    annual_fee: Money


class MembershipOut(Schema):
    program: str
    program_name: str
    status: str
    tier: TierOut
    annual_fee: Money
    joined_on: date
    renews_on: date
    fee_paid_through: date | None

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_program_name(obj) -> str:
        return obj.program.name


class MembershipPage(PageOut):
    items: list[MembershipOut]


class MembershipPatch(PatchSchema):
    """Send only what changes. A new tier brings its annual fee with it."""

    status: MembershipStatus | None = None
    tier: int | None = Field(None, description="Id of one of the alliance's tiers.")
    fee_paid_through: date | None = None

    _not_null = field_validator("*", mode="before")(_refuse_null)
