"""The subsidy-claim journey in a real browser: the director builds the claim for last month
from the CCAP authorization and attendance, submits it, records the agency's payment (short
by $50), sees the short-paid line and bills the family the gap. Every page on the way must
pass axe without serious or critical findings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.billing import services, services_runs
from alliance.billing.models import ClaimLine, GapResolution, OneOffCharge
from tests.billing.claims_support import attend, weekdays
from tests.billing.conftest import make_billing
from tests.e2e.conftest import snapshot

pytestmark = pytest.mark.e2e


def _last_month_billed(world):
    billing = make_billing(world)
    first = timezone.localdate().replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    end = first - timedelta(days=1)
    with scopes_disabled():
        services.create_authorization(
            acting_user=world.director1, program=world.program1, child=billing.liam,
            agency=billing.agency, starts_on=start, ends_on=start + timedelta(days=365),
            weekly_copay=Decimal("20.00"), case_number="UC-555",
        )  # fmt: skip
        services_runs.post_run(
            acting_user=world.director1, program=world.program1, period="monthly", day=start
        )
    attend(world.program1, world.classroom1, billing.liam, weekdays(start, end)[1:])
    return billing, start


def test_director_claims_records_agency_payment_and_bills_the_gap(
    page: Page, live_server, world, login, assert_accessible
):
    billing, start = _last_month_billed(world)

    # 1. The claims page offers last month; the preview shows Liam's line.
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/billing/claims/")
    expect(page.locator("h1")).to_contain_text("Subsidy claims")
    assert_accessible(page)
    expect(page.locator("#id_month")).to_have_value(f"{start:%Y-%m}")
    page.get_by_role("button", name="Preview the claim").click()
    expect(page.get_by_text("Preview: Union County CCR&R")).to_be_visible()
    expect(page.get_by_role("cell", name="UC-555")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "billing-claim-preview")

    # 2. Save, then submit.
    page.get_by_role("button", name="Save the claim").click()
    expect(page.get_by_text("The claim is saved as a draft")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.locator("#claim-status")).to_have_text("Submitted")
    assert_accessible(page)

    # 3. The agency paid $50 less than claimed.
    with scopes_disabled():
        line = ClaimLine.objects.get()
    paid = line.amount_claimed - Decimal("50.00")
    page.locator("#id_pay-amount").fill(str(paid))
    page.locator(f"#id_pay-line_{line.pk}").fill(str(paid))
    page.locator("#id_pay-reference").fill("EFT-2026-10")
    page.get_by_role("button", name="Record agency payment").click()
    expect(page.get_by_text("The agency payment is recorded.")).to_be_visible()
    expect(page.locator("#claim-status")).to_have_text("Partly paid")
    expect(page.locator("#open-gap")).to_have_text("$50.00")
    assert_accessible(page)
    snapshot(page, "billing-claim-short-paid")

    # 4. Bill the family the gap: it goes on the family's next invoice.
    page.locator(f"#line-{line.pk}").get_by_text("Resolve").click()
    page.locator(f"#line-{line.pk}").get_by_role("button", name="Bill the family").click()
    expect(page.get_by_text("billed to the family on the next invoice")).to_be_visible()
    expect(page.locator(f"#line-{line.pk}")).to_contain_text("Billed to the family")
    expect(page.locator("#open-gap")).to_have_text("$0.00")
    assert_accessible(page)
    with scopes_disabled():
        line.refresh_from_db()
        charge = OneOffCharge.objects.get()
    assert line.resolution == GapResolution.BILLED_FAMILY
    assert charge.amount == Decimal("50.00") and charge.account_id == line.account_id


def test_collections_leakage_and_hub_pages_are_accessible(
    page: Page, live_server, world, login, assert_accessible
):
    """The other pages of the part, with data on them, pass axe too."""
    from alliance.billing import services_claims, services_collections
    from alliance.billing.models import FamilyAccount

    billing, start = _last_month_billed(world)
    with scopes_disabled():
        services_collections.save_late_fee_policy(
            acting_user=world.director1, program=world.program1, method="percent",
            percent="1.5", cap="40.00", effective_from=start,
        )  # fmt: skip
        services_collections.save_reminder_schedule(
            acting_user=world.director1, program=world.program1,
            steps=[(-3, "email"), (0, "email"), (7, "both")],
        )  # fmt: skip
        account = FamilyAccount.objects.get(program=world.program1, family=billing.lopez)
        services_collections.create_payment_plan(
            acting_user=world.director1, account=account, installments=3,
            first_due_on=timezone.localdate() + timedelta(days=5), total="300.00",
        )  # fmt: skip
        services_claims.refresh_leakage(acting_user=None, program=world.program1)
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/billing/collections/")
    expect(page.locator("h1")).to_contain_text("Collections")
    expect(page.locator("#policy-summary")).to_contain_text("1.5% of the overdue amount")
    assert_accessible(page)
    page.get_by_role("link", name="López family").first.click()
    expect(page.locator("h1")).to_contain_text("López family")
    page.locator("#id_auto-enabled").check()
    page.locator("#id_auto-method").select_option("card")
    page.locator("#id_auto-last4").fill("4242")
    page.get_by_role("button", name="Save autopay").click()
    expect(page.locator("#autopay-state")).to_contain_text("ending 4242")
    assert_accessible(page)
    page.goto("/p/little-learners/billing/leakage/")
    expect(page.locator("h1")).to_contain_text("Billing leakage")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    login(page, live_server, world.hub)
    page.goto("/a/union-county/hub/billing/claims/")
    expect(page.locator("h1")).to_contain_text("Subsidy claims across members")
    assert_accessible(page)


def test_director_adjusts_a_submitted_claim_for_a_back_dated_authorization(
    page: Page, live_server, world, login, assert_accessible
):
    """After the claim was submitted the agency back-dates Mateo's authorization: the
    director previews the adjustment (only Mateo's line differs), saves it with a reason,
    submits it, and the claim page shows the original, the adjustment and the net."""
    from alliance.billing import services_claims
    from alliance.billing.models import SubsidyClaim

    billing, start = _last_month_billed(world)
    with scopes_disabled():
        claim = services_claims.create_claim(
            acting_user=world.director1, program=world.program1, agency=billing.agency,
            period_start=start,
        )  # fmt: skip
        services_claims.submit_claim(acting_user=world.director1, claim=claim)
        services.create_authorization(
            acting_user=world.director1, program=world.program1, child=billing.mateo,
            agency=billing.agency, starts_on=start, ends_on=start + timedelta(days=200),
            weekly_copay=Decimal("15.00"), case_number="UC-777",
        )  # fmt: skip
    login(page, live_server, world.director1)
    page.goto(f"/p/little-learners/billing/claims/{claim.pk}/")
    page.get_by_role("link", name="Create adjustment").click()
    expect(page.locator("h1")).to_contain_text("Adjust the claim to Union County CCR&R")
    preview = page.locator("#adjustment-preview")
    expect(preview.get_by_role("cell", name="UC-777")).to_be_visible()
    expect(preview.get_by_role("cell", name="UC-555")).to_have_count(0)  # Liam: no change
    assert_accessible(page)
    snapshot(page, "billing-claim-adjustment-preview")
    page.get_by_role("button", name="Save the adjustment").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()  # a reason is needed
    page.get_by_label("Reason").fill("Authorization back-dated by the agency")
    page.get_by_role("button", name="Save the adjustment").click()
    expect(page.get_by_text("The adjustment is saved as a draft")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Adjustment 1 to Union County CCR&R")
    expect(page.locator("#adjusts")).to_contain_text("Authorization back-dated by the agency")
    assert_accessible(page)
    page.get_by_role("button", name="Submit the adjustment").click()
    expect(page.locator("#claim-status")).to_have_text("Submitted")
    with scopes_disabled():
        adjustment = SubsidyClaim.objects.get(adjusts=claim)
        claim.refresh_from_db()
    net = claim.total_claimed + adjustment.total_claimed
    page.locator("#adjusts").get_by_role("link").click()
    expect(page.locator("#net-claimed")).to_have_text(f"${net:,.2f}")
    expect(page.locator("#adjustments")).to_contain_text("Adjustment 1")
    expect(page.get_by_role("link", name="Create adjustment")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "billing-claim-with-adjustment")


def test_hub_adds_and_deactivates_a_subsidy_agency(
    page: Page, live_server, world, login, assert_accessible
):
    billing = make_billing(world)
    login(page, live_server, world.hub)
    page.goto("/a/union-county/hub/billing/claims/")
    page.get_by_role("link", name="Subsidy agencies").click()
    expect(page.locator("h1")).to_have_text("Subsidy agencies")
    expect(page.locator(f"#agency-{billing.agency.pk}")).to_contain_text("UC-CCRR")
    assert_accessible(page)
    page.locator("#id_new-name").fill("Essex County DFD")
    page.locator("#id_new-code").fill("uc-ccrr")
    page.get_by_role("button", name="Add the agency").click()
    expect(
        page.get_by_text("Another agency of the alliance already uses this code.")
    ).to_be_visible()
    assert_accessible(page)
    page.locator("#id_new-code").fill("essex-dfd")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.get_by_text("Essex County DFD is added.")).to_be_visible()
    row = page.locator("tr", has_text="ESSEX-DFD")
    row.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("is deactivated")).to_be_visible()
    expect(page.locator("tr", has_text="ESSEX-DFD")).to_contain_text("Deactivated")
    assert_accessible(page)
    snapshot(page, "billing-hub-agencies")
