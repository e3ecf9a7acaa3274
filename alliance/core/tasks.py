"""Background work, and the pattern every module's ``tasks.py`` copies.

One queue for everything: Huey (docs/decisions/0002-task-queue.md). It runs embedded on a
SQLite file with no extra service, immediately (in-process) in tests, and on Redis when
``REDIS_URL`` is set. ``alliance worker`` runs the consumer.

The pattern:

* a task takes ids and plain values, never model instances (they go through a queue);
* it is enqueued with ``enqueue_on_commit`` so a rolled-back change never sends anything,
  and a worker never looks for a row that is not committed yet;
* in the worker it reloads its rows inside the tenant scope (``program_task`` and
  ``alliance_task`` do that from an id) and calls a service, which does the work and
  writes the audit row.

    @program_task(retries=2, retry_delay=60)
    def remind_director_task(program: Program, invoice_id: int) -> None:
        billing.services.send_reminder(program=program, invoice_id=invoice_id)

    enqueue_on_commit(remind_director_task, program.pk, invoice.pk)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.api import TaskWrapper
from huey.contrib.djhuey import db_periodic_task, db_task

from alliance.core import periodic  # noqa: F401  (registers the once-per-slot guard)
from alliance.core.tenancy import alliance_scope, program_scope

log = logging.getLogger("alliance.tasks")

__all__ = [
    "enqueue_on_commit",
    "program_task",
    "alliance_task",
    "send_email_task",
    "license_reminders_task",
]


def enqueue_on_commit(task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task(*args, **kwargs)`` once the current transaction commits.

    Outside a transaction it is enqueued at once. Arguments must be ids and plain values.
    """
    transaction.on_commit(lambda: task(*args, **kwargs))


def program_task(**task_options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Decorate ``fn(program, *args)`` as a task called with ``program_id`` instead.

    In the worker the program is reloaded and ``fn`` runs inside ``program_scope``, so its
    queries see exactly that program's data. A program deleted in the meantime is logged
    and skipped (there is nothing left to do for it).
    """

    def decorator(fn: Callable[..., Any]) -> TaskWrapper:
        @wraps(fn)
        def run(program_id: int, *args: Any, **kwargs: Any) -> Any:
            from alliance.members.models import Program

            program = Program.unscoped.select_related("alliance").filter(pk=program_id).first()
            if program is None:
                log.warning("task skipped", extra={"task": fn.__name__, "program_id": program_id})
                return None
            with program_scope(program):
                return fn(program, *args, **kwargs)

        return db_task(**task_options)(run)

    return decorator


def alliance_task(**task_options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Like ``program_task`` for hub work: ``fn(alliance, *args)`` inside ``alliance_scope``."""

    def decorator(fn: Callable[..., Any]) -> TaskWrapper:
        @wraps(fn)
        def run(alliance_id: int, *args: Any, **kwargs: Any) -> Any:
            from alliance.members.models import Alliance

            alliance = Alliance.objects.filter(pk=alliance_id).first()
            if alliance is None:
                log.warning("task skipped", extra={"task": fn.__name__, "alliance_id": alliance_id})
                return None
            with alliance_scope(alliance):
                return fn(alliance, *args, **kwargs)

        return db_task(**task_options)(run)

    return decorator


# --- jobs -------------------------------------------------------------------------------


@db_task(retries=3, retry_delay=60)
def send_email_task(to: str | list[str], subject: str, body: str) -> int:
    """Send one plain-text email (rendered by the caller, in the reader's language).

    Retried three times a minute apart, so a mail server hiccup does not lose it.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    sent = send_mail(subject, body, None, recipients)
    log.info("email sent", extra={"recipients": len(recipients), "subject": subject[:80]})
    return sent


# Every day at 11:00 UTC (early morning in US time zones).
@db_periodic_task(crontab(minute="0", hour="11"))
def license_reminders_task() -> int:
    """Remind directors whose program license lapses in 60, 30 or 7 days."""
    from alliance.members.reminders import send_license_reminders

    return send_license_reminders(today=timezone.localdate())
