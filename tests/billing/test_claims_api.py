"""The claims and collections API through HTTP: bodies, 422 errors naming the field, and
bounded queries on every list."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.billing import services, services_collections
from alliance.billing.models import ClaimLine, LeakageFlag, LeakageKind, SubsidyClaim
from tests.billing.claims_support import APRIL, attend, post_march, submitted_march_claim, weekdays
from tests.billing.conftest import account_of
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

P1 = "/api/v1/programs/little-learners"


def client(user) -> Client:
    c = Client()
    c.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_api_token(user=user, name='t')}"
    return c


def test_preview_create_submit_and_pay_a_claim(billing):
    w = billing.world
    post_march(billing)
    attend(w.program1, w.classroom1, billing.liam, weekdays(date(2025, 3, 3), date(2025, 3, 31)))
    api = client(w.director1)
    body = {"agency_id": billing.agency.pk, "month": "2025-03-15", "preview": True}
    preview = api.post(f"{P1}/subsidy-claims", body, content_type="application/json")
    assert preview.status_code == 200, preview.content
    assert preview.json()["period_start"] == "2025-03-01"
    assert preview.json()["lines"][0]["days_scheduled"] == 21
    with scopes_disabled():
        assert SubsidyClaim.objects.count() == 0  # a preview writes nothing
    body["preview"] = False
    created = api.post(f"{P1}/subsidy-claims", body, content_type="application/json")
    assert created.status_code == 201, created.content
    claim = created.json()
    assert claim["status"] == "draft" and claim["total_claimed"] == preview.json()["total"]
    done = api.post(f"{P1}/subsidy-claims/{claim['id']}/submit")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    again = api.post(f"{P1}/subsidy-claims/{claim['id']}/submit")
    assert again.status_code == 422 and "status" in again.json()["fields"]
    line = claim["lines"][0]
    pay = {
        "agency_id": billing.agency.pk,
        "claim_id": claim["id"],
        "received_on": "2025-04-20",
        "amount": "100.00",
        "reference": "EFT-77",
        "allocations": [{"claim_line_id": line["id"], "amount": "100.00"}],
    }
    paid = api.post(f"{P1}/agency-payments", pay, content_type="application/json")
    assert paid.status_code == 201, paid.content
    assert paid.json()["allocations"][0]["amount"] == "100.00"
    detail = api.get(f"{P1}/subsidy-claims/{claim['id']}").json()
    assert detail["status"] == "partial"
    assert detail["lines"][0]["amount_paid"] == "100.00"
    listed = api.get(f"{P1}/agency-payments").json()
    assert listed["count"] == 1 and listed["items"][0]["reference"] == "EFT-77"


def test_agency_payment_errors_are_422_with_fields(billing):
    claim = submitted_march_claim(billing)
    api = client(billing.world.director1)
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
    for amount, alloc, field in (
        ("abc", "10.00", "amount"),
        ("100.00", "90.00", "allocations"),
        ("10.00", "-10.00", "allocations.0.amount"),
    ):
        r = api.post(
            f"{P1}/agency-payments",
            {"agency_id": billing.agency.pk, "claim_id": claim.pk, "received_on": "2025-04-20",
             "amount": amount, "allocations": [{"claim_line_id": line.pk, "amount": alloc}]},
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == 422, r.content
        assert field in r.json()["fields"] and r.json()["message"]


def test_late_fee_policy_get_and_put(billing):
    api = client(billing.world.director1)
    assert api.get(f"{P1}/late-fee-policy").json() == {
        "id": None, "in_force": False, "method": "", "grace_days": 0, "flat_amount": None,
        "percent": "", "cap": None, "minimum_overdue": None, "effective_from": None,
    }  # fmt: skip
    r = api.put(
        f"{P1}/late-fee-policy",
        {"method": "percent", "percent": "1.5", "cap": "40.00", "grace_days": 7},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    got = api.get(f"{P1}/late-fee-policy").json()
    assert got["in_force"] and got["method"] == "percent" and got["cap"] == "40.00"
    assert got["grace_days"] == 7
    bad = api.put(f"{P1}/late-fee-policy", {"method": "flat"}, content_type="application/json")
    assert bad.status_code == 422 and "flat_amount" in bad.json()["fields"]


def test_payment_plans_and_flags(billing):
    w = billing.world
    post_march(billing)
    api = client(w.director1)
    with scopes_disabled():
        smith = account_of(w.program1, billing.smith)
        flag = LeakageFlag.objects.create(
            program=w.program1, kind=LeakageKind.UNBILLED_ENROLLMENT, key="unbilled:x",
            child=billing.mateo, detected_on=APRIL,
        )  # fmt: skip
    r = api.post(
        f"{P1}/payment-plans",
        {"account_id": smith.pk, "installments": 3, "first_due_on": "2030-01-01",
         "total": "100.00"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert [i["amount"] for i in r.json()["installments"]] == ["33.34", "33.33", "33.33"]
    assert api.get(f"{P1}/payment-plans").json()["count"] == 1
    flags = api.get(f"{P1}/leakage-flags").json()
    assert flags["count"] == 1 and flags["items"][0]["kind"] == "unbilled"
    d = api.post(
        f"{P1}/leakage-flags/{flag.pk}/dismiss",
        {"reason": "Started on the 30th; billed in April"},
        content_type="application/json",
    )
    assert d.status_code == 200 and d.json()["dismissed"] is True
    assert api.get(f"{P1}/leakage-flags").json()["count"] == 0
    assert api.get(f"{P1}/leakage-flags?show=dismissed").json()["count"] == 1


def _many_claims(billing, n: int) -> None:
    """n extra children with authorizations, all on a claim; plans and flags for each."""
    w = billing.world
    with scopes_disabled():
        from tests.billing.conftest import enroll

        for i in range(n):
            child = ChildFactory(family=billing.smith, first_name=f"Kid{i}")
            enroll(w.program1, w.classroom1, child)
            services.create_authorization(
                acting_user=w.director1, program=w.program1, child=child, agency=billing.agency,
                starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31), weekly_copay="5.00",
            )  # fmt: skip
            LeakageFlag.objects.create(
                program=w.program1, kind=LeakageKind.UNBILLED_ENROLLMENT, key=f"unbilled:{i}",
                child=child, detected_on=APRIL,
            )  # fmt: skip
    submitted_march_claim(billing)
    with scopes_disabled():
        for fam in (billing.smith, billing.lopez):
            services_collections.create_payment_plan(
                acting_user=w.director1, account=account_of(w.program1, fam), installments=4,
                first_due_on=date(2030, 1, 1), total="400.00",
            )  # fmt: skip


@pytest.mark.parametrize(
    "path",
    ["subsidy-claims", "agency-payments", "payment-plans", "leakage-flags"],
)
def test_api_lists_have_bounded_queries(billing, path, django_assert_max_num_queries):
    _many_claims(billing, 6)
    api = client(billing.world.director1)
    with django_assert_max_num_queries(12):
        r = api.get(f"{P1}/{path}")
    assert r.status_code == 200


def test_claim_detail_queries_do_not_grow_with_children(billing, django_assert_max_num_queries):
    _many_claims(billing, 8)
    api = client(billing.world.director1)
    with scopes_disabled():
        claim = SubsidyClaim.objects.get()
        assert claim.lines.count() == 9
    with django_assert_max_num_queries(12):
        r = api.get(f"{P1}/subsidy-claims/{claim.pk}")
    assert len(r.json()["lines"]) == 9
