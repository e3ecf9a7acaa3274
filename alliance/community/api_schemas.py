"""API shapes of the community module."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

from alliance.api.types import PageOut


class SurveyOut(Schema):
    id: int
    title: str
    status: str
    distribution: str
    anonymous: bool
    created_at: datetime


class SurveyPage(PageOut):
    items: list[SurveyOut]


class AnswerOut(Schema):
    question_id: int
    question: str
    kind: str
    choices: list[str]
    number: str | None
    text: str


class ResponseOut(Schema):
    id: int
    submitted_at: datetime | None
    language: str
    program: str | None
    program_kind: str
    town: str
    answers: list[AnswerOut]


class ResponsePage(PageOut):
    items: list[ResponseOut]


class ActionItemOut(Schema):
    id: int
    title: str
    owner: str | None
    due_on: date | None
    status: str
    meeting_id: int | None


class ActionItemPage(PageOut):
    items: list[ActionItemOut]


class ActionItemPatch(Schema):
    status: str


class TopicOut(Schema):
    id: int
    title: str
    category: str
    post_count: int
    is_locked: bool
    last_post_at: datetime


class TopicPage(PageOut):
    items: list[TopicOut]


class EventOut(Schema):
    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    location: str
    capacity: int | None
    seats_taken: int


class EventPage(PageOut):
    items: list[EventOut]
