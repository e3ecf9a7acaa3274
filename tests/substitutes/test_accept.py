"""Accepting an offer: the first valid acceptance wins, exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.core.tenancy import program_scope
from alliance.staffing.models import Credential
from alliance.substitutes import services
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    OfferStatus,
    RequestStatus,
)
from alliance.substitutes.services import OfferUnavailable
from tests.substitutes.conftest import offer_of
from tests.substitutes.factories import make_sub


def accept(world, user, offer):
    with program_scope(world.program1):
        return services.accept_offer(acting_user=user, offer_id=offer.pk)


def test_the_first_accept_wins_and_the_others_are_told(world, broadcast, pool):
    first = offer_of(broadcast, pool[1].user)
    assignment = accept(world, pool[1].user, first)
    broadcast.refresh_from_db()
    assert broadcast.status == RequestStatus.FILLED
    assert broadcast.assigned_to == pool[1].user
    with scopes_disabled():
        statuses = {o.substitute_id: o.status for o in broadcast.offers.all()}
        assert statuses[pool[1].user_id] == OfferStatus.ACCEPTED
        assert statuses[pool[0].user_id] == OfferStatus.FILLED
        assert AuditEntry.objects.filter(action="substitutes.offer_accepted").count() == 1
        from alliance.notifications.models import Notification

        told = Notification.objects.filter(kind="substitutes_filled_elsewhere")
        assert {n.recipient_id for n in told} == {pool[0].user_id, pool[2].user_id}
        assert Notification.objects.filter(
            kind="substitutes_request_filled", recipient=world.director1
        ).exists()
    assert assignment.status == AssignmentStatus.CONFIRMED
    with pytest.raises(OfferUnavailable, match="already been filled"):
        accept(world, pool[0].user, offer_of(broadcast, pool[0].user))
    with pytest.raises(OfferUnavailable, match="already accepted"):
        accept(world, pool[1].user, first)
    with scopes_disabled():
        assert Assignment.objects.filter(request=broadcast).count() == 1


def test_expired_declined_cancelled_and_foreign_offers(world, broadcast, pool):
    offer = offer_of(broadcast, pool[0].user)
    with program_scope(world.program1), pytest.raises(OfferUnavailable, match="expired"):
        services.accept_offer(
            acting_user=pool[0].user, offer_id=offer.pk, now=timezone.now() + timedelta(days=9)
        )
    with pytest.raises(OfferUnavailable, match="does not exist"):
        accept(world, pool[1].user, offer)  # not theirs
    with program_scope(world.program1):
        services.decline_offer(acting_user=pool[0].user, offer_id=offer.pk)
    with pytest.raises(OfferUnavailable, match="declined"):
        accept(world, pool[0].user, offer)
    with program_scope(world.program1):
        services.cancel_request(acting_user=world.director1, request=broadcast)
    with pytest.raises(OfferUnavailable, match="cancelled"):
        accept(world, pool[1].user, offer_of(broadcast, pool[1].user))
    with scopes_disabled():
        assert not Assignment.objects.exists()


def test_a_check_that_lapsed_after_the_offer_blocks_the_accept(world, broadcast, pool):
    with scopes_disabled():
        Credential.objects.filter(person=pool[0].user, kind="cari").update(
            expires_on=timezone.localdate()
        )
    with pytest.raises(OfferUnavailable, match="expired"):
        accept(world, pool[0].user, offer_of(broadcast, pool[0].user))
    broadcast.refresh_from_db()
    assert broadcast.status == RequestStatus.OPEN


def test_sub_cancels_and_the_request_is_dispatched_again(
    world, broadcast, pool, django_capture_on_commit_callbacks
):
    assignment = accept(world, pool[0].user, offer_of(broadcast, pool[0].user))
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        services.cancel_assignment(acting_user=pool[0].user, assignment=assignment, reason="Sick")
    broadcast.refresh_from_db()
    assert broadcast.status == RequestStatus.OPEN
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CANCELLED
    assert assignment.late_cancel is False  # two days ahead
    # The others were offered again and one of them can now take it.
    second = accept(world, pool[2].user, offer_of(broadcast, pool[2].user))
    assert second.status == AssignmentStatus.CONFIRMED
    with pytest.raises(OfferUnavailable):
        accept(world, pool[0].user, offer_of(broadcast, pool[0].user))


def test_no_show_only_after_the_shift_started(world, broadcast, pool):
    from django.core.exceptions import ValidationError

    assignment = accept(world, pool[0].user, offer_of(broadcast, pool[0].user))
    with program_scope(world.program1), pytest.raises(ValidationError):
        services.record_no_show(acting_user=world.director1, assignment=assignment)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accepts_make_one_assignment(world, django_capture_on_commit_callbacks):
    """Twenty substitutes accept the same broadcast through the API at the same moment:
    one 200, nineteen 409, one assignment."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")
    from datetime import time

    from tests.substitutes.factories import next_weekday

    subs = [make_sub(world.alliance, f"racer{i}@example.org") for i in range(20)]
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        request = services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[next_weekday(2)],
            start=time(8),
            end=time(15),
            mode="broadcast",
        )
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    offers = [offer_of(request, s.user) for s in subs]
    tokens = [issue_api_token(user=s.user, name="race") for s in subs]
    barrier = threading.Barrier(len(offers))
    statuses: list[int] = []

    def take(token: str, offer) -> None:
        try:
            barrier.wait(timeout=20)
            response = Client().post(
                f"/api/v1/substitute-offers/{offer.pk}/accept",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=take, args=(t, o)) for t, o in zip(tokens, offers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] + [409] * 19
    with scopes_disabled():
        assert Assignment.objects.filter(request=request).count() == 1
        assert request.offers.filter(status=OfferStatus.ACCEPTED).count() == 1
        assert request.offers.filter(status=OfferStatus.FILLED).count() == 19
        request.refresh_from_db()
        assert request.status == RequestStatus.FILLED
        # The nineteen who lost are the backup list, in the order their accepts came in.
        from alliance.substitutes.models import Backup

        positions = list(Backup.objects.filter(request=request).values_list("position", flat=True))
        assert positions == list(range(1, 20))
        assert request.assigned_to_id not in set(
            Backup.objects.filter(request=request).values_list("substitute_id", flat=True)
        )
