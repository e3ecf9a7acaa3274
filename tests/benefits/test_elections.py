"""Elections over time: windows, life events, eligibility, overlap, deferral limits, and the
eligibility review that ends coverage when hours drop."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from alliance.benefits import services_elections as svc
from alliance.benefits.models import Dependent, Election, LifeEvent
from alliance.notifications.models import Notification
from tests.benefits.conftest import PNG, make_pool

pytestmark = pytest.mark.django_db
D = Decimal
AFTER_WINDOW = 30  # days after the fixture's open enrollment closes


def elect(pool, staff, **kwargs):
    kwargs.setdefault("kind", "health")
    kwargs.setdefault("plan", pool.health if kwargs["kind"] == "health" else None)
    kwargs.setdefault("tier", "employee")
    kwargs.setdefault("today", pool.today)
    with scopes_disabled():
        return svc.elect(acting_user=staff.user, staff=staff, **kwargs)


def errors_of(pool, staff, **kwargs) -> dict:
    with pytest.raises(ValidationError) as exc:
        elect(pool, staff, **kwargs)
    return exc.value.message_dict


def test_open_enrollment_starts_with_the_plan_year(pool):
    election = elect(pool, pool.sam)
    assert election.starts_on == pool.next_year.starts_on
    assert (election.status, election.tier) == ("enrolled", "employee")


def test_outside_the_window_without_a_life_event_is_refused(pool):
    later = pool.next_year.enrollment_closes_on + timedelta(days=AFTER_WINDOW)
    errors = errors_of(pool, pool.sam, today=later)
    assert "life event" in errors["life_event"][0]
    with scopes_disabled():
        assert not Election.objects.exists()


def test_a_recent_life_event_opens_a_window(pool, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    later = pool.next_year.enrollment_closes_on + timedelta(days=AFTER_WINDOW)
    with scopes_disabled():
        event = svc.record_life_event(
            acting_user=pool.sam.user, staff=pool.sam, kind="marriage",
            occurred_on=later - timedelta(days=10), today=later,
            proof=SimpleUploadedFile("certificate.png", PNG),
        )  # fmt: skip
        spouse = svc.add_dependent(acting_user=pool.sam.user, staff=pool.sam, full_name="Kim",
                                   relationship="spouse", birth_date=date(1990, 1, 1))  # fmt: skip
    election = elect(pool, pool.sam, today=later, tier="employee_spouse", dependents=[spouse],
                     life_event=event)  # fmt: skip
    assert election.life_event == event
    assert election.starts_on == date(later.year + (later.month == 12), later.month % 12 + 1, 1)
    # Marriage allows 30 days: 31 days later the event no longer opens a window.
    errors = errors_of(pool, pool.sam, kind="dental", plan=pool.dental,
                       today=event.occurred_on + timedelta(days=31), life_event=event)  # fmt: skip
    assert "life_event" in errors


def test_life_event_needs_proof_and_a_recent_date(pool, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        svc.record_life_event(acting_user=pool.sam.user, staff=pool.sam, kind="marriage",
                              occurred_on=pool.today - timedelta(days=45), today=pool.today,
                              proof=None)  # fmt: skip
    assert set(exc.value.message_dict) == {"occurred_on", "proof"}
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        svc.record_life_event(acting_user=pool.sam.user, staff=pool.sam, kind="birth_adoption",
                              occurred_on=pool.today - timedelta(days=45), today=pool.today,
                              proof=SimpleUploadedFile("b.pdf", b"GIF89a"))  # fmt: skip
    assert set(exc.value.message_dict) == {"proof"}  # 45 days is fine for a birth (60)
    with scopes_disabled():
        assert not LifeEvent.objects.exists()


def test_overlapping_election_is_refused_unless_changed(pool):
    first = elect(pool, pool.sam)
    errors = errors_of(pool, pool.sam, tier="employee")
    assert "Change" in errors["kind"][0]
    # A change before the first one starts replaces it.
    second = elect(pool, pool.sam, replace=True)
    with scopes_disabled():
        assert list(Election.objects.filter(staff=pool.sam)) == [second]
        assert not Election.objects.filter(pk=first.pk).exists()


def test_a_change_ends_the_running_election_the_day_before(pool):
    with scopes_disabled():
        running = Election.objects.create(
            program=pool.sam.program, staff=pool.sam, kind="health", plan=pool.health,
            status="enrolled", tier="employee", starts_on=pool.current_year.starts_on,
        )  # fmt: skip
    new = elect(pool, pool.sam, replace=True, kind="health", plan=None, waive=True)
    running.refresh_from_db()
    assert running.ends_on == new.starts_on - timedelta(days=1)
    assert new.status == "waived"


def test_the_database_refuses_two_open_elections_of_a_kind(pool):
    elect(pool, pool.sam)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.create(program=pool.sam.program, staff=pool.sam, kind="health",
                                plan=pool.health, status="enrolled", tier="family",
                                starts_on=date(2030, 1, 1))  # fmt: skip


def test_deferral_above_the_plan_limit_is_refused(pool):
    errors = errors_of(pool, pool.sam, kind="retirement", plan=pool.retirement, tier="",
                       deferral_percent=D("12"))  # fmt: skip
    assert "10" in errors["deferral_percent"][0]
    election = elect(pool, pool.sam, kind="retirement", plan=pool.retirement, tier="",
                     deferral_percent=D("6"))  # fmt: skip
    assert election.deferral_percent == D("6")


def test_tier_must_match_the_dependents(pool):
    with scopes_disabled():
        child = svc.add_dependent(acting_user=pool.sam.user, staff=pool.sam, full_name="Ari",
                                  relationship="child", birth_date=date(2020, 5, 1))  # fmt: skip
        other = Dependent.objects.create(program=pool.pat.program, staff=pool.pat,
                                         full_name="Not Sam's", relationship="spouse",
                                         birth_date=date(1990, 1, 1))  # fmt: skip
    errors = errors_of(pool, pool.sam, tier="family", dependents=[child])
    assert "spouse" in errors["dependents"][0]
    errors = errors_of(pool, pool.sam, tier="family", dependents=[child, other])
    assert "your own" in errors["dependents"][0]
    election = elect(pool, pool.sam, tier="employee_children", dependents=[child])
    with scopes_disabled():
        assert list(election.dependents.all()) == [child]


def test_ineligible_staff_cannot_enroll(pool):
    with scopes_disabled():
        pool.sam.hours_per_week = D("25")
        pool.sam.save()
    errors = errors_of(pool, pool.sam)
    assert "at least 30" in errors["plan"][0]
    # Program2's staff may not pick a plan program1 pays for but program2 does not offer.
    errors = errors_of(pool, pool.riley, kind="dental", plan=pool.dental)
    assert "does not offer" in errors["plan"][0]


def test_waiting_period_boundary_for_a_new_hire(world):
    pool = make_pool(world, today=date(2026, 3, 10))
    hire = date(2026, 3, 1)
    with scopes_disabled():
        pool.sam.hire_date = hire
        pool.sam.save()
    # Open enrollment is open (fixture) and next year starts long after the 60 days: fine.
    assert elect(pool, pool.sam).starts_on == date(2027, 1, 1)
    # Outside open enrollment a new hire may enroll around the end of the waiting period,
    # and coverage never starts before it ends (2026-04-30 → 2026-05-01).
    with scopes_disabled():
        Election.objects.all().delete()
    day = date(2026, 4, 20)
    assert elect(pool, pool.sam, today=day).starts_on == date(2026, 5, 1)


def test_open_enrollment_refuses_coverage_before_the_waiting_period_ends(world):
    pool = make_pool(world, today=date(2026, 11, 29))  # next year starts 2027-01-01
    with scopes_disabled():
        pool.sam.hire_date = date(2026, 11, 20)  # 60 days: eligible from 2027-01-19
        pool.sam.save()
    errors = errors_of(pool, pool.sam)
    assert "2027-01-19" in errors["plan"][0]
    with scopes_disabled():
        pool.sam.hire_date = date(2026, 11, 2)  # eligible from 2027-01-01: the boundary
        pool.sam.save()
    assert elect(pool, pool.sam).starts_on == date(2027, 1, 1)


def test_review_ends_coverage_when_hours_drop_and_tells_people(
    world, pool, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        Election.objects.create(program=world.program1, staff=pool.sam, kind="health",
                                plan=pool.health, status="enrolled", tier="employee",
                                starts_on=pool.current_year.starts_on)  # fmt: skip
        Election.objects.create(program=world.program1, staff=pool.pat, kind="health",
                                plan=pool.health, status="enrolled", tier="employee",
                                starts_on=pool.current_year.starts_on)  # fmt: skip
        assert svc.review_eligibility(program=world.program1, today=pool.today) == 0
        pool.sam.hours_per_week = D("20")
        pool.sam.save()
        with django_capture_on_commit_callbacks(execute=True):
            assert svc.review_eligibility(program=world.program1, today=pool.today) == 1
        ended = Election.objects.get(staff=pool.sam)
        assert ended.ends_on.month == pool.today.month and ended.ended_reason == "hours"
        assert Election.objects.get(staff=pool.pat).ends_on is None
        recipients = set(Notification.objects.values_list("recipient__email", flat=True))
        assert recipients == {"director1@example.org", "staff1@example.org"}
        assert len(mail.outbox) == 2
        # Idempotent: a second run ends nothing more.
        assert svc.review_eligibility(program=world.program1, today=pool.today) == 0


def test_review_withdraws_future_elections_of_people_who_left(world, pool):
    election = elect(pool, pool.sam)
    with scopes_disabled():
        pool.sam.separated_on = pool.today - timedelta(days=1)
        pool.sam.save()
        assert svc.review_eligibility(program=world.program1, today=pool.today) == 1
        assert not Election.objects.filter(pk=election.pk).exists()


def test_the_scheduled_task_reviews_programs(world, pool):
    from alliance.benefits.tasks import eligibility_review_task

    with scopes_disabled():
        Election.objects.create(program=world.program1, staff=pool.sam, kind="health",
                                plan=pool.health, status="enrolled", tier="employee",
                                starts_on=pool.current_year.starts_on)  # fmt: skip
        pool.sam.hours_per_week = D("10")
        pool.sam.save()
    assert eligibility_review_task.call_local() == 1
    with scopes_disabled():
        assert Election.objects.get(staff=pool.sam).ended_reason == "hours"


def test_a_drop_in_hours_in_staffing_is_reviewed_at_once(
    world, pool, django_capture_on_commit_callbacks
):
    from alliance.staffing.services import update_staff

    with scopes_disabled():
        Election.objects.create(program=world.program1, staff=pool.sam, kind="health",
                                plan=pool.health, status="enrolled", tier="employee",
                                starts_on=pool.current_year.starts_on)  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            update_staff(acting_user=world.director1, staff=pool.sam, hours_per_week=D("10"))
        assert Election.objects.get(staff=pool.sam).ended_reason == "hours"
        # A change that does not touch eligibility queues no review.
        with django_capture_on_commit_callbacks() as callbacks:
            update_staff(acting_user=world.director1, staff=pool.pat, phone="908-555-0199")
        assert not callbacks
