"""Daily jobs of collections and claims. Each day (10:00 UTC, before the notifications'
morning sends) one task per program with billing settings is enqueued; in the worker it
reloads the program in its scope and calls the services, which are idempotent, so a rerun
or a retry never charges a fee twice or repeats a reminder."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alliance.core.tasks import program_task

log = logging.getLogger("alliance.billing")


@program_task(retries=2, retry_delay=300)
def daily_collections_task(program) -> dict:
    """For one program: payment plans first (a plan kept up pauses late fees), then late
    fees, reminders, autopay, and the leakage check."""
    from alliance.billing import services_claims, services_collections

    today = timezone.localdate()
    plans = services_collections.refresh_payment_plans(program=program, today=today)
    fees = services_collections.assess_late_fees(program=program, today=today)
    reminders = services_collections.send_reminders(program=program, today=today)
    autopay = services_collections.run_autopay(program=program, today=today)
    flags = services_claims.refresh_leakage(acting_user=None, program=program, today=today)
    out = {
        "plans": plans,
        "late_fees": fees.assessed,
        "reminders": reminders,
        "autopay": autopay.attempted,
        "leakage": flags,
    }
    log.info("daily collections", extra={"program_id": program.pk, **out})
    return out


@db_periodic_task(crontab(minute="0", hour="10"))
def daily_collections_fanout_task() -> int:
    """Enqueue the daily collections of every program that bills."""
    from django_scopes import scopes_disabled

    from alliance.billing.models import BillingSettings

    with scopes_disabled():
        ids = list(BillingSettings.objects.values_list("program_id", flat=True))
    for program_id in ids:
        daily_collections_task(program_id)
    return len(ids)
