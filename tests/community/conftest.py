"""Shared helpers for the community tests: a survey built through the services."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from alliance.community import services_surveys as services
from alliance.community.models import Question, Survey
from alliance.core.models import AuditEntry
from alliance.core.tenancy import alliance_scope


def rows(model) -> int:
    with scopes_disabled():
        return model.objects.count()


def audit_actions(**filters) -> list[str]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(**filters).values_list("action", flat=True))


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def questions_by_key(survey: Survey) -> dict[str, Question]:
    """The template survey's questions by their position in the template."""
    keys = [
        "kind",
        "children",
        "challenges",
        "sub_days",
        "challenge_story",
        "services",
        "interest",
        "contact",
    ]
    with scopes_disabled():
        ordered = list(
            Question.objects.filter(survey=survey).order_by("section__position", "position")
        )
    return dict(zip(keys, ordered, strict=True))


@pytest.fixture
def interest_survey(world):
    """The interest survey template, copied and opened (anonymous, by link)."""
    with alliance_scope(world.alliance):
        survey = services.copy_interest_survey(alliance=world.alliance, acting_user=world.hub)
        services.set_status(survey=survey, acting_user=world.hub, status="open")
    return survey


def answer(
    survey: Survey,
    world,
    values: dict[str, list[str]],
    *,
    program=None,
    submit: bool = True,
    user=None,
    language: str = "en",
):
    qs = questions_by_key(survey)
    raw = {qs[k].pk: v for k, v in values.items()}
    with alliance_scope(world.alliance):
        return services.save_response(
            survey=survey,
            raw=raw,
            submit=submit,
            program=program,
            acting_user=user,
            language=language,
        )


COMPLETE = {
    "kind": ["center"],
    "challenges": ["staff", "substitutes"],
    "interest": ["4"],
    "sub_days": ["3"],
}
