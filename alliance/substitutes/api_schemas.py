"""What the substitutes API reads and writes (input forbids unknown fields)."""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, time
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from alliance.api.types import PageOut


class RequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: Date | None = Field(None, description="The day (or use `dates` for several).")
    dates: list[Date] = Field(default_factory=list, max_length=20)
    start: time
    end: time
    classroom_id: int | None = None
    requirements: list[str] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=1000)
    preferred_id: int | None = Field(None, description="User id of a preferred substitute.")
    mode: Literal["waves", "broadcast", "picks"] | None = Field(
        None,
        description="Dispatch mode (picks: substitutes volunteer, the director picks one); "
        "the hub's default when left out.",
    )
    tiered: bool | None = Field(
        None,
        description="Waves mode: favourites, then usual substitutes, then the pool "
        "(false skips the tiers); the hub's default when left out.",
    )


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=200)


class PersonOut(Schema):
    id: int
    name: str


class ReasonOut(Schema):
    factor: str
    points: float
    why: str


class OfferSummaryOut(Schema):
    id: int
    substitute: PersonOut
    wave: int
    tier: str
    score: float
    status: str
    reasons: list[ReasonOut]


class VolunteerOut(Schema):
    offer_id: int
    substitute: PersonOut
    score: float
    tier: str
    volunteered_at: datetime | None
    reasons: list[ReasonOut]


class BackupOut(Schema):
    position: int
    substitute: PersonOut
    source: str
    offered_at: datetime | None


class PickIn(Schema):
    model_config = ConfigDict(extra="forbid")

    offer_id: int


class FavouriteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    substitute_id: int = Field(description="User id of a substitute in the alliance's pool.")


class FavouriteOut(Schema):
    substitute: PersonOut
    created_at: datetime


class ReinstateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=300)


class ProfileStatusOut(Schema):
    id: int
    substitute: PersonOut
    status: str


class FillOut(Schema):
    request_id: int
    program: str
    first_date: Date
    days: int
    mode: str
    tiered: bool
    status: str
    tier: str | None
    wave: int | None
    minutes_to_fill: int | None
    unfilled_reason: str
    substitute: PersonOut | None


class FillPage(PageOut):
    items: list[FillOut]


class NeverWorksOut(Schema):
    substitute: PersonOut
    offers: int
    declined: int
    ignored: int


class RequestOut(Schema):
    id: int
    program: str
    classroom_id: int | None
    dates: list[Date]
    start: time
    end: time
    requirements: list[str]
    notes: str
    mode: str
    tiered: bool
    source: str
    status: str
    unfilled_reason: str
    wave: int
    assigned_to: PersonOut | None
    created_at: datetime
    filled_at: datetime | None


class RequestDetailOut(RequestOut):
    offers: list[OfferSummaryOut]
    backups: list[BackupOut]


class RequestPage(PageOut):
    items: list[RequestOut]


class ShiftOut(Schema):
    program: str
    program_name: str
    town: str
    classroom: str | None
    dates: list[Date]
    start: time
    end: time
    notes: str


class MyOfferOut(Schema):
    id: int
    status: str
    expires_at: datetime
    shift: ShiftOut


class MyOfferPage(PageOut):
    items: list[MyOfferOut]


class AssignmentOut(Schema):
    id: int
    request_id: int
    status: str
    accepted_at: datetime
    shift: ShiftOut


class AssignmentPage(PageOut):
    items: list[AssignmentOut]
