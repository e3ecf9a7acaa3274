"""The community journey in a real browser: the hub builds a bilingual survey and opens it,
a director answers it in Spanish on a phone, and the hub sees the results chart and the
challenge board update. Every page on the way must pass axe."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from alliance.community.models import Response, Survey
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, MOBILE, snapshot

pytestmark = pytest.mark.e2e


def test_hub_builds_a_survey_a_director_answers_in_spanish_on_a_phone(
    page: Page, browser: Browser, live_server, world, login, assert_accessible
):
    slug = world.alliance.slug
    page.set_default_timeout(3 * DEFAULT_TIMEOUT_MS)
    login(page, live_server, world.hub)

    # 1. The hub puts the standard challenge themes on the board.
    page.goto(f"/a/{slug}/hub/community/board/")
    assert_accessible(page)
    page.get_by_role("button", name="Add the standard themes").click()
    expect(page.get_by_role("cell", name="Finding substitutes")).to_be_visible()

    # 2. The hub builds a survey: attributed to programs, one bilingual question.
    page.goto(f"/a/{slug}/hub/community/surveys/")
    assert_accessible(page)
    snapshot(page, "community-surveys")
    page.locator("#id_title").fill("Spring needs check-in")
    page.locator("#id_title_es").fill("Consulta de primavera")
    page.get_by_label("Anonymous responses").uncheck()
    page.get_by_role("button", name="Create survey").click()
    expect(page.locator("h1")).to_have_text("Spring needs check-in")
    assert_accessible(page)
    page.locator("#id_question-kind").select_option("multiple")
    page.locator("#id_question-text").fill("What is hardest right now?")
    page.locator("#id_question-text_es").fill("¿Qué es lo más difícil ahora?")
    page.get_by_label("An answer is required").check()
    page.get_by_label("Options").fill(
        "Finding substitutes | Encontrar sustitutos | substitutes\n"
        "Food prices | Precios de alimentos | purchasing"
    )
    page.get_by_role("button", name="Add question").click()
    expect(page.locator("strong", has_text="What is hardest right now?")).to_be_visible()
    page.get_by_role("button", name="Open survey").click()
    link = page.get_by_label("Survey link").input_value()
    assert "/surveys/" in link
    assert_accessible(page)
    snapshot(page, "community-builder")

    # 3. A director answers on a phone, in Spanish.
    phone = browser.new_context(base_url=live_server.url, viewport=MOBILE, locale="es-ES")
    # The first request of a live server loads every module's URLs; allow a busy machine.
    phone.set_default_timeout(3 * DEFAULT_TIMEOUT_MS)
    phone.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": _session_for(world.director1),
                "url": live_server.url,
            }
        ]
    )
    mobile = phone.new_page()
    try:
        mobile.goto(link + "?lang=es")
        expect(mobile.locator("h1")).to_have_text("Consulta de primavera")
        expect(mobile.get_by_text("¿Qué es lo más difícil ahora?")).to_be_visible()
        assert_accessible(mobile)
        snapshot(mobile, "community-respond-es")
        mobile.locator("button[value=submit]").click()  # nothing chosen yet: a clear error
        expect(mobile.locator(".field-error")).to_be_visible()
        mobile.get_by_label("Encontrar sustitutos").check()
        mobile.locator("button[value=submit]").click()
        mobile.wait_for_url("**/thanks/?lang=es")
        assert_accessible(mobile)
    finally:
        phone.close()
    with scopes_disabled():
        response = Response.objects.get(survey=Survey.objects.get(title="Spring needs check-in"))
    assert response.language == "es" and response.program == world.program1

    # 4. The hub sees the chart and the challenge board counts the answer.
    page.get_by_role("link", name="Results").click()
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.get_by_role("cell", name="1", exact=True).first).to_be_visible()
    expect(page.get_by_text("1 (100%)", exact=True)).to_be_attached()
    assert_accessible(page)
    snapshot(page, "community-results")
    page.goto(f"/a/{slug}/hub/community/board/")
    row = page.get_by_role("row").filter(has_text="Finding substitutes")
    expect(row.get_by_role("cell").nth(2)).to_have_text("1")
    expect(page.get_by_role("row").nth(1)).to_contain_text("Finding substitutes")
    assert_accessible(page)


def _session_for(user) -> str:
    """A signed-in session (the phone's browser is in Spanish; signing in is not the point)."""
    client = Client()
    client.force_login(user, backend="alliance.accounts.backends.EmailBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value
