"""Matching run → offer → accept/decline/expire/withdraw, end to end through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.enrollment.models import (
    ApplicantStatus,
    Enrollment,
    OfferStatus,
    Proposal,
    ProposalStatus,
)
from alliance.enrollment.services_offers import (
    accept_offer,
    decline_offer,
    expire_due_offers,
    withdraw_offer,
)

pytestmark = pytest.mark.django_db


def test_matching_proposes_both_families_where_they_fit(world, scenario):
    assert scenario.proposal.program == world.program1
    assert scenario.waiting_proposal.program == world.program2  # Plainfield family
    assert ("preference:1", 40) in [tuple(r) for r in scenario.proposal.reasons]


def test_accept_enrolls_and_notifies_program(world, scenario, mailoutbox):
    with scopes_disabled():
        enrollment = accept_offer(acting_user=None, offer=scenario.offer)
        assert enrollment.classroom == world.classroom1
        assert enrollment.offer == scenario.offer
        scenario.offer.refresh_from_db()
        assert scenario.offer.status == OfferStatus.ACCEPTED
        applicant = scenario.offer.applicant
        applicant.refresh_from_db()
        assert applicant.status == ApplicantStatus.PLACED
        scenario.application.refresh_from_db()
        assert scenario.application.status == "placed"
        assert AuditEntry.objects.filter(action="offer.accepted").exists()
        # Accepting twice: a clear message and nothing more saved.
        with pytest.raises(ValidationError):
            accept_offer(acting_user=None, offer=scenario.offer)
        assert Enrollment.objects.filter(child=applicant.child).count() == 1


def test_accept_after_expiry_is_refused(world, scenario):
    with scopes_disabled():
        type(scenario.offer).objects.filter(pk=scenario.offer.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        with pytest.raises(ValidationError) as exc:
            accept_offer(acting_user=None, offer=scenario.offer)
        assert "expired" in exc.value.messages[0]
        assert not Enrollment.objects.filter(offer=scenario.offer).exists()
        assert expire_due_offers(alliance=world.alliance) == 1
        scenario.offer.refresh_from_db()
        assert scenario.offer.status == OfferStatus.EXPIRED


def test_withdrawn_offer_cannot_be_accepted(world, scenario):
    with scopes_disabled():
        withdraw_offer(acting_user=world.hub, offer=scenario.offer, reason="Room closed")
        with pytest.raises(ValidationError):
            accept_offer(acting_user=None, offer=scenario.offer)
        assert not Enrollment.objects.filter(offer=scenario.offer).exists()


def test_decline_keeps_child_waiting_and_proposes_next(world, scenario):
    with scopes_disabled():
        before = Proposal.objects.filter(status=ProposalStatus.PROPOSED).count()
        decline_offer(acting_user=None, offer=scenario.offer, reason="Too far")
        applicant = scenario.offer.applicant
        applicant.refresh_from_db()
        assert applicant.status == ApplicantStatus.WAITING
        # The Plainfield family cannot reach Elizabeth, so no new proposal is possible.
        assert Proposal.objects.filter(status=ProposalStatus.PROPOSED).count() == before
        with pytest.raises(ValidationError):
            decline_offer(acting_user=None, offer=scenario.offer)


@pytest.mark.parametrize("hub_first", [True, False])
def test_accept_and_withdraw_race_ends_in_one_state(world, scenario, hub_first):
    """Both orders of an acceptance meeting the hub's withdrawal: exactly one wins, the other
    gets a clear message, and offer, applicant and enrollments agree."""
    steps = [
        lambda: withdraw_offer(acting_user=world.hub, offer=scenario.offer, reason="x"),
        lambda: accept_offer(acting_user=None, offer=scenario.offer),
    ]
    if not hub_first:
        steps.reverse()
    with scopes_disabled():
        steps[0]()
        with pytest.raises(ValidationError):
            steps[1]()
        scenario.offer.refresh_from_db()
        applicant = scenario.offer.applicant
        applicant.refresh_from_db()
        enrolled = Enrollment.objects.filter(child=applicant.child).count()
        if hub_first:
            assert scenario.offer.status == OfferStatus.WITHDRAWN
            assert applicant.status == ApplicantStatus.WAITING and enrolled == 0
        else:
            assert scenario.offer.status == OfferStatus.ACCEPTED
            assert applicant.status == ApplicantStatus.PLACED and enrolled == 1


def test_family_with_an_account_gets_the_offer_as_a_notification(world, scenario):
    from alliance.notifications.models import Notification

    with scopes_disabled():
        family = scenario.waiting.family
        family.account = world.family
        family.save(update_fields=["account"])
        from alliance.enrollment.services_offers import send_offer

        send_offer(acting_user=world.hub, proposal=scenario.waiting_proposal)
        note = Notification.objects.get(recipient=world.family, kind="enrollment_offer")
        assert "Sunshine" in note.subject
        assert scenario.waiting.token in note.link
