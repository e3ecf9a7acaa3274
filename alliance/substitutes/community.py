"""Live figures for the community challenge board: the substitute pool's fill rate and
median time to fill over the last 90 days."""

from __future__ import annotations

from django.utils.translation import gettext as _

from alliance.members.models import Alliance
from alliance.substitutes.queries import numbers


def _duration(minutes: float) -> str:
    if minutes < 90:
        return _("%(n)d min") % {"n": round(minutes)}
    if minutes < 48 * 60:
        return _("%(n).1f h") % {"n": minutes / 60}
    return _("%(n).1f days") % {"n": minutes / 1440}


def figures(alliance: Alliance) -> list[tuple[str, str]]:
    """Fill rate and median time to fill over the last three months (a fixed number of
    queries); nothing when no request was decided."""
    n = numbers(alliance_id=alliance.pk, months=3)
    if n.fill_rate is None:
        return []
    out = [(_("Fill rate (90 days)"), f"{round(n.fill_rate * 100)}%")]
    if n.median_minutes_to_fill is not None:
        out.append((_("Median time to fill"), _duration(n.median_minutes_to_fill)))
    return out
