"""Director-picks mode: everyone eligible is invited, substitutes volunteer, the director
picks one (exactly one assignment), the others are told and become backups."""

from __future__ import annotations

import threading
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.notifications.models import Notification
from alliance.substitutes import services
from alliance.substitutes.models import (
    Assignment,
    Backup,
    BackupSource,
    OfferStatus,
    RequestStatus,
)
from alliance.substitutes.services import OfferUnavailable
from tests.substitutes.conftest import offer_of
from tests.substitutes.factories import make_sub, next_weekday


@pytest.fixture
def picks(world, pool, shift_day, django_capture_on_commit_callbacks):
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        return services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[shift_day],
            start=time(8),
            end=time(15),
            mode="picks",
        )


def volunteer(world, user, request):
    with program_scope(world.program1):
        return services.volunteer_offer(acting_user=user, offer_id=offer_of(request, user).pk)


def pick(world, request, offer):
    with program_scope(world.program1):
        return services.pick_volunteer(
            acting_user=world.director1, request=request, offer_id=offer.pk
        )


def test_everyone_eligible_is_invited_to_volunteer_not_to_accept(world, picks, pool):
    with scopes_disabled():
        assert picks.offers.count() == 3
        invited = Notification.objects.filter(kind="substitutes_invite")
        assert {n.recipient_id for n in invited} == {p.user_id for p in pool}
        assert not Notification.objects.filter(kind="substitutes_offer").exists()
    with program_scope(world.program1), pytest.raises(OfferUnavailable, match="director picks"):
        services.accept_offer(acting_user=pool[0].user, offer_id=offer_of(picks, pool[0].user).pk)


def test_volunteers_then_the_director_picks_one(world, picks, pool):
    volunteer(world, pool[0].user, picks)
    volunteer(world, pool[1].user, picks)
    with pytest.raises(OfferUnavailable, match="already volunteered"):
        volunteer(world, pool[1].user, picks)
    with scopes_disabled():
        told = Notification.objects.filter(
            kind="substitutes_volunteered", recipient=world.director1
        )
        assert told.count() == 2
    assignment = pick(world, picks, offer_of(picks, pool[1].user))
    picks.refresh_from_db()
    assert picks.status == RequestStatus.FILLED and picks.assigned_to == pool[1].user
    assert assignment.substitute == pool[1].user
    with scopes_disabled():
        statuses = {o.substitute_id: o.status for o in picks.offers.all()}
        assert statuses == {
            pool[0].user_id: OfferStatus.FILLED,
            pool[1].user_id: OfferStatus.ACCEPTED,
            pool[2].user_id: OfferStatus.FILLED,
        }
        backups = list(Backup.objects.filter(request=picks))
        assert [(b.substitute_id, b.position, b.source) for b in backups] == [
            (pool[0].user_id, 1, BackupSource.VOLUNTEER)
        ]
        kinds = dict(
            Notification.objects.filter(
                kind__in=["substitutes_picked", "substitutes_not_picked"]
            ).values_list("recipient_id", "kind")
        )
        assert kinds == {
            pool[1].user_id: "substitutes_picked",
            pool[0].user_id: "substitutes_not_picked",
        }
    # A second pick, or a pick of someone who did not volunteer, changes nothing.
    with pytest.raises(ValidationError, match="already picked"):
        pick(world, picks, offer_of(picks, pool[0].user))
    with scopes_disabled():
        assert Assignment.objects.filter(request=picks).count() == 1


def test_only_a_volunteer_can_be_picked_and_not_after_a_cancel(world, picks, pool):
    with pytest.raises(ValidationError) as exc:
        pick(world, picks, offer_of(picks, pool[2].user))
    assert "offer_id" in exc.value.error_dict
    volunteer(world, pool[0].user, picks)
    with program_scope(world.program1):
        services.cancel_request(acting_user=world.director1, request=picks)
    with pytest.raises(ValidationError, match="no longer open"):
        pick(world, picks, offer_of(picks, pool[0].user))
    with scopes_disabled():
        assert not Assignment.objects.exists()
        assert offer_of(picks, pool[0].user).status == OfferStatus.WITHDRAWN


def test_volunteering_after_the_pick_puts_them_on_the_backup_list(world, picks, pool):
    volunteer(world, pool[0].user, picks)
    pick(world, picks, offer_of(picks, pool[0].user))
    with pytest.raises(OfferUnavailable, match="filled"):
        volunteer(world, pool[2].user, picks)
    with scopes_disabled():
        backup = Backup.objects.get(request=picks)
    assert backup.substitute_id == pool[2].user_id and backup.source == BackupSource.VOLUNTEER


def test_a_volunteer_may_withdraw(world, picks, pool):
    volunteer(world, pool[0].user, picks)
    with program_scope(world.program1):
        services.decline_offer(acting_user=pool[0].user, offer_id=offer_of(picks, pool[0].user).pk)
    assert offer_of(picks, pool[0].user).status == OfferStatus.DECLINED
    with pytest.raises(ValidationError):
        pick(world, picks, offer_of(picks, pool[0].user))


def test_a_suspended_volunteer_cannot_be_picked(world, picks, pool):
    from alliance.substitutes.models import SubstituteProfile

    volunteer(world, pool[0].user, picks)
    with scopes_disabled():
        SubstituteProfile.objects.filter(pk=pool[0].pk).update(status="suspended")
    with pytest.raises(ValidationError, match="cannot take the shift"):
        pick(world, picks, offer_of(picks, pool[0].user))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_picks_and_a_racing_cancel_end_consistent(
    world, django_capture_on_commit_callbacks
):
    """Two directors' clicks pick two volunteers at once while the request is cancelled:
    at most one assignment, and the request's status agrees with it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")
    subs = [make_sub(world.alliance, f"vol{i}@example.org") for i in range(4)]
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        request = services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[next_weekday(2)],
            start=time(8),
            end=time(15),
            mode="picks",
        )
    for s in subs:
        volunteer(world, s.user, request)
    offers = [offer_of(request, s.user) for s in subs]
    barrier = threading.Barrier(5)
    outcomes: list[str] = []

    def do_pick(offer) -> None:
        try:
            barrier.wait(timeout=20)
            with program_scope(world.program1):
                services.pick_volunteer(
                    acting_user=world.director1, request=request, offer_id=offer.pk
                )
            outcomes.append("picked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    def do_cancel() -> None:
        try:
            barrier.wait(timeout=20)
            with program_scope(world.program1):
                services.cancel_request(acting_user=world.director1, request=request)
            outcomes.append("cancelled")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=do_pick, args=(o,)) for o in offers]
    threads.append(threading.Thread(target=do_cancel))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 5
    assert outcomes.count("picked") <= 1
    with scopes_disabled():
        request.refresh_from_db()
        live = Assignment.objects.filter(request=request).exclude(status="cancelled")
        if request.status == RequestStatus.FILLED:
            assert live.count() == 1 and outcomes.count("picked") == 1
        else:
            assert request.status == RequestStatus.CANCELLED
            assert live.count() == 0
            assert Assignment.objects.filter(request=request).count() == outcomes.count("picked")
