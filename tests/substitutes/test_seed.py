"""The seed gives the demo substitutes everything a weekday request needs, plus history."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.members.models import Program
from alliance.seed.generate import seed
from alliance.substitutes import queries
from alliance.substitutes.candidates import facts_for, load_candidates
from alliance.substitutes.models import (
    Offer,
    OfferStatus,
    RequestStatus,
    SubstituteProfile,
    SubstituteRequest,
    Timesheet,
)
from alliance.substitutes.ranking import ineligibility
from tests.substitutes.factories import next_weekday

pytestmark = pytest.mark.django_db


def test_demo_substitutes_are_eligible_and_history_exists():
    seed("small", log=lambda message: None, today=timezone.localdate())
    with scopes_disabled():
        demo = list(SubstituteProfile.objects.filter(user__email__regex=r"^sub\d+@example\.org$"))
        assert len(demo) == 20
        for name in ("little-learners", "sunshine"):
            program = Program.objects.select_related("alliance").get(slug=name)
            request = SubstituteRequest(
                program=program,
                dates=[next_weekday(3).isoformat()],
                first_date=next_weekday(3),
                last_date=next_weekday(3),
                start=time(8),
                end=time(16),
                requirements=["assistant"],
            )
            candidates = load_candidates(
                alliance_id=program.alliance_id,
                request=request,
                user_ids=[p.user_id for p in demo],
            )
            facts = facts_for(request)
            refused = {c.name: ineligibility(c, facts) for c in candidates}
            # sub2 holds a confirmed shift (8–16) a few days ahead; every other one is free.
            assert sum(1 for why in refused.values() if why is None) >= 19, refused
        since = timezone.localdate() - timedelta(days=120)
        history = SubstituteRequest.objects.filter(first_date__gte=since)
        assert history.filter(status=RequestStatus.FILLED).exists()
        assert history.filter(status=RequestStatus.UNFILLED).exists()
        assert Timesheet.objects.exists()
        sub1 = next(p for p in demo if p.user.email == "sub1@example.org")
        assert Offer.objects.filter(substitute=sub1.user, status=OfferStatus.PENDING).exists()
        numbers = queries.numbers(alliance_id=demo[0].alliance_id)
        assert numbers.fill_rate is not None and numbers.fill_rate > 0.7
        assert numbers.by_month
