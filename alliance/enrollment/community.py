"""Live figures for the community challenge board: enrollment against staffed capacity
across the alliance and the children waiting for a seat."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.enrollment import stats
from alliance.members.models import Alliance, Program


def figures(alliance: Alliance) -> list[tuple[str, str]]:
    """Alliance enrollment rate and children waiting (a handful of queries); nothing when
    no classroom has staffed capacity and nobody waits."""
    today = timezone.localdate()
    programs = list(Program.objects.filter(alliance=alliance))
    rate = stats.numbers(programs, today)["rate"] if programs else stats.Rate(0, 0)
    waiting = sum(stats.waitlist_by_age(alliance, today).values())
    out = []
    if rate.percent is not None:
        out.append(
            (
                _("Enrollment vs staffed capacity"),
                f"{rate.percent}% ({rate.enrolled}/{rate.staffed})",
            )
        )
    if waiting or out:
        out.append((_("Children waiting"), str(waiting)))
    return out
