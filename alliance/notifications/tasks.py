"""Sending notifications: one task per delivery, retried, each attempt recorded.

The tasks take ids (the alliance's and the delivery's), reload inside the alliance scope and
call ``services.deliver``, which records the attempt on the ``Delivery`` row. A failed
attempt raises so Huey retries it ``retries`` times ``retry_delay`` seconds apart; the last
attempt records the delivery as failed instead of raising. The in-app notification is never
touched by a failed send.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alliance.core.tasks import alliance_task
from alliance.members.models import Alliance
from alliance.notifications import services

EMAIL_RETRIES = 3
SMS_RETRIES = 3
RETRY_DELAY = 60  # seconds


def _final(task: Any) -> bool:
    # Huey passes the task itself (context=True); ``retries`` is what is left after this one.
    return task is None or not task.retries


@alliance_task(retries=EMAIL_RETRIES, retry_delay=RETRY_DELAY, context=True)
def send_email_delivery_task(alliance: Alliance, delivery_id: int, task: Any = None) -> None:
    services.deliver(delivery_id=delivery_id, final=_final(task))


@alliance_task(retries=SMS_RETRIES, retry_delay=RETRY_DELAY, context=True)
def send_sms_task(alliance: Alliance, delivery_id: int, task: Any = None) -> None:
    services.deliver(delivery_id=delivery_id, final=_final(task))


# Every 10 minutes: deliveries never attempted 15 minutes after they were due.
@db_periodic_task(crontab(minute="*/10"))
def requeue_stale_deliveries_task() -> int:
    return services.requeue_stale(now=timezone.now())
