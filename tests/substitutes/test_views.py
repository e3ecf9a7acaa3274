"""Director, substitute and hub pages: forms, bad input (422, nothing saved), the one-tap
link (single use), query counts that do not grow with rows."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import services
from alliance.substitutes.messages import offer_token
from alliance.substitutes.models import (
    Assignment,
    Availability,
    AvailabilityException,
    Offer,
    RequestStatus,
    SubstituteRequest,
)
from tests.substitutes.conftest import offer_of
from tests.substitutes.factories import make_sub

pytestmark = pytest.mark.django_db

NEW = "/p/little-learners/substitutes/new/"


def test_director_requests_cover_through_the_form(
    world, pool, shift_day, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.director1).post(
            NEW,
            {
                "day": shift_day.isoformat(),
                "start": "08:00",
                "end": "15:00",
                "classroom": world.classroom1.pk,
                "requirements": ["assistant"],
                "notes": "Parking behind the building.",
                "mode": "broadcast",
            },
        )
    assert response.status_code == 302
    with scopes_disabled():
        request = SubstituteRequest.objects.get()
        assert request.requirements == ["assistant"]
        assert Offer.objects.filter(request=request).count() == 3
    page = as_user(world.director1).get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Who was asked, and why" in body
    assert "miles away" in body


def test_several_days_cover_the_weekdays_between(world, pool, shift_day, as_user):
    until = shift_day + timedelta(days=7)
    response = as_user(world.director1).post(
        NEW,
        {
            "day": shift_day.isoformat(),
            "until": until.isoformat(),
            "start": "08:00",
            "end": "15:00",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        days = SubstituteRequest.objects.get().days
    assert days[0] == shift_day and days[-1] == until
    assert all(d.weekday() < 5 for d in days) and len(days) == 6


@pytest.mark.parametrize(
    ("data", "field_text"),
    [
        ({"day": "2001-02-03", "start": "08:00", "end": "15:00"}, "already started"),
        ({"start": "08:00", "end": "07:00"}, "must end after it starts"),
        ({"start": "", "end": "15:00"}, "This field is required"),
        ({"start": "8 o'clock", "end": "15:00"}, "Enter a valid time"),
    ],
)
def test_bad_requests_answer_422_and_save_nothing(world, shift_day, as_user, data, field_text):
    payload = {"day": shift_day.isoformat(), **data}
    response = as_user(world.director1).post(NEW, payload)
    assert response.status_code == 422
    assert field_text in response.content.decode()
    with scopes_disabled():
        assert not SubstituteRequest.objects.exists()


def test_the_text_link_accepts_once_without_signing_in(world, broadcast, pool, client):
    url = f"/s/offer/{offer_token(offer_of(broadcast, world.sub).pk)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Accept this shift" in page.content.decode()
    with scopes_disabled():
        assert not Assignment.objects.exists()  # opening the link changes nothing
    accepted = client.post(url, {"action": "accept"})
    assert accepted.status_code == 200
    assert "The shift is yours" in accepted.content.decode()
    again = client.post(url, {"action": "accept"})
    assert again.status_code == 409
    assert "already accepted" in again.content.decode()
    other = f"/s/offer/{offer_token(offer_of(broadcast, pool[1].user).pk)}/"
    late = client.post(other, {"action": "accept"})
    assert late.status_code == 409
    assert "already been filled" in late.content.decode()
    assert client.get(other).status_code == 200
    with scopes_disabled():
        assert Assignment.objects.count() == 1
    broadcast.refresh_from_db()
    assert broadcast.status == RequestStatus.FILLED


def test_a_forged_or_unknown_link_is_404(client):
    assert client.get("/s/offer/12:abc/").status_code == 404
    assert client.post(f"/s/offer/{offer_token(999999)}/", {"action": "accept"}).status_code == 404


def test_substitute_sees_offers_and_submits_hours(world, broadcast, pool, as_user):
    sub = as_user(world.sub)
    shifts = sub.get("/substitutes/me/")
    assert shifts.status_code == 200
    assert "Little Learners" in shifts.content.decode()
    offer = offer_of(broadcast, world.sub)
    assert sub.post(f"/substitutes/me/offers/{offer.pk}/", {"action": "accept"}).status_code == 302
    with scopes_disabled():
        assignment = Assignment.objects.get()
    page = f"/substitutes/me/shifts/{assignment.pk}/"
    assert sub.get(page).status_code == 200
    # Hours before the day has come are refused, field by field.
    early = sub.post(
        page,
        {
            "action": "hours",
            "work_date": broadcast.dates[0],
            "start": "08:00",
            "end": "15:00",
            "break_minutes": "30",
        },
    )
    assert early.status_code == 422
    assert "once the day has come" in early.content.decode()


def test_profile_and_availability_pages(world, pool, as_user):
    sub = as_user(world.sub)
    assert sub.get("/substitutes/me/profile/").status_code == 200
    bad = sub.post(
        "/substitutes/me/profile/",
        {"form": "availability", "d0_start": "09:00", "d0_end": "08:00"},
    )
    assert bad.status_code == 422
    ok = sub.post(
        "/substitutes/me/profile/",
        {"form": "availability", "d1_start": "07:00", "d1_end": "17:00"},
    )
    assert ok.status_code == 302
    with scopes_disabled():
        assert list(
            Availability.objects.filter(profile=pool[0]).values_list("weekday", flat=True)
        ) == [1]
    day = timezone.localdate() + timedelta(days=3)
    assert (
        sub.post(
            "/substitutes/me/profile/", {"form": "day_off", "day": day.isoformat()}
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert AvailabilityException.objects.filter(profile=pool[0], day=day).exists()


def test_hub_onboarding_checklist_activates(world, as_user):
    profile = make_sub(world.alliance, "new@example.org", status="onboarding")
    url = f"/a/union-county/hub/substitutes/people/{profile.pk}/"
    steps = {s: "on" for s in ("application", "interview", "references", "orientation")}
    steps.update({"handbook": "on", "tax_forms": "on", "form": "onboarding"})
    assert as_user(world.hub).post(url, steps).status_code == 302
    profile.refresh_from_db()
    assert profile.status == "active"


def test_list_pages_do_not_grow_queries_with_rows(
    world, as_user, django_assert_max_num_queries, shift_day
):
    def add(n):
        for i in range(n):
            make_sub(world.alliance, f"q{n}-{i}@example.org")
            with scopes_disabled():
                SubstituteRequest.objects.create(
                    program=world.program1,
                    dates=[(shift_day + timedelta(days=i)).isoformat()],
                    first_date=shift_day + timedelta(days=i),
                    last_date=shift_day + timedelta(days=i),
                    start=time(8),
                    end=time(15),
                    mode="waves",
                )

    pages = [
        (world.director1, "/p/little-learners/substitutes/"),
        (world.director1, "/p/little-learners/substitutes/numbers/"),
        (world.hub, "/a/union-county/hub/substitutes/"),
        (world.hub, "/a/union-county/hub/substitutes/requests/"),
        (world.hub, "/a/union-county/hub/substitutes/numbers/"),
        (world.hub, "/a/union-county/hub/substitutes/invoices/"),
    ]
    add(2)
    clients = {u: as_user(u) for u, _ in pages}
    counts = {}
    for user, url in pages:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert clients[user].get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    add(12)
    for user, url in pages:
        with django_assert_max_num_queries(counts[url]):
            assert clients[user].get(url).status_code == 200


def test_director_approves_corrected_hours_and_rates(world, broadcast, pool, as_user):
    from alliance.substitutes import services_after
    from alliance.substitutes.models import Timesheet

    with program_scope(world.program1):
        assignment = services.accept_offer(
            acting_user=world.sub, offer_id=offer_of(broadcast, world.sub).pk
        )
        day = broadcast.days[0]
        sheet = Timesheet.objects.create(
            assignment=assignment,
            program=world.program1,
            work_date=day,
            start=time(8),
            end=time(15),
            hours=services_after.worked_hours(time(8), time(15), 0),
        )
    director = as_user(world.director1)
    listing = director.get("/p/little-learners/substitutes/")
    assert "Hours to approve" in listing.content.decode()
    response = director.post(
        f"/p/little-learners/substitutes/timesheets/{sheet.pk}/approve/",
        {"start": "08:15", "end": "15:00", "break_minutes": "30"},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "approved" and sheet.corrected
    assert str(sheet.hours) == "6.25"
    rate = director.post(
        f"/p/little-learners/substitutes/{broadcast.pk}/rate/", {"stars": "5", "comment": "Great"}
    )
    assert rate.status_code == 302
    with scopes_disabled():
        from alliance.substitutes.models import Rating

        assert Rating.objects.get().stars == 5


def test_hub_adds_a_substitute_to_the_pool_and_sets_a_budget(world, as_user):
    from alliance.substitutes.models import SubsidyBudget, SubstituteProfile

    hub = as_user(world.hub)
    page = hub.get("/a/union-county/hub/substitutes/")
    assert world.sub.email in page.content.decode()
    bad = hub.post(
        "/a/union-county/hub/substitutes/",
        {"user": world.sub.pk, "home_town": "", "pay_rate": "19.50"},
    )
    assert bad.status_code == 422
    ok = hub.post(
        "/a/union-county/hub/substitutes/",
        {"user": world.sub.pk, "home_town": "Elizabeth", "pay_rate": "19.50"},
    )
    assert ok.status_code == 302
    with scopes_disabled():
        profile = SubstituteProfile.objects.get(user=world.sub)
    assert profile.status == "onboarding" and str(profile.pay_rate) == "19.50"
    year = timezone.localdate().year
    saved = hub.post(
        "/a/union-county/hub/substitutes/invoices/",
        {"form": "budget", "program": world.program1.pk, "year": year, "hours": "80"},
    )
    assert saved.status_code == 302
    with scopes_disabled():
        assert SubsidyBudget.objects.get(program=world.program1, year=year).hours == 80
    refused = hub.post(
        "/a/union-county/hub/substitutes/invoices/",
        {"form": "budget", "program": world.program1.pk, "year": year, "hours": "-1"},
    )
    assert refused.status_code == 422
