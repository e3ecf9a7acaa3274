"""Billing pages: the director's flow (preview → post → record payment), errors shown on
the form, CSV import preview and all-or-nothing, and query bounds on every list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django_scopes import scopes_disabled

from alliance.billing import queries, services_payments, services_runs
from alliance.billing.models import BillingRun, Invoice, Payment
from tests.billing.conftest import MONTH, account_of

pytestmark = pytest.mark.django_db
BASE = "/p/little-learners/billing"


def _post_march(billing):
    with scopes_disabled():
        return services_runs.post_run(
            acting_user=billing.world.director1,
            program=billing.world.program1,
            period="monthly",
            day=MONTH,
        )


def test_preview_then_post_from_the_page(billing, as_user):
    client = as_user(billing.world.director1)
    data = {"period": "monthly", "day": "2025-03-10", "issued_on": ""}
    page = client.post(f"{BASE}/runs/preview/", data)
    assert page.status_code == 200
    assert "López family" in page.content.decode()
    with scopes_disabled():
        assert not BillingRun.objects.exists()
    done = client.post(f"{BASE}/runs/post/", data)
    assert done.status_code == 302
    with scopes_disabled():
        assert Invoice.objects.filter(program=billing.world.program1).count() == 2
    again = client.post(f"{BASE}/runs/post/", data)
    assert again.status_code == 422
    assert "already billed" in again.content.decode()


def test_record_payment_updates_balance(billing, as_user):
    _post_march(billing)
    account = account_of(billing.world.program1, billing.lopez)
    client = as_user(billing.world.director1)
    bad = client.post(
        f"{BASE}/accounts/{account.pk}/payments/",
        {"pay-amount": "-5", "pay-method": "check", "pay-received_on": "2025-03-05"},
    )
    assert bad.status_code == 422
    ok = client.post(
        f"{BASE}/accounts/{account.pk}/payments/",
        {
            "pay-amount": "500.00",
            "pay-method": "check",
            "pay-received_on": "2025-03-05",
            "pay-reference": "1001",
        },
    )
    assert ok.status_code == 302
    with scopes_disabled():
        assert queries.account_balance(account).family == Decimal("1400.00")
    page = client.get(f"{BASE}/accounts/{account.pk}/")
    assert "$1,400.00" in page.content.decode()


def _flashed(response) -> list[str]:
    """The messages waiting for the next page (the redirects below show none of them)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_refund_and_reverse_flash_and_go_back_to_the_account(billing, as_user):
    _post_march(billing)
    account = account_of(billing.world.program1, billing.lopez)
    with scopes_disabled():
        pay = services_payments.record_payment(
            acting_user=billing.world.director1,
            account=account,
            amount="500.00",
            method="check",
            received_on=date(2025, 3, 5),
            reference="1001",
        ).payment
    client = as_user(billing.world.director1)
    back = f"{BASE}/accounts/{account.pk}/"

    empty = client.post(f"{BASE}/payments/{pay.pk}/refund/", {"amount": "", "reason": ""})
    assert (empty.status_code, empty.url) == (302, back)
    assert _flashed(empty) == ["Enter the amount and the reason of the refund."]

    refunded = client.post(
        f"{BASE}/payments/{pay.pk}/refund/", {"amount": "500.00", "reason": "Overpaid"}
    )
    assert (refunded.status_code, refunded.url) == (302, back)
    assert _flashed(refunded)[1:] == ["Refund recorded."]

    no_reason = client.post(f"{BASE}/payments/{pay.pk}/reverse/", {"reason": ""})
    assert _flashed(no_reason)[2:] == ["Give the reason for the reversal."]
    nothing_left = client.post(f"{BASE}/payments/{pay.pk}/reverse/", {"reason": "Bounced"})
    assert (nothing_left.status_code, nothing_left.url) == (302, back)
    assert _flashed(nothing_left)[3:] == ["This payment was already fully given back."]
    with scopes_disabled():
        assert Payment.objects.filter(reverses=pay).count() == 1


def test_payment_to_another_programs_account_is_404(billing, as_user):
    with scopes_disabled():
        services_runs.post_run(
            acting_user=billing.world.director2,
            program=billing.world.program2,
            period="monthly",
            day=MONTH,
        )
    other = account_of(billing.world.program2, billing.other_family)
    response = as_user(billing.world.director1).post(
        f"{BASE}/accounts/{other.pk}/payments/",
        {"pay-amount": "10", "pay-method": "cash", "pay-received_on": "2025-03-05"},
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert not Payment.objects.exists()


def test_csv_import_preview_and_all_or_nothing(billing, as_user):
    _post_march(billing)
    lopez = account_of(billing.world.program1, billing.lopez)
    smith = account_of(billing.world.program1, billing.smith)
    client = as_user(billing.world.director1)
    bad_csv = (
        "Account,Amount,Date,Transaction ID\n"
        f"{lopez.number},100.00,2025-03-03,TX-1\n"
        f"{smith.number},abc,2025-03-03,TX-2\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bank.csv", bad_csv.encode(), content_type="text/csv")
    page = client.post(f"{BASE}/payments/import/", {"file": upload})
    assert page.status_code == 422
    assert "Row 3" in page.content.decode()
    with scopes_disabled():
        assert not Payment.objects.exists()
    good_csv = bad_csv.replace("abc", "86.67")
    page = client.post(f"{BASE}/payments/import/", {"content": good_csv, "filename": "bank.csv"})
    assert page.status_code == 200
    done = client.post(
        f"{BASE}/payments/import/", {"content": good_csv, "filename": "bank.csv", "confirm": "1"}
    )
    assert done.status_code == 302
    with scopes_disabled():
        assert Payment.objects.count() == 2
        assert queries.account_balance(smith).family == Decimal("0.00")
    # the same file again: every row is a duplicate by reference
    again = client.post(f"{BASE}/payments/import/", {"content": good_csv, "filename": "bank.csv"})
    assert again.status_code == 422
    assert "Already recorded" in again.content.decode()


def test_add_authorization_refuses_overlap(billing, as_user):
    client = as_user(billing.world.director1)
    data = {
        "child": billing.liam.pk,
        "agency": billing.agency.pk,
        "starts_on": "2025-06-01",
        "ends_on": "2026-05-31",
        "schedule": "full",
        "star_rating": "0",
        "weekly_copay": "15.00",
        "child_position": "1",
    }
    page = client.post(f"{BASE}/authorizations/", data)
    assert page.status_code == 422
    assert "already has an authorization" in page.content.decode()
    data.update(starts_on="2026-01-01", ends_on="2026-12-31")
    assert client.post(f"{BASE}/authorizations/", data).status_code == 302


@pytest.mark.parametrize(
    "path", ["/", "/accounts/", "/invoices/", "/payments/", "/runs/", "/rates/", "/authorizations/"]
)
def test_list_pages_have_bounded_queries(billing, as_user, path, django_assert_max_num_queries):
    from tests.billing.conftest import enroll
    from tests.factories import ChildFactory, FamilyFactory

    with scopes_disabled():
        for i in range(15):
            fam = FamilyFactory(alliance=billing.world.alliance, name=f"Family {i:02d}")
            enroll(billing.world.program1, billing.world.classroom1, ChildFactory(family=fam))
    _post_march(billing)
    client = as_user(billing.world.director1)
    client.get(BASE + path)  # warm caches (session, roles)
    with django_assert_max_num_queries(25):
        response = client.get(BASE + path)
    assert response.status_code == 200


def test_family_sees_own_invoices_only(billing, as_user, django_assert_max_num_queries):
    _post_march(billing)
    client = as_user(billing.world.family)
    client.get("/me/billing/")
    with django_assert_max_num_queries(20):
        page = client.get("/me/billing/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Little Learners" in body and "$1,900.00" in body
    with scopes_disabled():
        mine = Invoice.objects.get(account__family=billing.lopez)
        theirs = Invoice.objects.get(account__family=billing.smith)
    assert client.get(f"/me/billing/invoices/{mine.pk}/").status_code == 200
    assert client.get(f"/me/billing/invoices/{theirs.pk}/").status_code == 404


def test_spanish_family_page(billing, as_user):
    _post_march(billing)
    client = as_user(billing.world.family)
    page = client.get("/me/billing/", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    assert date(2025, 3, 1)  # the page renders in Spanish when the catalog has the strings
