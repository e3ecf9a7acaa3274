"""Pages: a director acts for staff without a login, life events with proof, bad input
answered with the field and the fix, and the hub's plan page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from alliance.benefits.models import Dependent, Election, LifeEvent, Plan
from tests.benefits.conftest import PNG

pytestmark = pytest.mark.django_db


def test_director_enrolls_staff_without_a_login(world, pool, as_user):
    client = as_user(world.director1)
    url = f"/p/little-learners/benefits/staff/{pool.pat.pk}/"
    page = client.get(url)
    assert "Benefits of Pat Noaccount" in page.content.decode()
    response = client.post(url, {"kind": "health", "plan": pool.health.pk, "tier": "employee"})
    assert response.status_code == 302
    with scopes_disabled():
        election = Election.objects.get(staff=pool.pat)
        assert election.created_by == world.director1


def test_dependent_and_tier_through_the_page(world, pool, as_user):
    client = as_user(world.staff)
    response = client.post("/p/little-learners/benefits/me/dependents/",
                           {"full_name": "Ari", "relationship": "child",
                            "birth_date": "2021-04-02"})  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        child = Dependent.objects.get(staff=pool.sam)
    bad = client.post("/p/little-learners/benefits/me/",
                      {"kind": "health", "plan": pool.health.pk, "tier": "family",
                       "dependents": [child.pk]})  # fmt: skip
    assert bad.status_code == 422
    assert "Family coverage needs a spouse" in bad.content.decode()
    ok = client.post("/p/little-learners/benefits/me/",
                     {"kind": "health", "plan": pool.health.pk, "tier": "employee_children",
                      "dependents": [child.pk]})  # fmt: skip
    assert ok.status_code == 302


def test_life_event_with_proof(world, pool, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(world.staff)
    url = "/p/little-learners/benefits/me/events/"
    day = pool.today.isoformat()
    bad = client.post(url, {"kind": "marriage", "occurred_on": day,
                            "proof": SimpleUploadedFile("c.png", b"not a png")})  # fmt: skip
    assert bad.status_code == 422
    assert "not a real PDF, JPEG or PNG" in bad.content.decode()
    ok = client.post(url, {"kind": "marriage", "occurred_on": day,
                           "proof": SimpleUploadedFile("c.png", PNG)})  # fmt: skip
    assert ok.status_code == 302
    with scopes_disabled():
        assert LifeEvent.objects.get(staff=pool.sam).proof.name.endswith(".png")


def test_the_my_page_shows_costs_per_paycheck(world, pool, as_user):
    page = as_user(world.staff).get("/p/little-learners/benefits/me/").content.decode()
    # 100.00 a month (500 − 80% of 500) × 12 / 26 paychecks = 46.15
    assert "$46.15" in page and "$400.00" in page
    assert "Open enrollment for" in page


def test_policy_over_100_percent_names_the_fix(world, pool, as_user):
    response = as_user(world.director1).post(
        f"/p/little-learners/benefits/policies/{pool.health.pk}/",
        {"offered": "on", "contribution_kind": "percent_tier", "contribution_value": "150",
         "min_hours": "30", "waiting_days": "60"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "enter 100 or less" in response.content.decode()


def test_hub_adds_a_retirement_plan(world, as_user):
    response = as_user(world.hub).post(
        "/a/union-county/hub/benefits/plans/new/",
        {"kind": "retirement", "carrier": "Trust", "name": "403(b)", "is_active": "on",
         "deferral_min_percent": "1", "deferral_max_percent": "15",
         "match_formula": "3:100, 5:50", "vesting": "0:0, 3:100"},
    )  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        plan = Plan.objects.get(name="403(b)")
    assert plan.match_formula == [["3", "100"], ["5", "50"]]
    assert plan.deferral_max_percent == Decimal("15")


def test_api_enrolls_and_reads_the_statement(world, pool):
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    staff = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world.staff, name='t')}")
    response = staff.post("/api/v1/programs/little-learners/benefit-elections",
                          {"kind": "health", "plan_id": pool.health.pk, "tier": "employee"},
                          content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["staff_name"] == "Sam Teacher"
    again = staff.post("/api/v1/programs/little-learners/benefit-elections",
                       {"kind": "health", "plan_id": pool.health.pk, "tier": "employee"},
                       content_type="application/json")  # fmt: skip
    assert again.status_code == 422 and "kind" in again.json()["fields"]
    director = Client(
        HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world.director1, name='t')}"
    )
    month = f"{pool.next_year.starts_on:%Y-%m}"
    body = director.get(f"/api/v1/programs/little-learners/benefit-statement?month={month}").json()
    assert body["total"] == {"label": "", "count": 1, "premium": "500.00",
                             "employer": "400.00", "employee": "100.00"}  # fmt: skip
