"""GET /api/v1/me/notifications and POST …/{id}/read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.notifications.models import Notification
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world.sub, name='t')}")
    return client


def make(world, n=1, **kwargs):
    with scopes_disabled():
        return [
            NotificationFactory(recipient=world.sub, alliance=world.alliance, **kwargs)
            for _ in range(n)
        ]


def test_list_is_paginated_unread_first(world, api):
    make(world, n=3, read_at=timezone.now())
    [unread] = make(world, program=world.program1, subject="Fresh", urgent=True)
    body = api.get("/api/v1/me/notifications?limit=2").json()
    assert body["count"] == 4 and body["unread"] == 1 and body["limit"] == 2
    first = body["items"][0]
    assert first["id"] == unread.pk
    assert first["subject"] == "Fresh" and first["urgent"] is True
    assert first["alliance"] == "union-county" and first["program"] == "little-learners"
    assert first["read_at"] is None
    assert len(body["items"]) == 2


def test_unread_filter(world, api):
    make(world, n=2, read_at=timezone.now())
    make(world, n=1)
    body = api.get("/api/v1/me/notifications?unread=true").json()
    assert body["count"] == 1


def test_bad_paging_is_a_422(api):
    response = api.get("/api/v1/me/notifications?limit=5000")
    assert response.status_code == 422
    assert "limit" in response.json()["fields"]


def test_mark_read(world, api):
    [n] = make(world)
    response = api.post(f"/api/v1/me/notifications/{n.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    with scopes_disabled():
        assert Notification.objects.get(pk=n.pk).read_at is not None
    again = api.post(f"/api/v1/me/notifications/{n.pk}/read")
    assert again.json()["read_at"] == response.json()["read_at"]


def test_someone_elses_is_not_found_and_untouched(world, api):
    with scopes_disabled():
        other = NotificationFactory(recipient=world.family, alliance=world.alliance)
    response = api.post(f"/api/v1/me/notifications/{other.pk}/read")
    assert response.status_code == 404
    with scopes_disabled():
        assert Notification.objects.get(pk=other.pk).read_at is None


def test_query_count_does_not_grow(world, api, django_assert_max_num_queries):
    make(world, n=2, program=world.program1)
    api.get("/api/v1/me/notifications")
    make(world, n=60, program=world.program2)
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/me/notifications").json()
    assert body["count"] == 62 and len(body["items"]) == 50


def test_a_non_numeric_id_is_a_422_not_a_500(api):
    response = api.post("/api/v1/me/notifications/abc/read")
    assert response.status_code in (404, 422)
    assert "message" in response.json()
