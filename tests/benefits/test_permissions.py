"""Every benefits URL and API path, asked as every persona: staff see only their own
elections, directors only their staff, the hub every member of its alliance."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from alliance.benefits import services
from alliance.benefits.models import Plan
from tests.benefits.conftest import PDF
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

COVERED_API_PATHS = {
    "alliances/<alliance>/benefit-plans",
    "alliances/<alliance>/benefit-remittance",
    "programs/<slug>/benefit-policies",
    "programs/<slug>/benefit-elections",
    "programs/<slug>/benefit-statement",
    "me/benefit-elections",
}


@pytest.fixture
def with_summary(world, pool, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with scopes_disabled():
        services.save_plan(
            acting_user=world.hub, alliance=world.alliance, plan=pool.health, kind="health",
            carrier=pool.health.carrier, name=pool.health.name,
            summary=SimpleUploadedFile("silver.pdf", PDF),
        )  # fmt: skip
    return pool


def test_program_pages_matrix(world, with_summary):
    pool = with_summary
    p1 = "/p/little-learners/benefits"
    sam, riley = pool.sam.pk, pool.riley.pk
    members = {"anonymous": LOGIN}
    view = everyone(404, **members, staff=200, director1=200, hub=200)
    manage = everyone(404, **members, staff=403, director1=200, hub=200)
    manage_422 = everyone(404, **members, staff=403, director1=422, hub=422)
    # Only a person with a staff record here has "me" pages to write to.
    own_422 = everyone(404, **members, staff=422, director1=404, hub=404)
    cases = [
        Case("GET", f"{p1}/", everyone(404, **members, staff=302, director1=200, hub=200)),
        Case("GET", f"{p1}/me/", view),
        Case("POST", f"{p1}/me/", own_422, data={"kind": "yacht"}),
        Case("POST", f"{p1}/me/dependents/", own_422, data={"full_name": ""}),
        Case("POST", f"{p1}/me/events/", own_422, data={"kind": "marriage"}),
        Case("GET", f"{p1}/plans/{pool.health.pk}/summary/", view),
        Case(
            "GET", f"{p1}/plans/{pool.dental.pk}/summary/", everyone(404, **members)
        ),  # no summary uploaded  # fmt: skip
        Case("GET", f"{p1}/staff/{sam}/", manage),
        Case("POST", f"{p1}/staff/{sam}/", manage_422, data={"kind": "yacht"}),
        Case("POST", f"{p1}/staff/{sam}/dependents/", manage_422, data={"full_name": ""}),
        Case("POST", f"{p1}/staff/{sam}/events/", manage_422, data={"kind": "x"}),
        # Sunshine's staff member under Little Learners' address: missing, even for the hub.
        Case(
            "GET",
            f"{p1}/staff/{riley}/",
            everyone(404, **members, staff=403, director1=404, hub=404),
        ),  # fmt: skip
        Case("GET", f"{p1}/policies/", manage),
        Case("POST", f"{p1}/policies/", manage_422, data={"pay_frequency": "hourly"}),
        Case("GET", f"{p1}/policies/{pool.health.pk}/", manage),
        Case(
            "POST",
            f"{p1}/policies/{pool.health.pk}/",
            manage_422,
            data={
                "contribution_kind": "percent_tier",
                "contribution_value": "150",
                "min_hours": "30",
                "waiting_days": "60",
            },
        ),  # fmt: skip
        Case("GET", f"{p1}/statement/", manage),
        Case("GET", f"{p1}/retirement/", manage),
        Case("GET", f"{p1}/payroll.csv", manage),
        Case("GET", f"{p1}/numbers/", manage),
        Case("POST", f"{p1}/numbers/", manage_422, data={"kind": "health"}),
        Case("GET", f"{p1}/calculator/", manage),
        Case(
            "GET",
            f"{p1}/calculator/?plan={pool.health.pk}&contribution_kind=fixed&contribution_value=-4",
            manage_422,
        ),  # fmt: skip
    ]
    check_matrix(cases, world.personas())


def test_hub_pages_matrix(world, pool):
    hub = "/a/union-county/hub/benefits"
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    hub_422 = everyone(403, anonymous=LOGIN, hub=422)
    with scopes_disabled():
        essex = Plan.objects.create(alliance=world.other_alliance, kind="dental", carrier="E",
                                    name="Essex dental")  # fmt: skip
    cases = [
        Case("GET", f"{hub}/", only_hub),
        Case("GET", f"{hub}/plans/new/", only_hub),
        Case("POST", f"{hub}/plans/new/", hub_422, data={"kind": "health", "carrier": ""}),
        Case("GET", f"{hub}/plans/{pool.health.pk}/", only_hub),
        Case("POST", f"{hub}/plans/{pool.health.pk}/", hub_422, data={"kind": "health"}),
        Case("POST", f"{hub}/plans/{pool.health.pk}/rates/", hub_422, data={"employee": "-1"}),
        Case("GET", f"{hub}/plans/{essex.pk}/", everyone(403, anonymous=LOGIN, hub=404)),
        Case("GET", f"{hub}/years/new/", only_hub),
        Case("POST", f"{hub}/years/new/", hub_422, data={"name": ""}),
        Case("GET", f"{hub}/remittance/", only_hub),
        Case("GET", f"{hub}/remittance/?format=csv", only_hub),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world, pool):
    a = f"{V1}/alliances/union-county"
    p1 = f"{V1}/programs/little-learners"
    only_hub = everyone(403, anonymous=401, hub=200)
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    manage = everyone(404, anonymous=401, staff=403, director1=200, hub=200)
    cases = [
        Case("GET", f"{a}/benefit-plans", only_hub),
        Case(
            "POST",
            f"{a}/benefit-plans",
            everyone(403, anonymous=401, hub=422),
            data={"kind": "health", "carrier": "", "name": ""},
        ),  # fmt: skip
        Case("GET", f"{a}/benefit-remittance", only_hub),
        Case("GET", f"{p1}/benefit-policies", manage),
        Case(
            "POST",
            f"{p1}/benefit-policies",
            everyone(404, anonymous=401, staff=403, director1=422, hub=422),
            data={
                "plan_id": pool.health.pk,
                "contribution_kind": "percent_tier",
                "contribution_value": "101",
            },
        ),  # fmt: skip
        Case("GET", f"{p1}/benefit-elections", view),
        # Sam's own record: staff (Sam) and the managers may elect; the kind is bad → 422.
        Case(
            "POST",
            f"{p1}/benefit-elections",
            everyone(404, anonymous=401, staff=422, director1=422, hub=422),
            data={"staff_id": pool.sam.pk, "kind": "yacht"},
        ),  # fmt: skip
        # Staff may not elect for a colleague: not theirs, so missing.
        Case(
            "POST",
            f"{p1}/benefit-elections",
            everyone(404, anonymous=401, staff=404, director1=422, hub=422),
            data={"staff_id": pool.pat.pk, "kind": "yacht"},
        ),  # fmt: skip
        Case("GET", f"{p1}/benefit-statement", manage),
        Case("GET", f"{V1}/me/benefit-elections", everyone(200, anonymous=401)),
    ]
    check_matrix(cases, world.personas(), api=True)


def test_staff_see_only_their_own_elections(world, pool, as_user):
    from tests.benefits.test_elections import elect

    elect(pool, pool.sam)
    elect(pool, pool.pat)
    from alliance.accounts.services import issue_api_token

    def names(user):
        token = issue_api_token(user=user, name="t")
        response = as_user(None).get(f"{V1}/programs/little-learners/benefit-elections",
                                     HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
        return sorted(i["staff_name"] for i in response.json()["items"])

    assert names(world.staff) == ["Sam Teacher"]
    assert names(world.director1) == ["Pat Noaccount", "Sam Teacher"]
    token = issue_api_token(user=world.staff, name="me")
    mine = as_user(None).get(f"{V1}/me/benefit-elections", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [e["staff_name"] for e in mine.json()] == ["Sam Teacher"]
