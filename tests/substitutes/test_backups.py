"""The backup list behind a filled shift: late accepters and unpicked volunteers, in order,
offered the shift first when the assigned substitute cancels."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.notifications.models import Notification
from alliance.staffing.models import Credential
from alliance.substitutes import services, tasks
from alliance.substitutes.models import Backup, BackupSource, OfferStatus, RequestStatus, Tier
from alliance.substitutes.services import OfferUnavailable
from tests.substitutes.conftest import offer_of


def accept(world, user, request):
    with program_scope(world.program1):
        return services.accept_offer(acting_user=user, offer_id=offer_of(request, user).pk)


def test_late_accepters_queue_up_in_order(world, broadcast, pool):
    accept(world, pool[0].user, broadcast)
    for user in (pool[2].user, pool[1].user, pool[2].user):
        with pytest.raises(OfferUnavailable, match="filled"):
            accept(world, user, broadcast)
    with scopes_disabled():
        rows = list(
            Backup.objects.filter(request=broadcast).values_list(
                "substitute_id", "position", "source"
            )
        )
        assert rows == [
            (pool[2].user_id, 1, BackupSource.LATE_ACCEPT),
            (pool[1].user_id, 2, BackupSource.LATE_ACCEPT),
        ]
        assert Notification.objects.filter(kind="substitutes_backup").count() == 2
    # The refused accepts changed nothing else.
    broadcast.refresh_from_db()
    assert broadcast.assigned_to == pool[0].user


def test_when_the_sub_cancels_the_backups_are_offered_first(
    world, broadcast, pool, django_capture_on_commit_callbacks
):
    assignment = accept(world, pool[0].user, broadcast)
    with pytest.raises(OfferUnavailable):
        accept(world, pool[2].user, broadcast)
    with scopes_disabled():
        Notification.objects.all().delete()
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True) as cbs:
        services.cancel_assignment(acting_user=pool[0].user, assignment=assignment, reason="Sick")
    broadcast.refresh_from_db()
    assert broadcast.status == RequestStatus.OPEN
    backup_offer = offer_of(broadcast, pool[2].user)
    assert backup_offer.status == OfferStatus.PENDING
    assert backup_offer.tier == Tier.BACKUP
    assert backup_offer.wave == broadcast.wave
    assert backup_offer.reasons[0]["factor"] == "tier"
    with scopes_disabled():
        # Offered at once by text, email and in-app; nobody else was asked yet.
        sent = Notification.objects.filter(kind="substitutes_offer")
        assert [n.recipient_id for n in sent] == [pool[2].user_id]
        assert Backup.objects.get(request=broadcast).offered_at is not None
        # pool[1]'s filled offer was cleared so the normal dispatch can ask them later.
        assert not broadcast.offers.filter(substitute=pool[1].user).exists()
    # The normal dispatch resumes after a wave's time (scheduled, not immediate).
    assert len(cbs) >= 1
    with django_capture_on_commit_callbacks(execute=True):
        sent_later = tasks.next_wave_task.call_local(world.program1.pk, broadcast.pk)
    assert sent_later == 1  # pool[1], everyone else eligible
    second = accept(world, pool[2].user, broadcast)
    assert second.substitute == pool[2].user


def test_an_ineligible_backup_is_skipped_and_dispatch_runs_at_once(
    world, broadcast, pool, django_capture_on_commit_callbacks
):
    assignment = accept(world, pool[0].user, broadcast)
    with pytest.raises(OfferUnavailable):
        accept(world, pool[2].user, broadcast)
    with scopes_disabled():
        Credential.objects.filter(person=pool[2].user).delete()
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        services.cancel_assignment(acting_user=pool[0].user, assignment=assignment)
    with scopes_disabled():
        # No backup offered; the broadcast went out again to the eligible (pool[1]).
        assert broadcast.offers.get(substitute=pool[1].user).status == OfferStatus.PENDING
        assert not broadcast.offers.filter(substitute=pool[2].user).exists()
