"""Periodic staffing jobs: credential reminders (daily) and ratio shortfall checks."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alliance.core.tasks import program_task


# Every day at 11:15 UTC (early morning in US time zones), after the license reminders.
@db_periodic_task(crontab(minute="15", hour="11"))
def credential_reminders_task() -> int:
    """Remind staff and directors of credentials lapsing in 60, 30 or 7 days."""
    from alliance.staffing.reminders import send_credential_reminders

    return send_credential_reminders(today=timezone.localdate())


@program_task(retries=1, retry_delay=60)
def check_shortfalls_task(program, at_iso: str | None = None) -> int:
    from alliance.staffing.services_ratio import check_shortfalls

    at = datetime.fromisoformat(at_iso) if at_iso else timezone.now()
    return len(check_shortfalls(program=program, at=at))


# Every 15 minutes: each program with staff on record is checked for ratio shortfalls
# (directors are warned once per gap; substitutes requested where the program asked).
@db_periodic_task(crontab(minute="*/15"))
def ratio_shortfalls_task() -> int:
    from alliance.staffing.reminders import programs_with_staff

    ids = programs_with_staff()
    for program_id in ids:
        check_shortfalls_task(program_id)
    return len(ids)
