"""Classroom transitions as children age: the list (date boundary), the suggested room, one
click and bulk moves (audited, all or nothing, openings follow) and the daily job."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.enrollment.models import Enrollment, EnrollmentStatus
from alliance.enrollment.openings import openings_by_date
from alliance.enrollment.rules import leaves_room_on
from alliance.enrollment.tasks import program_transitions_task
from alliance.enrollment.transitions import run_due_transitions, upcoming_transitions
from alliance.notifications.models import Notification
from tests.enrollment.helpers import make_child, make_enrollment
from tests.factories import ClassroomFactory

pytestmark = pytest.mark.django_db


def born_to_leave(room, on: date) -> date:
    """A birth date with which a child first becomes too old for ``room`` on ``on``."""
    guess = date(on.year - 3, on.month, 1) - timedelta(days=120)
    for k in range(400):
        born = guess + timedelta(days=k)
        if leaves_room_on(born, room) == on:
            return born
    raise AssertionError(f"no birth date leaves {room} on {on}")


def _enrolled(world, leaves_on: date):
    child = make_child(world.alliance)
    with scopes_disabled():
        child.birth_date = born_to_leave(world.classroom1, leaves_on)
        child.save(update_fields=["birth_date"])
    return make_enrollment(
        world.program1, world.classroom1, child=child, start=timezone.localdate() - timedelta(60)
    )


@pytest.fixture
def preschool(world):
    with scopes_disabled():
        return ClassroomFactory(
            program=world.program1, name="Preschool", age_min_months=36, age_max_months=59
        )


def _first_fit_day(weeks: int) -> date:
    """The day ``weeks`` weeks ahead, or the next day a child can leave on (leaves_room_on
    never falls on the 29th–31st)."""
    day = timezone.localdate() + timedelta(weeks=weeks)
    while day.day > 28:
        day -= timedelta(days=1)
    return day


def test_listing_includes_the_last_day_of_the_window_and_not_the_next(world, preschool):
    edge = _first_fit_day(8)
    inside = _enrolled(world, edge)
    # The next day a child can leave on: the day after, or the 1st after a 28th.
    after = edge + timedelta(days=1)
    while after.day > 28:
        after += timedelta(days=1)
    outside = _enrolled(world, after)
    with scopes_disabled():
        # Asked on the day whose 8-week window ends exactly on ``edge``.
        rows = upcoming_transitions(world.program1, edge - timedelta(weeks=8), weeks=8)
        listed = {t.enrollment.pk: t for t in rows}
    assert inside.pk in listed and outside.pk not in listed
    t = listed[inside.pk]
    assert t.leaves_on == edge and t.next_room == preschool and not t.kindergarten


def test_one_click_move_on_the_boundary_day_and_openings_follow(world, preschool, as_user):
    day = _first_fit_day(2)
    e = _enrolled(world, day)
    client = as_user(world.director1)
    url = "/p/little-learners/enrollment/transitions/"
    page = client.get(url)
    assert page.status_code == 200 and str(e.child) in page.content.decode()
    # A day early the child is still too young for the preschool room: refused, nothing saved.
    early = (day - timedelta(days=1)).isoformat()
    response = client.post(url, {"move": [e.pk], f"room-{e.pk}": preschool.pk, f"on-{e.pk}": early})
    assert response.status_code == 422
    with scopes_disabled():
        assert Enrollment.objects.get(pk=e.pk).status == EnrollmentStatus.ACTIVE
        before = openings_by_date([world.program1], timezone.localdate())
    response = client.post(
        url, {"move": [e.pk], f"room-{e.pk}": preschool.pk, f"on-{e.pk}": day.isoformat()}
    )
    assert response.status_code == 302
    with scopes_disabled():
        old = Enrollment.objects.get(pk=e.pk)
        assert old.status == EnrollmentStatus.MOVED and old.end_date == day - timedelta(days=1)
        new = Enrollment.objects.get(child=e.child, classroom=preschool)
        assert new.start_date == day and new.status == EnrollmentStatus.ACTIVE
        assert AuditEntry.objects.filter(action="enrollment.moved").count() == 1
        assert AuditEntry.objects.filter(action="enrollment.transitions").count() == 1
        after = openings_by_date([world.program1], timezone.localdate())
        # The toddler seat is free from the move; nobody is counted twice anywhere.
        assert after == before
        assert not upcoming_transitions(world.program1, timezone.localdate())


def test_bulk_move_is_all_or_nothing_and_respects_the_staffed_seats(world, preschool, as_user):
    day = _first_fit_day(1)
    a, b = _enrolled(world, day), _enrolled(world, day)
    with scopes_disabled():
        preschool.staffed_capacity = 1
        preschool.save(update_fields=["staffed_capacity"])
        rows = {t.enrollment.pk: t for t in upcoming_transitions(world.program1, day)}
    # One seat: the first child gets the suggestion, the second none.
    assert sorted(t.next_room is None for t in rows.values()) == [False, True]
    data = {"move": [a.pk, b.pk]}
    for e in (a, b):
        data[f"room-{e.pk}"] = preschool.pk
        data[f"on-{e.pk}"] = day.isoformat()
    response = as_user(world.director1).post("/p/little-learners/enrollment/transitions/", data)
    assert response.status_code == 422
    assert "no free staffed seat" in response.content.decode()
    with scopes_disabled():
        assert not Enrollment.objects.filter(classroom=preschool).exists()


def test_daily_job_moves_children_due_and_tells_directors_once(world, preschool):
    today = timezone.localdate()
    due = _enrolled(world, _first_fit_day(0) if today.day <= 28 else _first_fit_day(1))
    soon = _enrolled(world, _first_fit_day(3))
    with scopes_disabled():
        leaves = leaves_room_on(due.child.birth_date, world.classroom1)
        result = run_due_transitions(program=world.program1, today=leaves)
        assert result == {"moved": 1, "noticed": 1}
        assert Enrollment.objects.get(child=due.child, classroom=preschool).start_date == leaves
        notes = Notification.objects.filter(
            recipient=world.director1, kind="enrollment_transitions"
        )
        assert notes.count() == 1
        assert str(soon.child) in notes.get().body
        # The next day: nothing new to say.
        again = run_due_transitions(program=world.program1, today=leaves + timedelta(days=1))
        assert again == {"moved": 0, "noticed": 0}
        assert notes.count() == 1
        # The task wrapper runs the same job in the program's scope.
        program_transitions_task(world.program1.pk)


def test_transitions_page_without_children(world, as_user):
    page = as_user(world.staff).get("/p/little-learners/enrollment/transitions/?weeks=abc")
    assert page.status_code == 200
    assert "No transitions coming up" in page.content.decode()


def test_transitions_page_and_api_query_counts(
    world, preschool, as_user, django_assert_max_num_queries
):
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    for weeks in (1, 2, 3, 4, 5):
        _enrolled(world, _first_fit_day(weeks))
    client = as_user(world.director1)
    with django_assert_max_num_queries(25):
        page = client.get("/p/little-learners/enrollment/transitions/")
    assert page.content.decode().count('name="move"') == 5
    token = issue_api_token(user=world.director1, name="t")
    with django_assert_max_num_queries(15):
        body = (
            Client()
            .get(
                "/api/v1/programs/little-learners/transitions",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            .json()
        )
    assert body["count"] == 5 and all(i["next_classroom_id"] == preschool.pk for i in body["items"])


def test_move_and_bulk_transitions_through_the_api(world, preschool):
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    a, b = _enrolled(world, _first_fit_day(1)), _enrolled(world, _first_fit_day(2))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=world.director1, name='t')}"}
    with scopes_disabled():
        on_a = leaves_room_on(a.child.birth_date, world.classroom1)
        on_b = leaves_room_on(b.child.birth_date, world.classroom1)
    moved = Client().post(
        f"/api/v1/programs/little-learners/enrollments/{a.pk}/move",
        {"classroom_id": preschool.pk, "on": on_a.isoformat()},
        content_type="application/json",
        **headers,
    )
    assert moved.status_code == 201 and moved.json()["classroom_id"] == preschool.pk
    early = Client().post(
        "/api/v1/programs/little-learners/transitions",
        {
            "moves": [
                {
                    "enrollment_id": b.pk,
                    "classroom_id": preschool.pk,
                    "on": (on_b - timedelta(days=1)).isoformat(),
                }
            ]
        },
        content_type="application/json",
        **headers,
    )
    assert early.status_code == 422 and "classroom" in early.json()["fields"]
    ok = Client().post(
        "/api/v1/programs/little-learners/transitions",
        {"moves": [{"enrollment_id": b.pk, "classroom_id": preschool.pk, "on": on_b.isoformat()}]},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 201 and ok.json()["count"] == 1
