"""The browser harness itself: the accessibility check can fail, and tenant scopes (which
live in contextvars) are opened correctly in the live server's own thread."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import check_accessible

pytestmark = pytest.mark.e2e

BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="nameless">
</main></body></html>"""


def test_assert_accessible_lists_serious_findings(browser: Browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(BROKEN_PAGE)
        with pytest.raises(pytest.fail.Exception) as failure:
            check_accessible(page)
    finally:
        context.close()
    message = str(failure.value)
    assert "image-alt (critical)" in message  # rule id and impact
    assert "label (critical)" in message
    assert "at img" in message  # where
    assert "Images must have alternative text" in message  # axe's help text


def test_assert_accessible_passes_a_clean_page(browser: Browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!doctype html><html lang="en"><head><title>Fine</title></head>'
            '<body><main><h1>Fine</h1><label for="n">Name</label><input id="n"></main></body>'
            "</html>"
        )
        check_accessible(page)
    finally:
        context.close()


def test_tenant_scope_opens_in_the_live_server_thread(page: Page, live_server, world, login):
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/classrooms/")
    # The classroom list is a scoped query: it only works if the middleware opened the scope
    # in the server thread that handled this request.
    expect(page.get_by_role("main").get_by_text("Toddlers")).to_be_visible()
    response = page.goto("/p/sunshine/")
    assert response is not None and response.status == 404  # another program's page
