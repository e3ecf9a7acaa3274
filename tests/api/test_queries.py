"""List endpoints run a fixed number of queries, however many rows there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from tests.factories import ClassroomFactory, ProgramFactory

pytestmark = pytest.mark.django_db

# token (1) + token's last use (1, first call only) + roles (1) + count (1) + page (1),
# plus the tenant lookup for program and alliance paths (1).
MAX_QUERIES = 6


def many_programs(world, n: int) -> None:
    with scopes_disabled():
        for i in range(n):
            program = ProgramFactory(alliance=world.alliance, name=f"Center {i:02d}")
            ClassroomFactory(program=program)


@pytest.mark.parametrize("n", [0, 30])
def test_program_list_is_bounded(world, api_as, django_assert_max_num_queries, n):
    many_programs(world, n)
    client = api_as(world.hub)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/programs", {"limit": 200})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 3 + n


@pytest.mark.parametrize("n", [1, 30])
def test_classroom_list_is_bounded(world, api_as, django_assert_max_num_queries, n):
    with scopes_disabled():
        for i in range(n - 1):
            ClassroomFactory(program=world.program1, name=f"Room {i:02d}")
    client = api_as(world.director1)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/programs/little-learners/classrooms", {"limit": 200})
    assert response.status_code == 200
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [0, 30])
def test_membership_list_is_bounded(world, api_as, django_assert_max_num_queries, n):
    many_programs(world, n)
    client = api_as(world.hub)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/alliances/union-county/memberships", {"limit": 200})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 3 + n


@pytest.mark.parametrize(
    "path", ["/programs", "/alliances/union-county/memberships", "/programs/sunshine/classrooms"]
)
def test_the_count_does_not_grow_with_the_rows(world, api_as, path):
    client = api_as(world.hub)
    client.get("/me")  # the token's first use is recorded once; leave it out of the count
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, {"limit": 200}).status_code == 200
        counts.append(len(queries))
        many_programs(world, 30)
        with scopes_disabled():
            for i in range(30):
                ClassroomFactory(program=world.program2, name=f"Extra {len(counts)}-{i}")
    assert counts[0] == counts[1], counts
