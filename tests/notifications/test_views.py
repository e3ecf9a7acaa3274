"""The inbox, marking read (plain and htmx), the header count and the preferences page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.notifications.forms import PreferencesForm
from alliance.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from alliance.notifications.nav import personal_items
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def make(world, user=None, n: int = 1, **kwargs) -> list[Notification]:
    with scopes_disabled():
        return [
            NotificationFactory(recipient=user or world.sub, alliance=world.alliance, **kwargs)
            for _ in range(n)
        ]


def unread(user) -> int:
    with scopes_disabled():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_inbox_lists_unread_first(world, as_user):
    [old_unread] = make(world, subject="Old but unread")
    [read] = make(world, subject="Newer and read", read_at=timezone.now())
    [new_unread] = make(world, subject="Newest unread", urgent=True)
    html = as_user(world.sub).get("/notifications/").content.decode()
    assert html.index("Newest unread") < html.index("Old but unread") < html.index("Newer and read")
    assert "2 unread notifications" in html
    assert "Urgent" in html


def test_unread_filter(world, as_user):
    make(world, subject="Unread one")
    make(world, subject="Read one", read_at=timezone.now())
    html = as_user(world.sub).get("/notifications/?show=unread").content.decode()
    assert "Unread one" in html and "Read one" not in html


def test_empty_inbox(world, as_user):
    response = as_user(world.sub).get("/notifications/")
    assert "No notifications yet" in response.content.decode()


def test_mark_one_read_with_htmx_returns_the_row(world, as_user):
    [n] = make(world, subject="Shift tomorrow")
    response = as_user(world.sub).post(f"/notifications/{n.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<li") and "Shift tomorrow" in html
    assert "Mark as read" not in html
    assert 'id="unread-count" aria-live="polite" hx-swap-oob="true">0 unread notifications' in html
    assert unread(world.sub) == 0


def test_mark_one_read_without_htmx_redirects(world, as_user):
    [n] = make(world)
    response = as_user(world.sub).post(f"/notifications/{n.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert unread(world.sub) == 0


def test_opening_marks_read_and_follows_the_link(world, as_user):
    [n] = make(world, link="http://127.0.0.1:8000/p/little-learners/")
    response = as_user(world.sub).get(f"/notifications/{n.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "http://127.0.0.1:8000/p/little-learners/"
    assert unread(world.sub) == 0


def test_mark_all_read_only_touches_own(world, as_user):
    make(world, n=3)
    make(world, user=world.family, n=2)
    response = as_user(world.sub).post("/notifications/read-all/", follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert unread(world.sub) == 0
    assert unread(world.family) == 2


def test_notifications_of_an_alliance_one_left_are_hidden(world, as_user):
    with scopes_disabled():
        NotificationFactory(recipient=world.sub, alliance=world.other_alliance, subject="Essex")
    html = as_user(world.sub).get("/notifications/").content.decode()
    assert "Essex" not in html


def test_nav_item_shows_the_unread_count_in_one_query(world, django_assert_num_queries):
    make(world, n=3)
    make(world, n=1, read_at=timezone.now())
    from alliance.core.policy import roles_of

    roles_of(world.sub)  # the navigation has loaded the roles already
    with django_assert_num_queries(1):
        [item] = personal_items(world.sub)
    assert item["label"] == "Notifications (3)"
    assert item["url"] == "/notifications/"


def test_nav_item_without_unread_and_without_roles(world):
    assert personal_items(world.sub)[0]["label"] == "Notifications"
    assert personal_items(world.outsider) == []


def test_header_shows_the_item(world, as_user):
    make(world, n=2)
    html = as_user(world.sub).get("/notifications/").content.decode()
    assert "Notifications (2)" in html


def test_inbox_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user(world.sub)
    make(world, n=2, program=world.program1)
    client.get("/notifications/")
    make(world, n=40, program=world.program2)
    with django_assert_max_num_queries(12):
        response = client.get("/notifications/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card notification') == 25


def test_preferences_save_only_changed_choices(world, as_user):
    client = as_user(world.sub)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert 'name="substitutes__email" id="id_substitutes__email" checked' in page.content.decode()
    # Submit the page as shown, but with texts on for training and email off for community.
    shown = PreferencesForm(user=world.sub)
    data = {name: "on" for name, field in shown.fields.items() if field.initial}
    data["training__sms"] = "on"
    data.pop("community__email", None)
    data["allow_urgent_quiet_sms"] = "on"
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 302
    with scopes_disabled():
        saved = {
            (p.category, p.channel): p.enabled
            for p in NotificationPreference.objects.filter(user=world.sub)
        }
        expected = {("training", "sms"): True, ("community", "email"): False}
        # Another module may make texts a default for training: then nothing changed there.
        if shown.fields["training__sms"].initial:
            del expected[("training", "sms")]
        assert saved == expected
        assert NotificationSettings.objects.get(user=world.sub).allow_urgent_quiet_sms
        entry = AuditEntry.objects.get(action="notifications.preferences_changed")
    assert entry.actor == world.sub and entry.alliance == world.alliance


def test_preferences_are_used_by_notify(world, as_user, django_capture_on_commit_callbacks):
    from alliance.notifications.services import notify

    as_user(world.sub).post("/notifications/preferences/", {})  # every box off
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=world.sub,
            kind="welcome",
            context={"alliance_name": "X"},
            alliance=world.alliance,
        )
    assert mail.outbox == []
    assert unread(world.sub) == 1


def test_odd_preference_input_never_fails(world, as_user):
    response = as_user(world.sub).post(
        "/notifications/preferences/",
        {"substitutes__sms": "<script>", "nonsense__email": "on", "allow_urgent_quiet_sms": "x"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not NotificationPreference.objects.filter(category="nonsense").exists()


def test_unknown_preference_is_refused_by_the_service(world):
    from django.core.exceptions import ValidationError

    from alliance.notifications.services import update_preferences

    with pytest.raises(ValidationError):
        update_preferences(acting_user=world.sub, choices={("nonsense", "email"): True})
    with pytest.raises(ValidationError):
        update_preferences(acting_user=world.sub, choices={("training", "in_app"): False})
    with scopes_disabled():
        assert not NotificationPreference.objects.filter(user=world.sub).exists()
