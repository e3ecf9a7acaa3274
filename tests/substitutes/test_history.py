"""Each substitute's record (shifts, no-shows, late cancellations, ratings) kept on the
profile by the services, recounted from the rows, and read by the ranking."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import services, services_after
from alliance.substitutes.candidates import load_candidates
from alliance.substitutes.history import refresh_history
from alliance.substitutes.models import (
    Assignment,
    Rating,
    SubstituteProfile,
    SubstituteRequest,
)
from alliance.substitutes.tasks import recount_history_task
from tests.substitutes.conftest import offer_of
from tests.substitutes.test_no_show import started_shift


def record(profile: SubstituteProfile) -> tuple[int, int, int, int, int]:
    with scopes_disabled():
        profile.refresh_from_db()
    return (
        profile.shifts_taken,
        profile.no_shows,
        profile.late_cancels,
        profile.ratings_count,
        profile.ratings_stars,
    )


def loaded(world, request: SubstituteRequest, user_id: int):
    with program_scope(world.program1):
        (candidate,) = load_candidates(
            alliance_id=world.alliance.pk, request=request, user_ids=[user_id], prefilter=False
        )
    return candidate


def test_accepting_cancelling_late_and_a_no_show_are_counted(world, pool, broadcast):
    sub = pool[0]
    assert record(sub) == (0, 0, 0, 0, 0)
    with program_scope(world.program1):
        assignment = services.accept_offer(
            acting_user=sub.user, offer_id=offer_of(broadcast, sub.user).pk
        )
    assert record(sub) == (1, 0, 0, 0, 0)
    # Cancelled by the substitute an hour before the shift: a late cancellation.
    starts = services.shift_start(world.program1, broadcast.first_date, broadcast.start)
    with program_scope(world.program1):
        services.cancel_assignment(
            acting_user=sub.user, assignment=assignment, now=starts - timedelta(hours=1)
        )
    assert record(sub) == (1, 0, 1, 0, 0)
    with program_scope(world.program1):
        services.record_no_show(
            acting_user=world.director1, assignment=started_shift(world, sub.user)
        )
    # The shift created outside the services is counted by the no-show's recount.
    assert record(sub) == (2, 1, 1, 0, 0)
    candidate = loaded(world, broadcast, sub.user_id)
    assert (candidate.assignments, candidate.no_shows, candidate.late_cancels) == (2, 1, 1)
    # Another substitute's record is untouched.
    assert record(pool[1]) == (0, 0, 0, 0, 0)


def test_ratings_are_counted_and_a_changed_rating_replaces_its_stars(world, pool, broadcast):
    sub = pool[0]
    shift = started_shift(world, sub.user)
    with program_scope(world.program1):
        services_after.rate_substitute(acting_user=world.director1, assignment=shift, stars=2)
    assert record(sub)[3:] == (1, 2)
    with program_scope(world.program1):
        services_after.rate_substitute(acting_user=world.director1, assignment=shift, stars=5)
        services_after.rate_substitute(
            acting_user=world.director1, assignment=started_shift(world, sub.user), stars=4
        )
    assert record(sub)[3:] == (2, 9)
    candidate = loaded(world, broadcast, sub.user_id)
    assert candidate.ratings == 2 and candidate.rating_avg == 4.5


def test_a_recount_repairs_rows_changed_outside_the_services(world, pool):
    sub, other = pool[0], pool[1]
    shift = started_shift(world, sub.user)
    with scopes_disabled():
        Rating.objects.create(
            assignment=shift, program=world.program1, substitute=sub.user, stars=3
        )
        Assignment.objects.filter(pk=shift.pk).update(status="no_show")
        SubstituteProfile.objects.filter(pk=other.pk).update(shifts_taken=7)
    assert record(sub) == (0, 0, 0, 0, 0)
    assert refresh_history(alliance_id=world.alliance.pk, user_ids=[sub.user_id]) == 1
    assert record(sub) == (1, 1, 0, 1, 3)
    assert record(other)[0] == 7  # only the substitutes asked for
    # The nightly task recounts everyone, and a second recount has nothing to change.
    assert recount_history_task.call_local() == 1
    assert record(other)[0] == 0
    assert refresh_history(alliance_id=world.alliance.pk) == 0


def test_work_in_another_alliance_does_not_count(world, pool):
    sub = pool[0]
    elsewhere = world.other_program
    day = timezone.localdate() - timedelta(days=3)
    with scopes_disabled():
        request = SubstituteRequest.objects.create(
            program=elsewhere,
            dates=[day.isoformat()],
            first_date=day,
            last_date=day,
            start=time(8),
            end=time(15),
            mode="waves",
            status="filled",
        )
        Assignment.objects.create(
            request=request, substitute=sub.user, accepted_at=timezone.now(), status="no_show"
        )
    refresh_history(alliance_id=world.alliance.pk)
    assert record(sub) == (0, 0, 0, 0, 0)
