"""The new list pages and endpoints run a bounded number of queries whatever their size."""

from __future__ import annotations

from datetime import time

from django.test import Client
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.core.tenancy import program_scope
from alliance.substitutes import services, services_pool
from tests.substitutes.conftest import offer_of
from tests.substitutes.factories import make_sub, next_weekday
from tests.substitutes.test_tiers import worked_at


def _picks(world, capture):
    with program_scope(world.program1), capture(execute=True):
        return services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[next_weekday(2)],
            start=time(8),
            end=time(15),
            mode="picks",
        )


def test_people_volunteers_backups_and_favourites_are_bounded(
    world, pool, as_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    extra = [make_sub(world.alliance, f"many{i}@example.org") for i in range(8)]
    everyone = [*pool, *extra]
    request = _picks(world, django_capture_on_commit_callbacks)
    with program_scope(world.program1):
        for p in everyone:
            services_pool.mark_favourite(
                acting_user=world.director1, program=world.program1, substitute=p.user
            )
            services.volunteer_offer(acting_user=p.user, offer_id=offer_of(request, p.user).pk)
    for p in everyone[:5]:
        worked_at(world.program1, p.user)
    director = as_user(world.director1)
    with django_assert_max_num_queries(20):
        page = director.get("/p/little-learners/substitutes/people/")
    assert page.content.decode().count('data-testid="sub-card"') == len(everyone)
    with django_assert_max_num_queries(25):
        page = director.get(f"/p/little-learners/substitutes/{request.pk}/")
    assert page.content.decode().count('data-testid="volunteer"') == len(everyone)
    # Picking one puts the ten others on the backup list.
    director.post(
        f"/p/little-learners/substitutes/{request.pk}/pick/",
        {"offer_id": offer_of(request, pool[0].user).pk},
    )
    with django_assert_max_num_queries(25):
        page = director.get(f"/p/little-learners/substitutes/{request.pk}/")
    html = page.content.decode()
    assert html.count("Volunteered, not picked") == len(everyone) - 1
    token = issue_api_token(user=world.director1, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api = Client()
    base = "/api/v1/programs/little-learners"
    with django_assert_max_num_queries(12):
        fav = api.get(f"{base}/substitute-favourites", **auth)
    assert len(fav.json()) == len(everyone)
    with django_assert_max_num_queries(12):
        detail = api.get(f"{base}/substitute-requests/{request.pk}", **auth)
    assert len(detail.json()["backups"]) == len(everyone) - 1
    with django_assert_max_num_queries(12):
        vols = api.get(f"{base}/substitute-requests/{request.pk}/volunteers", **auth)
    assert vols.json() == []  # all picked or backups now
    hub = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=world.hub, name='t')}"}
    with django_assert_max_num_queries(12):
        never = api.get("/api/v1/alliances/union-county/substitute-reports/never-work", **hub)
    assert never.status_code == 200


def test_volunteers_api_lists_best_first(world, pool, django_capture_on_commit_callbacks):
    request = _picks(world, django_capture_on_commit_callbacks)
    with program_scope(world.program1):
        for p in pool:
            services.volunteer_offer(acting_user=p.user, offer_id=offer_of(request, p.user).pk)
    token = issue_api_token(user=world.director1, name="t")
    rows = (
        Client()
        .get(
            f"/api/v1/programs/little-learners/substitute-requests/{request.pk}/volunteers",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        .json()
    )
    assert len(rows) == 3
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert rows[0]["reasons"][0]["factor"] == "tier"
    response = Client().post(
        f"/api/v1/programs/little-learners/substitute-requests/{request.pk}/pick",
        {"offer_id": rows[0]["offer_id"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200 and response.json()["status"] == "filled"
    again = Client().post(
        f"/api/v1/programs/little-learners/substitute-requests/{request.pk}/pick",
        {"offer_id": rows[1]["offer_id"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert again.status_code == 422 and "offer_id" in again.json()["fields"]
    with scopes_disabled():
        assert request.assignments.count() == 1
