"""Requests for cover: validation, dispatch (waves and broadcast), cancellation."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.core.tenancy import program_scope
from alliance.notifications.models import Notification
from alliance.substitutes import services
from alliance.substitutes.models import (
    Offer,
    OfferStatus,
    PoolSettings,
    RequestStatus,
    SubstituteRequest,
    UnfilledReason,
)
from tests.factories import ClassroomFactory
from tests.substitutes.factories import make_sub


def _create(world, capture, **overrides):
    values = dict(
        acting_user=world.director1,
        program=world.program1,
        classroom=world.classroom1,
        dates=[overrides.pop("day")],
        start=time(8),
        end=time(15),
    )
    values.update(overrides)
    with program_scope(world.program1), capture(execute=True):
        return services.create_request(**values)


def test_broadcast_offers_every_eligible_substitute(world, broadcast, pool):
    with scopes_disabled():
        offers = Offer.objects.filter(request=broadcast)
        assert {o.substitute_id for o in offers} == {p.user_id for p in pool}
        assert all(o.status == OfferStatus.PENDING for o in offers)
        assert all(o.reasons for o in offers)
        assert AuditEntry.objects.filter(action="substitutes.request_created").count() == 1
        # Every substitute is told in the app (and by email/text through notifications).
        assert Notification.objects.filter(kind="substitutes_offer").count() == 3


def test_expired_checks_are_never_offered(
    world, pool, shift_day, django_capture_on_commit_callbacks
):
    lapsed = make_sub(
        world.alliance, "lapsed@example.org", checks_expire=timezone.localdate() - timedelta(days=1)
    )
    no_cari = make_sub(
        world.alliance, "nocari@example.org", checks=("cpr_first_aid", "fingerprints")
    )
    request = _create(world, django_capture_on_commit_callbacks, day=shift_day, mode="broadcast")
    with scopes_disabled():
        offered = set(Offer.objects.filter(request=request).values_list("substitute_id", flat=True))
    assert lapsed.user_id not in offered
    assert no_cari.user_id not in offered
    assert len(offered) == 3


def test_waves_offer_the_top_k_then_widen(
    world, pool, shift_day, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        PoolSettings.objects.create(alliance=world.alliance, wave_size=2)
    request = _create(world, django_capture_on_commit_callbacks, day=shift_day, mode="waves")
    with scopes_disabled():
        first = list(Offer.objects.filter(request=request))
    assert len(first) == 2 and {o.wave for o in first} == {1}
    # The closest substitute (same town) is in the first wave.
    assert pool[0].user_id in {o.substitute_id for o in first}
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        services.dispatch_request(request_id=request.pk)
    with scopes_disabled():
        second = Offer.objects.filter(request=request, wave=2)
        rest = {p.user_id for p in pool} - {o.substitute_id for o in first}
        assert [o.substitute_id for o in second] == sorted(rest)


def test_nobody_eligible_marks_the_request_unfilled(
    world, shift_day, django_capture_on_commit_callbacks
):
    request = _create(world, django_capture_on_commit_callbacks, day=shift_day)
    request.refresh_from_db()
    assert request.status == RequestStatus.UNFILLED
    assert request.unfilled_reason == UnfilledReason.NO_ELIGIBLE


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"day_offset": -1}, "dates"),
        ({"end": time(7)}, "end"),
        ({"end": time(8)}, "end"),
        ({"requirements": ["astronaut"]}, "requirements"),
        ({"mode": "shout"}, "mode"),
        ({"dates": []}, "dates"),
    ],
)
def test_bad_requests_are_refused_and_save_nothing(world, shift_day, overrides, field):
    values = dict(
        acting_user=world.director1,
        program=world.program1,
        classroom=world.classroom1,
        dates=[shift_day],
        start=time(8),
        end=time(15),
    )
    offset = overrides.pop("day_offset", None)
    if offset is not None:
        values["dates"] = [timezone.localdate() + timedelta(days=offset)]
    values.update(overrides)
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services.create_request(**values)
    assert field in exc.value.message_dict
    with scopes_disabled():
        assert not SubstituteRequest.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="substitutes.").exists()


def test_another_programs_classroom_is_refused(world, shift_day):
    with scopes_disabled():
        foreign = ClassroomFactory(program=world.program2, name="Infants")
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=foreign,
            dates=[shift_day],
            start=time(8),
            end=time(15),
        )
    assert "classroom" in exc.value.message_dict


def test_a_request_from_code_without_a_user(
    world, pool, shift_day, django_capture_on_commit_callbacks
):
    """The ratio engine raises requests itself: no acting user, its own source."""
    request = _create(
        world, django_capture_on_commit_callbacks, day=shift_day, acting_user=None, source="ratio"
    )
    assert request.source == "ratio"
    assert request.mode == "waves"  # the hub's default
    with scopes_disabled():
        assert Offer.objects.filter(request=request).exists()


def test_multi_day_request_needs_every_day(world, shift_day, django_capture_on_commit_callbacks):
    make_sub(world.alliance, "mon@example.org", weekdays=(shift_day.weekday(),))
    everyday = make_sub(world.alliance, "all@example.org")
    days = [shift_day, shift_day + timedelta(days=7), shift_day + timedelta(days=8)]
    request = _create(
        world, django_capture_on_commit_callbacks, day=shift_day, dates=days, mode="broadcast"
    )
    assert request.dates == sorted(d.isoformat() for d in days)
    with scopes_disabled():
        offered = list(
            Offer.objects.filter(request=request).values_list("substitute_id", flat=True)
        )
    assert offered == [everyday.user_id]


def test_cancelling_withdraws_offers(world, broadcast):
    with program_scope(world.program1):
        services.cancel_request(
            acting_user=world.director1, request=broadcast, reason="Teacher back"
        )
    with scopes_disabled():
        assert set(Offer.objects.filter(request=broadcast).values_list("status", flat=True)) == {
            OfferStatus.WITHDRAWN
        }
    broadcast.refresh_from_db()
    assert broadcast.status == RequestStatus.CANCELLED
    with program_scope(world.program1), pytest.raises(ValidationError):
        services.cancel_request(acting_user=world.director1, request=broadcast)


def test_shifts_that_started_unfilled_are_closed(world, broadcast):
    later = timezone.now() + timedelta(days=10)
    with scopes_disabled():
        assert services.close_stale(now=later) == 1
    broadcast.refresh_from_db()
    assert broadcast.status == RequestStatus.UNFILLED
    assert broadcast.unfilled_reason == UnfilledReason.NO_ACCEPT
