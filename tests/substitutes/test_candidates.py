"""Loading the pool: the database prefilter never changes the ranking; checks on every day."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import pytest
from django_scopes import scopes_disabled

from alliance.staffing.models import Credential
from alliance.substitutes import candidates as loader
from alliance.substitutes.candidates import facts_for, load_candidates
from alliance.substitutes.models import (
    AvailabilityException,
    ProfileStatus,
    ProgramBlock,
    SubstituteRequest,
)
from alliance.substitutes.ranking import rank
from tests.substitutes.factories import make_sub, next_weekday

TOWNS = ("Elizabeth", "Union", "Linden", "Plainfield", "Summit", "Rahway", "Nowhere")
QUALS = ("assistant", "lead_teacher", "infant_toddler", "preschool", "cda")


def _request(program, classroom, days, requirements=()) -> SubstituteRequest:
    return SubstituteRequest(
        program=program,
        classroom=classroom,
        dates=[d.isoformat() for d in days],
        first_date=min(days),
        last_date=max(days),
        start=time(8),
        end=time(15),
        requirements=list(requirements),
    )


def _ranking(world, request, **options) -> list[tuple[int, float]]:
    pool = load_candidates(alliance_id=world.alliance.pk, request=request, **options)
    return [(r.candidate.user_id, r.score) for r in rank(pool, facts_for(request))]


@pytest.fixture
def random_pool(world):
    rng = random.Random(7)
    day = next_weekday(3)
    for i in range(40):
        expiry = rng.choice([None, None, day + timedelta(days=30), day - timedelta(days=1), day])
        profile = make_sub(
            world.alliance,
            f"r{i}@example.org",
            town=rng.choice(TOWNS),
            qualifications=tuple(rng.sample(QUALS, rng.randrange(1, 4))),
            travel_miles=rng.choice([2, 5, 15, 25]),
            checks=tuple(rng.sample(("cpr_first_aid", "cari", "fingerprints"), 3 - (i % 7 == 0))),
            checks_expire=expiry,
            status=ProfileStatus.PAUSED if i % 11 == 0 else ProfileStatus.ACTIVE,
            weekdays=tuple(d for d in range(5) if rng.random() < 0.8),
        )
        with scopes_disabled():
            if rng.random() < 0.15:
                AvailabilityException.objects.create(profile=profile, day=day)
            if rng.random() < 0.1:
                ProgramBlock.objects.create(program=world.program1, substitute=profile.user)
            if rng.random() < 0.1:
                profile.blocked_programs.add(world.program1)
            if rng.random() < 0.3:
                profile.preferred_programs.add(world.program1)
    return day


@pytest.mark.parametrize("requirements", [(), ("assistant",)])
@pytest.mark.parametrize("span", [1, 3, 8])
def test_the_fast_path_ranks_exactly_like_the_reference(
    world, random_pool, requirements, span, monkeypatch
):
    days = [random_pool + timedelta(days=n) for n in range(span)]
    days = [d for d in days if d.weekday() < 5]
    request = _request(world.program1, world.classroom1, days, requirements)
    with scopes_disabled():
        fast = _ranking(world, request)
        reference = _ranking(world, request, prefilter=False)
        # Large pools read related rows through a subquery instead of a list of ids.
        monkeypatch.setattr(loader, "BY_ID_LIMIT", 0)
        through_subquery = _ranking(world, request, prefilter=False)
    assert reference, "the random pool should leave someone eligible"
    assert fast == reference == through_subquery
    assert len(reference) < 40  # and someone is left out


def test_checks_must_hold_on_every_day_of_a_multi_day_request(world):
    monday = next_weekday(7)
    while monday.weekday() != 0:
        monday += timedelta(days=1)
    days = [monday + timedelta(days=n) for n in range(5)]  # Monday to Friday
    renewed = make_sub(world.alliance, "renewed@example.org", checks_expire=days[2])
    gap = make_sub(world.alliance, "gap@example.org", checks_expire=days[1])
    last_day = make_sub(world.alliance, "lastday@example.org", checks_expire=days[4])
    with scopes_disabled():
        # CPR renewed from Thursday: covered on every day, old and new together.
        Credential.objects.create(
            alliance=world.alliance,
            person=renewed.user,
            kind="cpr_first_aid",
            issued_on=days[3],
            expires_on=days[3] + timedelta(days=700),
        )
        # Renewed from Thursday too, but the old one ended on Tuesday: Wednesday is not
        # covered although the first and the last day are.
        Credential.objects.create(
            alliance=world.alliance,
            person=gap.user,
            kind="cpr_first_aid",
            issued_on=days[3],
            expires_on=None,
        )
        for kind in ("cari", "fingerprints"):
            Credential.objects.filter(person=gap.user, kind=kind).update(expires_on=None)
            Credential.objects.filter(person=renewed.user, kind=kind).update(expires_on=None)
        request = _request(world.program1, world.classroom1, days)
        pool = {
            c.user_id: c for c in load_candidates(alliance_id=world.alliance.pk, request=request)
        }
        everyone = {
            c.user_id: c
            for c in load_candidates(
                alliance_id=world.alliance.pk, request=request, prefilter=False
            )
        }
    assert pool[renewed.user_id].checks_ok
    assert gap.user_id not in pool or not pool[gap.user_id].checks_ok
    assert everyone[gap.user_id].missing_checks == ("cpr_first_aid",)
    assert everyone[last_day.user_id].checks_ok  # expires on the last day: still valid then
    ranked = [r.candidate.user_id for r in rank(list(pool.values()), facts_for(request))]
    assert renewed.user_id in ranked and gap.user_id not in ranked
    assert date.fromisoformat(request.dates[0]) == monday
