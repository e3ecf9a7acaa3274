"""License-expiry reminders: the daily hub job."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.core.tasks import license_reminders_task
from alliance.members.reminders import ACTION, send_license_reminders, threshold_for

TODAY = date(2025, 3, 3)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job for a day, emails included (they leave on commit)."""

    def run(today: date = TODAY) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_license_reminders(today=today)

    return run


def _expires(program, days: int | None) -> None:
    with scopes_disabled():
        program.license_expires_on = None if days is None else TODAY + timedelta(days=days)
        program.save(update_fields=["license_expires_on"])


def _reminders(program) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=ACTION, program=program).order_by("id"))


@pytest.mark.parametrize(
    ("days", "threshold"),
    [(61, None), (60, 60), (45, 60), (31, 60), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)],
)
def test_threshold_for(days, threshold):
    assert threshold_for(days) == threshold


def test_it_emails_the_directors_of_a_program_due_in_30_days(world, run):
    for program in (world.program2, world.home, world.other_program):
        _expires(program, None)
    _expires(world.program1, 30)
    assert run() == 1
    assert [m.to for m in mail.outbox] == [[world.director1.email]]
    message = mail.outbox[0]
    assert "Little Learners" in message.subject
    assert "30 days" in message.subject
    assert "/p/little-learners/" in message.body
    [entry] = _reminders(world.program1)
    assert entry.data["threshold"] == 30
    assert entry.data["to"] == [world.director1.email]
    assert entry.actor is None


def test_it_is_idempotent_the_same_day(world, run):
    _expires(world.program1, 7)
    _expires(world.program2, 60)
    assert run() == 2
    assert run() == 0
    assert len(mail.outbox) == 2
    assert len(_reminders(world.program1)) == 1


def test_each_threshold_is_sent_once_and_a_missed_day_is_caught_up(world, run):
    for program in (world.program2, world.home, world.other_program):
        _expires(program, None)
    _expires(world.program1, 45)  # joined the job late: the 60-day reminder is due
    assert run(TODAY) == 1
    assert run(TODAY + timedelta(days=10)) == 0  # 35 days left: nothing new
    assert run(TODAY + timedelta(days=16)) == 1  # 29 left: the 30-day reminder, a day late
    assert run(TODAY + timedelta(days=40)) == 1  # 5 left: the 7-day reminder
    assert run(TODAY + timedelta(days=46)) == 0  # lapsed
    assert [e.data["threshold"] for e in _reminders(world.program1)] == [60, 30, 7]


def test_a_renewed_license_is_reminded_again(world, run):
    _expires(world.program1, 7)
    run()
    _expires(world.program1, 7 + 365)
    assert run(TODAY + timedelta(days=365)) >= 1
    assert [e.data["threshold"] for e in _reminders(world.program1)] == [7, 7]


def test_programs_far_from_expiry_or_without_a_date_get_nothing(world, run):
    _expires(world.program1, 61)
    _expires(world.program2, None)
    _expires(world.home, -3)
    _expires(world.other_program, 400)
    assert run() == 0
    assert mail.outbox == []


def test_it_covers_every_alliance(world, run):
    _expires(world.other_program, 7)
    run()
    assert _reminders(world.other_program)


def test_the_daily_task_is_scheduled_and_runs(world, django_capture_on_commit_callbacks):
    job = license_reminders_task.task_class()
    assert job.validate_datetime(datetime(2025, 3, 3, 11, 0))
    assert not job.validate_datetime(datetime(2025, 3, 3, 12, 0))
    with scopes_disabled():
        world.program1.license_expires_on = timezone.localdate() + timedelta(days=7)
        world.program1.save(update_fields=["license_expires_on"])
    with django_capture_on_commit_callbacks(execute=True):
        license_reminders_task()  # periodic jobs keep no result; check what they did
    assert _reminders(world.program1)
    assert world.director1.email in [m.to[0] for m in mail.outbox]
