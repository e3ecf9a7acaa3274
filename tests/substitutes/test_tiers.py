"""Tiered release: favourites first, then the program's usual substitutes, then the pool."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from alliance.core.tenancy import program_scope
from alliance.substitutes import services, services_pool
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    Favourite,
    Offer,
    PoolSettings,
    RequestStatus,
    SubstituteRequest,
    Tier,
)
from alliance.substitutes.ranking import Candidate, Ranked
from alliance.substitutes.tiers import Tiers, take_wave, tiers_for
from tests.substitutes.factories import make_sub


def worked_at(program, user, days_ago: int = 30) -> Assignment:
    """A past shift ``user`` worked at ``program``."""
    day = timezone.localdate() - timedelta(days=days_ago)
    with scopes_disabled():
        req = SubstituteRequest.objects.create(
            program=program,
            dates=[day.isoformat()],
            first_date=day,
            last_date=day,
            start=time(8),
            end=time(15),
            mode="waves",
            status=RequestStatus.FILLED,
            assigned_to=user,
            filled_at=timezone.now(),
        )
        return Assignment.objects.create(
            request=req,
            substitute=user,
            status=AssignmentStatus.COMPLETED,
            accepted_at=timezone.now(),
        )


def _request(world, day, capture, **kw):
    with program_scope(world.program1), capture(execute=True):
        return services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[day],
            start=time(8),
            end=time(15),
            mode="waves",
            **kw,
        )


def _wave(request, wave) -> list[Offer]:
    with scopes_disabled():
        return list(Offer.objects.filter(request=request, wave=wave).order_by("-score"))


def _decline_all(world, offers, capture):
    for offer in offers:
        with program_scope(world.program1), capture(execute=True):
            services.decline_offer(acting_user=offer.substitute, offer_id=offer.pk)


@pytest.fixture
def tiered_pool(world, pool):
    """sub3 is a favourite, sub2 worked here last month, sub1 and sub4 are the pool."""
    fourth = make_sub(world.alliance, "sub4@example.org", town="Elizabeth")
    with program_scope(world.program1):
        services_pool.mark_favourite(
            acting_user=world.director1, program=world.program1, substitute=pool[2].user
        )
    worked_at(world.program1, pool[1].user)
    return [*pool, fourth]


def test_waves_go_tier_by_tier_and_the_director_sees_why(
    world, tiered_pool, shift_day, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    request = _request(world, shift_day, capture)
    assert request.tiered is True  # the hub's default
    first = _wave(request, 1)
    assert [o.substitute_id for o in first] == [tiered_pool[2].user_id]
    assert first[0].tier == Tier.FAVOURITE
    assert first[0].reasons[0]["factor"] == "tier"
    assert "favourite" in first[0].reasons[0]["why"]
    _decline_all(world, first, capture)
    second = _wave(request, 2)
    assert [(o.substitute_id, o.tier) for o in second] == [(tiered_pool[1].user_id, Tier.USUAL)]
    assert "1 shifts here" in second[0].reasons[0]["why"]
    _decline_all(world, second, capture)
    third = _wave(request, 3)
    assert {o.substitute_id for o in third} == {tiered_pool[0].user_id, tiered_pool[3].user_id}
    assert {o.tier for o in third} == {Tier.POOL}
    assert third[0].score >= third[1].score


def test_skipping_the_tiers_offers_the_best_scores_at_once(
    world, tiered_pool, shift_day, django_capture_on_commit_callbacks
):
    request = _request(world, shift_day, django_capture_on_commit_callbacks, tiered=False)
    assert request.tiered is False
    first = _wave(request, 1)
    assert len(first) == 4  # wave size 5, all four eligible, whatever their tier
    assert {o.tier for o in first} == {Tier.FAVOURITE, Tier.USUAL, Tier.POOL}


def test_an_empty_tier_is_skipped_and_the_hub_default_can_be_off(
    world, pool, shift_day, django_capture_on_commit_callbacks
):
    worked_at(world.program1, pool[0].user)
    request = _request(world, shift_day, django_capture_on_commit_callbacks)
    # No favourites: the first wave is the usual substitute alone.
    assert [(o.substitute_id, o.tier) for o in _wave(request, 1)] == [(pool[0].user_id, Tier.USUAL)]
    with scopes_disabled():
        PoolSettings.objects.filter(alliance=world.alliance).update(tiered_release=False)
    other = _request(world, shift_day + timedelta(days=7), django_capture_on_commit_callbacks)
    assert other.tiered is False
    assert len(_wave(other, 1)) == 3


def test_old_and_cancelled_shifts_do_not_make_a_usual_substitute(world, pool):
    worked_at(world.program1, pool[0].user, days_ago=400)
    cancelled = worked_at(world.program1, pool[1].user)
    with scopes_disabled():
        Assignment.objects.filter(pk=cancelled.pk).update(status=AssignmentStatus.CANCELLED)
        worked_at(world.program2, pool[2].user)  # another program
        tiers = tiers_for(SubstituteRequest(program=world.program1, pk=None))
    assert tiers.usual == {}


def test_favourites_are_marked_once_only_for_pool_members_and_audited(world, pool):
    from django.core.exceptions import ValidationError

    from alliance.core.models import AuditEntry

    with program_scope(world.program1):
        for _ in range(2):
            services_pool.mark_favourite(
                acting_user=world.director1, program=world.program1, substitute=pool[0].user
            )
        with pytest.raises(ValidationError) as exc:
            services_pool.mark_favourite(
                acting_user=world.director1, program=world.program1, substitute=world.family
            )
        assert "substitute_id" in exc.value.error_dict
        assert services_pool.unmark_favourite(
            acting_user=world.director1, program=world.program1, substitute=pool[0].user
        )
    with scopes_disabled():
        assert not Favourite.objects.exists()
        actions = list(
            AuditEntry.objects.filter(action__startswith="substitutes.favourite").values_list(
                "action", flat=True
            )
        )
    assert sorted(actions) == ["substitutes.favourite_marked", "substitutes.favourite_unmarked"]


def _ranked(uid: int, score: float) -> Ranked:
    candidate = Candidate(
        user_id=uid,
        name="",
        town="",
        travel_miles=1,
        qualifications=frozenset(),
        languages=frozenset(),
    )
    return Ranked(candidate, score, [])


@given(
    st.lists(st.tuples(st.sampled_from([0, 1, 2]), st.floats(0, 100)), max_size=30),
    st.integers(1, 8),
)
def test_a_wave_never_mixes_in_a_lower_tier(people, size):
    favs = frozenset(i for i, (t, _s) in enumerate(people) if t == 0)
    usual = {i: 1 for i, (t, _s) in enumerate(people) if t == 1}
    tiers = Tiers(favourites=favs, usual=usual)
    fresh = sorted((_ranked(i, s) for i, (_t, s) in enumerate(people)), key=lambda r: -r.score)
    wave = take_wave(fresh, tiers, size, tiered=True)
    if not fresh:
        assert wave == []
        return
    best = min(tiers.order(r.candidate.user_id) for r in fresh)
    assert wave and len(wave) <= size
    assert {tiers.order(r.candidate.user_id) for r in wave} == {best}
    assert [r.score for r in wave] == sorted((r.score for r in wave), reverse=True)
