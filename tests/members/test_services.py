"""The members services called directly (as the API and the seed call them): validation
before any write, no half-saves, unknown fields refused, one audit row per change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.core.tenancy import alliance_scope, program_scope
from alliance.members import services
from alliance.members.models import (
    Classroom,
    Membership,
    MembershipApplication,
    MembershipTier,
    Program,
    Site,
)
from alliance.members.services import _one_year_after
from tests.factories import TierFactory
from tests.members.conftest import rows

pytestmark = pytest.mark.django_db


def application_fields(**changes) -> dict:
    data = {
        "program_name": "Bright Beginnings",
        "kind": "center",
        "contact_name": "Rosa Díaz",
        "email": "rosa@bright.example.org",
        "license_number": "CC-90001",
        "licensed_capacity": 48,
        "town": "Linden",
        "zip_code": "07036",
        "ages_min_months": 6,
        "ages_max_months": 59,
    }
    data.update(changes)
    return data


def errors_of(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- applications -----------------------------------------------------------------------


def test_submit_refuses_unknown_fields(world):
    with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
        services.submit_application(
            alliance=world.alliance, data=application_fields(status="approved")
        )
    assert "status" in errors_of(exc)
    assert rows(MembershipApplication) == 0


def test_submit_reports_every_bad_field_at_once_and_saves_nothing(world):
    bad = application_fields(
        email="x", zip_code="1", ages_min_months=50, ages_max_months=10, program_name=""
    )
    with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
        services.submit_application(alliance=world.alliance, data=bad)
    assert {"email", "zip_code", "ages_max_months", "program_name"} <= set(errors_of(exc))
    assert (rows(MembershipApplication), rows(AuditEntry)) == (0, 0)


def test_submit_survives_nonsense_types(world):
    with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
        services.submit_application(
            alliance=world.alliance, data=application_fields(licensed_capacity="many")
        )
    assert "licensed_capacity" in errors_of(exc)


def test_submit_refuses_a_tier_of_another_alliance(world):
    with scopes_disabled():
        foreign = TierFactory(alliance=world.other_alliance)
    with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
        services.submit_application(alliance=world.alliance, data=application_fields(tier=foreign))
    assert "tier" in errors_of(exc)


def test_approve_refuses_a_tier_of_another_alliance(world):
    with scopes_disabled():
        foreign = TierFactory(alliance=world.other_alliance)
    with alliance_scope(world.alliance):
        application = services.submit_application(
            alliance=world.alliance, data=application_fields()
        )
        with pytest.raises(ValidationError) as exc:
            services.approve_application(
                acting_user=world.hub, application=application, tier=foreign
            )
    assert "tier" in errors_of(exc)
    assert rows(Program) == 4


def test_approve_sets_the_renewal_a_year_later(world):
    with scopes_disabled():
        tier = MembershipTier.objects.filter(alliance=world.alliance).first()
    with alliance_scope(world.alliance):
        application = services.submit_application(
            alliance=world.alliance, data=application_fields()
        )
        program = services.approve_application(
            acting_user=world.hub, application=application, tier=tier, joined_on=date(2028, 2, 29)
        )
    with scopes_disabled():
        membership = Membership.objects.get(program=program)
    assert (membership.joined_on, membership.renews_on) == (date(2028, 2, 29), date(2029, 2, 28))


def test_one_year_after():
    assert _one_year_after(date(2025, 3, 1)) == date(2026, 3, 1)
    assert _one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)


# --- programs ---------------------------------------------------------------------------


def test_update_program_refuses_unknown_fields(world):
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services.update_program(acting_user=world.director1, program=world.program1, slug="x")
    assert "slug" in errors_of(exc)


def test_update_program_leaves_the_object_alone_when_refused(world):
    program = world.program1
    with program_scope(program), pytest.raises(ValidationError):
        services.update_program(
            acting_user=world.director1, program=program, name="Renamed", zip_code="nope"
        )
    assert program.name == "Little Learners"
    with scopes_disabled():
        assert Program.objects.get(pk=program.pk).name == "Little Learners"
    assert rows(AuditEntry) == 0


def test_update_program_checks_the_family_home_limit(world):
    with program_scope(world.home), pytest.raises(ValidationError) as exc:
        services.update_program(acting_user=world.provider, program=world.home, licensed_capacity=6)
    assert "at most 5" in errors_of(exc)["licensed_capacity"][0]


def test_update_program_saves_only_changed_fields(world):
    with program_scope(world.program1):
        services.update_program(
            acting_user=world.director1, program=world.program1, town="Roselle Park"
        )
        row = AuditEntry.objects.get(action="program.updated")
    assert row.data == {"town": ["Elizabeth", "Roselle Park"]}


# --- classrooms and sites ---------------------------------------------------------------


def test_create_classroom_refuses_another_programs_site(world):
    with scopes_disabled():
        theirs = Site.objects.create(
            program=world.program2, name="Theirs", address="1 A St", town="Union", zip_code="07083"
        )
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services.create_classroom(
            acting_user=world.director1,
            program=world.program1,
            name="Annex room",
            age_min_months=24,
            age_max_months=35,
            licensed_capacity=10,
            site=theirs,
        )
    assert "site" in errors_of(exc)
    assert rows(Classroom) == 2


def test_update_classroom_refuses_unknown_fields_and_bad_types(world):
    with program_scope(world.program1):
        with pytest.raises(ValidationError) as exc:
            services.update_classroom(
                acting_user=world.director1, classroom=world.classroom1, program=world.program2
            )
        assert "program" in errors_of(exc)
        with pytest.raises(ValidationError) as exc:
            services.update_classroom(
                acting_user=world.director1, classroom=world.classroom1, licensed_capacity="x"
            )
        assert "licensed_capacity" in errors_of(exc)
    assert world.classroom1.licensed_capacity == 12


def test_update_classroom_staffed_none_means_fully_staffed(world):
    with program_scope(world.program1):
        services.update_classroom(
            acting_user=world.director1,
            classroom=world.classroom1,
            licensed_capacity=14,
            staffed_capacity=None,
        )
    with scopes_disabled():
        room = Classroom.objects.get(pk=world.classroom1.pk)
    assert (room.licensed_capacity, room.staffed_capacity) == (14, 14)


def test_update_site_refuses_unknown_fields(world):
    with program_scope(world.program1):
        site = services.create_site(
            acting_user=world.director1,
            program=world.program1,
            name=" Annex ",
            address="1 A St",
            town="Union",
            zip_code="07083",
        )
        assert site.name == "Annex"
        with pytest.raises(ValidationError) as exc:
            services.update_site(acting_user=world.director1, site=site, program=world.program2)
    assert "program" in errors_of(exc)


# --- tiers and memberships --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        ("-5", "cannot be negative"),
        ("abc", "dollars and cents"),
        (1.5, "dollars and cents"),
        ("1e12", "too large"),
        ("NaN", "dollars and cents"),
    ],
)
def test_create_tier_refuses_bad_fees(world, fee, message):
    with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
        services.create_tier(
            acting_user=world.hub, alliance=world.alliance, name="T", annual_fee=fee
        )
    assert message in errors_of(exc)["annual_fee"][0]
    assert rows(MembershipTier) == 2  # the world's two alliances' first tiers


def test_create_tier_rounds_half_up_to_the_cent(world):
    with alliance_scope(world.alliance):
        tier = services.create_tier(
            acting_user=world.hub, alliance=world.alliance, name="T", annual_fee="10.005"
        )
    assert tier.annual_fee == Decimal("10.01")


def test_change_membership_refuses_an_unknown_status(world):
    with program_scope(world.program1):
        membership = Membership.objects.get(program=world.program1)
        with pytest.raises(ValidationError) as exc:
            services.change_membership(acting_user=world.hub, membership=membership, status="vip")
    assert "status" in errors_of(exc)


def test_change_membership_without_changes_writes_nothing(world):
    with program_scope(world.program1):
        membership = Membership.objects.get(program=world.program1)
        services.change_membership(
            acting_user=world.hub, membership=membership, status=membership.status
        )
    assert rows(AuditEntry) == 0


def test_a_repriced_tier_applies_at_the_next_membership_change(world):
    with scopes_disabled():
        membership = Membership.objects.select_related("tier").get(program=world.program1)
    tier = membership.tier
    with alliance_scope(world.alliance):
        services.update_tier(acting_user=world.hub, tier=tier, annual_fee="500.00")
    with scopes_disabled():
        membership.refresh_from_db()
    assert membership.annual_fee == Decimal("450.00")  # unchanged until the hub saves it
    with program_scope(world.program1):
        services.change_membership(acting_user=world.hub, membership=membership, tier=tier)
    assert membership.annual_fee == Decimal("500.00")
