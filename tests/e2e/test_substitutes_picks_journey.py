"""Director-picks mode: a director asks for cover and will choose; a substitute volunteers
on her phone through the text message's link; the director picks her and sees the shift
filled; the other volunteer is told and stands on the backup list."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from alliance.core.tenancy import program_scope
from alliance.notifications.models import Channel, Delivery
from alliance.substitutes import services
from alliance.substitutes.models import Assignment, Backup, Offer
from tests.e2e.conftest import MOBILE, snapshot
from tests.substitutes.factories import make_sub, next_weekday

pytestmark = pytest.mark.e2e


def test_director_picks_a_volunteer_who_answered_by_text_link(
    page: Page, browser: Browser, live_server, world, login, assert_accessible
):
    world.sub.phone = "908-555-2001"
    world.sub.save(update_fields=["phone"])
    make_sub(world.alliance, user=world.sub, town="Elizabeth")
    other = make_sub(world.alliance, "sub2@example.org", town="Linden")
    day = next_weekday(2)

    # 1. The director requests cover in director-picks mode.
    login(page, live_server, world.director1)
    page.goto(f"{live_server.url}/p/little-learners/substitutes/new/")
    expect(page.locator("h1")).to_have_text("Request a substitute")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start").fill("08:00")
    page.get_by_label("End").fill("15:00")
    page.get_by_label("Classroom").select_option(label="Toddlers")
    page.get_by_label("How to offer it").select_option("picks")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent.")).to_be_visible()
    expect(page.get_by_text("pick one of the volunteers below")).to_be_visible()
    expect(page.get_by_role("heading", name="Volunteers")).to_be_visible()
    expect(page.get_by_text("Nobody has volunteered yet.")).to_be_visible()
    assert_accessible(page)
    request_url = page.url

    # 2. The other substitute volunteers through the API (or the app) first.
    with scopes_disabled():
        theirs = Offer.objects.get(substitute=other.user)
    with program_scope(world.program1):
        services.volunteer_offer(acting_user=other.user, offer_id=theirs.pk)

    # 3. sub1's text message invites her to volunteer; on a phone, not signed in.
    with scopes_disabled():
        text = Delivery.objects.get(channel=Channel.SMS, notification__recipient=world.sub).body
    assert "volunteer" in text.lower(), text
    link = re.search(r"/s/offer/\S+/", text).group(0)
    phone = browser.new_context(base_url=live_server.url, viewport=MOBILE, locale="en-US")
    try:
        mobile = phone.new_page()
        mobile.goto(f"{live_server.url}{link}")
        expect(mobile.locator("h1")).to_have_text("Shift at Little Learners")
        expect(mobile.get_by_role("button", name="Accept this shift")).to_have_count(0)
        assert_accessible(mobile)
        mobile.get_by_role("button", name="I can work it — volunteer").click()
        expect(mobile.get_by_test_id("outcome")).to_contain_text("Thank you for volunteering")
        assert_accessible(mobile)
        snapshot(mobile, "substitutes-volunteer-phone")
        mobile.goto(f"{live_server.url}{link}")
        expect(mobile.get_by_text("You volunteered for this shift")).to_be_visible()
    finally:
        phone.close()

    # 4. The director sees both volunteers ranked with reasons and picks sub1.
    page.goto(request_url)
    expect(page.get_by_test_id("volunteer")).to_have_count(2)
    expect(page.get_by_test_id("volunteer").first).to_contain_text("tier 3: the whole pool")
    assert_accessible(page)
    page.get_by_role("button", name=f"Pick {world.sub.full_name}").click()
    expect(page.get_by_text("the other volunteers were told and are backups")).to_be_visible()
    expect(page.get_by_text("Filled").first).to_be_visible()
    expect(page.get_by_test_id("assigned")).to_contain_text(world.sub.full_name)
    expect(page.get_by_test_id("backups")).to_contain_text(other.user.full_name)
    assert_accessible(page)
    snapshot(page, "substitutes-picked")
    with scopes_disabled():
        assert Assignment.objects.filter(substitute=world.sub).count() == 1
        assert list(Backup.objects.values_list("substitute_id", flat=True)) == [other.user_id]
