"""The community API: response export, action items, topics and events (RSVP capacity)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.community import services_library, tasks
from alliance.community.models import ActionItem, Recipient
from alliance.core.tenancy import alliance_scope
from tests.community.conftest import COMPLETE, answer

pytestmark = pytest.mark.django_db

V1 = "/api/v1/alliances/union-county"


def _client(user) -> tuple[Client, dict]:
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def test_responses_export_pages_with_answers_in_bounded_queries(interest_survey, world):
    answer(interest_survey, world, COMPLETE, language="es")
    client, headers = _client(world.hub)
    url = f"{V1}/surveys/{interest_survey.pk}/responses?limit=50"
    client.get(url, **headers)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        body = client.get(url, **headers).json()
    assert body["count"] == 1 and body["items"][0]["language"] == "es"
    by_kind = {a["kind"]: a for a in body["items"][0]["answers"]}
    assert by_kind["multiple"]["choices"] == ["staff", "substitutes"]
    assert by_kind["rating"]["number"] == "4"
    for _i in range(6):
        answer(interest_survey, world, COMPLETE)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, **headers).json()["count"] == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_action_item_status_and_event_rsvp_capacity(world):
    with scopes_disabled():
        item = ActionItem.objects.create(alliance=world.alliance, title="Call the chamber")
    client, headers = _client(world.committee)
    response = client.patch(
        f"{V1}/committee/action-items/{item.pk}",
        {"status": "done"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    bad = client.patch(
        f"{V1}/committee/action-items/{item.pk}",
        {"status": "later"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and "status" in bad.json()["fields"]
    start = timezone.now() + datetime.timedelta(days=2)
    with alliance_scope(world.alliance):
        event = services_library.create_event(
            alliance=world.alliance,
            acting_user=world.hub,
            title="Breakfast",
            kind="networking",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            capacity=1,
        )
    first, h1 = _client(world.director1)
    assert first.post(f"{V1}/events/{event.pk}/rsvp", **h1).status_code == 201
    second, h2 = _client(world.director2)
    full = second.post(f"{V1}/events/{event.pk}/rsvp", **h2)
    assert (
        full.status_code == 422
        and "full" in full.json()["message"].lower() + str(full.json()["fields"]).lower()
    )
    events = second.get(f"{V1}/events", **h2).json()
    assert events["items"][0]["seats_taken"] == 1


def test_reminder_task_reminds_programs_invited_a_week_ago(interest_survey, world, mailoutbox):
    with scopes_disabled():
        Recipient.objects.create(
            alliance=world.alliance, survey=interest_survey, program=world.program2
        )
        Recipient.objects.update(invited_at=timezone.now() - datetime.timedelta(days=8))
    assert tasks.survey_reminders_task.call_local() == 1
    assert tasks.survey_reminders_task.call_local() == 0  # reminded today: not again yet
