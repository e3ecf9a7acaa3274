"""A program's membership, and the hub's list and changes of memberships."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.members.models import Membership
from tests.factories import TierFactory

pytestmark = pytest.mark.django_db

HUB = "/alliances/union-county/memberships"


def membership_of(program) -> Membership:
    with scopes_disabled():
        return Membership.objects.select_related("tier").get(program=program)


@pytest.fixture
def big_tier(world):
    with scopes_disabled():
        return TierFactory(
            alliance=world.alliance, name="Large center", annual_fee=Decimal("1200.5")
        )


def test_program_membership(world, api_as):
    response = api_as(world.staff).get("/programs/little-learners/membership")
    assert response.status_code == 200
    m = membership_of(world.program1)
    assert response.json() == {
        "program": "little-learners",
        "program_name": "Little Learners",
        "status": "active",
        "tier": {"id": m.tier_id, "name": "Center", "annual_fee": "450.00"},
        "annual_fee": "450.00",
        "joined_on": m.joined_on.isoformat(),
        "renews_on": m.renews_on.isoformat(),
        "fee_paid_through": None,
    }


def test_hub_lists_memberships_by_program_name(world, api_as):
    response = api_as(world.hub).get(HUB)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [m["program"] for m in body["items"]] == ["garcia-fcc", "little-learners", "sunshine"]
    assert all(m["annual_fee"] == "450.00" for m in body["items"])


def test_hub_list_paginates(world, api_as):
    body = api_as(world.hub).get(HUB, {"limit": 1, "offset": 2}).json()
    assert body["count"] == 3
    assert [m["program"] for m in body["items"]] == ["sunshine"]


def test_change_membership_status_and_tier(world, api_as, big_tier):
    response = api_as(world.hub).patch(
        f"{HUB}/sunshine",
        {"status": "suspended", "tier": big_tier.pk, "fee_paid_through": "2026-06-30"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "suspended"
    assert body["tier"] == {"id": big_tier.pk, "name": "Large center", "annual_fee": "1200.50"}
    assert body["annual_fee"] == "1200.50"  # the fee follows the tier
    assert body["fee_paid_through"] == "2026-06-30"
    m = membership_of(world.program2)
    assert (m.status, m.tier_id, m.annual_fee, m.fee_paid_through) == (
        "suspended",
        big_tier.pk,
        Decimal("1200.50"),
        date(2026, 6, 30),
    )
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="membership.changed")
    assert entry.actor == world.hub


def test_change_only_the_paid_date(world, api_as):
    response = api_as(world.hub).patch(f"{HUB}/sunshine", {"fee_paid_through": "2027-01-31"})
    assert response.status_code == 200
    m = membership_of(world.program2)
    assert (m.status, m.fee_paid_through) == ("active", date(2027, 1, 31))


def test_another_alliances_tier_is_refused(world, api_as):
    with scopes_disabled():
        foreign = TierFactory(alliance=world.other_alliance, name="Essex tier")
    response = api_as(world.hub).patch(f"{HUB}/sunshine", {"tier": foreign.pk})
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "tier": ["Choose one of this alliance's membership tiers."]
    }
    assert membership_of(world.program2).tier.name == "Center"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"status": "paused"}, "status"),
        ({"status": None}, "status"),
        ({"tier": "gold"}, "tier"),
        ({"tier": 999999}, "tier"),
        ({"fee_paid_through": "soon"}, "fee_paid_through"),
        ({"annual_fee": "0.00"}, "annual_fee"),  # the fee comes from the tier only
        ({"joined_on": "2020-01-01"}, "joined_on"),
    ],
)
def test_bad_membership_input_is_422_and_changes_nothing(world, api_as, data, field):
    response = api_as(world.hub).patch(
        f"{HUB}/sunshine", {"fee_paid_through": "2027-01-31", **data}
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    m = membership_of(world.program2)
    assert (m.status, m.annual_fee, m.fee_paid_through) == ("active", Decimal("450.00"), None)


def test_another_alliances_program_is_404_for_this_hub(world, api_as):
    client = api_as(world.hub)
    assert client.patch(f"{HUB}/newark-kids", {"status": "ended"}).status_code == 404
    assert client.patch(f"{HUB}/no-such-program", {"status": "ended"}).status_code == 404
    assert membership_of(world.other_program).status == "active"


def test_a_missing_alliance_is_404(world, api_as):
    assert api_as(world.hub).get("/alliances/nowhere/memberships").status_code == 404


def test_directors_cannot_change_memberships(world, api_as):
    response = api_as(world.director2).patch(f"{HUB}/sunshine", {"status": "ended"})
    assert response.status_code == 403
    assert membership_of(world.program2).status == "active"
