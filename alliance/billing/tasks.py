"""Background jobs of billing (Huey discovers this module). Each billing part keeps its
jobs in its own module, imported here."""

from __future__ import annotations

from alliance.billing.tasks_collections import (  # noqa: F401
    daily_collections_fanout_task,
    daily_collections_task,
)
from alliance.billing.tasks_runs import notify_run_posted_task  # noqa: F401
