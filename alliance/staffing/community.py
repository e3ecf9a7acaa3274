"""Live figures for the community challenge board: staff turnover across the alliance."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.members.models import Alliance
from alliance.staffing.queries import alliance_retention


def figures(alliance: Alliance) -> list[tuple[str, str]]:
    """Turnover over the last 12 months (one query); nothing without staff records."""
    overall, _programs = alliance_retention(alliance.pk, timezone.localdate())
    if overall.turnover_pct is None:
        return []
    return [
        (_("Staff turnover (12 months)"), f"{overall.turnover_pct}%"),
        (_("Current staff"), str(overall.headcount)),
    ]
