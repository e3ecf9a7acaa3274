"""Staffing journeys in a real browser: a candidate applies on a phone and the director hires
them (the staff record exists); a director sees a ratio shortfall on the live board and one
click requests a substitute. Every page passes axe without serious or critical findings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.staffing import board as board_module
from alliance.staffing import services_day, views_ratio
from alliance.staffing.models import Application, ShortfallRequest, StaffMember
from alliance.substitutes.models import SubstituteRequest
from tests.e2e.conftest import MOBILE, snapshot
from tests.factories import ClassroomFactory
from tests.staffing.conftest import NY, births
from tests.staffing.factories import BlockFactory, PostingFactory, StaffFactory

pytestmark = pytest.mark.e2e


def test_candidate_applies_on_a_phone_and_is_hired(
    page: Page, live_server, world, login, assert_accessible
):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1, title="Toddler teacher")

    # 1. On a phone, the candidate finds the job on the public board and applies.
    page.set_viewport_size(MOBILE)
    page.goto("/a/union-county/jobs/")
    assert_accessible(page)
    snapshot(page, "jobs")
    page.get_by_role("link", name="Toddler teacher").click()
    page.wait_for_url(f"**/a/union-county/jobs/{posting.pk}/")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Ana Ruiz")
    page.get_by_label("Email").fill("ana@example.net")
    page.get_by_label("Mobile phone").fill("908-555-0101")
    page.get_by_label("Town you live in").fill("Elizabeth")
    page.get_by_label("Years working with children").fill("4")
    page.get_by_role("checkbox", name="Spanish").check()
    page.get_by_role("checkbox", name="CPR and First Aid").check()
    page.get_by_label("share my profile with every member program").check()
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url(f"**/jobs/{posting.pk}/applied/**")
    expect(page.locator("h1")).to_contain_text("Thank you")
    assert_accessible(page)

    # 1b. From the private link, she stops sharing her profile with every member program.
    page.get_by_role("link", name="My applications and sharing").click()
    expect(page.locator("h1")).to_contain_text("My applications")
    assert_accessible(page)
    page.get_by_role("button", name="Stop sharing my profile").click()
    expect(page.get_by_text("Your profile is no longer shared")).to_be_visible()
    expect(page.get_by_text("Your profile is not shared")).to_be_visible()
    assert_accessible(page)
    with scopes_disabled():
        assert not Application.objects.get().candidate.share_with_members

    # 2. The director opens the posting's pipeline and the application, then hires.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, world.director1)
    page.goto(f"/p/little-learners/jobs/{posting.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Ana Ruiz").click()
    expect(page.locator("h1")).to_contain_text("Ana Ruiz")
    assert_accessible(page)
    page.get_by_label("Hourly wage").fill("19.50")
    page.get_by_role("button", name="Hire", exact=True).click()
    page.wait_for_url("**/p/little-learners/staff/*/")
    expect(page.locator("h1")).to_contain_text("Ana Ruiz")
    assert_accessible(page)
    with scopes_disabled():
        staff = StaffMember.objects.get(full_name="Ana Ruiz")
        assert staff.program == world.program1 and str(staff.wage) == "19.50"
        assert Application.objects.get().stage == "hired"


def test_director_sees_a_shortfall_and_requests_a_substitute(
    page: Page, live_server, world, login, assert_accessible, monkeypatch
):
    room = world.classroom1
    # The board at 10:00 tomorrow, New York time, so the gap is always ahead of now.
    tomorrow = timezone.localtime(timezone.now(), NY).date() + timedelta(days=1)
    at = datetime.combine(tomorrow, time(10, 0), tzinfo=NY)
    monkeypatch.setattr(views_ratio, "timezone", SimpleNamespace(now=lambda: at))
    children = {room.pk: births(8, 12, tomorrow)}  # eight 1-year-olds: 1:4 → two staff
    fns = {
        "children_present": lambda program, moment: children,
        "children_scheduled": lambda program, on: children,
    }
    monkeypatch.setattr(board_module, "_enrollment", lambda name: fns[name])
    with scopes_disabled():
        teacher = StaffFactory(program=world.program1, full_name="Rosa Diaz")
        BlockFactory(
            staff=teacher,
            classroom=room,
            weekday=tomorrow.weekday(),
            starts_at=time(7),
            ends_at=time(17),
        )

    login(page, live_server, world.director1)
    page.goto("/p/little-learners/ratios/")
    expect(page.locator(".ratio-room--under")).to_contain_text("1 of 2 staff")
    assert_accessible(page)
    snapshot(page, "ratio-board")
    page.get_by_role("button", name="Request a substitute").click()
    expect(page.get_by_text("Substitute requested for Toddlers")).to_be_visible()
    expect(page.get_by_text("substitute requested", exact=True)).to_be_visible()
    assert_accessible(page)
    with scopes_disabled():
        request = SubstituteRequest.objects.get()
        assert request.source == "ratio" and request.classroom_id == room.pk
        assert ShortfallRequest.objects.get().request_id == request.pk


def test_director_plans_a_field_trip_and_rests_a_room(
    page: Page, live_server, world, login, assert_accessible, monkeypatch
):
    room = world.classroom1
    tomorrow = timezone.localtime(timezone.now(), NY).date() + timedelta(days=1)
    at = datetime.combine(tomorrow, time(10, 0), tzinfo=NY)
    clock = SimpleNamespace(now=lambda: at, is_naive=timezone.is_naive)
    monkeypatch.setattr(views_ratio, "timezone", clock)
    monkeypatch.setattr(services_day, "timezone", clock)
    children = {room.pk: births(5, 40, tomorrow)}  # five 3-year-olds: 1:10 → one teacher
    fns = {
        "children_present": lambda program, moment: children,
        "children_scheduled": lambda program, on: children,
    }
    monkeypatch.setattr(board_module, "_enrollment", lambda name: fns[name])
    with scopes_disabled():
        teacher = StaffFactory(program=world.program1, full_name="Rosa Diaz")
        BlockFactory(
            staff=teacher,
            classroom=room,
            weekday=tomorrow.weekday(),
            starts_at=time(7),
            ends_at=time(17),
        )
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/ratios/")
    expect(page.locator(".ratio-room--ok")).to_contain_text("Awake ratio applies.")
    page.get_by_role("button", name="Resting now").click()
    expect(page.locator(".ratio-room--ok")).to_contain_text("Resting ratio applies.")
    assert_accessible(page)

    # A field trip from 9:30 to noon: the room now needs 2 staff, however few children.
    page.get_by_text("Plan a field trip").click()
    trip_form = page.locator("details", has_text="Plan a field trip")
    trip_form.get_by_label("Classroom").select_option(label="Toddlers")
    page.get_by_label("Day").fill(tomorrow.isoformat())
    page.get_by_label("Leaves at").fill("09:30")
    page.get_by_label("Returns at").fill("12:00")
    page.get_by_label("Destination").fill("Elizabeth Public Library")
    page.get_by_role("button", name="Save field trip").click()
    expect(page.locator(".ratio-room--under")).to_contain_text(
        "Field trip: Elizabeth Public Library"
    )
    expect(page.locator(".ratio-room--under")).to_contain_text("1 of 2 staff")
    assert_accessible(page)
    snapshot(page, "ratio-board-field-trip")
    page.get_by_role("button", name="Call off").click()
    expect(page.get_by_text("Field trip called off.")).to_be_visible()
    expect(page.locator(".ratio-room--under")).to_have_count(0)


def test_provider_records_own_children(page: Page, live_server, world, login, assert_accessible):
    with scopes_disabled():
        ClassroomFactory(program=world.home, name="Play room", age_min_months=0)
    login(page, live_server, world.provider)
    page.goto("/p/garcia-fcc/ratios/")
    expect(page.get_by_role("heading", name="Children in the home")).to_be_visible()
    page.get_by_label("Your own children at home today").fill("2")
    page.get_by_label("Of them, under 2 years old").fill("1")
    page.get_by_role("button", name="Save own children").click()
    expect(page.get_by_text("2 of your own")).to_be_visible()
    assert_accessible(page)


def test_staffing_pages_are_accessible(page: Page, live_server, world, login, assert_accessible):
    with scopes_disabled():
        staff = StaffFactory(program=world.program1, full_name="Rosa Diaz")
        BlockFactory(staff=staff, classroom=world.classroom1)
        PostingFactory(program=world.program1)
    login(page, live_server, world.director1)
    for path, heading in [
        ("/p/little-learners/staff/", "Staff"),
        ("/p/little-learners/staff/compliance/", "Credentials"),
        ("/p/little-learners/ratios/settings/", "Staffing settings"),
        ("/p/little-learners/jobs/", "Jobs"),
        ("/p/little-learners/jobs/new/", "Post a job"),
        ("/p/little-learners/talent/", "Talent pool"),
        ("/p/little-learners/staff/me/", "My staff record"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_contain_text(heading)
        assert_accessible(page)
    login(page, live_server, world.hub)
    page.goto("/a/union-county/hub/staffing/")
    expect(page.locator("h1")).to_contain_text("Staff retention")
    assert_accessible(page)
