"""Priority tiers as data, and the "still interested?" check-ins."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.enrollment.matching import solve
from alliance.enrollment.models import Application, ApplicationStatus, Offer, OfferStatus
from alliance.enrollment.services_applications import (
    CHECKIN_ANSWER_DAYS,
    CHECKIN_DAYS,
    close_unanswered_checkins,
    send_checkins,
    set_priority_referral,
    submit_application,
)
from alliance.enrollment.services_offers import waiting_candidates
from alliance.notifications.models import Notification
from alliance.rules.enrollment import _FILE, family_tiers, priority_points, priority_tiers
from tests.enrollment.test_matching import TODAY, _child, _room
from tests.enrollment.test_services import application_input

pytestmark = pytest.mark.django_db


def test_tiers_come_from_the_data_file_in_order():
    data = json.loads(_FILE.read_text())
    assert [t[0] for t in priority_tiers()] == [t["key"] for t in data["tiers"]]
    assert [t[0] for t in priority_tiers()] == ["cps", "income", "special_needs", "dual_language"]
    tiers = family_tiers(cps_referral=True, ccap="applying", special_needs=" ", languages=["es"])
    assert tiers == ["cps", "income", "dual_language"]
    assert priority_points(tiers) == [
        ("priority:cps", 60),
        ("priority:income", 30),
        ("priority:dual_language", 10),
    ]


def test_a_priority_family_gets_the_contested_seat_regardless_of_waiting_time():
    long_wait = _child(0, submitted=TODAY - timedelta(days=600))
    priority = _child(1, priority=priority_points(["cps"]))
    (m,) = solve([long_wait, priority], [_room(0)], TODAY)
    assert m.candidate == 1
    assert ("priority:cps", 60) in m.reasons


def test_hub_sets_the_cps_referral_and_matching_uses_it(world, as_user):
    with scopes_disabled():
        app = submit_application(
            acting_user=None, alliance=world.alliance, data=application_input()
        )
    page = as_user(world.hub).post(
        f"/a/union-county/hub/enrollment/applications/{app.pk}/",
        {"action": "priority", "cps_referral": "on"},
    )
    assert page.status_code == 302
    with scopes_disabled():
        app.refresh_from_db()
        assert app.cps_referral
        (candidate,) = waiting_candidates(world.alliance, timezone.localdate())
        assert ("priority:cps", 60) in candidate.priority
        assert ("priority:dual_language", 10) in candidate.priority  # Spanish at home
        set_priority_referral(acting_user=world.hub, application=app, cps_referral=False)
        (candidate,) = waiting_candidates(world.alliance, timezone.localdate())
        assert all(key != "priority:cps" for key, _p in candidate.priority)
    html = as_user(world.hub).get(f"/a/union-county/hub/enrollment/applications/{app.pk}/")
    assert "Priority: dual language learner" in html.content.decode()


def test_checkins_ask_once_then_close_unanswered_applications(world, scenario, client):
    now = timezone.now()
    with scopes_disabled():
        Application.objects.filter(pk__in=[scenario.application.pk, scenario.waiting.pk]).update(
            confirmed_at=now - timedelta(days=CHECKIN_DAYS + 1)
        )
        assert send_checkins(alliance=world.alliance, now=now) == 2
        assert send_checkins(alliance=world.alliance, now=now) == 0  # once per period
    # The waiting family answers on its page; the other does not.
    token = scenario.waiting.token
    page = client.get(f"/a/union-county/enroll/{token}/")
    assert "Yes, I'm still interested" in page.content.decode()
    assert client.post(f"/a/union-county/enroll/{token}/confirm/").status_code == 302
    later = now + timedelta(days=CHECKIN_ANSWER_DAYS, minutes=1)
    with scopes_disabled():
        assert close_unanswered_checkins(alliance=world.alliance, now=later) == 1
        closed = Application.objects.get(pk=scenario.application.pk)
        assert closed.status == ApplicationStatus.WITHDRAWN
        assert "still interested" in closed.withdrawal_reason
        # Its pending offer went with it.
        assert Offer.objects.get(pk=scenario.offer.pk).status == OfferStatus.WITHDRAWN
        kept = Application.objects.get(pk=scenario.waiting.pk)
        assert kept.status == ApplicationStatus.WAITING and kept.checkin_sent_at is None


def test_checkin_api_confirms(world, scenario, client):
    with scopes_disabled():
        Application.objects.filter(pk=scenario.waiting.pk).update(checkin_sent_at=timezone.now())
    response = client.post(
        f"/api/v1/alliances/union-county/applications/{scenario.waiting.token}/confirm"
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert Application.objects.get(pk=scenario.waiting.pk).checkin_sent_at is None
    bad = client.post("/api/v1/alliances/union-county/applications/nope/confirm")
    assert bad.status_code == 404


def test_checkin_message_reaches_a_family_with_an_account(world):
    with scopes_disabled():
        app = submit_application(
            acting_user=world.family, alliance=world.alliance, data=application_input()
        )
        Application.objects.filter(pk=app.pk).update(
            confirmed_at=timezone.now() - timedelta(days=CHECKIN_DAYS + 5)
        )
        assert send_checkins(alliance=world.alliance) == 1
        assert Notification.objects.filter(
            recipient=world.family, kind="enrollment_checkin"
        ).exists()
