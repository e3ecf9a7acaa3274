"""Every persona signs in through the form and lands on their own dashboard; the language
switcher turns pages to Spanish and back. (Spanish wording is still being written, so these
tests check the page's language, not its words.)"""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from alliance.accounts.models import User

pytestmark = pytest.mark.e2e

# persona -> (path they land on, main heading there)
LANDINGS = {
    "hub": ("/a/union-county/hub/", "Union County Child Care Alliance"),
    "director1": ("/p/little-learners/", "Little Learners"),
    "director2": ("/p/sunshine/", "Sunshine"),
    "provider": ("/p/garcia-fcc/", "García Family Child Care"),
    "staff": ("/p/little-learners/", "Little Learners"),
    "sub": ("/home/", "Welcome"),
    "family": ("/home/", "Welcome"),
    "committee": ("/home/", "Welcome"),
    "outsider": ("/home/", "Welcome"),
}


@pytest.mark.parametrize("persona", list(LANDINGS))
def test_persona_signs_in_to_their_dashboard(
    page: Page, live_server, world, login, assert_accessible, persona: str
):
    path, heading = LANDINGS[persona]
    login(page, live_server, getattr(world, persona))
    assert page.url == f"{live_server.url}{path}"
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)


def test_language_switcher_turns_the_page_to_spanish_and_back(
    page: Page, live_server, world, login, assert_accessible
):
    login(page, live_server, world.director1)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Español").click()
    expect(html).to_have_attribute("lang", "es")
    assert page.url == f"{live_server.url}/p/little-learners/"  # back where they were
    assert _cookie(page, settings.LANGUAGE_COOKIE_NAME) == "es"
    assert_accessible(page)

    # The choice sticks across pages...
    page.goto("/p/little-learners/classrooms/")
    expect(html).to_have_attribute("lang", "es")
    # ...and the switcher now offers English.
    page.locator("form.lang-switch button[lang='en']").click()
    expect(html).to_have_attribute("lang", "en")
    assert _cookie(page, settings.LANGUAGE_COOKIE_NAME) == "en"


def test_spanish_speaker_gets_spanish_pages_after_signing_in(page: Page, live_server, world, login):
    User.objects.filter(pk=world.family.pk).update(language="es")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    login(page, live_server, world.family)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert _cookie(page, settings.LANGUAGE_COOKIE_NAME) == "es"


def _cookie(page: Page, name: str) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == name), None)
