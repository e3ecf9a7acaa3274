"""Classrooms: list (sort, page, archived), add, edit, archive and restore."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.members.models import Classroom, Site
from tests.factories import ClassroomFactory
from tests.members.conftest import audit_actions, rows

pytestmark = pytest.mark.django_db

LIST = "/p/little-learners/classrooms/"
NEW = "/p/little-learners/classrooms/new/"


def room_data(**changes) -> dict:
    data = {
        "name": "Preschool B",
        "age_min_months": "36",
        "age_max_months": "59",
        "licensed_capacity": "20",
        "staffed_capacity": "16",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_url(room) -> str:
    return f"{LIST}{room.pk}/"


def test_the_list_shows_rooms_in_use(world, as_user):
    response = as_user(world.staff).get(LIST)
    assert response.status_code == 200
    assert [r.name for r in response.context["table"].rows] == ["Toddlers"]
    assert response.context["can_manage"] is False


def test_the_list_has_an_empty_state_with_an_add_button(world, as_user):
    with scopes_disabled():
        Classroom.objects.filter(program=world.program1).delete()
    response = as_user(world.director1).get(LIST)
    assert b"No classrooms yet" in response.content
    assert NEW.encode() in response.content


def test_the_list_sorts_and_unknown_keys_fall_back(world, as_user):
    with scopes_disabled():
        ClassroomFactory(
            program=world.program1, name="Infants", age_min_months=0, age_max_months=17
        )
        ClassroomFactory(program=world.program1, name="Pre-K", age_min_months=48, age_max_months=59)
    client = as_user(world.director1)
    names = lambda url: [r.name for r in client.get(url).context["table"].rows]  # noqa: E731
    assert names(LIST) == ["Infants", "Toddlers", "Pre-K"]  # default: by age
    assert names(LIST + "?sort=-name") == ["Toddlers", "Pre-K", "Infants"]
    assert names(LIST + "?sort=drop_table") == ["Infants", "Toddlers", "Pre-K"]
    assert names(LIST + "?sort=--name") == ["Infants", "Toddlers", "Pre-K"]


def test_the_list_pages_and_clamps_the_page_number(world, as_user):
    with scopes_disabled():
        for i in range(30):
            ClassroomFactory(program=world.program1, name=f"Room {i:02d}")
    client = as_user(world.director1)
    table = client.get(LIST + "?sort=name&page=500").context["table"]
    assert table.page.number == 2 and len(table.rows) == 6
    assert client.get(LIST + "?page=abc").context["table"].page.number == 1


def test_the_list_takes_the_same_queries_for_5_or_40_rooms(world, as_user, query_growth):
    with scopes_disabled():
        site = Site.objects.create(
            program=world.program1, name="Annex", address="1 A St", town="Union", zip_code="07083"
        )
        ClassroomFactory.create_batch(4, program=world.program1, site=site)

    def grow():
        with scopes_disabled():
            ClassroomFactory.create_batch(35, program=world.program1, site=site)

    query_growth(as_user(world.director1), LIST, grow, max_queries=12)


def test_the_director_adds_a_classroom(world, as_user):
    response = as_user(world.director1).post(NEW, room_data())
    assert response.status_code == 302
    with scopes_disabled():
        room = Classroom.objects.get(name="Preschool B")
        entry = AuditEntry.objects.get(action="classroom.created")
    assert (room.program, room.licensed_capacity, room.staffed_capacity) == (
        world.program1,
        20,
        16,
    )
    assert room.is_active
    assert entry.actor == world.director1 and entry.program == world.program1


def test_staffed_capacity_defaults_to_licensed(world, as_user):
    as_user(world.director1).post(NEW, room_data(staffed_capacity=""))
    with scopes_disabled():
        assert Classroom.objects.get(name="Preschool B").staffed_capacity == 20


def test_the_new_form_has_no_archive_box_and_no_site_choice_without_sites(world, as_user):
    form = as_user(world.director1).get(NEW).context["form"]
    assert "is_active" not in form.fields
    assert "site" not in form.fields


BAD_ROOM = [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "toddlers"}, "name", "already has a classroom with that name"),
    ({"age_min_months": "40", "age_max_months": "30"}, "age_max_months", "oldest age"),
    ({"licensed_capacity": "0"}, "licensed_capacity", "greater than or equal to 1"),
    ({"staffed_capacity": "25"}, "staffed_capacity", "cannot be more than licensed"),
    ({"age_max_months": "300"}, "age_max_months", "less than or equal to 216"),
    ({"licensed_capacity": "many"}, "licensed_capacity", "Enter a whole number."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_ROOM)
def test_bad_classroom_input_is_422_and_nothing_saved(world, as_user, changes, field, message):
    before = rows(Classroom), rows(AuditEntry)
    response = as_user(world.director1).post(NEW, room_data(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert (rows(Classroom), rows(AuditEntry)) == before


def test_the_director_edits_a_classroom(world, as_user):
    room = world.classroom1
    response = as_user(world.director1).post(
        edit_url(room), room_data(name="Toddlers A", is_active="on")
    )
    assert response.status_code == 302
    with scopes_disabled():
        room.refresh_from_db()
        entry = AuditEntry.objects.get(action="classroom.updated")
    assert room.name == "Toddlers A" and room.licensed_capacity == 20
    assert entry.actor == world.director1
    assert entry.data["name"] == ["Toddlers", "Toddlers A"]


def test_a_bad_edit_is_422_and_leaves_the_room_alone(world, as_user):
    room = world.classroom1
    response = as_user(world.director1).post(
        edit_url(room), room_data(staffed_capacity="99", is_active="on")
    )
    assert response.status_code == 422
    with scopes_disabled():
        room.refresh_from_db()
    assert room.name == "Toddlers" and room.staffed_capacity == 12
    assert audit_actions(action__startswith="classroom.") == []


def test_archiving_and_restoring_a_classroom(world, as_user):
    room = world.classroom1
    client = as_user(world.director1)
    response = client.post(edit_url(room), room_data(name="Toddlers"), follow=True)
    assert "archived" in response.content.decode()
    with scopes_disabled():
        room.refresh_from_db()
    assert room.is_active is False
    # It leaves the in-use list and the dashboard, and shows under "Archived".
    assert [r.name for r in client.get(LIST).context["table"].rows] == []
    assert [r.name for r in client.get(LIST + "?show=archived").context["table"].rows] == [
        "Toddlers"
    ]
    assert client.get("/p/little-learners/").context["summary"]["classrooms"] == 0
    # Restoring brings it back.
    client.post(edit_url(room), room_data(name="Toddlers", is_active="on"))
    with scopes_disabled():
        room.refresh_from_db()
    assert room.is_active is True
    assert audit_actions(object_id=str(room.pk), action__startswith="classroom.") == [
        "classroom.restored",
        "classroom.archived",
    ]


def test_the_archived_list_has_its_own_empty_state(world, as_user):
    response = as_user(world.director1).get(LIST + "?show=archived")
    assert b"No archived classrooms" in response.content


def test_a_classroom_can_be_placed_at_a_site(world, as_user):
    with scopes_disabled():
        site = Site.objects.create(
            program=world.program1, name="Annex", address="1 A St", town="Union", zip_code="07083"
        )
    response = as_user(world.director1).post(NEW, room_data(site=str(site.pk)))
    assert response.status_code == 302
    with scopes_disabled():
        assert Classroom.objects.get(name="Preschool B").site == site


def test_another_programs_site_is_not_a_choice(world, as_user):
    with scopes_disabled():
        Site.objects.create(
            program=world.program1, name="Annex", address="1 A St", town="Union", zip_code="07083"
        )
        theirs = Site.objects.create(
            program=world.program2, name="Theirs", address="2 B St", town="Union", zip_code="07083"
        )
    response = as_user(world.director1).post(NEW, room_data(site=str(theirs.pk)))
    assert response.status_code == 422
    assert "site" in response.context["form"].errors
    assert rows(Classroom) == 2


def test_a_director_can_never_reach_another_programs_classroom(world, as_user):
    theirs = world.classroom2
    director1 = as_user(world.director1)
    assert director1.get(edit_url(theirs)).status_code == 404
    response = director1.post(edit_url(theirs), room_data(name="Mine", is_active="on"))
    assert response.status_code == 404
    assert director1.get(f"/p/sunshine/classrooms/{theirs.pk}/").status_code == 404
    assert director1.get("/p/sunshine/classrooms/").status_code == 404
    with scopes_disabled():
        theirs.refresh_from_db()
    assert theirs.name == "Toddlers"


def test_staff_cannot_add_or_edit(world, as_user):
    staff = as_user(world.staff)
    assert staff.post(NEW, room_data()).status_code == 403
    assert staff.post(edit_url(world.classroom1), room_data()).status_code == 403
    assert rows(Classroom) == 2
