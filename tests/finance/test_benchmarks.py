"""Peer benchmarks: medians and quartiles only, never a member's name or own figure, and
nothing over fewer than 5 programs."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from tests.finance.conftest import enroll

pytestmark = pytest.mark.django_db

API = "/api/v1/programs/little-learners/finance/benchmarks"


def _get(user):
    from django.test import Client

    token = issue_api_token(user=user, name="t")
    return Client().get(API, HTTP_AUTHORIZATION=f"Bearer {token}")


def _names(world, peers) -> list[str]:
    return [
        world.program2.name,
        world.home.name,
        world.other_program.name,
        *[p.name for p in peers],
    ]


def test_small_groups_are_not_shown(world):
    # The alliance has only program1, program2 and the home: fewer than 5 everywhere.
    enroll(world.program1, world.classroom1, 9)
    enroll(world.program2, world.classroom2, 6)
    body = _get(world.director1).json()
    assert body["min_programs"] == 5
    for row in body["figures"]:
        assert row["alliance_median"] is None
        assert row["similar"] is None
    html = _page(world)
    assert "not enough similar programs" in html
    assert world.program2.name not in html


def _page(world) -> str:
    from tests.conftest import client_for

    return (
        client_for(world.director1).get("/p/little-learners/finance/benchmarks/").content.decode()
    )


def test_quartiles_of_similar_programs_without_names(world, peers):
    enroll(world.program1, world.classroom1, 9)  # 9 of 12 = 75%
    body = _get(world.director1).json()
    rows = {r["key"]: r for r in body["figures"]}
    enrollment = rows["enrollment"]
    assert D(enrollment["value"]) == D("75.0")
    # similar: the 6 peers (50..100%) + program1 75% + program2 (no enrollment: 0%)
    assert enrollment["similar"]["count"] == 8
    # collection: only the 6 peers were billed (program1 was not: unknown, left out)
    assert rows["collection"]["value"] is None
    assert rows["collection"]["similar"]["count"] == 6
    text = str(body)
    for name in _names(world, peers):
        assert name not in text
    for p in peers:
        assert p.slug not in text
    html = _page(world)
    for name in _names(world, peers):
        assert name not in html


def test_a_group_with_fewer_than_five_known_values_is_hidden(world, peers):
    # Two billed peers become family homes (another peer group): program1's group keeps 6
    # programs but only 4 have billing, so collection's quartiles stay hidden there, while
    # the alliance-wide median (6 billed programs) still shows.
    from alliance.members.models import Program

    with scopes_disabled():
        Program.unscoped.filter(pk__in=[p.pk for p in peers[:2]]).update(kind="family_home")
    body = _get(world.director1).json()
    rows = {r["key"]: r for r in body["figures"]}
    assert rows["collection"]["similar"] is None
    assert rows["collection"]["alliance_median"] is not None
    assert rows["enrollment"]["similar"]["count"] == 6


def test_hub_sees_members_sorted_by_risk(world, peers, as_user):
    enroll(world.program1, world.classroom1, 3)  # 25%: red
    html = as_user(world.hub).get("/a/union-county/hub/finance/").content.decode()
    assert html.index("Little Learners") < html.index("Peer Center 5")
    assert "/p/little-learners/finance/" in html  # drill in


def test_hub_members_api(world, peers):
    from django.test import Client

    token = issue_api_token(user=world.hub, name="t")
    body = (
        Client()
        .get(
            "/api/v1/alliances/union-county/finance/members?limit=3",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        .json()
    )
    assert body["count"] == 9
    assert len(body["items"]) == 3
    first = body["items"][0]
    assert set(first["statuses"]) == {"enrollment", "collection", "bad_debt", "dso"}


def test_hub_page_queries_do_not_grow_with_members(
    world, peers, as_user, django_assert_max_num_queries
):
    client = as_user(world.hub)
    with django_assert_max_num_queries(25):
        assert client.get("/a/union-county/hub/finance/").status_code == 200


def test_api_lists_are_bounded(world, peers, django_assert_max_num_queries):
    from django.test import Client

    hub = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world.hub, name='t')}")
    with django_assert_max_num_queries(20):
        assert hub.get("/api/v1/alliances/union-county/finance/members").status_code == 200
    with django_assert_max_num_queries(20):
        assert hub.get(API).status_code == 200
    with django_assert_max_num_queries(20):
        url = "/api/v1/programs/little-learners/finance/scenarios"
        assert hub.get(url).status_code == 200


def test_no_director_page_or_api_names_another_member(world, peers, model, as_user):
    from django.test import Client

    enroll(world.program1, world.classroom1, 9)
    pages = ["", "benchmarks/", "targets/", "model/", "scenarios/"]
    client = as_user(world.director1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world.director1, name='t')}")
    bodies = [client.get(f"/p/little-learners/finance/{p}").content.decode() for p in pages]
    bodies += [
        api.get(f"/api/v1/programs/little-learners/finance/{p}").content.decode()
        for p in ("iron-triangle", "benchmarks", "scenarios")
    ]
    for body in bodies:
        for name in _names(world, peers):
            assert name not in body
        for p in peers:
            assert f"/p/{p.slug}/" not in body
