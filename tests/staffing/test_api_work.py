"""The API of the working day: schedules, clock-ins, separations, field trips, resting
rooms, a family home's own children; list endpoints keep a bounded query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.staffing.models import ScheduleBlock, StaffMember, StaffShift
from tests.factories import ClassroomFactory
from tests.staffing.factories import PostingFactory, StaffFactory

pytestmark = pytest.mark.django_db

P = "/api/v1/programs/little-learners"


@pytest.fixture
def api(world, client):
    token = issue_api_token(user=world.director1, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method, url, body=None):
        fn = getattr(client, method)
        if body is None:
            return fn(url, **auth)
        return fn(url, body, content_type="application/json", **auth)

    return call


def test_schedule_add_list_remove(world, api):
    with scopes_disabled():
        teacher = StaffFactory(program=world.program1)
    url = f"{P}/staff/{teacher.pk}/schedule"
    body = {
        "classroom_id": world.classroom1.pk,
        "weekday": 2,
        "starts_at": "08:00",
        "ends_at": "12:00",
    }
    made = api("post", url, body)
    assert made.status_code == 201 and made.json()["starts_at"] == "08:00"
    overlap = api("post", url, {**body, "starts_at": "11:00", "ends_at": "13:00"})
    assert overlap.status_code == 422 and "starts_at" in overlap.json()["fields"]
    foreign = api("post", url, {**body, "classroom_id": world.classroom2.pk})
    assert foreign.status_code == 404
    assert [b["weekday"] for b in api("get", url).json()] == [2]
    assert api("delete", f"{url}/{made.json()['id']}").status_code == 204
    with scopes_disabled():
        assert not ScheduleBlock.objects.exists()


def test_clock_in_out_and_the_days_list(world, api, django_assert_max_num_queries):
    with scopes_disabled():
        teachers = [StaffFactory(program=world.program1) for _ in range(5)]
    for t in teachers:
        shift = api("post", f"{P}/staff/{t.pk}/clock-in", {"classroom_id": world.classroom1.pk})
        assert shift.status_code == 201
    api("post", f"{P}/staff/{teachers[0].pk}/clock-out")
    with django_assert_max_num_queries(12):
        listing = api("get", f"{P}/clock-ins").json()
    assert listing["count"] == 5
    assert sum(1 for s in listing["items"] if s["ended_at"]) == 1
    status = api("get", f"{P}/ratio-status").json()
    room = next(r for r in status["classrooms"] if r["classroom_id"] == world.classroom1.pk)
    assert room["present_staff"] == 4
    assert api("post", f"{P}/staff/{teachers[0].pk}/clock-out").json()["message"]
    yesterday = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert api("get", f"{P}/clock-ins?day={yesterday}").json()["count"] == 0


def test_separation(world, api):
    with scopes_disabled():
        teacher = StaffFactory(program=world.program1)
    url = f"{P}/staff/{teacher.pk}/separation"
    out = api("post", url, {"separated_on": "2026-05-01", "reason": "relocated", "note": "Ohio"})
    assert out.status_code == 200 and out.json()["separation_reason"] == "relocated"
    assert (
        api("post", url, {"separated_on": "2026-05-02", "reason": "relocated"}).status_code == 422
    )
    bad = api("post", url, {"separated_on": "2026-05-02", "reason": "bored"})
    assert bad.status_code == 422
    with scopes_disabled():
        assert StaffMember.objects.get(pk=teacher.pk).separated_on.isoformat() == "2026-05-01"


def test_field_trip_rest_and_ratio_status(world, api, django_assert_max_num_queries):
    now = timezone.now()
    trip = api(
        "post",
        f"{P}/field-trips",
        {
            "classroom_id": world.classroom1.pk,
            "starts_at": (now - timedelta(minutes=10)).isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat(),
            "destination": "Library",
        },
    )
    assert trip.status_code == 201, trip.json()
    with django_assert_max_num_queries(8):
        trips = api("get", f"{P}/field-trips").json()
    assert [t["destination"] for t in trips] == ["Library"]
    status = api("get", f"{P}/ratio-status").json()
    room = next(r for r in status["classrooms"] if r["classroom_id"] == world.classroom1.pk)
    assert room["field_trip"] == "Library" and room["required_staff"] == 2
    assert api("post", f"{P}/field-trips/{trip.json()['id']}/cancel").json()["cancelled"]
    with scopes_disabled():
        napping = ClassroomFactory(program=world.program1, name="Nap room")
    rest = api("post", f"{P}/ratio-rest", {"classroom_id": napping.pk, "resting": True})
    assert rest.status_code == 200
    status = api("get", f"{P}/ratio-status").json()
    room = next(r for r in status["classrooms"] if r["classroom_id"] == napping.pk)
    # Resting, but nobody is in the room: the awake ratio applies.
    assert room["ratio_basis"] == "resting_awake" and room["rest_denied"] == "no_staff_in_room"


def test_home_day_and_home_status(world, client):
    token = issue_api_token(user=world.provider, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with scopes_disabled():
        ClassroomFactory(program=world.home, name="Home")
    url = "/api/v1/programs/garcia-fcc/home-day"
    bad = client.put(
        url, {"own_children": 1, "own_infants": 2}, content_type="application/json", **auth
    )
    assert bad.status_code == 422 and "own_infants" in bad.json()["fields"]
    ok = client.put(url, {"own_children": 3}, content_type="application/json", **auth)
    assert ok.status_code == 200 and ok.json()["own_children"] == 3
    status = client.get("/api/v1/programs/garcia-fcc/ratio-status", **auth).json()
    assert (
        status["home"]["own_children"] == 3 and status["home"]["max_total_with_own_children"] == 8
    )


def test_public_jobs_list_is_bounded(world, client, django_assert_max_num_queries):
    with scopes_disabled():
        for i in range(15):
            PostingFactory(program=world.program1 if i % 2 else world.program2)
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/alliances/union-county/jobs?limit=100").json()
    assert body["count"] == 15


def test_shift_rows_belong_to_the_program(world, api):
    with scopes_disabled():
        other = StaffFactory(program=world.program2)
    assert api("post", f"{P}/staff/{other.pk}/clock-in", {}).status_code == 404
    with scopes_disabled():
        assert not StaffShift.objects.exists()


def test_close_a_posting_and_hire_through_the_api(world, api, client):
    from alliance.core.tenancy import alliance_scope
    from alliance.staffing import services_jobs

    with scopes_disabled():
        posting = PostingFactory(program=world.program1, title="Aide")
    with alliance_scope(world.alliance):
        application = services_jobs.apply(
            acting_user=None, posting=posting, email="d@example.net", full_name="Dee", town="Union"
        )
    hired = api(
        "post",
        f"{P}/applications/{application.pk}/hire",
        {"hire_date": timezone.localdate().isoformat(), "wage": "17.50"},
    )
    assert hired.status_code == 201 and hired.json()["full_name"] == "Dee"
    again = api(
        "post",
        f"{P}/applications/{application.pk}/hire",
        {"hire_date": timezone.localdate().isoformat(), "wage": "17.50"},
    )
    assert again.status_code == 422
    closed = api("patch", f"{P}/jobs/{posting.pk}", {"status": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api("patch", f"{P}/jobs/{posting.pk}", {"status": "maybe"}).status_code == 422
    assert client.get(f"/api/v1/alliances/union-county/jobs/{posting.pk}").status_code == 404


def test_my_applications_list_is_bounded(world, client, django_assert_max_num_queries):
    from alliance.core.tenancy import alliance_scope
    from alliance.staffing import services_jobs

    with scopes_disabled():
        postings = [PostingFactory(program=world.program1) for _ in range(6)]
    with alliance_scope(world.alliance):
        for posting in postings:
            services_jobs.apply(
                acting_user=world.staff,
                posting=posting,
                email="staff1@example.org",
                full_name="Staff One",
                town="Union",
            )
    token = issue_api_token(user=world.staff, name="t")
    with django_assert_max_num_queries(6):
        body = client.get(
            "/api/v1/me/job-applications", HTTP_AUTHORIZATION=f"Bearer {token}"
        ).json()
    assert body["count"] == 6 and len({a["posting_id"] for a in body["items"]}) == 6
