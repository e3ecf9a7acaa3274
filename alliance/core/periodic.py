"""Each periodic job runs once per scheduled time, however many workers are running.

Every ``alliance worker`` runs Huey's scheduler, and each scheduler enqueues the periodic
jobs when they are due: with two workers on Redis, the nightly recount or the reminders
would run twice. Before a periodic job runs, this hook claims the job's slot (the latest
minute at or before now that its crontab matches) with the queue store's atomic
"set if empty"; the first worker to claim it runs the job, any other copy is cancelled.
A copy that waited in the queue for a few minutes still maps to the same slot, since the
slot is the crontab's minute, not the minute it happens to run in.

Only the previous slot's claim is kept per job; older claims are deleted as new ones are
made, so the store does not grow.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from huey.api import PeriodicTask, Task
from huey.contrib.djhuey import HUEY
from huey.exceptions import CancelExecution

log = logging.getLogger("alliance.tasks")

# How far back to look for the crontab minute a job belongs to (our jobs run at least
# daily; a rarer one simply is not deduplicated past this).
LOOKBACK = timedelta(days=1)


def job_name(task: Task) -> str:
    return f"{type(task).__module__}.{task.name}"


def slot_of(task: PeriodicTask, now: datetime) -> datetime | None:
    """The latest minute at or before ``now`` at which ``task`` is due, or None."""
    minute = now.replace(second=0, microsecond=0)
    earliest = minute - LOOKBACK
    while minute >= earliest:
        if task.validate_datetime(minute):
            return minute
        minute -= timedelta(minutes=1)
    return None


def claim(task: PeriodicTask, now: datetime) -> bool:
    """True when this copy of ``task`` is the first to run for its slot."""
    slot = slot_of(task, now)
    if slot is None:
        return True
    name = job_name(task)
    key = f"alliance:periodic:{name}:{slot:%Y%m%d%H%M}"
    if not HUEY.put_if_empty(key, "claimed"):
        return False
    pointer = f"alliance:periodic-last:{name}"
    previous = HUEY.get(pointer)  # read and removed
    HUEY.put(pointer, key)
    if previous and previous != key:
        HUEY.delete(previous)
    return True


@HUEY.pre_execute(name="alliance_periodic_once")
def once_per_slot(task: Task) -> None:
    if isinstance(task, PeriodicTask) and not claim(task, HUEY._get_timestamp()):
        log.info("periodic job already run for this time", extra={"task": job_name(task)})
        raise CancelExecution(retry=False)
