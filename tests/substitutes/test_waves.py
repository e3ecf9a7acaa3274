"""Waves over time: the timeout widens, declines re-dispatch, unanswered offers expire."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import services, tasks
from alliance.substitutes.models import (
    AssignmentStatus,
    Offer,
    OfferStatus,
    PoolSettings,
    RequestStatus,
)
from tests.substitutes.conftest import offer_of


def _waves(world, shift_day, capture, size: int):
    with scopes_disabled():
        PoolSettings.objects.create(alliance=world.alliance, wave_size=size)
    with program_scope(world.program1), capture(execute=True):
        return services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[shift_day],
            start=time(8),
            end=time(15),
            mode="waves",
        )


def _offers(request, **filters) -> list[Offer]:
    with scopes_disabled():
        return list(Offer.objects.filter(request=request, **filters).order_by("wave", "pk"))


def test_the_wave_timeout_sends_the_next_wave_and_keeps_earlier_offers(
    world, pool, shift_day, django_capture_on_commit_callbacks
):
    request = _waves(world, shift_day, django_capture_on_commit_callbacks, size=1)
    (first,) = _offers(request)
    assert first.wave == 1
    # The timeout fires: the task function runs as the worker would run it.
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.next_wave_task.call_local(world.program1.pk, request.pk)
    assert sent == 1
    offers = _offers(request)
    assert [o.wave for o in offers] == [1, 2]
    assert offers[1].substitute_id != first.substitute_id
    assert offers[1].status == OfferStatus.PENDING
    # The first wave's offer is still open and can still be taken.
    first.refresh_from_db()
    assert first.status == OfferStatus.PENDING and first.expires_at > timezone.now()
    with program_scope(world.program1):
        assignment = services.accept_offer(acting_user=first.substitute, offer_id=first.pk)
    assert assignment.status == AssignmentStatus.CONFIRMED
    # A timeout after the request was filled sends nothing.
    assert tasks.next_wave_task.call_local(world.program1.pk, request.pk) == 0
    assert len(_offers(request)) == 2


def test_when_the_whole_wave_declines_the_next_wave_goes_out(
    world, pool, shift_day, django_capture_on_commit_callbacks
):
    request = _waves(world, shift_day, django_capture_on_commit_callbacks, size=2)
    first = _offers(request)
    assert len(first) == 2
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        services.decline_offer(acting_user=first[0].substitute, offer_id=first[0].pk)
    assert len(_offers(request)) == 2  # one of the wave has not answered yet
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        services.decline_offer(acting_user=first[1].substitute, offer_id=first[1].pk)
    second = _offers(request, wave=2)
    rest = {p.user_id for p in pool} - {o.substitute_id for o in first}
    assert [o.substitute_id for o in second] == sorted(rest)
    assert second[0].status == OfferStatus.PENDING
    request.refresh_from_db()
    assert request.wave == 2 and request.status == RequestStatus.OPEN


def test_unanswered_offers_expire(world, broadcast, pool):
    offer = offer_of(broadcast, pool[0].user)
    with scopes_disabled():
        assert services.expire_offers(now=offer.expires_at - timedelta(seconds=1)) == 0
    declined = offer_of(broadcast, pool[1].user)
    with program_scope(world.program1):
        services.decline_offer(acting_user=pool[1].user, offer_id=declined.pk)
    with scopes_disabled():
        assert services.expire_offers(now=offer.expires_at) == len(pool) - 1
    offer.refresh_from_db()
    declined.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert declined.status == OfferStatus.DECLINED  # answered offers keep their answer


def test_the_periodic_task_expires_offers_past_their_time(world, broadcast, pool):
    with scopes_disabled():
        Offer.objects.filter(request=broadcast).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert tasks.expire_offers_task.call_local() == len(pool)
    with scopes_disabled():
        statuses = set(Offer.objects.filter(request=broadcast).values_list("status", flat=True))
    assert statuses == {OfferStatus.EXPIRED}
