"""Openings: staffed capacity minus projected children, with departures, offers and the
director's published or held seats."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.enrollment.openings import openings_by_date, seat_batches
from alliance.enrollment.rules import kindergarten_year, leaves_room_on
from alliance.enrollment.services_openings import adjust_openings
from tests.enrollment.helpers import make_child, make_enrollment
from tests.factories import ClassroomFactory

pytestmark = pytest.mark.django_db


def test_kindergarten_cutoff():
    assert kindergarten_year(date(2021, 9, 30)) == 2026
    assert kindergarten_year(date(2021, 10, 1)) == 2026
    assert kindergarten_year(date(2021, 10, 2)) == 2027


def test_leaves_room_when_aging_out():
    class Room:
        age_max_months = 35

    assert leaves_room_on(date(2024, 1, 15), Room) == date(2027, 1, 15)


def test_free_seats_count_enrolled_children_and_offers(world, scenario):
    today = date.today()
    with scopes_disabled():
        dates, table, rooms = openings_by_date([world.program1], today)
    # 12 staffed − 1 enrolled − 1 seat held by the pending offer
    assert dates[0] == today and table[world.classroom1.pk][0] == 10


def test_child_aging_out_frees_the_seat_and_takes_one_in_the_next_room(world):
    with scopes_disabled():
        threes = ClassroomFactory(
            program=world.program1,
            name="Threes",
            age_min_months=36,
            age_max_months=47,
            licensed_capacity=10,
            staffed_capacity=10,
        )
        child = make_child(world.alliance, months=34)
        make_enrollment(world.program1, world.classroom1, child=child)
        dates, table, _rooms = openings_by_date([world.program1], date.today())
    assert table[world.classroom1.pk][0] == 11
    assert table[world.classroom1.pk][-1] == 12  # aged out within six months
    assert table[threes.pk][-1] == 9  # and moved up
    with scopes_disabled():
        batches = [
            b
            for b in seat_batches([world.program1], date.today())
            if b.classroom.pk == world.classroom1.pk
        ]
    assert [b.seats for b in batches] == [11, 1]


def test_hold_and_publish(world, as_user):
    today = date.today()
    with scopes_disabled():
        adjust_openings(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            kind="hold",
            seats=3,
            starts_on=today,
        )
        with pytest.raises(ValidationError) as exc:
            # Toddlers are staffed at their licensed capacity: nothing to publish.
            adjust_openings(
                acting_user=world.director1,
                program=world.program1,
                classroom=world.classroom1,
                kind="publish",
                seats=1,
                starts_on=today,
            )
        assert "seats" in exc.value.message_dict
        with pytest.raises(ValidationError):
            adjust_openings(
                acting_user=world.director1,
                program=world.program1,
                classroom=world.classroom2,
                kind="hold",
                seats=1,
                starts_on=today - timedelta(days=1),
            )
        _dates, table, _rooms = openings_by_date([world.program1], today)
    assert table[world.classroom1.pk][0] == 9
