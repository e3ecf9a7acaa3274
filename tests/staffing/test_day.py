"""Field trips, rooms resting, and a family home's own children on the live board."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.core.tenancy import program_scope
from alliance.staffing import services, services_day
from alliance.staffing.board import ratio_board
from alliance.staffing.models import FieldTrip, StaffingSettings
from tests.factories import ClassroomFactory
from tests.staffing.conftest import MONDAY_10AM, NY, births
from tests.staffing.factories import BlockFactory, StaffFactory
from tests.staffing.test_ratio_engine import BOUNDARIES

pytestmark = pytest.mark.django_db


def board(program, at=MONDAY_10AM, present=None, scheduled=None):
    with program_scope(program):
        return ratio_board(
            program,
            at,
            children_present=lambda p, a: present or {},
            children_scheduled=lambda p, d: scheduled or {},
        )


def _teachers(program, room, n, start=time(7), end=time(17)):
    with scopes_disabled():
        for _ in range(n):
            BlockFactory(
                staff=StaffFactory(program=program), classroom=room, starts_at=start, ends_at=end
            )


def _trip(world, room, start, end, destination="Library"):
    with scopes_disabled():
        return FieldTrip.objects.create(
            program=world.program1,
            classroom=room,
            starts_at=start,
            ends_at=end,
            destination=destination,
        )


# --- field trips ---------------------------------------------------------------------------


def test_a_room_on_a_field_trip_needs_two_staff_however_few_children(world):
    room = world.classroom1
    _teachers(world.program1, room, 1)
    present = {room.pk: births(5, 40)}  # 1:10 needs one teacher
    assert board(world.program1, present=present).rooms[0].status == "ok"
    _trip(world, room, MONDAY_10AM - timedelta(hours=1), MONDAY_10AM + timedelta(hours=2))
    result = board(world.program1, present=present)
    (status,) = result.rooms
    assert (status.required, status.present, status.status) == (2, 1, "under")
    assert status.field_trip == "Library"
    assert [t.destination for t in result.trips] == ["Library"]
    # The shortfall lasts until the trip returns at noon.
    (gap,) = result.gaps
    assert gap.now and gap.ends_at == time(12)


def test_a_big_group_on_a_trip_still_needs_its_ratio(world):
    room = world.classroom1
    _trip(world, room, MONDAY_10AM - timedelta(hours=1), MONDAY_10AM + timedelta(hours=2))
    status = board(world.program1, present={room.pk: births(25, 40)}).rooms[0]
    assert status.required == 3  # 25 at 1:10 beats the minimum of 2


def test_the_forecast_sees_a_trip_ahead(world):
    room = world.classroom1
    _teachers(world.program1, room, 1)
    kids = {room.pk: births(6, 40)}
    _trip(world, room, MONDAY_10AM + timedelta(hours=1), MONDAY_10AM + timedelta(hours=3))
    result = board(world.program1, present=kids, scheduled=kids)
    assert result.rooms[0].status == "ok"
    (gap,) = result.gaps
    assert (gap.now, gap.starts_at, gap.required, gap.present) == (False, time(11), 2, 1)
    assert gap.ends_at == time(13)


def test_a_cancelled_or_finished_trip_no_longer_counts(world):
    room = world.classroom1
    _teachers(world.program1, room, 1)
    trip = _trip(world, room, MONDAY_10AM - timedelta(hours=3), MONDAY_10AM - timedelta(hours=1))
    assert board(world.program1, present={room.pk: births(3, 40)}).rooms[0].required == 1
    with program_scope(world.program1):
        services_day.cancel_field_trip(acting_user=world.director1, trip=trip)
        with pytest.raises(ValidationError):
            services_day.cancel_field_trip(acting_user=world.director1, trip=trip)


def test_planning_a_field_trip_is_validated_and_audited(world):
    room = world.classroom1
    later = timezone.now() + timedelta(days=1)
    with program_scope(world.program1):
        trip = services_day.plan_field_trip(
            acting_user=world.director1,
            program=world.program1,
            classroom=room,
            starts_at=later,
            ends_at=later + timedelta(hours=3),
            destination="  Trailside Nature Center ",
        )
        assert trip.destination == "Trailside Nature Center"
        assert AuditEntry.objects.filter(action="staffing.field_trip_planned").count() == 1
        bad = [
            ({"ends_at": later - timedelta(hours=1)}, "ends_at"),
            ({"ends_at": later + timedelta(hours=20)}, "ends_at"),
            ({"destination": ""}, "destination"),
            ({"starts_at": later + timedelta(hours=1)}, "starts_at"),  # overlaps the first
            (
                {
                    "starts_at": timezone.now() - timedelta(hours=5),
                    "ends_at": timezone.now() - timedelta(hours=1),
                },
                "ends_at",
            ),
        ]
        for change, field in bad:
            args = {
                "starts_at": later,
                "ends_at": later + timedelta(hours=3),
                "destination": "Zoo",
                **change,
            }
            if field == "starts_at":
                args["ends_at"] = later + timedelta(hours=4)
            with pytest.raises(ValidationError) as exc:
                services_day.plan_field_trip(
                    acting_user=world.director1, program=world.program1, classroom=room, **args
                )
            assert field in exc.value.message_dict, (change, exc.value.message_dict)
        with pytest.raises(ValidationError):
            services_day.plan_field_trip(
                acting_user=world.director1,
                program=world.program1,
                classroom=world.classroom2,  # another program's room
                starts_at=later,
                ends_at=later + timedelta(hours=1),
                destination="Zoo",
            )
        assert FieldTrip.objects.count() == 1


def test_director_plans_a_trip_on_the_board_and_sees_it(world, as_user):
    client = as_user(world.director1)
    day = timezone.localdate(timezone=NY) + timedelta(days=1)
    url = "/p/little-learners/ratios/field-trips/"
    data = {
        "classroom": world.classroom1.pk,
        "day": day.isoformat(),
        "starts_at": "09:30",
        "ends_at": "11:45",
        "destination": "Library",
    }
    assert client.post(url, {**data, "ends_at": "09:00"}).status_code == 422
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        trip = FieldTrip.objects.get()
    assert trip.starts_at == datetime.combine(day, time(9, 30), tzinfo=NY)
    response = client.post(f"/p/little-learners/ratios/field-trips/{trip.pk}/cancel/")
    assert response.status_code == 302
    with scopes_disabled():
        trip.refresh_from_db()
    assert trip.cancelled_at is not None


def test_the_board_page_shows_the_trip(world, as_user):
    now = timezone.now()
    _trip(world, world.classroom1, now - timedelta(minutes=5), now + timedelta(hours=1), "Zoo")
    page = as_user(world.director1).get("/p/little-learners/ratios/").content.decode()
    assert "Field trip: Zoo" in page
    assert "Call off" in page


# --- resting per room ----------------------------------------------------------------------


@pytest.mark.parametrize(("age", "awake", "resting"), BOUNDARIES)
def test_each_age_boundary_per_room_awake_and_resting(world, age, awake, resting):
    """A room switched to resting uses the resting ratio at every age band; the room next
    door stays awake; a spare person clocked in keeps the building covered."""
    napping, busy = world.classroom1, ClassroomFactory(program=world.program1, name="Busy")
    _teachers(world.program1, napping, 1)
    _teachers(world.program1, busy, 1)
    with scopes_disabled():
        spares = [StaffFactory(program=world.program1) for _ in range(3)]
    at = MONDAY_10AM.replace(hour=13)
    with program_scope(world.program1):
        for spare in spares:
            services.clock_in(
                acting_user=world.director1, staff=spare, classroom=None, at=at - timedelta(hours=2)
            )
        services_day.set_resting(
            acting_user=world.director1,
            program=world.program1,
            classroom=napping,
            resting=True,
            at=at - timedelta(minutes=30),
        )
    present = {napping.pk: births(resting, age), busy.pk: births(awake + 1, age)}
    result = board(world.program1, at=at, present=present)
    rooms = {r.classroom_id: r for r in result.rooms}
    assert not result.building_short
    assert (rooms[napping.pk].ratio_basis, rooms[napping.pk].required) == ("resting", 1)
    assert rooms[napping.pk].status == "ok"
    assert (rooms[busy.pk].ratio_basis, rooms[busy.pk].required) == ("awake", 2)
    # One more resting child needs a second person even at rest.
    present[napping.pk] = births(resting + 1, age)
    assert {r.classroom_id: r for r in board(world.program1, at=at, present=present).rooms}[
        napping.pk
    ].required == 2


def test_resting_needs_a_staff_member_in_the_room(world):
    room = world.classroom1
    with program_scope(world.program1):
        services_day.set_resting(
            acting_user=world.director1,
            program=world.program1,
            classroom=room,
            resting=True,
            at=MONDAY_10AM - timedelta(minutes=5),
        )
    status = board(world.program1, present={room.pk: births(15, 40)}).rooms[0]
    assert (status.ratio_basis, status.rest_denied) == ("resting_awake", "no_staff_in_room")
    assert status.required == 2  # 15 at the awake 1:10, not the resting 1:20


def test_switching_back_to_awake_and_the_window_edges(world):
    room = world.classroom1
    _teachers(world.program1, room, 2)
    with scopes_disabled():
        StaffingSettings.objects.create(
            program=world.program1, rest_starts_at=time(12), rest_ends_at=time(14)
        )
    kids = {room.pk: births(12, 40)}
    noon = MONDAY_10AM.replace(hour=12, minute=30)
    assert board(world.program1, at=noon, present=kids).rooms[0].ratio_basis == "resting"
    with program_scope(world.program1):
        services_day.set_resting(
            acting_user=world.director1,
            program=world.program1,
            classroom=room,
            resting=False,
            at=noon.replace(minute=40),
        )
    later = noon.replace(minute=50)
    assert board(world.program1, at=later, present=kids).rooms[0].ratio_basis == "awake"
    # A switch to resting before the window ends; the window's end wakes the room.
    with program_scope(world.program1):
        services_day.set_resting(
            acting_user=world.director1,
            program=world.program1,
            classroom=room,
            resting=True,
            at=noon.replace(hour=13),
        )
    assert board(world.program1, at=noon.replace(hour=13, minute=30), present=kids).rooms[
        0
    ].ratio_basis == ("resting")
    assert board(world.program1, at=noon.replace(hour=14, minute=5), present=kids).rooms[
        0
    ].ratio_basis == ("awake")


def test_rest_toggle_on_the_board_page(world, as_user):
    client = as_user(world.director1)
    response = client.post(
        "/p/little-learners/ratios/rest/", {"classroom": world.classroom1.pk, "resting": "1"}
    )
    assert response.status_code == 302
    assert client.post("/p/little-learners/ratios/rest/", {"classroom": "x"}).status_code == 302
    # Another program's room is not found.
    assert (
        client.post(
            "/p/little-learners/ratios/rest/", {"classroom": world.classroom2.pk, "resting": "1"}
        ).status_code
        == 404
    )
    page = client.get("/p/little-learners/ratios/").content.decode()
    assert "Awake now" in page  # the switch now offers the way back
    assert "the awake ratio applies" in page.lower() or "Resting ratio applies." in page


# --- family child care homes ---------------------------------------------------------------


def _home_room(world):
    with scopes_disabled():
        return ClassroomFactory(program=world.home, name="Home", age_min_months=0)


def test_home_counts_the_providers_own_children(world):
    room = _home_room(world)
    with scopes_disabled():
        provider = StaffFactory(program=world.home, role="provider")
        BlockFactory(staff=provider, classroom=room)
    present = {room.pk: births(5, 40)}
    result = board(world.home, present=present)
    assert result.home.breaches == () and result.rooms[0].status == "ok"
    with program_scope(world.home):
        services_day.record_home_day(
            acting_user=world.provider,
            program=world.home,
            day=MONDAY_10AM.date(),
            own_children=4,
        )
    result = board(world.home, present=present)
    assert result.home.total == 9 and result.home.breaches == ("over_total",)
    assert result.rooms[0].over_home_limit and result.rooms[0].status == "under"
    assert result.rooms[0].home_breaches == ("over_total",)


def test_home_infant_limit_includes_own_infants(world):
    room = _home_room(world)
    present = {room.pk: births(2, 10) + births(1, 40)}
    assert board(world.home, present=present).home.breaches == ()
    with program_scope(world.home):
        services_day.record_home_day(
            acting_user=world.provider,
            program=world.home,
            day=MONDAY_10AM.date(),
            own_children=2,
            own_infants=2,
        )
    home = board(world.home, present=present).home
    assert home.infants == 4 and home.breaches == ("over_infants",)


def test_home_day_input_is_checked(world):
    with program_scope(world.home):
        for kwargs, field in [
            ({"own_children": 1, "own_infants": 2}, "own_infants"),
            ({"own_children": -1}, "own_children"),
        ]:
            with pytest.raises(ValidationError) as exc:
                services_day.record_home_day(
                    acting_user=world.provider, program=world.home, day=MONDAY_10AM.date(), **kwargs
                )
            assert field in exc.value.message_dict
    with program_scope(world.program1), pytest.raises(ValidationError):
        services_day.record_home_day(
            acting_user=world.director1,
            program=world.program1,
            day=MONDAY_10AM.date(),
            own_children=1,
        )


def test_provider_enters_own_children_on_the_board(world, as_user):
    _home_room(world)
    client = as_user(world.provider)
    page = client.get("/p/garcia-fcc/ratios/").content.decode()
    assert "Your own children at home today" in page
    assert client.post("/p/garcia-fcc/ratios/home-day/", {"own_children": "x"}).status_code == 422
    response = client.post(
        "/p/garcia-fcc/ratios/home-day/", {"own_children": "2", "own_infants": "1"}
    )
    assert response.status_code == 302
    page = client.get("/p/garcia-fcc/ratios/").content.decode()
    assert "2 of your own" in page
