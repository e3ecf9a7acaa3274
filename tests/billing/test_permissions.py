"""Every billing URL and API path, asked as every persona: director1 and the hub manage
Little Learners' billing; director2 gets 404 there; staff 403; families see only their own
accounts."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from alliance.billing import services_payments, services_runs
from alliance.billing.models import Invoice, Payment
from tests.billing.conftest import MONTH, account_of
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

COVERED_API_PATHS = {
    "programs/<slug>/accounts",
    "programs/<slug>/accounts/<account_id>",
    "programs/<slug>/accounts/<account_id>/payers",
    "programs/<slug>/invoices",
    "programs/<slug>/invoices/<invoice_id>",
    "programs/<slug>/payments",
    "programs/<slug>/billing-runs",
    "programs/<slug>/billing-runs/preview",
    "programs/<slug>/authorizations",
    "me/billing/accounts",
    "me/billing/invoices/<invoice_id>",
}


@pytest.fixture
def ledger(billing):
    w = billing.world
    with scopes_disabled():
        services_runs.post_run(
            acting_user=w.director1, program=w.program1, period="monthly", day=MONTH
        )
        account = account_of(w.program1, billing.lopez)
        services_payments.record_payment(
            acting_user=w.director1, account=account, amount="100", method="cash",
            received_on=date(2025, 3, 3),
        )  # fmt: skip
        return {
            "account": account,
            "invoice": Invoice.objects.get(account=account),
            "smith_invoice": Invoice.objects.get(account__family=billing.smith),
            "payment": Payment.objects.get(account=account),
        }


def test_page_matrix(billing, ledger):
    P = "/p/little-learners/billing"
    manage = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    post = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)  # empty form
    back = everyone(404, anonymous=LOGIN, staff=403, director1=302, hub=302)
    mine = everyone(404, anonymous=LOGIN, family=200)
    a, i, p = ledger["account"].pk, ledger["invoice"].pk, ledger["payment"].pk
    theirs = ledger["smith_invoice"].pk
    cases = [
        Case("GET", f"{P}/", manage),
        Case("GET", f"{P}/accounts/", manage),
        Case("GET", f"{P}/accounts/{a}/", manage),
        Case("POST", f"{P}/accounts/{a}/payments/", post),
        Case("POST", f"{P}/accounts/{a}/credits/", post),
        Case("GET", f"{P}/accounts/{a}/payers/", manage),
        Case("POST", f"{P}/accounts/{a}/payers/", post),
        Case("GET", f"{P}/settings/", manage),
        Case("POST", f"{P}/settings/", post),
        Case("GET", f"/p/sunshine/billing/accounts/{a}/payers/", everyone(404, anonymous=LOGIN)),
        Case("GET", f"{P}/invoices/", manage),
        Case("GET", f"{P}/invoices/{i}/", manage),
        Case("POST", f"{P}/invoices/{i}/credit/", post),
        Case("POST", f"{P}/invoices/{i}/reverse/", post),
        Case("GET", f"{P}/payments/", manage),
        Case("GET", f"{P}/payments/import/", manage),
        Case("POST", f"{P}/payments/import/", post),
        # refund/reverse with an empty form: back to the account with a message
        Case("POST", f"{P}/payments/{p}/refund/", back),
        Case("POST", f"{P}/payments/{p}/reverse/", back),
        Case("GET", f"{P}/runs/", manage),
        Case("POST", f"{P}/runs/preview/", post),
        Case("POST", f"{P}/runs/post/", post),
        Case("GET", f"{P}/rates/", manage),
        Case("POST", f"{P}/rates/", post),
        Case("GET", f"{P}/authorizations/", manage),
        Case("POST", f"{P}/authorizations/", post),
        # another program's records through this program's URLs: missing
        Case("GET", f"/p/sunshine/billing/accounts/{a}/", everyone(404, anonymous=LOGIN)),
        Case("GET", "/p/sunshine/billing/", everyone(404, anonymous=LOGIN, director2=200, hub=200)),
        # the family's own pages
        Case("GET", "/me/billing/", everyone(200, anonymous=LOGIN)),
        Case("GET", f"/me/billing/invoices/{i}/", mine),
        Case("GET", f"/me/billing/invoices/{theirs}/", everyone(404, anonymous=LOGIN)),
    ]  # fmt: skip
    check_matrix(cases, billing.world.personas())


def test_api_matrix(billing, ledger):
    P = f"{V1}/programs/little-learners"
    view = everyone(404, anonymous=401, staff=403, director1=200, hub=200)
    bad = everyone(404, anonymous=401, staff=403, director1=422, hub=422)
    a, i, theirs = ledger["account"].pk, ledger["invoice"].pk, ledger["smith_invoice"].pk
    # Valid bodies the service refuses (422), so permission is checked first (403/404).
    pay = {"account_id": a, "amount": "-5", "method": "cash", "received_on": "2025-03-03"}
    run = {"period": "monthly", "day": "2025-03-05"}  # already billed
    auth = {
        "child_id": billing.liam.pk,
        "agency_id": billing.agency.pk,
        "starts_on": "2025-06-01",
        "ends_on": "2025-07-01",
        "weekly_copay": "10.00",
    }  # overlaps Liam's 2025 authorization
    payers = {"payers": [{"name": "Ana", "share_percent": "60"}]}  # shares add up to 60
    cases = [
        Case("GET", f"{P}/accounts", view),
        Case("GET", f"{P}/accounts/{a}", view),
        Case("PUT", f"{P}/accounts/{a}/payers", bad, data=payers),
        Case("PUT", f"{V1}/programs/sunshine/accounts/{a}/payers", everyone(404, anonymous=401),
             data=payers),
        Case("GET", f"{P}/invoices", view),
        Case("GET", f"{P}/invoices/{i}", view),
        Case("GET", f"{P}/payments", view),
        Case("POST", f"{P}/payments", bad, data=pay),
        Case("GET", f"{P}/billing-runs", view),
        Case("POST", f"{P}/billing-runs/preview", bad, data=run),
        Case("POST", f"{P}/billing-runs", bad, data=run),
        Case("GET", f"{P}/authorizations", view),
        Case("POST", f"{P}/authorizations", bad, data=auth),
        Case("GET", f"{V1}/programs/sunshine/accounts/{a}", everyone(404, anonymous=401)),
        Case("GET", f"{V1}/me/billing/accounts", everyone(200, anonymous=401)),
        Case("GET", f"{V1}/me/billing/invoices/{i}", everyone(404, anonymous=401, family=200)),
        Case("GET", f"{V1}/me/billing/invoices/{theirs}", everyone(404, anonymous=401)),
    ]  # fmt: skip
    check_matrix(cases, billing.world.personas(), api=True)


def test_views_never_call_objects_get():
    from pathlib import Path

    import alliance.billing

    root = Path(alliance.billing.__file__).parent
    for path in [*root.glob("views_*.py"), root / "api.py"]:
        assert ".objects.get(" not in path.read_text(), path.name
