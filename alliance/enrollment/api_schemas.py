"""Schemas of the enrollment API (no field is named like its type: ``on``, not ``date``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from alliance.api.types import PageOut


class ChildIn(Schema):
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80)
    birth_date: dt.date


class PreferencesIn(Schema):
    desired_start: dt.date
    schedule: str = "full"
    days: str = Field("01234", description="Weekday digits, Monday=0 … Friday=4.")
    town: str = Field(max_length=80)
    zip_code: str = Field(max_length=10)
    phone: str = Field("", max_length=30)
    preferred_programs: list[str] = Field(
        default_factory=list, description="Program short names, best first."
    )
    preferred_towns: list[str] = Field(default_factory=list)
    ccap: str = "none"
    languages: list[str] = Field(default_factory=list)
    special_needs: str = ""
    notes: str = ""


class ApplicationIn(PreferencesIn):
    guardian_name: str = Field(max_length=150)
    email: str = Field(max_length=254)
    language: str = "en"
    children: list[ChildIn]
    consent_to_share: bool


class ApplicantOut(Schema):
    id: int
    first_name: str
    birth_date: dt.date
    status: str


class ApplicationOut(Schema):
    id: int
    status: str
    family: str
    town: str
    desired_start: dt.date
    schedule: str
    days: str
    preferred_programs: list[int]
    preferred_towns: list[str]
    ccap: str
    languages: list[str]
    submitted_at: dt.datetime
    children: list[ApplicantOut]


class ApplicationCreated(ApplicationOut):
    token: str = Field(description="The family's private key to read and update it.")


class ApplicationPage(PageOut):
    items: list[ApplicationOut]


class EnrollmentIn(Schema):
    child_id: int
    classroom_id: int
    start_date: dt.date
    end_date: dt.date | None = None
    schedule: str = "full"
    days: str = "01234"


class EnrollmentOut(Schema):
    id: int
    child_id: int
    child_name: str
    birth_date: dt.date
    classroom_id: int
    classroom: str
    start_date: dt.date
    end_date: dt.date | None
    schedule: str
    days: str
    status: str
    withdrawal_reason: str


class EnrollmentPage(PageOut):
    items: list[EnrollmentOut]


class WithdrawIn(Schema):
    last_day: dt.date
    reason: str


class CheckInIn(Schema):
    child_id: int


class AttendanceOut(Schema):
    id: int
    child_id: int
    classroom_id: int
    on: dt.date
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None


class AttendancePage(PageOut):
    items: list[AttendanceOut]


class OpeningOut(Schema):
    classroom_id: int
    classroom: str
    program: str
    town: str
    age_min_months: int
    age_max_months: int
    seats: int
    available_from: dt.date


class OpeningPage(PageOut):
    items: list[OpeningOut]


class ReasonOut(Schema):
    reason: str
    points: float


class ProposalOut(Schema):
    id: int
    applicant_id: int
    child: str
    program: str
    classroom_id: int
    start_date: dt.date
    score: float
    status: str
    reasons: list[ReasonOut]


class ProposalPage(PageOut):
    items: list[ProposalOut]


class MatchingRunOut(Schema):
    id: int
    applicants: int
    seats: int
    matched: int
    total_score: float
    seconds: float
    optimality_gap: float = Field(
        0.0, description="0 when proven optimal; else the proven relative gap (time limit)."
    )
    proposals: list[ProposalOut]


class OfferOut(Schema):
    id: int
    applicant_id: int
    child: str
    program: str
    classroom_id: int
    start_date: dt.date
    status: str
    sent_at: dt.datetime
    expires_at: dt.datetime


class OfferPage(PageOut):
    items: list[OfferOut]


class DeclineIn(Schema):
    reason: str = ""


class CorrectionIn(Schema):
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None = None
    reason: str = Field(max_length=300)


class CorrectionOut(Schema):
    id: int
    attendance_id: int
    field: str
    old_value: dt.datetime | None
    new_value: dt.datetime | None
    reason: str
    corrected_at: dt.datetime


class CorrectionPage(PageOut):
    items: list[CorrectionOut]


class MoveIn(Schema):
    classroom_id: int
    on: dt.date = Field(description="First day in the new classroom.")


class TransitionOut(Schema):
    enrollment_id: int
    child_id: int
    child_name: str
    classroom_id: int
    leaves_on: dt.date
    kindergarten: bool
    next_classroom_id: int | None


class TransitionPage(PageOut):
    items: list[TransitionOut]


class TransitionMoveIn(MoveIn):
    enrollment_id: int


class TransitionsIn(Schema):
    moves: list[TransitionMoveIn] = Field(
        description="The children to move, each with the new classroom and first day."
    )


class ReferralIn(Schema):
    application_id: int
    to_program: str = Field(description="Short name of the member program.")
    note: str = Field("", max_length=300)


class ReferralAnswerIn(Schema):
    accept: bool
    note: str = Field("", max_length=300)


class ReferralOut(Schema):
    id: int
    application_id: int
    family: str
    children: list[str]
    from_program: str | None
    to_program: str
    note: str
    status: str
    response_note: str
    created_at: dt.datetime


class ReferralPage(PageOut):
    items: list[ReferralOut]
