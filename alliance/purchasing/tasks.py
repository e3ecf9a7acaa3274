"""Background jobs of purchasing: closing cycles whose order window has ended."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def close_due_cycles_task() -> list[int]:
    """Every five minutes: close open cycles past their closing time (vendors below their
    minimum are cancelled and members are told)."""
    from alliance.purchasing.services_close import close_due_cycles

    return close_due_cycles()
