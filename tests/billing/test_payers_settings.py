"""The payers page (split the family share between payers), the billing settings page, and
the payers API: shares must add up to 100, errors name the field, a payer who paid is
deactivated rather than deleted, and nothing is half-saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.billing import services, services_payments, services_runs
from alliance.billing.models import BillingSettings, LateFeePolicy, Payer, ReminderSchedule
from tests.billing.conftest import MONTH, account_of

pytestmark = pytest.mark.django_db
BASE = "/p/little-learners/billing"


@pytest.fixture
def account(billing):
    with scopes_disabled():
        services_runs.post_run(
            acting_user=billing.world.director1,
            program=billing.world.program1,
            period="monthly",
            day=MONTH,
        )
    return account_of(billing.world.program1, billing.lopez)


def _active(account) -> list[tuple[str, Decimal, bool]]:
    with scopes_disabled():
        return [
            (p.name, p.share_percent, p.is_primary)
            for p in Payer.objects.filter(account=account, is_active=True)
        ]


def _form(rows: list[dict]) -> dict:
    data = {
        "payers-TOTAL_FORMS": str(len(rows)),
        "payers-INITIAL_FORMS": "0",
        "payers-MIN_NUM_FORMS": "0",
        "payers-MAX_NUM_FORMS": "10",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"payers-{i}-{key}"] = value
    return data


def test_account_page_links_to_payers(billing, account, as_user):
    page = as_user(billing.world.director1).get(f"{BASE}/accounts/{account.pk}/")
    assert f"{BASE}/accounts/{account.pk}/payers/" in page.content.decode()


def test_payers_page_lists_current_payers(billing, account, as_user, django_assert_max_num_queries):
    client = as_user(billing.world.director1)
    with django_assert_max_num_queries(25):
        page = client.get(f"{BASE}/accounts/{account.pk}/payers/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="payers-0-name"' in html and 'name="payers-1-name"' in html  # + empty row
    with scopes_disabled():
        payer = Payer.objects.get(account=account)
    assert f'value="{payer.pk}"' in html


def test_split_between_two_payers(billing, account, as_user):
    with scopes_disabled():
        first = Payer.objects.get(account=account)
    client = as_user(billing.world.director1)
    done = client.post(
        f"{BASE}/accounts/{account.pk}/payers/",
        _form(
            [
                {"id": first.pk, "name": "Rosa López", "email": "rosa@example.org",
                 "share_percent": "60"},
                {"id": "", "name": "Luis López", "email": "luis@example.org",
                 "share_percent": "40"},
            ]
        ),
    )  # fmt: skip
    assert done.status_code == 302
    assert _active(account) == [
        ("Rosa López", Decimal("60.000"), True),
        ("Luis López", Decimal("40.000"), False),
    ]


def test_shares_not_adding_up_is_refused_and_nothing_saved(billing, account, as_user):
    before = _active(account)
    client = as_user(billing.world.director1)
    page = client.post(
        f"{BASE}/accounts/{account.pk}/payers/",
        _form(
            [
                {"name": "Rosa", "share_percent": "50"},
                {"name": "Luis", "share_percent": "40"},
            ]
        ),
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert "must add up to 100%" in html and "now 90" in html
    assert _active(account) == before


def test_missing_name_and_bad_share_name_the_field(billing, account, as_user):
    client = as_user(billing.world.director1)
    page = client.post(
        f"{BASE}/accounts/{account.pk}/payers/",
        _form([{"name": "", "share_percent": "100"}]),
    )
    assert page.status_code == 422
    assert "Enter the payer&#x27;s name." in page.content.decode()
    page = client.post(
        f"{BASE}/accounts/{account.pk}/payers/",
        _form([{"name": "Rosa", "share_percent": "-5"}]),
    )
    assert page.status_code == 422
    assert "Enter a share between 0.001 and 100 percent." in page.content.decode()
    page = client.post(
        f"{BASE}/accounts/{account.pk}/payers/", _form([{"name": "Rosa", "share_percent": "x"}])
    )
    assert page.status_code == 422  # not a number: the form refuses it, never a 500


def test_removing_a_payer_who_paid_deactivates_it(billing, account, as_user):
    with scopes_disabled():
        first = Payer.objects.get(account=account)
        services_payments.record_payment(
            acting_user=billing.world.director1, account=account, amount="100",
            method="cash", received_on=date(2025, 3, 3), payer=first,
        )  # fmt: skip
    client = as_user(billing.world.director1)
    done = client.post(
        f"{BASE}/accounts/{account.pk}/payers/",
        _form(
            [
                {"id": first.pk, "name": first.name, "share_percent": "100", "remove": "on"},
                {"name": "Grandma López", "share_percent": "100"},
            ]
        ),
    )
    assert done.status_code == 302
    with scopes_disabled():
        first.refresh_from_db()
        assert first.is_active is False  # kept for its payment
    assert _active(account) == [("Grandma López", Decimal("100.000"), True)]


def test_payers_api(billing, account, client):
    token = issue_api_token(user=billing.world.director1, name="t")
    url = f"/api/v1/programs/little-learners/accounts/{account.pk}/payers"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {
        "payers": [
            {"name": "A", "share_percent": "33.333"},
            {"name": "B", "share_percent": "66.667"},
        ]
    }
    ok = client.put(url, body, content_type="application/json", **auth)
    assert ok.status_code == 200
    assert [(p["name"], p["share_percent"], p["is_primary"]) for p in ok.json()] == [
        ("A", "33.333", True),
        ("B", "66.667", False),
    ]
    bad = client.put(
        url, {"payers": [{"name": "A", "share_percent": "99"}]},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert bad.status_code == 422
    assert "payers" in bad.json()["fields"]
    empty = client.put(url, {"payers": []}, content_type="application/json", **auth)
    assert empty.status_code == 422
    assert len(_active(account)) == 2


# --- settings ---------------------------------------------------------------------------


def _settings_data(**over) -> dict:
    data = {
        "period": "weekly",
        "due_days": "7",
        "bill_ccap_difference": "on",
        "statement_name": "Little Learners LLC",
        "tax_id": "12-3456789",
        "remit_to": "PO Box 1, Elizabeth NJ",
        "statement_message": "Thank you!",
        "autopay_required": "",
        "late_fee_policy": "",
        "reminder_schedule": "",
    }
    return data | over


def test_settings_page_saves_everything(billing, as_user, django_assert_max_num_queries):
    w = billing.world
    with scopes_disabled():
        policy = LateFeePolicy.objects.create(
            program=w.program1, name="Standard", grace_days=5, method="flat",
            flat_amount=Decimal("25.00"),
            effective_from=date(2025, 1, 1),
        )  # fmt: skip
        schedule = ReminderSchedule.objects.create(program=w.program1, name="Gentle")
        LateFeePolicy.objects.create(
            program=w.program2, name="Theirs", grace_days=1, method="flat",
            flat_amount=Decimal("5.00"),
            effective_from=date(2025, 1, 1),
        )  # fmt: skip
    client = as_user(w.director1)
    with django_assert_max_num_queries(25):
        page = client.get(f"{BASE}/settings/")
    assert page.status_code == 200
    assert "Standard" in page.content.decode() and "Theirs" not in page.content.decode()
    done = client.post(
        f"{BASE}/settings/",
        _settings_data(
            late_fee_policy=str(policy.pk),
            reminder_schedule=str(schedule.pk),
            autopay_required="on",
        ),
    )
    assert done.status_code == 302
    with scopes_disabled():
        s = BillingSettings.objects.get(program=w.program1)
    assert (s.period, s.due_days, s.bill_ccap_difference, s.autopay_required) == (
        "weekly",
        7,
        True,
        True,
    )
    assert (s.statement_name, s.tax_id, s.remit_to, s.statement_message) == (
        "Little Learners LLC",
        "12-3456789",
        "PO Box 1, Elizabeth NJ",
        "Thank you!",
    )
    assert (s.late_fee_policy_id, s.reminder_schedule_id) == (policy.pk, schedule.pk)


def test_settings_bad_input_names_the_field(billing, as_user):
    w = billing.world
    with scopes_disabled():
        theirs = LateFeePolicy.objects.create(
            program=w.program2, name="Theirs", grace_days=1, method="flat",
            flat_amount=Decimal("5.00"),
            effective_from=date(2025, 1, 1),
        )  # fmt: skip
        before = services.settings_for(w.program1).due_days
    client = as_user(w.director1)
    page = client.post(f"{BASE}/settings/", _settings_data(due_days="200"))
    assert page.status_code == 422
    assert "less than or equal to 90" in page.content.decode()
    page = client.post(f"{BASE}/settings/", _settings_data(late_fee_policy=str(theirs.pk)))
    assert page.status_code == 422  # another program's policy is not a choice
    with scopes_disabled():
        assert BillingSettings.objects.get(program=w.program1).due_days == before
