"""Shared helpers of the staffing tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

NY = ZoneInfo("America/New_York")
MONDAY_10AM = datetime(2026, 6, 1, 10, 0, tzinfo=NY)  # a Monday
MONDAY = MONDAY_10AM.date()


def births(count: int, months: int, on: date = MONDAY) -> list[date]:
    """``count`` birth dates of children ``months`` old (plus a few days) on ``on``."""
    day = on - timedelta(days=int(months * 30.44) + 5)
    return [day] * count
