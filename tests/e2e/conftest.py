"""Browser fixtures: Debian Chromium driven by Playwright against pytest-django's live server.

* ``browser`` (session): one headless Chromium per test process (per xdist worker). We never
  download a browser: Playwright launches the system one at ``CHROMIUM``.
* ``page`` (function): a fresh browser context (own cookies and storage) and one page, with a
  30 s default timeout. When the test fails, a full-page screenshot goes to ``test-results/``.
* ``login(page, live_server, user)``: signs in through the real form.
* ``assert_accessible(page)``: runs axe-core and fails on serious or critical findings.

The live server runs in a thread of the test process, so ``django.core.mail.outbox`` is shared
and data must be committed: every test that uses ``live_server`` gets ``transactional_db``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; Django would then refuse ORM
# calls from that thread (fixtures, assertions) as "async unsafe". The calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from tests.factories import PASSWORD  # noqa: E402

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The test machine has no internet: nothing may phone home or wait for the network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 30_000  # generous: CI runs two browser workers on two cores
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
# Findings at these impacts fail the test; "moderate" and "minor" are reported by axe only.
BLOCKING_IMPACTS = {"serious", "critical"}
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

_axe = Axe()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Keep each phase's report on the item so the ``page`` fixture knows the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install it with `make system-deps`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context (its own cookies) pointed at the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-US", timezone_id="America/New_York"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the failure
            print(f"screenshot failed: {exc}")
    context.close()


def login_as(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form and wait to leave it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def login() -> Callable[..., None]:
    return login_as


def axe_violations(page: Page) -> list[dict]:
    """axe-core findings at serious or critical impact on the current page."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
    return "\n".join(lines)


def check_accessible(page: Page) -> None:
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"Accessibility problems on {page.url}:\n{format_violations(violations)}",
            pytrace=False,
        )


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    return check_accessible


def snapshot(page: Page, name: str) -> None:
    """With ``E2E_SCREENSHOTS=1``, save the page at phone and desktop width for a visual review
    (``test-results/screens/<name>-<width>.png``). A no-op otherwise, so journeys stay fast."""
    if not os.environ.get("E2E_SCREENSHOTS"):
        return
    folder = RESULTS_DIR / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for size in (MOBILE, DESKTOP):
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{size['width']}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)
