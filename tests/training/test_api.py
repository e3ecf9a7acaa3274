"""The training API: sessions, registering (seat or waitlist), one's own registrations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.api.conftest import ApiClient
from tests.training.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

BASE = "/alliances/union-county/trainings"


def test_list_filters_and_paginates(world, course, session, past_session):
    with scopes_disabled():
        SessionFactory(course=course, language="es")
        RegistrationFactory(session=session, person=world.director1)
    api = ApiClient(world.staff)
    body = api.get(BASE).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["id"] == session.pk
    assert (first["seats"], first["seats_taken"], first["hours"]) == (2, 1, "3.00")
    assert api.get(BASE, {"language": "es"}).json()["count"] == 1
    assert api.get(BASE, {"include_past": "true"}).json()["count"] == 3
    assert api.get(BASE, {"limit": 1}).json()["items"][0]["id"] == session.pk
    bad = api.get(BASE, {"language": "fr"})
    assert bad.status_code == 422 and "language" in bad.json()["fields"]


def test_register_waitlist_and_cancel_promotes(world, session):
    staff, director, sub = ApiClient(world.staff), ApiClient(world.director1), ApiClient(world.sub)
    assert staff.post(f"{BASE}/{session.pk}/register", {}).json()["status"] == "confirmed"
    assert director.post(f"{BASE}/{session.pk}/register", {}).json()["status"] == "confirmed"
    waiting = sub.post(f"{BASE}/{session.pk}/register", {})
    assert waiting.status_code == 201 and waiting.json()["status"] == "waitlisted"
    again = sub.post(f"{BASE}/{session.pk}/register", {})
    assert again.status_code == 422 and "session" in again.json()["fields"]
    mine = staff.get("/me/training-registrations").json()
    assert mine["count"] == 1 and mine["items"][0]["alliance"] == "union-county"
    cancelled = staff.post(f"/me/training-registrations/{mine['items'][0]['id']}/cancel", {})
    assert cancelled.json()["status"] == "cancelled"
    assert sub.get("/me/training-registrations").json()["items"][0]["status"] == "confirmed"


def test_certificate_code_only_once_attended(world, past_session):
    with scopes_disabled():
        RegistrationFactory(session=past_session, person=world.staff, attendance="present")
    item = ApiClient(world.staff).get("/me/training-registrations").json()["items"][0]
    assert item["attendance"] == "present" and item["certificate_code"]


def test_lists_do_not_grow_queries(world, course, django_assert_max_num_queries):
    api = ApiClient(world.staff)

    def grow(n):
        with scopes_disabled():
            for i in range(n):
                s = SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=i + 1))
                RegistrationFactory(session=s, person=world.staff)

    grow(2)
    api.get(BASE)
    api.get("/me/training-registrations")
    with django_assert_max_num_queries(12) as few_ctx:
        api.get(BASE)
        api.get("/me/training-registrations")
    grow(15)
    with django_assert_max_num_queries(12) as many_ctx:
        api.get(BASE)
        api.get("/me/training-registrations")
    assert len(many_ctx.captured_queries) == len(few_ctx.captured_queries)
