"""The billing API: payments with an Idempotency-Key, runs (preview writes nothing, post,
period billed twice), authorizations, the family's own accounts, and query bounds."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.billing.models import BillingRun, Invoice, Payment
from tests.billing.conftest import account_of

pytestmark = pytest.mark.django_db
P = "/api/v1/programs/little-learners"


def api(user):
    client = Client()
    token = issue_api_token(user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_preview_then_post_run(billing):
    client = api(billing.world.director1)
    body = {"period": "monthly", "day": "2025-03-10"}
    preview = post(client, f"{P}/billing-runs/preview", body)
    assert preview.status_code == 200
    data = preview.json()
    assert data["invoice_count"] == 2 and data["family_total"] == "1986.67"
    with scopes_disabled():
        assert not BillingRun.objects.exists()
    done = post(client, f"{P}/billing-runs", body)
    assert done.status_code == 201 and done.json()["invoice_count"] == 2
    again = post(client, f"{P}/billing-runs", body)
    assert again.status_code == 422
    assert "already billed" in again.json()["message"]


def test_payment_idempotency_key(billing):
    client = api(billing.world.director1)
    post(client, f"{P}/billing-runs", {"period": "monthly", "day": "2025-03-10"})
    account = account_of(billing.world.program1, billing.lopez)
    body = {"account_id": account.pk, "amount": "250.00", "method": "ach",
            "received_on": "2025-03-04", "reference": "ACH-1"}  # fmt: skip
    first = post(client, f"{P}/payments", body, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == 201, first.content
    assert first.json()["applied"] == "250.00"
    retry = post(client, f"{P}/payments", body, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    other = post(
        client, f"{P}/payments", {**body, "amount": "300.00"}, HTTP_IDEMPOTENCY_KEY="abc-123"
    )
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["message"]
    with scopes_disabled():
        assert Payment.objects.count() == 1
    # without a key, each request is a new payment
    assert post(client, f"{P}/payments", body).status_code == 201
    with scopes_disabled():
        assert Payment.objects.count() == 2


@pytest.mark.parametrize("amount", ["-10", "0", "ten", "1.234.5"])
def test_bad_payment_amount_is_422_naming_the_field(billing, amount):
    client = api(billing.world.director1)
    post(client, f"{P}/billing-runs", {"period": "monthly", "day": "2025-03-10"})
    account = account_of(billing.world.program1, billing.lopez)
    body = {
        "account_id": account.pk,
        "amount": amount,
        "method": "cash",
        "received_on": "2025-03-04",
    }
    response = post(client, f"{P}/payments", body)
    assert response.status_code == 422
    assert "amount" in response.json()["fields"]


def test_payment_to_another_programs_invoice_is_404(billing):
    w = billing.world
    post(
        api(w.director2),
        "/api/v1/programs/sunshine/billing-runs",
        {"period": "monthly", "day": "2025-03-10"},
    )
    client = api(w.director1)
    post(client, f"{P}/billing-runs", {"period": "monthly", "day": "2025-03-10"})
    account = account_of(w.program1, billing.lopez)
    with scopes_disabled():
        theirs = Invoice.objects.get(program=w.program2)
    body = {"account_id": account.pk, "amount": "10", "method": "cash",
            "received_on": "2025-03-04", "invoice_ids": [theirs.pk]}  # fmt: skip
    assert post(client, f"{P}/payments", body).status_code == 404
    with scopes_disabled():
        assert not Payment.objects.exists()


def test_authorization_overlap_is_422(billing):
    client = api(billing.world.director1)
    body = {"child_id": billing.liam.pk, "agency_id": billing.agency.pk,
            "starts_on": "2025-12-01", "ends_on": "2026-06-30", "annual_income": "40000",
            "household_size": 3}  # fmt: skip
    response = post(client, f"{P}/authorizations", body)
    assert response.status_code == 422
    assert "starts_on" in response.json()["fields"]
    body.update(starts_on="2026-01-01")
    created = post(client, f"{P}/authorizations", body)
    assert created.status_code == 201
    assert created.json()["weekly_copay"] == "15.38"  # 2026 FPL(3) = 27,320: 146% → 2%
    assert created.json()["copay_source"] == "computed"


def test_family_api_shows_only_own_accounts(billing):
    post(
        api(billing.world.director1),
        f"{P}/billing-runs",
        {"period": "monthly", "day": "2025-03-10"},
    )
    mine = api(billing.world.family).get("/api/v1/me/billing/accounts")
    assert mine.status_code == 200
    accounts = mine.json()
    assert [a["program_slug"] for a in accounts] == ["little-learners"]
    assert accounts[0]["balance"] == "1900.00"
    assert len(accounts[0]["invoices"]) == 1


@pytest.mark.parametrize(
    "path", ["accounts", "invoices", "payments", "billing-runs", "authorizations"]
)
def test_list_endpoints_have_bounded_queries(billing, path, django_assert_max_num_queries):
    client = api(billing.world.director1)
    post(client, f"{P}/billing-runs", {"period": "monthly", "day": "2025-03-10"})
    client.get(f"{P}/{path}")
    with django_assert_max_num_queries(15):
        response = client.get(f"{P}/{path}")
    assert response.status_code == 200
