"""Periodic benefits job: the daily eligibility review."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alliance.core.tasks import program_task


@program_task(retries=1, retry_delay=60)
def review_eligibility_task(program, today_iso: str | None = None) -> int:
    from datetime import date

    from django.utils import timezone

    from alliance.benefits.services_elections import review_eligibility

    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return review_eligibility(program=program, today=today)


# Every day at 11:30 UTC: people whose hours or role changed, or who left, lose coverage at
# the end of the month, and they and their directors are told.
@db_periodic_task(crontab(minute="30", hour="11"))
def eligibility_review_task() -> int:
    from django_scopes import scopes_disabled

    from alliance.benefits.models import Election

    with scopes_disabled():
        ids = list(
            Election.objects.filter(ends_on__isnull=True, status="enrolled")
            .values_list("program_id", flat=True)
            .distinct()
            .order_by("program_id")
        )
    for program_id in ids:
        review_eligibility_task(program_id)
    return len(ids)
