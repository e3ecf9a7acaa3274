"""A substitute gets notified (email and in-app), reads it in the inbox, marks the rest
read, and chooses texts for substitute offers on the settings page."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.notifications.models import Notification, NotificationPreference
from alliance.notifications.services import notify, update_preferences
from tests.e2e.conftest import snapshot

pytestmark = pytest.mark.e2e


def test_a_substitute_reads_notifications_and_chooses_texts(
    page: Page, live_server, world, mailoutbox, login, assert_accessible
):
    for note in ("Bring your ID badge.", "Staff meeting moved to Tuesday."):
        notify(
            recipient=world.sub,
            kind="test_message",
            context={"note": note},
            alliance=world.alliance,
            program=world.program1,
            channels=["in_app", "email"],
        )
    notify(
        recipient=world.sub,
        kind="welcome",
        context={"alliance_name": world.alliance.name},
        alliance=world.alliance,
        link="/notifications/preferences/",
    )
    assert len(mailoutbox) == 3  # sent after commit through the queue
    # Earlier she had turned texts about substitute offers off.
    update_preferences(acting_user=world.sub, choices={("substitutes", "sms"): False})

    # 1. The header shows the unread count; the inbox lists them.
    login(page, live_server, world.sub)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Notifications (3)").click()
    page.wait_for_url("**/notifications/")
    expect(page.locator("h1")).to_have_text("Notifications")
    expect(page.get_by_text("3 unread notifications")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "notifications-inbox")

    # 2. Mark one read in place (htmx): its button goes away, the others stay.
    first = page.locator("li.notification").filter(has_text="Bring your ID badge.")
    first.get_by_role("button", name="Mark as read").click()
    expect(first.get_by_role("button", name="Mark as read")).to_have_count(0)
    expect(page.get_by_text("2 unread notifications")).to_be_visible()
    with scopes_disabled():
        assert Notification.objects.filter(recipient=world.sub, read_at__isnull=True).count() == 2

    # 3. Mark all read.
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("2 notifications marked as read.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)
    expect(nav.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page)

    # 4. Settings: texts for substitute offers, early urgent ones allowed.
    page.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/notifications/preferences/")
    expect(page.locator("h1")).to_have_text("Notification settings")
    assert_accessible(page)
    snapshot(page, "notifications-preferences")
    texts = page.get_by_label("Substitute requests and offers: Text message")
    expect(texts).not_to_be_checked()
    texts.check()
    page.get_by_label("Allow early texts for urgent substitute offers").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(page.get_by_label("Substitute requests and offers: Text message")).to_be_checked()
    assert_accessible(page)
    with scopes_disabled():
        assert NotificationPreference.objects.get(
            user=world.sub, category="substitutes", channel="sms"
        ).enabled
