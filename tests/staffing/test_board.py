"""The live board: staff from clock-ins or the schedule, children from enrollment, gaps."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.staffing import services
from alliance.staffing.board import ratio_board
from alliance.staffing.models import StaffingSettings, StaffRole
from tests.factories import ClassroomFactory
from tests.staffing.conftest import MONDAY_10AM, births
from tests.staffing.factories import BlockFactory, StaffFactory

pytestmark = pytest.mark.django_db


def board(program, at=MONDAY_10AM, present=None, scheduled=None):
    with program_scope(program):
        return ratio_board(
            program,
            at,
            children_present=lambda p, a: present or {},
            children_scheduled=lambda p, d: scheduled or {},
        )


def test_schedule_counts_when_nobody_clocked_in(world):
    room = world.classroom1
    with scopes_disabled():
        teacher = StaffFactory(program=world.program1)
        BlockFactory(staff=teacher, classroom=room, starts_at=time(7), ends_at=time(15))
    result = board(world.program1, present={room.pk: births(8, 36)})
    (status,) = result.rooms
    assert (status.children, status.required, status.present) == (8, 1, 1)
    assert status.status == "ok"


def test_clock_ins_replace_the_schedule_for_that_person(world):
    room = world.classroom1
    with scopes_disabled():
        other = ClassroomFactory(program=world.program1, name="Preschool")
        teacher = StaffFactory(program=world.program1)
        BlockFactory(staff=teacher, classroom=room)
    with program_scope(world.program1):
        services.clock_in(
            acting_user=world.director1,
            staff=teacher,
            classroom=other,
            at=MONDAY_10AM - timedelta(hours=1),
        )
    result = board(world.program1, present={room.pk: births(8, 36)})
    by_id = {r.classroom_id: r for r in result.rooms}
    assert by_id[room.pk].present == 0 and by_id[room.pk].status == "under"
    assert by_id[other.pk].present == 1
    assert [g.classroom_id for g in result.gaps if g.now] == [room.pk]


def test_cooks_do_not_count_and_separated_staff_are_gone(world):
    room = world.classroom1
    with scopes_disabled():
        cook = StaffFactory(program=world.program1, role=StaffRole.COOK)
        BlockFactory(staff=cook, classroom=room)
        gone = StaffFactory(program=world.program1, separated_on=MONDAY_10AM.date() - timedelta(1))
        BlockFactory(staff=gone, classroom=room)
    result = board(world.program1, present={room.pk: births(3, 12)})
    assert result.rooms[0].present == 0


def test_forecast_finds_the_gap_when_a_teacher_leaves(world):
    room = world.classroom1
    with scopes_disabled():
        early = StaffFactory(program=world.program1)
        BlockFactory(staff=early, classroom=room, starts_at=time(7), ends_at=time(11, 30))
        late = StaffFactory(program=world.program1)
        BlockFactory(staff=late, classroom=room, starts_at=time(13), ends_at=time(18))
    result = board(
        world.program1,
        present={room.pk: births(6, 36)},
        scheduled={room.pk: births(6, 36)},
    )
    assert result.rooms[0].status == "ok"
    (gap,) = result.gaps
    assert (gap.starts_at, gap.ends_at, gap.now) == (time(11, 30), time(13), False)


def test_resting_ratios_apply_during_rest_time(world):
    room = world.classroom1
    with scopes_disabled():
        teacher = StaffFactory(program=world.program1)
        BlockFactory(staff=teacher, classroom=room, starts_at=time(7), ends_at=time(17))
        StaffingSettings.objects.create(
            program=world.program1, rest_starts_at=time(12), rest_ends_at=time(14)
        )
        spare = StaffFactory(program=world.program1, full_name="Office Floater")
    children = {room.pk: births(20, 36)}
    assert board(world.program1, present=children).rooms[0].required == 2
    at_rest = board(world.program1, at=MONDAY_10AM.replace(hour=13), present=children)
    # Nobody else is in the building to cover awake ratios: the awake ratio still applies.
    assert at_rest.building_short
    (room_now,) = at_rest.rooms
    assert (room_now.required, room_now.ratio_basis, room_now.rest_denied) == (
        2,
        "resting_awake",
        "building_short",
    )
    # A second person clocked in (in no room) is in the building: resting ratios apply.
    with program_scope(world.program1):
        services.clock_in(
            acting_user=world.director1,
            staff=spare,
            classroom=None,
            at=MONDAY_10AM.replace(hour=12),
        )
    at_rest = board(world.program1, at=MONDAY_10AM.replace(hour=13), present=children)
    assert not at_rest.building_short
    assert (at_rest.rooms[0].required, at_rest.rooms[0].ratio_basis) == (1, "resting")
    assert at_rest.rooms[0].status == "ok"


def test_board_query_count_does_not_grow_with_rooms(world, django_assert_max_num_queries):
    program = world.program1
    with scopes_disabled():
        rooms = [ClassroomFactory(program=program, name=f"Room {i}") for i in range(20)]
        for room in rooms:
            for _ in range(2):
                BlockFactory(staff=StaffFactory(program=program), classroom=room)
    children = {room.pk: births(10, 30) for room in rooms}
    # rooms, clock-ins, schedule, settings, rest switches, field trips, substitute requests
    with django_assert_max_num_queries(7):
        result = board(program, present=children, scheduled=children)
    assert len(result.rooms) == 21
    assert datetime.now() is not None


def test_forecast_counts_children_already_here_when_not_scheduled(world):
    room = world.classroom1
    with scopes_disabled():
        early = StaffFactory(program=world.program1)
        BlockFactory(staff=early, classroom=room, starts_at=time(7), ends_at=time(11, 30))
        late = StaffFactory(program=world.program1)
        BlockFactory(staff=late, classroom=room, starts_at=time(7), ends_at=time(18))
    # Five infants came in (drop-ins) though none are scheduled: 1:4 needs two all day.
    result = board(world.program1, present={room.pk: births(5, 6)}, scheduled={})
    assert result.rooms[0].status == "ok"
    (gap,) = result.gaps
    assert (gap.starts_at, gap.ends_at, gap.required, gap.present) == (time(11, 30), time(18), 2, 1)
