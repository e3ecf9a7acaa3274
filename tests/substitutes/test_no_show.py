"""No-show policy: a warning, then a suspension (never offered work), hub reinstates."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.core.tenancy import program_scope
from alliance.notifications.models import Notification
from alliance.substitutes import services, services_pool
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    Offer,
    OfferStatus,
    PoolSettings,
    ProfileStatus,
    SubstituteRequest,
)
from tests.substitutes.conftest import offer_of
from tests.substitutes.factories import next_weekday


def started_shift(world, user, days_ago: int = 1) -> Assignment:
    day = timezone.localdate() - timedelta(days=days_ago)
    with scopes_disabled():
        req = SubstituteRequest.objects.create(
            program=world.program1,
            dates=[day.isoformat()],
            first_date=day,
            last_date=day,
            start=time(8),
            end=time(15),
            mode="waves",
            status="filled",
            assigned_to=user,
        )
        return Assignment.objects.create(request=req, substitute=user, accepted_at=timezone.now())


def no_show(world, assignment):
    with program_scope(world.program1):
        services.record_no_show(acting_user=world.director1, assignment=assignment)


def test_first_no_show_warns_the_second_suspends(world, pool, django_capture_on_commit_callbacks):
    sub = pool[0]
    sub.user.language = "es"
    sub.user.save(update_fields=["language"])
    no_show(world, started_shift(world, sub.user, days_ago=40))
    with scopes_disabled():
        warning = Notification.objects.get(kind="substitutes_no_show_warning")
        assert warning.recipient == sub.user
        assert "advertencia" in (warning.body + warning.subject).lower()  # in their language
        sub.refresh_from_db()
        assert sub.status == ProfileStatus.ACTIVE
    # An open offer they hold is withdrawn by the suspension.
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        req = services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[next_weekday(2)],
            start=time(8),
            end=time(15),
            mode="broadcast",
        )
    no_show(world, started_shift(world, sub.user, days_ago=2))
    with scopes_disabled():
        sub.refresh_from_db()
        assert sub.status == ProfileStatus.SUSPENDED and sub.suspended_at is not None
        assert offer_of(req, sub.user).status == OfferStatus.WITHDRAWN
        assert Notification.objects.filter(
            kind="substitutes_suspended", recipient=sub.user
        ).exists()
        assert Notification.objects.filter(
            kind="substitutes_suspended_hub", recipient=world.hub
        ).exists()
        assert AuditEntry.objects.filter(action="substitutes.suspended").count() == 1
    # Never offered work while suspended.
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        other = services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[next_weekday(3)],
            start=time(8),
            end=time(15),
            mode="broadcast",
        )
    with scopes_disabled():
        assert not Offer.objects.filter(request=other, substitute=sub.user).exists()
    # The hub reinstates, with a reason (audited); a plain status edit is refused.
    with pytest.raises(ValidationError) as exc:
        services_pool.update_profile(
            acting_user=world.hub, profile=sub, by_hub=True, status="active"
        )
    assert "status" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services_pool.reinstate_profile(acting_user=world.hub, profile=sub, reason="  ")
    assert "reason" in exc.value.error_dict
    services_pool.reinstate_profile(acting_user=world.hub, profile=sub, reason="Family emergency")
    sub.refresh_from_db()
    assert sub.status == ProfileStatus.ACTIVE
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="substitutes.reinstated")
        assert entry.actor == world.hub and "Family emergency" in entry.summary


def test_no_shows_outside_the_window_do_not_count(world, pool):
    with scopes_disabled():
        PoolSettings.objects.create(alliance=world.alliance, no_show_window_months=6)
    old = started_shift(world, pool[0].user, days_ago=250)
    with scopes_disabled():
        Assignment.objects.filter(pk=old.pk).update(status=AssignmentStatus.NO_SHOW)
    no_show(world, started_shift(world, pool[0].user, days_ago=3))
    pool[0].refresh_from_db()
    assert pool[0].status == ProfileStatus.ACTIVE
    with scopes_disabled():
        assert Notification.objects.filter(kind="substitutes_no_show_warning").count() == 1


def test_thresholds_are_validated(world):
    with scopes_disabled():
        settings = services.pool_settings(world.alliance.pk)
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        services_pool.update_pool_settings(
            acting_user=world.hub, settings=settings, no_show_warning_after=3,
            no_show_suspend_after=2,
        )  # fmt: skip
    assert "no_show_suspend_after" in exc.value.error_dict
