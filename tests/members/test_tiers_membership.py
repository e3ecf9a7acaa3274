"""Membership tiers and fees (/hub/tiers/) and a member's membership (/hub/members/<id>/)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.members.models import Membership, MembershipStatus, MembershipTier
from tests.factories import TierFactory
from tests.members.conftest import audit_actions, rows

pytestmark = pytest.mark.django_db

TIERS = "/a/union-county/hub/tiers/"


def membership_url(program) -> str:
    return f"/a/union-county/hub/members/{program.pk}/membership/"


def membership_of(program) -> Membership:
    with scopes_disabled():
        return Membership.objects.select_related("tier").get(program=program)


@pytest.fixture
def large(world):
    with scopes_disabled():
        return TierFactory(alliance=world.alliance, name="Large", annual_fee=Decimal("800.00"))


# --- tiers ------------------------------------------------------------------------------


def test_the_hub_adds_a_tier(world, as_user):
    response = as_user(world.hub).post(
        TIERS, {"name": " Small home ", "annual_fee": "125.5", "description": "Up to 5"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        tier = MembershipTier.objects.get(name="Small home")
        entry = AuditEntry.objects.get(action="tier.created")
    assert tier.annual_fee == Decimal("125.50")
    assert entry.actor == world.hub


def test_the_public_home_page_lists_offered_tiers_with_fees(world, client, large):
    with scopes_disabled():
        TierFactory(alliance=world.alliance, name="Retired", is_active=False)
    html = client.get("/a/union-county/").content.decode()
    assert "Large" in html and "$800.00" in html
    assert "Retired" not in html


BAD_TIER = [
    ({"name": ""}, "name", "This field is required."),
    ({"annual_fee": "-1"}, "annual_fee", "greater than or equal to 0"),
    ({"annual_fee": "ten"}, "annual_fee", "Enter a number."),
    ({"annual_fee": "1.234"}, "annual_fee", "more than 2 decimal places"),
    ({"annual_fee": "123456789.00"}, "annual_fee", "more than 10 digits"),
    ({"name": "center"}, "name", "already a tier with that name"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_TIER)
def test_bad_tier_input_is_422_and_nothing_saved(world, as_user, changes, field, message):
    data = {"name": "New tier", "annual_fee": "100.00", "description": ""}
    data.update(changes)
    before = rows(MembershipTier), rows(AuditEntry)
    response = as_user(world.hub).post(TIERS, data)
    assert response.status_code == 422
    assert any(message in e for e in response.context["form"].errors[field])
    assert (rows(MembershipTier), rows(AuditEntry)) == before


def test_the_hub_edits_and_retires_a_tier(world, as_user, large):
    response = as_user(world.hub).post(
        f"{TIERS}{large.pk}/", {"name": "Large", "annual_fee": "850.00", "description": "61+"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        large.refresh_from_db()
        entry = AuditEntry.objects.get(action="tier.updated")
    assert large.annual_fee == Decimal("850.00")
    assert large.is_active is False  # the box was not ticked
    assert entry.actor == world.hub
    assert entry.data["annual_fee"] == ["800.00", "850.00"]


def test_a_bad_tier_edit_changes_nothing(world, as_user, large):
    response = as_user(world.hub).post(
        f"{TIERS}{large.pk}/", {"name": "Center", "annual_fee": "850.00", "is_active": "on"}
    )
    assert response.status_code == 422
    assert "already a tier" in response.context["form"].errors["name"][0]
    with scopes_disabled():
        large.refresh_from_db()
    assert (large.name, large.annual_fee) == ("Large", Decimal("800.00"))


def test_another_alliances_tier_is_404(world, as_user):
    with scopes_disabled():
        foreign = TierFactory(alliance=world.other_alliance)
    assert as_user(world.hub).get(f"{TIERS}{foreign.pk}/").status_code == 404


def test_the_tiers_page_has_an_empty_state(world, as_user):
    with scopes_disabled():
        Membership.objects.all().delete()
        MembershipTier.objects.filter(alliance=world.alliance).delete()
    assert b"No tiers yet" in as_user(world.hub).get(TIERS).content


# --- memberships ------------------------------------------------------------------------


def test_the_membership_page_shows_the_member_in_context(world, as_user):
    response = as_user(world.hub).get(membership_url(world.program1))
    assert response.status_code == 200
    detail = response.context["detail"]
    assert [r.user for r in detail.directors] == [world.director1]
    assert detail.classrooms["classrooms"] == 1
    html = response.content.decode()
    assert "director1@example.org" in html
    assert "/p/little-learners/" in html


def test_changing_the_tier_moves_the_fee_and_is_audited(world, as_user, large):
    response = as_user(world.hub).post(
        membership_url(world.program1),
        {"status": "active", "tier": large.pk, "fee_paid_through": "2030-01-31"},
    )
    assert response.status_code == 302
    membership = membership_of(world.program1)
    assert membership.tier == large
    assert membership.annual_fee == Decimal("800.00")
    assert membership.fee_paid_through == date(2030, 1, 31)
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="membership.changed")
    assert entry.actor == world.hub and entry.program == world.program1
    assert set(entry.data) == {"tier", "annual_fee", "fee_paid_through"}


def test_suspending_a_member_hides_it_from_the_directory(world, as_user, client):
    tier = membership_of(world.program1).tier
    as_user(world.hub).post(
        membership_url(world.program1), {"status": "suspended", "tier": tier.pk}
    )
    assert membership_of(world.program1).status == MembershipStatus.SUSPENDED
    assert client.get("/a/union-county/directory/little-learners/").status_code == 404


BAD_MEMBERSHIP = [
    ({"status": "vip"}, "status", "Select a valid choice."),
    ({"tier": ""}, "tier", "This field is required."),
    ({"tier": "999999"}, "tier", "Select a valid choice."),
    ({"fee_paid_through": "someday"}, "fee_paid_through", "Enter a valid date."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_MEMBERSHIP)
def test_bad_membership_input_is_422_and_nothing_saved(world, as_user, changes, field, message):
    tier = membership_of(world.program1).tier
    data = {"status": "active", "tier": tier.pk}
    data.update(changes)
    response = as_user(world.hub).post(membership_url(world.program1), data)
    assert response.status_code == 422
    assert any(message in e for e in response.context["form"].errors[field])
    assert audit_actions(action="membership.changed") == []


def test_another_alliances_tier_is_not_a_choice(world, as_user):
    with scopes_disabled():
        foreign = TierFactory(alliance=world.other_alliance)
    response = as_user(world.hub).post(
        membership_url(world.program1), {"status": "active", "tier": foreign.pk}
    )
    assert response.status_code == 422
    assert membership_of(world.program1).tier != foreign
