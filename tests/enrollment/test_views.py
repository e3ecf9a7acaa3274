"""Enrollment pages: forms, one-tap attendance, the hub's review, the family's answers,
and query counts that do not grow with the number of rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled

from alliance.enrollment.models import (
    Application,
    Attendance,
    Enrollment,
    Offer,
    OfferStatus,
    OpeningAdjustment,
)
from alliance.enrollment.services import check_in
from tests.enrollment.helpers import born_months_ago, make_enrollment

pytestmark = pytest.mark.django_db


def apply_data(**overrides):
    data = {
        "guardian_name": "Rosa Díaz",
        "email": "rosa@example.org",
        "phone": "",
        "language": "es",
        "town": "Elizabeth",
        "zip_code": "07201",
        "child1_first": "Sofía",
        "child1_last": "Díaz",
        "child1_birth": born_months_ago(28).isoformat(),
        "desired_start": (date.today() + timedelta(days=10)).isoformat(),
        "schedule": "full",
        "days": ["0", "1", "2", "3", "4"],
        "ccap": "applying",
        "languages": ["es"],
        "consent_to_share": "on",
    }
    data.update(overrides)
    return data


def test_apply_in_spanish_then_family_page(world, as_user):
    client = as_user(None)
    page = client.get("/a/union-county/enroll/", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    response = client.post("/a/union-county/enroll/", apply_data())
    assert response.status_code == 302
    with scopes_disabled():
        app = Application.objects.get()
        assert app.family.language == "es" and app.ccap == "applying"
    thanks = client.get(response["Location"])
    assert app.token in thanks.content.decode()
    assert client.get(f"/a/union-county/enroll/{app.token}/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"child1_birth": (date.today() + timedelta(days=3)).isoformat()}, "future"),
        ({"desired_start": (date.today() - timedelta(days=3)).isoformat()}, "past"),
        ({"child1_birth": "2012-01-01"}, "months"),
        ({"consent_to_share": ""}, "share"),
    ],
)
def test_apply_bad_input_is_422_and_saves_nothing(world, as_user, overrides, message):
    response = as_user(None).post("/a/union-county/enroll/", apply_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Application.objects.exists()


def test_tap_checks_in_then_out(world, as_user):
    e = make_enrollment(world.program1, world.classroom1)
    client = as_user(world.staff)
    url = "/p/little-learners/enrollment/attendance/tap/"
    assert client.post(url, {"child": e.child_id}).status_code == 302
    with scopes_disabled():
        record = Attendance.objects.get()
        assert record.checked_out_at is None and record.checked_in_by == world.staff
    client.post(url, {"child": e.child_id})
    with scopes_disabled():
        record.refresh_from_db()
        assert record.checked_out_at is not None
    board = client.get("/p/little-learners/enrollment/attendance/")
    assert "Went home" in board.content.decode()


def test_withdraw_through_the_page(world, as_user):
    e = make_enrollment(world.program1, world.classroom1)
    url = f"/p/little-learners/enrollment/{e.pk}/"
    bad = as_user(world.director1).post(url, {"action": "withdraw", "w-last_day": "x"})
    assert bad.status_code == 422
    ok = as_user(world.director1).post(
        url,
        {"action": "withdraw", "w-last_day": date.today().isoformat(), "w-reason": "Moved"},
    )
    assert ok.status_code == 302
    with scopes_disabled():
        e.refresh_from_db()
        assert e.status == "withdrawn" and e.withdrawal_reason == "Moved"


def test_enroll_new_child_page(world, as_user):
    response = as_user(world.director1).post(
        "/p/little-learners/enrollment/new/",
        {
            "first_name": "Leo",
            "last_name": "Park",
            "birth_date": born_months_ago(30).isoformat(),
            "guardian_name": "Min Park",
            "email": "min@example.org",
            "classroom": world.classroom1.pk,
            "start_date": date.today().isoformat(),
            "schedule": "part",
            "days": ["0", "2"],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        e = Enrollment.objects.get()
        assert e.days == "02" and e.child.family.email == "min@example.org"


def test_hold_openings_and_numbers(world, as_user):
    response = as_user(world.director1).post(
        "/p/little-learners/enrollment/openings/",
        {
            "classroom": world.classroom1.pk,
            "kind": "hold",
            "seats": 2,
            "starts_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert OpeningAdjustment.objects.get().seats == 2
    page = as_user(world.director1).get("/p/little-learners/enrollment/openings/")
    assert page.status_code == 200


def test_hub_sends_offers_and_family_accepts(world, scenario, as_user):
    hub = as_user(world.hub)
    page = hub.get("/a/union-county/hub/enrollment/matching/")
    assert "Luz" in page.content.decode()  # the second family's proposal, not yet offered
    response = hub.post(
        "/a/union-county/hub/enrollment/matching/review/",
        {"proposal": [scenario.waiting_proposal.pk], "action": "offer"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        offer = Offer.objects.get(proposal=scenario.waiting_proposal)
    family = as_user(None)
    url = f"/a/union-county/enroll/{scenario.waiting.token}/offers/{offer.pk}/"
    assert family.post(url, {"answer": "accept"}).status_code == 302
    with scopes_disabled():
        offer.refresh_from_db()
        assert offer.status == OfferStatus.ACCEPTED
        assert Enrollment.objects.filter(offer=offer, program=world.program2).exists()
    # A second accept shows a message, enrolls nobody twice.
    family.post(url, {"answer": "accept"})
    with scopes_disabled():
        assert Enrollment.objects.filter(offer=offer).count() == 1
    # Another family's token cannot answer this offer.
    other = f"/a/union-county/enroll/{scenario.application.token}/offers/{offer.pk}/"
    assert family.post(other, {"answer": "decline"}).status_code == 404


def test_vacancy_csv(world, scenario, as_user):
    response = as_user(world.hub).get("/a/union-county/hub/enrollment/vacancies.csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("program,license_number,town")
    assert any("Sunshine" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("director1", "/p/little-learners/enrollment/"),
        ("staff", "/p/little-learners/enrollment/attendance/"),
        ("staff", "/p/little-learners/enrollment/attendance/log/"),
        ("director1", "/p/little-learners/enrollment/openings/"),
        ("hub", "/a/union-county/hub/enrollment/"),
        ("hub", "/a/union-county/hub/enrollment/numbers/"),
        ("hub", "/a/union-county/hub/enrollment/offers/"),
    ],
)
def test_list_pages_query_count_does_not_grow(
    world, as_user, django_assert_max_num_queries, user, url
):
    client = as_user(getattr(world, user))

    def add(n: int) -> None:
        for _ in range(n):
            e = make_enrollment(world.program1, world.classroom1)
            with scopes_disabled():
                check_in(acting_user=world.staff, program=world.program1, child_id=e.child_id)

    add(2)
    client.get(url)  # warm caches (session, roles)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
