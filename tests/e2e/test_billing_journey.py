"""The billing journey in a real browser: the director previews and posts a monthly run,
the family sees the invoice, the director records a payment, and the family's balance
updates. Every page on the way must pass axe without serious or critical findings."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.billing.conftest import make_billing
from tests.e2e.conftest import snapshot

pytestmark = pytest.mark.e2e

AGING = "/p/little-learners/billing/reports/aging/?as_of=2025-04-30"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_director_bills_family_pays(page: Page, live_server, world, login, assert_accessible):
    make_billing(world)

    # 1. The director previews March 2025: nothing saved yet, two invoices shown.
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/billing/")
    expect(page.locator("h1")).to_contain_text("Billing")
    assert_accessible(page)
    page.locator("#id_period").select_option("monthly")
    page.locator("#id_day").fill("2025-03-10")
    page.get_by_role("button", name="Preview the run").click()
    expect(page.locator("h1")).to_contain_text("Run preview")
    expect(page.get_by_text("López family")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "billing-run-preview")

    # 2. … and posts it.
    page.get_by_role("button", name="Post the run").click()
    expect(page.get_by_text("Run posted: 2 invoices")).to_be_visible()
    assert_accessible(page)
    # The aging report now shows what the López family owes.
    page.goto(AGING)
    expect(page.locator("#main")).to_contain_text("López family")
    assert_accessible(page)
    _sign_out(page)

    # 3. The family sees the invoice and what it owes.
    login(page, live_server, world.family)
    page.goto("/me/billing/")
    expect(page.get_by_test_id("balance")).to_have_text("$1,900.00")
    assert_accessible(page)
    page.get_by_role("link", name="INV-000001").click()
    expect(page.get_by_text("Tuition — Mateo")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "billing-family-invoice")
    _sign_out(page)

    # 4. The director records a check on the family's account.
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/billing/accounts/")
    page.get_by_role("link", name="López family").click()
    page.locator("#id_pay-amount").fill("1900.00")
    page.locator("#id_pay-method").select_option("check")
    page.locator("#id_pay-received_on").fill("2025-03-05")
    page.locator("#id_pay-reference").fill("1042")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment of $1,900.00 recorded.")).to_be_visible()
    expect(page.locator("#family-balance")).to_have_text("$0.00")
    assert_accessible(page)
    # … and the aging report updates: nothing of theirs is open any more.
    page.goto(AGING)
    expect(page.locator("h1")).to_contain_text("Aging")
    expect(page.locator("#main")).not_to_contain_text("López family")
    _sign_out(page)

    # 5. The family's balance is now zero and the invoice is paid.
    login(page, live_server, world.family)
    page.goto("/me/billing/")
    expect(page.get_by_test_id("balance")).to_have_text("$0.00")
    expect(page.get_by_text("Paid", exact=True)).to_be_visible()
    assert_accessible(page)
