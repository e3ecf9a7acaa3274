"""Periodic training jobs."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# Every hour at :15: participants hear about a session one to two days ahead.
@db_periodic_task(crontab(minute="15"))
def training_reminders_task() -> int:
    """Remind confirmed participants of sessions starting within 48 hours (once each)."""
    from alliance.training.services import send_reminders

    return send_reminders()
