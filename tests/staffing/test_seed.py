"""The staffing seed step: demo logins see staff, credentials to fix and open jobs."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.members.models import Program
from alliance.seed.generate import seed
from alliance.staffing import board, queries
from alliance.staffing.models import (
    Candidate,
    FieldTrip,
    HomeDay,
    JobPosting,
    RestToggle,
    ScheduleBlock,
    StaffingSettings,
    StaffMember,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 15)


def test_seed_gives_the_demo_program_staff_and_work_to_do():
    seed("small", today=TODAY, log=lambda msg: None)
    with scopes_disabled():
        program = Program.objects.select_related("alliance").get(slug="little-learners")
        staff1 = StaffMember.objects.get(user__email="staff1@example.org")
        assert staff1.program == program
        assert StaffMember.objects.filter(user__email="director1@example.org").exists()
        assert ScheduleBlock.objects.filter(staff=staff1).count() >= 5
        assert JobPosting.objects.filter(program=program).exists()
        assert Candidate.objects.filter(share_with_members=True).exists()
    with program_scope(program):
        report = queries.program_compliance(program, TODAY)
    assert len(report.rows) >= 3
    assert report.total_expiring + report.total_lapsed + report.total_missing > 0


def test_seed_gives_the_demo_board_a_field_trip_a_nap_and_a_home_day():
    seed("small", today=TODAY, log=lambda msg: None)
    with scopes_disabled():
        little = Program.objects.select_related("alliance").get(slug="little-learners")
        home = (
            StaffMember.objects.select_related("program__alliance")
            .get(user__email="provider1@example.org")
            .program
        )
        zone = ZoneInfo(little.alliance.timezone)
        trip = FieldTrip.objects.select_related("classroom").get()
        assert trip.program == little and trip.cancelled_at is None
        assert trip.starts_at.astimezone(zone).date() == TODAY
        nap = RestToggle.objects.get()
        assert nap.program == little and nap.resting
        window = StaffingSettings.objects.get(program=little)
        assert window.rest_starts_at == time(12, 30) and window.rest_ends_at == time(14, 30)
        home_day = HomeDay.objects.get()
        assert home_day.program == home and home_day.day == TODAY
        assert home_day.own_children == 2
    # The board shows them: the trip in the morning, the napping room at 12:15 (before the
    # window), the provider's own children counted in the home.
    with program_scope(little):
        morning = board.ratio_board(little, datetime.combine(TODAY, time(10), tzinfo=zone))
        noon = board.ratio_board(little, datetime.combine(TODAY, time(12, 15), tzinfo=zone))
    on_trip = next(r for r in morning.rooms if r.classroom_id == trip.classroom_id)
    assert on_trip.field_trip == trip.destination
    assert [t.pk for t in morning.trips] == [trip.pk]
    resting = {r.classroom_id for r in noon.rooms if r.resting}
    assert resting == {nap.classroom_id}
    with program_scope(home):
        at_home = board.ratio_board(home, datetime.combine(TODAY, time(10), tzinfo=zone))
    assert at_home.home is not None and at_home.home.own_children == 2
