"""The counters of each substitute's record (shifts taken, no-shows, late cancellations,
ratings) kept on their profile for the ranking.

They are recomputed from the assignments and ratings, never incremented, so a counter can
only be as wrong as the last recount: each service that changes a record recounts that
substitute in its own transaction (after locking the profile, so two concurrent changes
are counted one after the other), and a nightly task recounts everyone in case a row was
changed outside the services (the admin, a restore).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q, Sum
from django_scopes import scopes_disabled

from alliance.substitutes.models import Assignment, AssignmentStatus, Rating, SubstituteProfile

COUNTERS = ("shifts_taken", "no_shows", "late_cancels", "ratings_count", "ratings_stars")


def refresh_history(*, alliance_id: int, user_ids: Iterable[int] | None = None) -> int:
    """Recount the record of the substitutes ``user_ids`` (all of the alliance's pool when
    None) from their assignments and ratings at the alliance's programs. Returns how many
    profiles changed. A fixed number of queries whatever the pool size."""
    with transaction.atomic(), scopes_disabled():
        profiles = SubstituteProfile.objects.filter(alliance_id=alliance_id)
        if user_ids is not None:
            profiles = profiles.filter(user_id__in=list(user_ids))
        # Locked in a fixed order, so two recounts never wait on each other in a cycle.
        profiles = list(profiles.select_for_update().order_by("pk"))
        if not profiles:
            return 0
        people = [p.user_id for p in profiles]
        shifts = {
            row["substitute_id"]: row
            for row in Assignment.objects.filter(
                substitute_id__in=people, request__program__alliance_id=alliance_id
            )
            .order_by()
            .values("substitute_id")
            .annotate(
                total=Count("id"),
                no_shows=Count("id", filter=Q(status=AssignmentStatus.NO_SHOW)),
                late=Count("id", filter=Q(late_cancel=True, cancelled_by_sub=True)),
            )
        }
        stars = {
            row["substitute_id"]: row
            for row in Rating.objects.filter(
                substitute_id__in=people, program__alliance_id=alliance_id
            )
            .order_by()
            .values("substitute_id")
            .annotate(n=Count("id"), stars=Sum("stars"))
        }
        changed = []
        for profile in profiles:
            worked = shifts.get(profile.user_id, {})
            rated = stars.get(profile.user_id, {})
            counts = (
                worked.get("total", 0),
                worked.get("no_shows", 0),
                worked.get("late", 0),
                rated.get("n", 0),
                rated.get("stars") or 0,
            )
            if counts != tuple(getattr(profile, name) for name in COUNTERS):
                for name, value in zip(COUNTERS, counts, strict=True):
                    setattr(profile, name, value)
                changed.append(profile)
        SubstituteProfile.objects.bulk_update(changed, COUNTERS, batch_size=1000)
        return len(changed)


def refresh_for(assignment: Assignment) -> None:
    """Recount the substitute of ``assignment`` after a service changed their record."""
    refresh_history(
        alliance_id=assignment.request.program.alliance_id, user_ids=[assignment.substitute_id]
    )
