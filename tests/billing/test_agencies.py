"""The hub's subsidy agencies: add, edit, duplicate codes refused on the field,
deactivate (no longer offered, new claims and authorizations refused) and reactivate,
delete only when nothing refers to the agency; the page, the API and bounded queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.billing import services, services_agencies, services_claims
from alliance.billing.models import SubsidyAgency
from alliance.core.models import AuditEntry
from tests.billing.claims_support import APRIL, submitted_march_claim
from tests.billing.conftest import MONTH
from tests.billing.test_claims_api import client

pytestmark = pytest.mark.django_db

HUB = "/a/union-county/hub/billing/agencies"
API = "/api/v1/alliances/union-county/subsidy-agencies"


def _add(world, code="ESSEX-DFD", **extra):
    with scopes_disabled():
        return services_agencies.save_agency(
            acting_user=world.hub, alliance=world.alliance, name=extra.pop("name", "Other"),
            code=code, **extra,
        )  # fmt: skip


# --- services ------------------------------------------------------------------------------


def test_add_and_edit_an_agency_upper_cases_the_code_and_audits(billing):
    w = billing.world
    agency = _add(w, code=" dfd-1 ", name=" Division of Family Development ", phone="555-0100")
    assert agency.code == "DFD-1" and agency.name == "Division of Family Development"
    assert agency.is_active and agency.requires_attendance
    with scopes_disabled():
        again = services_agencies.save_agency(
            acting_user=w.hub, alliance=w.alliance, agency=agency, name="DFD", code="DFD-1",
            requires_attendance=False,
        )  # fmt: skip
        assert again.pk == agency.pk and again.name == "DFD" and not again.requires_attendance
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"billing.agency_added", "billing.agency_saved"} <= actions


def test_duplicate_code_is_a_field_error(billing):
    w = billing.world
    with pytest.raises(ValidationError) as exc:
        _add(w, code="uc-ccrr")  # the billing fixture's agency
    assert "already uses this code" in exc.value.message_dict["code"][0]
    other = _add(w, code="OTHER")
    with pytest.raises(ValidationError) as exc, scopes_disabled():
        services_agencies.save_agency(
            acting_user=w.hub, alliance=w.alliance, agency=other, name="x", code="UC-CCRR"
        )
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _add(w, code="", name="")
    assert set(exc.value.message_dict) == {"name", "code"}


def test_deactivated_agency_is_not_offered_and_refuses_new_claims(billing, as_user):
    w = billing.world
    post = date(2025, 2, 1)
    with scopes_disabled():
        services_agencies.set_agency_active(acting_user=w.hub, agency=billing.agency, active=False)
        billing.agency.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            services_claims.create_claim(
                acting_user=w.director1, program=w.program1, agency=billing.agency,
                period_start=MONTH, today=APRIL,
            )  # fmt: skip
        assert "deactivated" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            services.create_authorization(
                acting_user=w.director1, program=w.program1, child=billing.mateo,
                agency=billing.agency, starts_on=post, ends_on=date(2025, 6, 30),
                weekly_copay="10.00",
            )  # fmt: skip
        assert "agency" in exc.value.message_dict
        with pytest.raises(ValidationError):  # already deactivated
            services_agencies.set_agency_active(
                acting_user=w.hub, agency=billing.agency, active=False
            )
    page = as_user(w.director1).get("/p/little-learners/billing/claims/").content.decode()
    assert "Union County CCR&amp;R" not in page and "The hub manages the list" in page
    with scopes_disabled():
        services_agencies.set_agency_active(acting_user=w.hub, agency=billing.agency, active=True)
    page = as_user(w.director1).get("/p/little-learners/billing/claims/").content.decode()
    assert "Union County CCR&amp;R" in page


def test_agency_with_claims_cannot_be_deleted_an_unused_one_can(billing):
    w = billing.world
    submitted_march_claim(billing)
    with pytest.raises(ValidationError) as exc, scopes_disabled():
        services_agencies.delete_agency(acting_user=w.hub, agency=billing.agency)
    assert "deactivate it instead" in str(exc.value)
    unused = _add(w)
    with scopes_disabled():
        services_agencies.delete_agency(acting_user=w.hub, agency=unused)
        assert not SubsidyAgency.objects.filter(pk=unused.pk).exists()
        assert SubsidyAgency.objects.filter(pk=billing.agency.pk).exists()


# --- the hub's page ------------------------------------------------------------------------


def test_hub_page_lists_adds_edits_and_toggles(billing, as_user):
    w = billing.world
    submitted_march_claim(billing)
    c = as_user(w.hub)
    page = c.get(f"{HUB}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Union County CCR&amp;R" in html and "UC-CCRR" in html
    assert 'href="/a/union-county/hub/billing/agencies/"' in html  # in the hub's sub-navigation
    r = c.post(f"{HUB}/", {"new-name": "Dup", "new-code": "uc-ccrr"})
    assert r.status_code == 422 and b"already uses this code" in r.content
    r = c.post(
        f"{HUB}/",
        {"new-name": "Essex DFD", "new-code": "essex", "new-email": "dfd@example.org",
         "new-requires_attendance": "on"},
    )  # fmt: skip
    assert r.status_code == 302
    with scopes_disabled():
        added = SubsidyAgency.objects.get(code="ESSEX")
    assert added.email == "dfd@example.org" and added.requires_attendance
    edit = c.get(f"{HUB}/{added.pk}/")
    assert edit.status_code == 200 and b'value="Essex DFD"' in edit.content
    r = c.post(f"{HUB}/{added.pk}/", {"name": "Essex DFD", "code": "ESSEX", "phone": "555"})
    assert r.status_code == 302
    with scopes_disabled():
        added.refresh_from_db()
    assert added.phone == "555" and not added.requires_attendance  # unchecked box
    assert c.post(f"{HUB}/{billing.agency.pk}/deactivate/").status_code == 302
    assert c.post(f"{HUB}/{billing.agency.pk}/deactivate/").status_code == 422
    html = c.get(f"{HUB}/").content.decode()
    assert "Deactivated" in html and "Reactivate" in html
    assert f"agencies/{added.pk}/delete/" in html  # nothing refers to it
    assert f"agencies/{billing.agency.pk}/delete/" not in html  # claims and authorizations
    assert c.post(f"{HUB}/{billing.agency.pk}/reactivate/").status_code == 302
    assert c.post(f"{HUB}/{billing.agency.pk}/delete/").status_code == 422  # it has a claim
    assert c.post(f"{HUB}/{added.pk}/delete/").status_code == 302
    assert c.post(f"{HUB}/{billing.agency.pk}/other/").status_code == 404


def test_hub_page_queries_are_bounded(billing, as_user, django_assert_max_num_queries):
    w = billing.world
    for i in range(8):
        _add(w, code=f"A{i}", name=f"Agency {i}")
    submitted_march_claim(billing)
    page, api = as_user(w.hub), client(w.hub)
    page.get(f"{HUB}/"), api.get(API)  # the first request of a session warms its caches
    with django_assert_max_num_queries(10):  # 8 measured, whatever the number of agencies
        assert page.get(f"{HUB}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert api.get(API).status_code == 200


# --- API -----------------------------------------------------------------------------------


def test_api_lists_adds_and_patches_agencies(billing):
    w = billing.world
    submitted_march_claim(billing)
    api = client(w.hub)
    listed = api.get(API).json()
    assert listed["count"] == 1
    (item,) = listed["items"]
    assert item["code"] == "UC-CCRR" and item["claims"] == 1 and item["is_active"]
    dup = api.post(API, {"name": "x", "code": "uc-ccrr"}, content_type="application/json")
    assert dup.status_code == 422 and "code" in dup.json()["fields"]
    missing = api.post(API, {"code": "X"}, content_type="application/json")
    assert missing.status_code == 422 and "name" in str(missing.json()["fields"])
    made = api.post(
        API, {"name": "Essex DFD", "code": "essex", "requires_attendance": False},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["code"] == "ESSEX" and body["claims"] == 0 and not body["requires_attendance"]
    patched = api.patch(
        f"{API}/{body['id']}", {"phone": "555-0199", "is_active": False},
        content_type="application/json",
    )  # fmt: skip
    assert patched.status_code == 200, patched.content
    assert patched.json()["phone"] == "555-0199" and patched.json()["is_active"] is False
    assert patched.json()["name"] == "Essex DFD"
    clash = api.patch(f"{API}/{body['id']}", {"code": "UC-CCRR"}, content_type="application/json")
    assert clash.status_code == 422 and "code" in clash.json()["fields"]
    with scopes_disabled():
        assert SubsidyAgency.objects.get(pk=body["id"]).code == "ESSEX"
    other = client(w.other_hub).patch(
        f"/api/v1/alliances/essex-county/subsidy-agencies/{body['id']}", {"name": "Mine"},
        content_type="application/json",
    )  # fmt: skip
    assert other.status_code == 404
