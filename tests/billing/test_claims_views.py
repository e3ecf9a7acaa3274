"""The collections and claims pages: forms through HTTP, and bounded queries on every list
page (the number of queries does not grow with the rows)."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.billing.models import (
    ClaimLine,
    GapResolution,
    LateFeePolicy,
    OneOffCharge,
    SubsidyClaim,
)
from tests.billing.claims_support import post_march, submitted_march_claim
from tests.billing.conftest import account_of
from tests.billing.test_claims_api import _many_claims

pytestmark = pytest.mark.django_db

P1 = "/p/little-learners/billing"


def test_build_preview_save_submit_pay_and_bill_the_family(billing, as_user):
    w = billing.world
    post_march(billing)
    c = as_user(w.director1)
    page = c.get(f"{P1}/claims/new/", {"agency": billing.agency.pk, "month": "2025-03"})
    assert page.status_code == 200 and b"Save the claim" in page.content
    saved = c.post(f"{P1}/claims/new/", {"agency": billing.agency.pk, "month": "2025-03"})
    assert saved.status_code == 302
    with scopes_disabled():
        claim = SubsidyClaim.objects.get()
        line = ClaimLine.objects.get(claim=claim)
    assert c.post(f"{P1}/claims/{claim.pk}/submit/").status_code == 302
    short = line.amount_claimed - 50
    r = c.post(
        f"{P1}/claims/{claim.pk}/payments/",
        {"pay-received_on": "2025-04-20", "pay-amount": str(short), "pay-reference": "EFT",
         f"pay-line_{line.pk}": str(short)},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    detail = c.get(f"{P1}/claims/{claim.pk}/")
    assert b"Bill the family" in detail.content
    r = c.post(f"{P1}/claims/{claim.pk}/lines/{line.pk}/bill-family/")
    assert r.status_code == 302
    with scopes_disabled():
        line.refresh_from_db()
        charge = OneOffCharge.objects.get()
    assert line.resolution == GapResolution.BILLED_FAMILY and charge.amount == 50
    csv = c.get(f"{P1}/claims/{claim.pk}/claim.csv")
    assert csv["Content-Type"] == "text/csv" and b"UC-CCRR" in csv.content


def test_payment_that_does_not_add_up_is_422_and_saves_nothing(billing, as_user):
    claim = submitted_march_claim(billing)
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
    r = as_user(billing.world.director1).post(
        f"{P1}/claims/{claim.pk}/payments/",
        {"pay-received_on": "2025-04-20", "pay-amount": "500.00", f"pay-line_{line.pk}": "400"},
    )
    assert r.status_code == 422 and b"add up" in r.content
    with scopes_disabled():
        line.refresh_from_db()
    assert line.amount_paid == 0


def test_policy_form_puts_policy_in_force(billing, as_user):
    c = as_user(billing.world.director1)
    r = c.post(
        f"{P1}/collections/policy/",
        {"fee-method": "flat", "fee-grace_days": "5", "fee-flat_amount": "25.00",
         "fee-effective_from": "2025-01-01"},
    )  # fmt: skip
    assert r.status_code == 302
    page = c.get(f"{P1}/collections/")
    assert b"policy-summary" in page.content
    with scopes_disabled():
        assert LateFeePolicy.objects.get().flat_amount == 25
    bad = c.post(f"{P1}/collections/policy/", {"fee-method": "percent", "fee-grace_days": "5",
                                               "fee-effective_from": "2025-01-01"})  # fmt: skip
    assert bad.status_code == 422 and b"percent" in bad.content


def test_reminder_schedule_form(billing, as_user):
    c = as_user(billing.world.director1)
    r = c.post(f"{P1}/collections/reminders/", {"rem-steps": "-3 email, 0 email, 7 both"})
    assert r.status_code == 302
    page = c.get(f"{P1}/collections/").content.decode()
    assert "3 days before the due date" in page and "7 days after the due date" in page


def test_account_page_sets_autopay_and_plan(billing, as_user):
    w = billing.world
    post_march(billing)
    with scopes_disabled():
        acc = account_of(w.program1, billing.lopez)
    c = as_user(w.director1)
    r = c.post(
        f"{P1}/collections/accounts/{acc.pk}/",
        {"auto-enabled": "on", "auto-method": "ach", "auto-last4": "6789"},
    )
    assert r.status_code == 302
    r = c.post(
        f"{P1}/collections/accounts/{acc.pk}/plans/",
        {"plan-installments": "3", "plan-first_due_on": "2030-01-01", "plan-total": "90.00"},
    )
    assert r.status_code == 302
    page = c.get(f"{P1}/collections/accounts/{acc.pk}/").content.decode()
    assert "ending 6789" in page and "$30.00" in page


@pytest.mark.parametrize(
    "url",
    [
        f"{P1}/claims/",
        f"{P1}/collections/",
        f"{P1}/leakage/",
        f"{P1}/leakage/?show=all",
    ],
)
def test_list_pages_have_bounded_queries(billing, as_user, url, django_assert_max_num_queries):
    _many_claims(billing, 6)
    c = as_user(billing.world.director1)
    with django_assert_max_num_queries(30):
        r = c.get(url)
    assert r.status_code == 200


def test_claim_page_and_account_page_bounded(billing, as_user, django_assert_max_num_queries):
    _many_claims(billing, 8)
    c = as_user(billing.world.director1)
    with scopes_disabled():
        claim = SubsidyClaim.objects.get()
        acc = account_of(billing.world.program1, billing.smith)
    with django_assert_max_num_queries(30):
        assert c.get(f"{P1}/claims/{claim.pk}/").status_code == 200
    with django_assert_max_num_queries(30):
        assert c.get(f"{P1}/collections/accounts/{acc.pk}/").status_code == 200


def test_hub_rollup_is_bounded_and_sums_per_member(billing, as_user, django_assert_max_num_queries):
    claim = submitted_march_claim(billing)
    c = as_user(billing.world.hub)
    with django_assert_max_num_queries(20):
        r = c.get("/a/union-county/hub/billing/claims/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Little Learners" in html and "Sunshine" in html
    assert f"${claim.total_claimed:,.2f}" in html


def test_director_can_require_autopay(billing, as_user):
    from alliance.billing.models import BillingSettings

    c = as_user(billing.world.director1)
    assert c.post(f"{P1}/collections/autopay-required/", {"required": "on"}).status_code == 302
    with scopes_disabled():
        assert BillingSettings.objects.get(program=billing.world.program1).autopay_required
    page = c.get(f"{P1}/collections/").content.decode()
    assert "This program requires autopay." in page
    assert c.post(f"{P1}/collections/autopay-required/", {}).status_code == 302
    with scopes_disabled():
        assert not BillingSettings.objects.get(program=billing.world.program1).autopay_required
