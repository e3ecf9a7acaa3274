"""The enrollment API: lists with bounded queries, bad input as 422 with fields, the
family's token flow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.enrollment.models import Application, Enrollment
from alliance.enrollment.services import check_in
from tests.enrollment.helpers import born_months_ago, make_enrollment

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def _client(user) -> tuple[Client, dict]:
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("staff", "programs/little-learners/enrollments"),
        ("staff", "programs/little-learners/attendance"),
        ("staff", "programs/little-learners/openings"),
        ("hub", "alliances/union-county/proposals"),
        ("hub", "alliances/union-county/offers"),
        ("hub", "alliances/union-county/vacancies"),
    ],
)
def test_lists_have_bounded_queries(world, scenario, django_assert_max_num_queries, who, path):
    client, auth = _client(getattr(world, who))
    url = f"{V1}/{path}"
    assert client.get(url, **auth).status_code == 200
    with django_assert_max_num_queries(20) as before:
        assert client.get(url, **auth).status_code == 200
    for _ in range(5):
        e = make_enrollment(world.program1, world.classroom1)
        with scopes_disabled():
            check_in(acting_user=world.staff, program=world.program1, child_id=e.child_id)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url, **auth).status_code == 200


def test_family_applies_reads_updates_and_accepts_through_the_api(world):
    client = Client()
    body = {
        "guardian_name": "Ana Ruiz",
        "email": "ana.ruiz@example.org",
        "language": "es",
        "town": "Elizabeth",
        "zip_code": "07201",
        "children": [
            {"first_name": "Luz", "last_name": "Ruiz", "birth_date": str(born_months_ago(28))}
        ],
        "desired_start": str(date.today() + timedelta(days=3)),
        "preferred_programs": ["little-learners"],
        "consent_to_share": True,
    }
    bad = client.post(
        f"{V1}/alliances/union-county/applications",
        {**body, "preferred_programs": ["nope"]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "preferred_programs" in bad.json()["fields"]
    created = client.post(
        f"{V1}/alliances/union-county/applications", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    token = created.json()["token"]
    dup = client.post(
        f"{V1}/alliances/union-county/applications", body, content_type="application/json"
    )
    assert dup.status_code == 422 and "email" in dup.json()["fields"]
    url = f"{V1}/alliances/union-county/applications/{token}"
    assert client.get(url).json()["children"][0]["first_name"] == "Luz"
    patched = client.patch(
        url,
        {
            **{k: body[k] for k in ("town", "zip_code", "desired_start")},
            "schedule": "part",
            "days": "024",
        },
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["days"] == "024"
    # Hub runs matching through the API and offers the proposal.
    hub, auth = _client(world.hub)
    run = hub.post(f"{V1}/alliance/matching-runs", **auth)
    assert run.status_code == 201
    proposal = run.json()["proposals"][0]
    assert proposal["program"] == "little-learners" and proposal["reasons"]
    offer = hub.post(f"{V1}/alliances/union-county/proposals/{proposal['id']}/offer", **auth).json()
    accepted = client.post(f"{url}/offers/{offer['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = client.post(f"{url}/offers/{offer['id']}/accept")
    assert again.status_code == 422
    with scopes_disabled():
        assert Enrollment.objects.filter(child__first_name="Luz").count() == 1
        assert Application.objects.get().status == "placed"
