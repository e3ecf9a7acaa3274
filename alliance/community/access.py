"""The audited ways to reach one community record: scoped lookups by alliance that 404
alike for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import Model
from django.http import Http404

from alliance.community.models import (
    ActionItem,
    Document,
    Event,
    Meeting,
    Post,
    Question,
    Session,
    Suggestion,
    Survey,
    Theme,
    Topic,
)
from alliance.core.access import first_or_404


def _one(model: type[Model], alliance_id: int, pk: int, *related: str):
    return first_or_404(
        model.objects.select_related(*related).filter(alliance_id=alliance_id, pk=pk)
    )


def access_survey(alliance_id: int, survey_id: int) -> Survey:
    return _one(Survey, alliance_id, survey_id, "alliance")


def access_survey_by_token(alliance_id: int, token: str) -> Survey:
    return first_or_404(
        Survey.objects.select_related("alliance")
        .filter(alliance_id=alliance_id, token=token)
        .exclude(status="draft")
    )


def access_question(survey: Survey, question_id: int) -> Question:
    return first_or_404(Question.objects.filter(survey=survey, pk=question_id))


def access_theme(alliance_id: int, theme_id: int) -> Theme:
    return _one(Theme, alliance_id, theme_id)


def access_session(alliance_id: int, session_id: int) -> Session:
    return _one(Session, alliance_id, session_id, "alliance")


def access_meeting(alliance_id: int, meeting_id: int) -> Meeting:
    return _one(Meeting, alliance_id, meeting_id, "alliance")


def access_action_item(alliance_id: int, item_id: int) -> ActionItem:
    return _one(ActionItem, alliance_id, item_id, "alliance", "owner")


def access_suggestion(alliance_id: int, suggestion_id: int) -> Suggestion:
    return _one(Suggestion, alliance_id, suggestion_id, "alliance", "author")


def access_topic(alliance_id: int, topic_id: int, *, moderator: bool = False) -> Topic:
    """Hidden topics exist only for moderators."""
    topic = _one(Topic, alliance_id, topic_id, "alliance", "category", "author")
    if topic.is_hidden and not moderator:
        raise Http404
    return topic


def access_post(alliance_id: int, post_id: int) -> Post:
    return _one(Post, alliance_id, post_id, "alliance", "topic")


def access_document(alliance_id: int, document_id: int, *, members: bool) -> Document:
    """Members-only documents exist only for members."""
    document = _one(Document, alliance_id, document_id, "alliance")
    if document.access != "public" and not members:
        raise Http404
    return document


def access_event(alliance_id: int, event_id: int, *, members: bool) -> Event:
    event = _one(Event, alliance_id, event_id, "alliance")
    if not event.is_public and not members:
        raise Http404
    return event
