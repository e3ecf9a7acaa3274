"""What the training API returns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from alliance.api.types import PageOut


class TrainingSessionOut(Schema):
    id: int
    course: str
    course_id: int
    topic: str
    is_orientation: bool
    starts_at: datetime
    ends_at: datetime
    location: str
    online_url: str
    language: str
    hours: Decimal
    seats: int
    seats_taken: int
    waitlisted: int
    trainer: str
    status: str

    @staticmethod
    def from_session(session) -> dict:
        return {
            "id": session.pk,
            "course": session.course.title,
            "course_id": session.course_id,
            "topic": session.course.topic,
            "is_orientation": session.course.is_orientation,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "location": session.location,
            "online_url": session.online_url,
            "language": session.language,
            "hours": session.hours,
            "seats": session.seats,
            "seats_taken": session.confirmed,
            "waitlisted": session.waitlisted,
            "trainer": session.trainer_display,
            "status": session.status,
        }


class TrainingSessionPage(PageOut):
    items: list[TrainingSessionOut]


class TrainingRegistrationOut(Schema):
    id: int
    alliance: str
    session_id: int
    course: str
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    status: str
    attendance: str
    certificate_code: str | None

    @staticmethod
    def from_registration(registration) -> dict:
        session = registration.session
        return {
            "id": registration.pk,
            "alliance": session.alliance.slug,
            "session_id": session.pk,
            "course": session.course.title,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "hours": session.hours,
            "status": registration.status,
            "attendance": registration.attendance,
            "certificate_code": registration.certificate_code
            if registration.attendance == "present"
            else None,
        }


class TrainingRegistrationPage(PageOut):
    items: list[TrainingRegistrationOut]


class RosterEntryOut(Schema):
    id: int
    person_id: int
    person_name: str
    email: str
    program: str | None
    status: str
    attendance: str
    attendance_version: int


class RegisterOtherIn(Schema):
    user_id: int | None = None
    email: str | None = Field(None, max_length=254)


class AttendanceMarkIn(Schema):
    registration_id: int
    version: int = Field(..., ge=0, description="attendance_version the caller last saw")
    attendance: str = Field(..., description="present, absent or unmarked")


class AttendanceIn(Schema):
    marks: list[AttendanceMarkIn] = Field(..., max_length=500)


class AttendanceRowOut(Schema):
    registration_id: int
    attendance: str
    version: int


class AttendanceResultOut(Schema):
    changed: list[AttendanceRowOut]
    conflicts: list[AttendanceRowOut]
