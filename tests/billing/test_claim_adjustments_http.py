"""Claim adjustments through HTTP: the preview page, saving (a draft) with a reason,
submitting, the claim page showing the period (original, adjustments, net, paid), the CSV,
the API (preview, create, 422s, another program's claim 404), and bounded queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from alliance.billing import services, services_adjustments, services_claims
from alliance.billing.models import ClaimLine, ClaimStatus, SubsidyClaim
from tests.billing.claims_support import APRIL, submitted_march_claim
from tests.billing.conftest import enroll
from tests.billing.test_claims_api import client
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

P1 = "/p/little-learners/billing"
API = "/api/v1/programs/little-learners"


def _authorize(billing, child):
    w = billing.world
    with scopes_disabled():
        return services.create_authorization(
            acting_user=w.director1, program=w.program1, child=child, agency=billing.agency,
            starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31), weekly_copay="15.00",
            case_number=f"UC-{child.first_name}",
        )  # fmt: skip


def test_preview_save_submit_and_see_the_period(billing, as_user):
    w = billing.world
    claim = submitted_march_claim(billing)
    _authorize(billing, billing.mateo)
    c = as_user(w.director1)
    page = c.get(f"{P1}/claims/{claim.pk}/")
    assert b"Create adjustment" in page.content
    preview = c.get(f"{P1}/claims/{claim.pk}/adjust/")
    html = preview.content.decode()
    assert preview.status_code == 200 and "UC-Mateo" in html and "Save the adjustment" in html
    with scopes_disabled():
        assert SubsidyClaim.objects.count() == 1  # a preview writes nothing
    missing = c.post(f"{P1}/claims/{claim.pk}/adjust/", {"reason": " "})
    assert missing.status_code == 422 and b"This field is required" in missing.content
    saved = c.post(f"{P1}/claims/{claim.pk}/adjust/", {"reason": "Back-dated authorization"})
    assert saved.status_code == 302
    with scopes_disabled():
        adjustment = SubsidyClaim.objects.get(adjusts=claim)
    assert saved["Location"].endswith(f"/claims/{adjustment.pk}/")
    draft = c.get(f"{P1}/claims/{adjustment.pk}/").content.decode()
    assert "Adjustment 1 to Union County CCR&amp;R, 2025-03" in draft
    assert "This adjustment corrects" in draft and "Back-dated authorization" in draft
    assert "Submit the adjustment" in draft
    assert "Create adjustment" not in draft  # a draft adjustment is open
    assert c.post(f"{P1}/claims/{adjustment.pk}/submit/").status_code == 302
    original = c.get(f"{P1}/claims/{claim.pk}/").content.decode()
    assert 'id="adjustments"' in original and "Adjustment 1" in original
    net = claim.total_claimed + adjustment.total_claimed
    assert f'id="net-claimed">${net:,.2f}' in original
    assert "Per child over the period" in original and "UC-Mateo" in original
    listing = c.get(f"{P1}/claims/").content.decode()
    assert "2025-03 · adjustment 1" in listing
    csv = c.get(f"{P1}/claims/{adjustment.pk}/claim.csv")
    assert csv.status_code == 200 and b"previously_claimed" in csv.content
    assert b"Back-dated authorization" in csv.content


def test_nothing_to_adjust_and_draft_claims_are_refused(billing, as_user):
    w = billing.world
    claim = submitted_march_claim(billing)
    c = as_user(w.director1)
    page = c.get(f"{P1}/claims/{claim.pk}/adjust/")
    assert page.status_code == 200 and b"Nothing to adjust" in page.content
    r = c.post(f"{P1}/claims/{claim.pk}/adjust/", {"reason": "Check"})
    assert r.status_code == 422 and b"Nothing differs" in r.content
    with scopes_disabled():
        draft = services_claims.create_claim(
            acting_user=w.director1, program=w.program1, agency=billing.agency,
            period_start=date(2025, 2, 1), today=APRIL,
        )  # fmt: skip
    r = c.get(f"{P1}/claims/{draft.pk}/adjust/")
    assert r.status_code == 422 and b"Only a submitted claim" in r.content
    assert b"Create adjustment" not in c.get(f"{P1}/claims/{draft.pk}/").content


def test_agency_payment_against_an_adjustment_through_the_page(billing, as_user):
    w = billing.world
    claim = submitted_march_claim(billing)
    _authorize(billing, billing.mateo)
    with scopes_disabled():
        adjustment = services_adjustments.create_adjustment(
            acting_user=w.director1, claim=claim, reason="Back-dated", today=APRIL
        )
        services_claims.submit_claim(acting_user=w.director1, claim=adjustment)
        line = ClaimLine.objects.get(claim=adjustment)
    c = as_user(w.director1)
    r = c.post(
        f"{P1}/claims/{adjustment.pk}/payments/",
        {"pay-received_on": "2025-04-25", "pay-amount": str(line.amount_claimed),
         "pay-reference": "EFT-ADJ", f"pay-line_{line.pk}": str(line.amount_claimed)},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:1500]
    with scopes_disabled():
        adjustment.refresh_from_db()
    assert adjustment.status == ClaimStatus.PAID
    page = c.get(f"{P1}/claims/{claim.pk}/").content.decode()
    assert f'id="period-paid">${adjustment.total_paid:,.2f}' in page


# --- API -----------------------------------------------------------------------------------


def test_api_preview_create_and_submit_an_adjustment(billing):
    w = billing.world
    claim = submitted_march_claim(billing)
    api = client(w.director1)
    url = f"{API}/subsidy-claims/{claim.pk}/adjustments"
    nothing = api.post(url, {"reason": "Check"}, content_type="application/json")
    assert nothing.status_code == 422 and "claim" in nothing.json()["fields"]
    _authorize(billing, billing.mateo)
    preview = api.post(url, {"reason": "x", "preview": True}, content_type="application/json")
    assert preview.status_code == 200, preview.content
    (line,) = preview.json()["lines"]
    assert line["case_number"] == "UC-Mateo" and line["amount_previous"] == "0.00"
    assert line["difference"] == line["amount_now"] == preview.json()["total"]
    with scopes_disabled():
        assert SubsidyClaim.objects.count() == 1
    blank = api.post(url, {"reason": "  "}, content_type="application/json")
    assert blank.status_code == 422 and "reason" in blank.json()["fields"]
    absent = api.post(url, {}, content_type="application/json")
    assert absent.status_code == 422 and set(absent.json()) == {"message", "fields"}
    created = api.post(url, {"reason": "Back-dated"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["adjusts_id"] == claim.pk and body["sequence"] == 1
    assert body["status"] == "draft" and body["reason"] == "Back-dated"
    assert body["total_claimed"] == line["difference"]
    assert body["lines"][0]["amount_claimed"] == line["difference"]
    done = api.post(f"{API}/subsidy-claims/{body['id']}/submit")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    original = api.get(f"{API}/subsidy-claims/{claim.pk}").json()
    assert [a["id"] for a in original["adjustments"]] == [body["id"]]
    period = original["period"]
    net = Decimal(original["total_claimed"]) + Decimal(body["total_claimed"])
    assert Decimal(period["net_claimed"]) == net and period["original_id"] == claim.pk
    assert {ch["case_number"] for ch in period["children"]} >= {"UC-Mateo"}
    listed = api.get(f"{API}/subsidy-claims").json()["items"]
    assert {(i["id"], i["sequence"]) for i in listed} == {(claim.pk, 0), (body["id"], 1)}
    other = client(w.director2).post(
        f"/api/v1/programs/sunshine/subsidy-claims/{claim.pk}/adjustments",
        {"reason": "x"},
        content_type="application/json",
    )
    assert other.status_code == 404


# --- bounded queries -----------------------------------------------------------------------


def _claim_with_adjustment(billing, n: int) -> tuple[SubsidyClaim, SubsidyClaim]:
    """n more children on the March claim; then half of them lose their authorization
    (removed) and Mateo and Sofía are added: an adjustment with n//2 + 2 lines."""
    w = billing.world
    auths = []
    with scopes_disabled():
        for i in range(n):
            child = ChildFactory(family=billing.smith, first_name=f"Kid{i}")
            enroll(w.program1, w.classroom1, child)
            auths.append(_authorize(billing, child))
    claim = submitted_march_claim(billing)
    with scopes_disabled():
        for auth in auths[: n // 2]:
            services.end_authorization(
                acting_user=w.director1, authorization=auth, on=date(2025, 2, 28)
            )
    _authorize(billing, billing.mateo)
    _authorize(billing, billing.sofia)
    with scopes_disabled():
        adjustment = services_adjustments.create_adjustment(
            acting_user=w.director1, claim=claim, reason="Agency notice", today=APRIL
        )
        services_claims.submit_claim(acting_user=w.director1, claim=adjustment)
    return claim, adjustment


def _count(c, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_have_bounded_queries(billing, as_user, django_assert_max_num_queries):
    claim, adjustment = _claim_with_adjustment(billing, 6)
    c = as_user(billing.world.director1)
    for url in (
        f"{P1}/claims/",
        f"{P1}/claims/{claim.pk}/",
        f"{P1}/claims/{adjustment.pk}/",
        f"{P1}/claims/{claim.pk}/adjust/",
    ):
        with django_assert_max_num_queries(40):
            assert c.get(url).status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            client(billing.world.director1).get(f"{API}/subsidy-claims/{claim.pk}").status_code
            == 200
        )


def test_claim_page_queries_do_not_grow_with_children(world, as_user):
    """The same pages for a small and a larger period ask the same number of queries."""
    from tests.billing.conftest import make_billing

    billing = make_billing(world)
    claim, adjustment = _claim_with_adjustment(billing, 2)
    c = as_user(world.director1)
    small = [_count(c, f"{P1}/claims/{claim.pk}/"), _count(c, f"{P1}/claims/{adjustment.pk}/")]
    with scopes_disabled():
        for i in range(6):
            child = ChildFactory(family=billing.smith, first_name=f"More{i}")
            enroll(world.program1, world.classroom1, child)
            ClaimLine.objects.create(
                program=world.program1, claim=adjustment, child=child,
                account=ClaimLine.objects.filter(claim=claim).first().account,
                authorization=_authorize(billing, child), amount_claimed=Decimal("10.00"),
            )  # fmt: skip
    large = [_count(c, f"{P1}/claims/{claim.pk}/"), _count(c, f"{P1}/claims/{adjustment.pk}/")]
    assert large == small
