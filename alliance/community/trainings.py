"""Trainings from the training module on the events calendar, when that module is installed
(it is optional for this module: without it the calendar shows community events only)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from alliance.members.models import Alliance

log = logging.getLogger("alliance.community")


@dataclass(frozen=True)
class TrainingEntry:
    pk: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str


def upcoming_trainings(
    alliance: Alliance, since: datetime, limit: int = 100
) -> list[TrainingEntry]:
    """Scheduled training sessions of the alliance from ``since`` on (one query)."""
    try:
        from alliance.training.models import Session
    except ImportError:
        return []
    try:
        rows = (
            Session.objects.filter(alliance=alliance, starts_at__gte=since, status="scheduled")
            .select_related("course")
            .order_by("starts_at")[:limit]
        )
        return [
            TrainingEntry(s.pk, s.course.title, s.starts_at, s.ends_at, s.location) for s in rows
        ]
    except Exception:  # noqa: BLE001 - another module's change must not break the calendar
        log.exception("training sessions unavailable")
        return []
