"""The director sets up billing in a real browser: splits an account between two payers
(a wrong split is refused with a clear message, then fixed) and changes the billing
settings. Every page on the way must pass axe without serious or critical findings."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.billing import services_runs
from alliance.billing.models import BillingSettings, Payer
from tests.billing.conftest import MONTH, make_billing

pytestmark = pytest.mark.e2e


def test_director_splits_payers_and_sets_billing(
    page: Page, live_server, world, login, assert_accessible
):
    billing = make_billing(world)
    with scopes_disabled():
        services_runs.post_run(
            acting_user=world.director1, program=world.program1, period="monthly", day=MONTH
        )

    # 1. From the account, the director opens its payers.
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/billing/accounts/")
    page.get_by_role("link", name="López family").click()
    page.get_by_role("link", name="Edit payers").click()
    expect(page.locator("h1")).to_contain_text("Payers of López family")
    assert_accessible(page)

    # 2. A split that adds up to 90% is refused, naming the rule; nothing saved.
    page.locator("#id_payers-0-share_percent").fill("50")
    page.locator("#id_payers-1-name").fill("Luis López")
    page.locator("#id_payers-1-email").fill("luis@example.org")
    page.locator("#id_payers-1-share_percent").fill("40")
    page.get_by_role("button", name="Save payers").click()
    expect(page.locator("#payer-errors")).to_contain_text("must add up to 100%")
    assert_accessible(page)

    # 3. Fixed to 50/50: saved, back on the account.
    page.locator("#id_payers-1-share_percent").fill("50")
    page.get_by_role("button", name="Save payers").click()
    expect(page.get_by_text("Payers saved.")).to_be_visible()
    expect(page.get_by_text("Luis López (50%)")).to_be_visible()
    with scopes_disabled():
        shares = sorted(
            Payer.objects.filter(account__family=billing.lopez, is_active=True).values_list(
                "share_percent", flat=True
            )
        )
    assert [str(s) for s in shares] == ["50.000", "50.000"]

    # 4. Billing settings: weekly, due in 15 days, the CCAP difference billed.
    page.get_by_role("link", name="Settings").click()
    expect(page.locator("h1")).to_contain_text("Billing settings")
    assert_accessible(page)
    page.locator("#id_period").select_option("weekly")
    page.locator("#id_due_days").fill("15")
    page.locator("#id_bill_ccap_difference").check()
    page.locator("#id_statement_name").fill("Little Learners LLC")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Billing settings saved.")).to_be_visible()
    assert_accessible(page)
    with scopes_disabled():
        saved = BillingSettings.objects.get(program=world.program1)
    assert (saved.period, saved.due_days, saved.bill_ccap_difference) == ("weekly", 15, True)
