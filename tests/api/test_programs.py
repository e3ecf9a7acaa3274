"""GET /me, GET /programs, GET and PATCH /programs/{slug}."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.members.models import Program

pytestmark = pytest.mark.django_db


def program(slug: str) -> Program:
    return Program.unscoped.get(slug=slug)


def test_me_lists_the_callers_roles(world, api_as):
    response = api_as(world.director1).get("/me")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.director1.pk,
        "email": "director1@example.org",
        "full_name": world.director1.full_name,
        "language": world.director1.language,
        "roles": [{"kind": "director", "alliance": "union-county", "program": "little-learners"}],
    }


def test_me_for_a_hub_admin_has_no_program(world, api_as):
    roles = api_as(world.hub).get("/me").json()["roles"]
    assert roles == [{"kind": "hub", "alliance": "union-county", "program": None}]


def test_programs_for_a_director_are_their_own(world, api_as):
    body = api_as(world.director1).get("/programs").json()
    assert body["count"] == 1
    assert [p["slug"] for p in body["items"]] == ["little-learners"]
    assert body["limit"] == 50 and body["offset"] == 0


def test_programs_for_staff_are_their_own(world, api_as):
    body = api_as(world.staff).get("/programs").json()
    assert [p["slug"] for p in body["items"]] == ["little-learners"]


def test_programs_for_a_hub_admin_are_all_of_the_alliance(world, api_as):
    body = api_as(world.hub).get("/programs").json()
    assert [p["slug"] for p in body["items"]] == ["garcia-fcc", "little-learners", "sunshine"]
    assert all(p["alliance"] == "union-county" for p in body["items"])
    assert "newark-kids" not in {p["slug"] for p in body["items"]}


@pytest.mark.parametrize("persona", ["outsider", "family", "sub", "committee"])
def test_programs_for_people_without_a_program_are_none(world, api_as, persona):
    body = api_as(getattr(world, persona)).get("/programs").json()
    assert body == {"count": 0, "limit": 50, "offset": 0, "items": []}


def test_programs_paginate(world, api_as):
    client = api_as(world.hub)
    first = client.get("/programs", {"limit": 2}).json()
    rest = client.get("/programs", {"limit": 2, "offset": 2}).json()
    assert first["count"] == rest["count"] == 3
    assert [p["slug"] for p in first["items"]] == ["garcia-fcc", "little-learners"]
    assert [p["slug"] for p in rest["items"]] == ["sunshine"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_pagination_is_422(world, api_as, params, field):
    response = api_as(world.hub).get("/programs", params)
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_get_program_shows_the_profile(world, api_as):
    response = api_as(world.staff).get("/programs/little-learners")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "little-learners"
    assert body["name"] == "Little Learners"
    assert body["alliance"] == "union-county"
    assert body["kind"] == "center"
    assert body["licensed_capacity"] == 60
    assert body["staffed_capacity"] == 52
    assert body["license_expires_on"] == world.program1.license_expires_on.isoformat()


def test_get_program_of_another_program_is_404_like_a_missing_one(world, api_as):
    client = api_as(world.director2)
    not_mine = client.get("/programs/little-learners")
    missing = client.get("/programs/no-such-program")
    assert not_mine.status_code == missing.status_code == 404
    assert not_mine.json() == missing.json() == {"message": "Not found."}


def test_patch_program_changes_only_the_fields_sent(world, api_as):
    response = api_as(world.director1).patch(
        "/programs/little-learners",
        {"name": "Little Learners Academy", "staffed_capacity": 40, "languages": ["Spanish"]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == "Little Learners Academy"
    assert body["staffed_capacity"] == 40
    assert body["licensed_capacity"] == 60
    saved = program("little-learners")
    assert (saved.name, saved.staffed_capacity, saved.languages) == (
        "Little Learners Academy",
        40,
        ["Spanish"],
    )
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="program.updated")
    assert entry.actor == world.director1
    assert entry.program_id == world.program1.pk


def test_patch_program_as_hub(world, api_as):
    response = api_as(world.hub).patch("/programs/sunshine", {"accepts_ccap": True})
    assert response.status_code == 200
    assert program("sunshine").accepts_ccap is True


def test_patch_can_clear_the_license_date(world, api_as):
    response = api_as(world.director1).patch(
        "/programs/little-learners", {"license_expires_on": None}
    )
    assert response.status_code == 200
    assert program("little-learners").license_expires_on is None


def test_patch_program_as_staff_is_403_and_saves_nothing(world, api_as):
    response = api_as(world.staff).patch("/programs/little-learners", {"name": "Mine now"})
    assert response.status_code == 403
    assert response.json() == {"message": "You do not have permission for this."}
    assert program("little-learners").name == "Little Learners"


BAD_PROGRAM_INPUT = [
    # wrong types
    ({"licensed_capacity": "many"}, "licensed_capacity"),
    ({"accepts_ccap": "perhaps"}, "accepts_ccap"),
    ({"license_expires_on": "next year"}, "license_expires_on"),
    ({"languages": "Spanish"}, "languages"),
    ({"kind": "castle"}, "kind"),
    ({"quality_rating": 9}, "quality_rating"),
    # negative numbers
    ({"licensed_capacity": -5}, "licensed_capacity"),
    ({"ages_min_months": -1}, "ages_min_months"),
    # unknown fields (and ones the API never lets you change)
    ({"colour": "blue"}, "colour"),
    ({"slug": "stolen"}, "slug"),
    ({"alliance": 2}, "alliance"),
    # null for a field that cannot be empty
    ({"name": None}, "name"),
    # too long
    ({"name": "x" * 151}, "name"),
    # rules the service checks
    ({"staffed_capacity": 61}, "staffed_capacity"),
    ({"licensed_capacity": 10}, "staffed_capacity"),
    ({"ages_min_months": 80}, "ages_max_months"),
    ({"zip_code": "ABCDE"}, "zip_code"),
    ({"email": "not-an-email"}, "email"),
    ({"website": "not a url"}, "website"),
    ({"name": "   "}, "name"),
]


@pytest.mark.parametrize("data, field", BAD_PROGRAM_INPUT)
def test_bad_program_input_is_422_naming_the_field(world, api_as, data, field):
    before = program("little-learners")
    response = api_as(world.director1).patch(
        "/programs/little-learners", {"description": "Changed", **data}
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["fields"], body
    assert body["message"]
    assert all(isinstance(m, str) and m for m in body["fields"][field])
    # Nothing saved, not even the valid field sent alongside.
    after = program("little-learners")
    assert after.description == before.description
    assert after.staffed_capacity == before.staffed_capacity
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="program.updated").exists()


def test_staffed_over_licensed_says_so(world, api_as):
    response = api_as(world.director1).patch("/programs/little-learners", {"staffed_capacity": 70})
    assert response.status_code == 422
    assert response.json() == {
        "message": "Staffed capacity (70) cannot be more than licensed capacity (60).",
        "fields": {
            "staffed_capacity": [
                "Staffed capacity (70) cannot be more than licensed capacity (60)."
            ]
        },
    }


def test_a_family_home_over_the_state_limit_is_refused(world, api_as):
    response = api_as(world.provider).patch("/programs/garcia-fcc", {"licensed_capacity": 12})
    assert response.status_code == 422
    assert "licensed_capacity" in response.json()["fields"]
    assert program("garcia-fcc").licensed_capacity == 5


def test_a_body_that_is_not_an_object_is_422(world, api_as):
    response = api_as(world.director1).patch("/programs/little-learners", ["name"])
    assert response.status_code == 422
