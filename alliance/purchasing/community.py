"""Live figures for the community challenge board: group purchasing savings this year."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.money import format_money
from alliance.members.models import Alliance
from alliance.purchasing.queries import savings_report


def figures(alliance: Alliance) -> list[tuple[str, str]]:
    """Savings against baseline prices on this year's closed cycles (five queries);
    nothing when no cycle closed this year."""
    year = str(timezone.localdate().year)
    row = next((s for s in savings_report(alliance=alliance)["by_year"] if s.label == year), None)
    if row is None or not row.baseline:
        return []
    return [
        (_("Savings this year"), format_money(row.saved)),
        (_("Savings vs usual prices"), f"{row.percent}%"),
    ]
