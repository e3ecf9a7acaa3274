"""An offer accepted at the same moment the hub withdraws it ends in one consistent state:
either enrolled (offer accepted, child placed) or withdrawn (no enrollment, child waiting)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from alliance.enrollment import services_offers
from alliance.enrollment.models import (
    Applicant,
    ApplicantStatus,
    Enrollment,
    Offer,
    OfferStatus,
)
from alliance.enrollment.services_applications import ChildInput, submit_application
from alliance.enrollment.services_offers import accept_offer, run_matching, send_offer
from tests.enrollment.helpers import born_months_ago
from tests.enrollment.test_services import application_input


def _fresh_offer(world, n: int) -> Offer:
    with scopes_disabled():
        application = submit_application(
            acting_user=None,
            alliance=world.alliance,
            data=application_input(
                email=f"racer{n}@example.org",
                children=[ChildInput(f"Racer{n}", "Veloz", born_months_ago(28))],
                preferred_programs=[world.program1.pk],
            ),
        )
        run = run_matching(acting_user=world.hub, alliance=world.alliance)
        proposal = run.proposals.get(applicant__application=application)
        return send_offer(acting_user=world.hub, proposal=proposal)


def _assert_one_state(offer: Offer) -> str:
    with scopes_disabled():
        offer.refresh_from_db()
        applicant = Applicant.objects.get(pk=offer.applicant_id)
        enrolled = Enrollment.objects.filter(offer=offer).count()
        if offer.status == OfferStatus.ACCEPTED:
            assert enrolled == 1 and applicant.status == ApplicantStatus.PLACED
        else:
            assert offer.status == OfferStatus.WITHDRAWN
            assert enrolled == 0 and applicant.status == ApplicantStatus.WAITING
            assert not Enrollment.objects.filter(child=applicant.child).exists()
    return offer.status


@pytest.mark.django_db
def test_stale_acceptance_after_a_withdrawal_is_refused(world, monkeypatch):
    """The conditional update holds even if the row was read before the withdrawal
    committed (what a reader without row locks could see)."""
    offer = _fresh_offer(world, 0)
    with scopes_disabled():
        stale = services_offers._lock(offer)
        services_offers.withdraw_offer(acting_user=world.hub, offer=offer)
        monkeypatch.setattr(services_offers, "_lock", lambda _o: stale)
        assert stale.status == OfferStatus.PENDING
        with pytest.raises(ValidationError):
            accept_offer(acting_user=None, offer=offer)
    assert _assert_one_state(offer) == OfferStatus.WITHDRAWN


@pytest.mark.django_db
def test_stale_withdrawal_after_an_acceptance_is_refused(world, monkeypatch):
    offer = _fresh_offer(world, 0)
    with scopes_disabled():
        stale = services_offers._lock(offer)
        accept_offer(acting_user=None, offer=offer)
        monkeypatch.setattr(services_offers, "_lock", lambda _o: stale)
        with pytest.raises(ValidationError):
            services_offers.withdraw_offer(acting_user=world.hub, offer=offer)
        with pytest.raises(ValidationError):
            services_offers.decline_offer(acting_user=None, offer=offer)
        # The expiry job cannot close it either, even when it is past its expiry.
        Offer.objects.filter(pk=offer.pk).update(expires_at=offer.expires_at - timedelta(days=30))
    assert _assert_one_state(offer) == OfferStatus.ACCEPTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accept_racing_withdraw_through_the_api_ends_in_one_state(world):
    """Family accepts (public API, with its token) while the hub withdraws (bearer token),
    released together by a barrier; five rounds."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    hub_token = issue_api_token(user=world.hub, name="race")
    outcomes = []
    for n in range(5):
        offer = _fresh_offer(world, n)
        with scopes_disabled():
            token = offer.applicant.application.token
        barrier = threading.Barrier(2)
        statuses: dict[str, int] = {}

        def accept(offer=offer, token=token, statuses=statuses, barrier=barrier) -> None:
            try:
                barrier.wait(timeout=20)
                statuses["accept"] = (
                    Client()
                    .post(
                        f"/api/v1/alliances/union-county/applications/{token}/offers/"
                        f"{offer.pk}/accept"
                    )
                    .status_code
                )
            finally:
                connection.close()

        def withdraw(offer=offer, statuses=statuses, barrier=barrier) -> None:
            try:
                barrier.wait(timeout=20)
                statuses["withdraw"] = (
                    Client()
                    .post(
                        f"/api/v1/alliances/union-county/offers/{offer.pk}/withdraw",
                        data={"reason": "seat needed"},
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {hub_token}",
                    )
                    .status_code
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=accept), threading.Thread(target=withdraw)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(statuses.values()) == [200, 422], statuses
        state = _assert_one_state(offer)
        winner = "accept" if state == OfferStatus.ACCEPTED else "withdraw"
        assert statuses[winner] == 200
        outcomes.append(state)
    assert len(outcomes) == 5
