"""/programs/{slug}/classrooms: list, add, show, change."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.members.models import Classroom
from tests.factories import ClassroomFactory

pytestmark = pytest.mark.django_db

ROOMS = "/programs/little-learners/classrooms"
NEW_ROOM = {
    "name": "Preschool B",
    "age_min_months": 36,
    "age_max_months": 59,
    "licensed_capacity": 15,
}


def rooms_of(program) -> list[Classroom]:
    with scopes_disabled():
        return list(Classroom.objects.filter(program=program).order_by("name"))


def test_list_classrooms_youngest_first(world, api_as):
    with scopes_disabled():
        ClassroomFactory(
            program=world.program1, name="Infants", age_min_months=0, age_max_months=17
        )
    response = api_as(world.staff).get(ROOMS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["name"] for r in body["items"]] == ["Infants", "Toddlers"]
    assert body["items"][1] == {
        "id": world.classroom1.pk,
        "name": "Toddlers",
        "age_min_months": 24,
        "age_max_months": 35,
        "licensed_capacity": 12,
        "staffed_capacity": 12,
        "is_active": True,
    }


def test_list_shows_only_this_programs_classrooms(world, api_as):
    ids = [r["id"] for r in api_as(world.hub).get(ROOMS).json()["items"]]
    assert ids == [world.classroom1.pk]


def test_create_classroom(world, api_as):
    response = api_as(world.director1).post(ROOMS, NEW_ROOM)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Preschool B"
    assert body["staffed_capacity"] == 15  # defaults to licensed
    with scopes_disabled():
        room = Classroom.objects.get(pk=body["id"])
        assert room.program == world.program1
        entry = AuditEntry.objects.get(action="classroom.created")
    assert entry.actor == world.director1


def test_create_classroom_as_staff_is_403(world, api_as):
    response = api_as(world.staff).post(ROOMS, NEW_ROOM)
    assert response.status_code == 403
    assert len(rooms_of(world.program1)) == 1


BAD_CLASSROOM_INPUT = [
    ({"licensed_capacity": "twelve"}, "licensed_capacity"),
    ({"age_min_months": 1.5}, "age_min_months"),
    ({"licensed_capacity": -1}, "licensed_capacity"),
    ({"staffed_capacity": -3}, "staffed_capacity"),
    ({"age_max_months": 300}, "age_max_months"),
    ({"staffed_capacity": 16}, "staffed_capacity"),
    ({"age_min_months": 60}, "age_max_months"),
    ({"licensed_capacity": 0, "staffed_capacity": 0}, "licensed_capacity"),
    ({"name": "Toddlers"}, "name"),  # taken in this program
    ({"name": "toddlers "}, "name"),  # case and spaces do not make it new
    ({"name": "  "}, "name"),
    ({"name": "x" * 81}, "name"),
    ({"room_number": 4}, "room_number"),
    ({"program": 1}, "program"),
]


@pytest.mark.parametrize("data, field", BAD_CLASSROOM_INPUT)
def test_bad_classroom_input_is_422_and_adds_nothing(world, api_as, data, field):
    response = api_as(world.director1).post(ROOMS, {**NEW_ROOM, **data})
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"], response.json()
    assert [r.name for r in rooms_of(world.program1)] == ["Toddlers"]


@pytest.mark.parametrize(
    "missing", ["name", "age_min_months", "age_max_months", "licensed_capacity"]
)
def test_required_classroom_fields(world, api_as, missing):
    data = {k: v for k, v in NEW_ROOM.items() if k != missing}
    response = api_as(world.director1).post(ROOMS, data)
    assert response.status_code == 422
    assert missing in response.json()["fields"]


def test_get_classroom(world, api_as):
    response = api_as(world.staff).get(f"{ROOMS}/{world.classroom1.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Toddlers"


def test_another_programs_classroom_is_404_under_this_program(world, api_as):
    # classroom2 belongs to sunshine: asking for it under little-learners finds nothing,
    # even as the hub who may see both programs.
    for user in (world.director1, world.hub):
        response = api_as(user).get(f"{ROOMS}/{world.classroom2.pk}")
        assert response.status_code == 404
        response = api_as(user).patch(f"{ROOMS}/{world.classroom2.pk}", {"name": "Mine"})
        assert response.status_code == 404
    with scopes_disabled():
        assert Classroom.objects.get(pk=world.classroom2.pk).name == "Toddlers"


def test_update_classroom(world, api_as):
    url = f"{ROOMS}/{world.classroom1.pk}"
    response = api_as(world.director1).patch(url, {"staffed_capacity": 8, "name": "Toddlers A"})
    assert response.status_code == 200, response.json()
    assert response.json()["staffed_capacity"] == 8
    [room] = rooms_of(world.program1)
    assert (room.name, room.staffed_capacity, room.licensed_capacity) == ("Toddlers A", 8, 12)


def test_archive_classroom(world, api_as):
    url = f"{ROOMS}/{world.classroom1.pk}"
    response = api_as(world.hub).patch(url, {"is_active": False})
    assert response.status_code == 200
    assert rooms_of(world.program1)[0].is_active is False


def test_update_classroom_as_staff_is_403(world, api_as):
    response = api_as(world.staff).patch(f"{ROOMS}/{world.classroom1.pk}", {"name": "Ours"})
    assert response.status_code == 403
    assert rooms_of(world.program1)[0].name == "Toddlers"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"staffed_capacity": 13}, "staffed_capacity"),
        ({"licensed_capacity": 10}, "staffed_capacity"),
        ({"licensed_capacity": -10}, "licensed_capacity"),
        ({"age_max_months": 12}, "age_max_months"),
        ({"is_active": "sometimes"}, "is_active"),
        ({"name": None}, "name"),
        ({"licensed_capacity": None}, "licensed_capacity"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_classroom_update_is_422_and_changes_nothing(world, api_as, data, field):
    url = f"{ROOMS}/{world.classroom1.pk}"
    response = api_as(world.director1).patch(url, {"name": "Renamed", **data})
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"], response.json()
    [room] = rooms_of(world.program1)
    assert (room.name, room.licensed_capacity, room.staffed_capacity) == ("Toddlers", 12, 12)


def test_a_non_numeric_classroom_id_is_422(world, api_as):
    response = api_as(world.director1).get(f"{ROOMS}/abc")
    assert response.status_code == 422
    assert "classroom_id" in response.json()["fields"]
