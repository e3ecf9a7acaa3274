"""A director asks for cover at 6 a.m.; a substitute accepts on her phone through the text
message's link, without signing in; the director sees the filled shift."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from alliance.notifications.models import Channel, Delivery
from alliance.substitutes.models import Assignment
from tests.e2e.conftest import MOBILE, snapshot
from tests.substitutes.factories import make_sub, next_weekday

pytestmark = pytest.mark.e2e


def test_director_requests_substitute_accepts_by_text_link(
    page: Page, browser: Browser, live_server, world, login, assert_accessible
):
    world.sub.phone = "908-555-2001"
    world.sub.save(update_fields=["phone"])
    make_sub(world.alliance, user=world.sub, town="Elizabeth")
    make_sub(world.alliance, "sub2@example.org", town="Linden")
    day = next_weekday(2)

    # 1. The director opens Substitutes from the program's menu and requests cover.
    login(page, live_server, world.director1)
    page.goto(f"{live_server.url}/p/little-learners/")
    page.get_by_role("navigation", name="Little Learners sections").get_by_role(
        "link", name="Substitutes"
    ).click()
    expect(page.locator("h1")).to_have_text("Substitutes")
    assert_accessible(page)
    page.get_by_role("link", name="Request a substitute").first.click()
    expect(page.locator("h1")).to_have_text("Request a substitute")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start").fill("08:00")
    page.get_by_label("End").fill("15:00")
    page.get_by_label("Classroom").select_option(label="Toddlers")
    page.get_by_label("How to offer it").select_option("broadcast")
    page.get_by_label("Notes for the substitute").fill("Ask for Maria at the front desk.")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent.")).to_be_visible()
    expect(page.get_by_text("Looking for a substitute").first).to_be_visible()
    expect(page.get_by_role("heading", name="Who was asked, and why")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "substitutes-request-open")

    # 2. The text message to sub1 carries the one-tap link.
    with scopes_disabled():
        text = Delivery.objects.get(channel=Channel.SMS, notification__recipient=world.sub).body
    match = re.search(r"/s/offer/\S+/", text)
    assert match, text
    link = match.group(0)

    # 3. On a phone, not signed in: open the link, tap Accept.
    phone = browser.new_context(base_url=live_server.url, viewport=MOBILE, locale="en-US")
    try:
        mobile = phone.new_page()
        mobile.goto(f"{live_server.url}{link}")
        expect(mobile.locator("h1")).to_have_text("Shift at Little Learners")
        expect(mobile.get_by_text("Ask for Maria at the front desk.")).to_be_visible()
        assert_accessible(mobile)
        snapshot(mobile, "substitutes-offer-phone")
        mobile.get_by_role("button", name="Accept this shift").click()
        expect(mobile.get_by_test_id("outcome")).to_contain_text("The shift is yours")
        assert_accessible(mobile)
        # The link is single-use: tapping again (e.g. reloading the form) is refused.
        mobile.goto(f"{live_server.url}{link}")
        expect(mobile.get_by_text("You accepted this shift.")).to_be_visible()
        expect(mobile.get_by_role("button", name="Accept this shift")).to_have_count(0)
    finally:
        phone.close()

    # 4. The director sees the filled shift and who is coming.
    page.reload()
    expect(page.get_by_text("Filled").first).to_be_visible()
    expect(page.get_by_test_id("assigned")).to_contain_text(world.sub.full_name)
    assert_accessible(page)
    with scopes_disabled():
        assert Assignment.objects.filter(substitute=world.sub).count() == 1
