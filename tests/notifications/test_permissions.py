"""Every notifications URL and API path as every persona: a person sees only their own."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from tests.notifications.factories import NotificationFactory
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

COVERED_API_PATHS = {
    "me/notifications",
    "me/notifications/<notification_id>/read",
}


@pytest.fixture
def subs_notification(world):
    with scopes_disabled():
        return NotificationFactory(
            recipient=world.sub, alliance=world.alliance, link="/notifications/"
        )


def test_page_matrix(world, subs_notification):
    n = subs_notification.pk
    own = everyone(200, anonymous=LOGIN)
    only_sub = everyone(404, anonymous=LOGIN, sub=302)
    cases = [
        Case("GET", "/notifications/", own),
        Case("GET", "/notifications/?show=unread", own),
        Case("GET", "/notifications/preferences/", own),
        Case("POST", "/notifications/preferences/", everyone(302, anonymous=LOGIN)),
        Case("GET", f"/notifications/{n}/", only_sub),
        Case("POST", f"/notifications/{n}/read/", only_sub),
        Case("GET", f"/notifications/{n}/read/", everyone(405, anonymous=LOGIN)),
        Case("POST", "/notifications/read-all/", everyone(302, anonymous=LOGIN)),
        Case("GET", "/notifications/999999/", everyone(404, anonymous=LOGIN)),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world, subs_notification):
    n = subs_notification.pk
    cases = [
        Case("GET", "/api/v1/me/notifications", everyone(200, anonymous=401)),
        Case(
            "POST",
            f"/api/v1/me/notifications/{n}/read",
            everyone(404, anonymous=401, sub=200),
            data={},
        ),
        Case("POST", "/api/v1/me/notifications/999999/read", everyone(404, anonymous=401), data={}),
    ]
    check_matrix(cases, world.personas(), api=True)


def test_others_never_see_it_in_their_lists(world, subs_notification, as_user):
    for persona, user in world.personas().items():
        if user is None or persona == "sub":
            continue
        page = as_user(user).get("/notifications/")
        assert subs_notification.subject not in page.content.decode(), persona
    assert subs_notification.subject in as_user(world.sub).get("/notifications/").content.decode()
