"""Tiered release: who a program asks first.

A program's favourites are asked first, then its usual substitutes (those who worked one of
its shifts in the last 12 months), then the whole pool. Two queries per dispatch, whatever
the pool size; :func:`alliance.substitutes.candidates.load_candidates` is left untouched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.substitutes.models import (
    TIER_ORDER,
    Assignment,
    AssignmentStatus,
    Favourite,
    SubstituteRequest,
    Tier,
)

USUAL_DAYS = 365  # "worked here in the last 12 months"


@dataclass(frozen=True)
class Tiers:
    """The program's favourites and usual substitutes (user id → shifts here)."""

    favourites: frozenset[int] = frozenset()
    usual: dict[int, int] = field(default_factory=dict)

    def of(self, user_id: int) -> str:
        if user_id in self.favourites:
            return Tier.FAVOURITE
        if user_id in self.usual:
            return Tier.USUAL
        return Tier.POOL

    def order(self, user_id: int) -> int:
        return TIER_ORDER[self.of(user_id)]

    def reason(self, user_id: int) -> dict:
        """The tier as the first line of the reasons shown to the director (no points)."""
        tier = self.of(user_id)
        if tier == Tier.FAVOURITE:
            why = _("tier 1: a favourite of this program")
        elif tier == Tier.USUAL:
            why = _("tier 2: worked %(n)d shifts here in the last 12 months") % {
                "n": self.usual[user_id]
            }
        else:
            why = _("tier 3: the whole pool")
        return {"factor": "tier", "points": 0, "why": why}


def tiers_for(request: SubstituteRequest) -> Tiers:
    """Favourites and usual substitutes of the request's program (two queries)."""
    since = timezone.localdate() - timedelta(days=USUAL_DAYS)
    favourites = frozenset(
        Favourite.objects.filter(program_id=request.program_id).values_list(
            "substitute_id", flat=True
        )
    )
    rows = (
        Assignment.objects.filter(
            request__program_id=request.program_id,
            request__first_date__gte=since,
            request__first_date__lte=timezone.localdate(),
            status__in=[AssignmentStatus.COMPLETED, AssignmentStatus.CONFIRMED],
        )
        .exclude(request_id=request.pk)
        .values("substitute_id")
        .annotate(n=Count("id"))
    )
    usual = Counter({row["substitute_id"]: row["n"] for row in rows})
    return Tiers(favourites=favourites, usual=dict(usual))


def take_wave(fresh: list, tiers: Tiers, size: int, tiered: bool) -> list:
    """The next wave from ``fresh`` (ranked, not yet asked, best score first).

    Tiered: only the best tier that still has someone not yet asked, by score within it;
    a lower tier is never mixed in while a higher one has un-asked eligible people, and an
    empty tier is skipped. Untiered: the best ``size`` whatever their tier."""
    if tiered and fresh:
        best = min(tiers.order(r.candidate.user_id) for r in fresh)
        fresh = [r for r in fresh if tiers.order(r.candidate.user_id) == best]
    return fresh[:size]
