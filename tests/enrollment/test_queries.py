"""The interface the staffing ratio engine relies on: who is present, who is scheduled."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.enrollment.queries import children_present, children_scheduled
from alliance.enrollment.services import check_in, check_out
from alliance.members.models import Classroom
from tests.enrollment.helpers import make_enrollment
from tests.factories import ClassroomFactory


def _next(weekday: int) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def test_children_scheduled_by_weekday_and_dates(world):
    program, room = world.program1, world.classroom1
    monday, tuesday = _next(0), _next(1)
    full = make_enrollment(program, room)
    mondays = make_enrollment(program, room, days="0")
    make_enrollment(world.program2, world.classroom2)  # another program: not counted
    with scopes_disabled():
        later = ClassroomFactory(
            program=program, name="Threes", age_min_months=24, age_max_months=47
        )
        make_enrollment(program, later, start=monday + timedelta(days=30))  # not started yet
    on_monday = children_scheduled(program, monday)
    assert sorted(on_monday[room.pk]) == sorted([full.child.birth_date, mondays.child.birth_date])
    assert later.pk not in on_monday
    assert children_scheduled(program, tuesday) == {room.pk: [full.child.birth_date]}
    saturday = monday + timedelta(days=5)
    assert children_scheduled(program, saturday) == {}


def test_children_present_counts_checked_in_not_out(world, django_assert_max_num_queries):
    program, room = world.program1, world.classroom1
    a = make_enrollment(program, room)
    b = make_enrollment(program, room)
    make_enrollment(program, room)  # scheduled but absent
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    morning = datetime(today.year, today.month, today.day, 8, 0, tzinfo=tz)
    with scopes_disabled():
        check_in(acting_user=world.staff, program=program, child_id=a.child_id, at=morning)
        att = check_in(
            acting_user=world.staff,
            program=program,
            child_id=b.child_id,
            at=morning + timedelta(hours=1),
        )
        check_out(acting_user=world.staff, attendance=att, at=morning + timedelta(hours=5))
    with django_assert_max_num_queries(2):
        at_9_30 = children_present(program, morning + timedelta(hours=1, minutes=30))
    assert sorted(at_9_30[room.pk]) == sorted([a.child.birth_date, b.child.birth_date])
    assert children_present(program, morning + timedelta(hours=6)) == {
        room.pk: [a.child.birth_date]
    }
    assert children_present(program, morning - timedelta(minutes=1)) == {}
    assert children_present(world.program2, morning + timedelta(hours=2)) == {}
    assert isinstance(room, Classroom)
