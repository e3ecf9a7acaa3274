"""A billing set-up on top of the ``world`` personas: Little Learners (program1) bills
monthly at $1,200 full time / $700 part time in its Toddlers room; the López family (signed
in as ``world.family``) has two children there; a second family (Smith) has one child with a
CCAP authorization; Sunshine (program2) has its own family and account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from alliance.billing import services
from alliance.billing.models import FamilyAccount, SubsidyAgency
from alliance.enrollment.models import Enrollment
from alliance.families.models import Child, Family
from tests.factories import ChildFactory, FamilyFactory

MONTH = date(2025, 3, 1)  # March 2025: 21 weekdays, 1st is a Saturday


@dataclass
class Billing:
    world: object
    agency: SubsidyAgency
    lopez: Family
    mateo: Child  # full time, from before March
    sofia: Child  # part time, from before March
    smith: Family
    liam: Child  # full time, CCAP authorized
    other_family: Family  # at Sunshine
    other_child: Child


def enroll(program, classroom, child, *, start=date(2024, 9, 2), end=None, schedule="full"):
    with scopes_disabled():
        return Enrollment.objects.create(
            program=program,
            classroom=classroom,
            child=child,
            start_date=start,
            end_date=end,
            schedule=schedule,
        )


def make_billing(world) -> Billing:
    p1, room = world.program1, world.classroom1
    with scopes_disabled():
        agency = SubsidyAgency.objects.create(
            alliance=world.alliance, name="Union County CCR&R", code="UC-CCRR"
        )
        lopez = FamilyFactory(
            alliance=world.alliance,
            account=world.family,
            name="López family",
            email="family1@example.org",
        )
        mateo = ChildFactory(family=lopez, first_name="Mateo", birth_date=date(2022, 12, 10))
        sofia = ChildFactory(family=lopez, first_name="Sofía", birth_date=date(2023, 1, 20))
        smith = FamilyFactory(
            alliance=world.alliance, name="Smith family", guardian_name="Ann Smith", language="en"
        )
        liam = ChildFactory(
            family=smith, first_name="Liam", last_name="Smith", birth_date=date(2023, 2, 1)
        )
        other_family = FamilyFactory(alliance=world.alliance, name="Jones family")
        other_child = ChildFactory(family=other_family, first_name="Ava", last_name="Jones")
        for schedule, amount in (("full", "1200.00"), ("part", "700.00")):
            services.save_tuition_rate(
                acting_user=world.director1,
                program=p1,
                classroom=room,
                schedule=schedule,
                period="monthly",
                amount=Decimal(amount),
                effective_from=date(2024, 1, 1),
            )
        services.save_tuition_rate(
            acting_user=world.director2,
            program=world.program2,
            classroom=world.classroom2,
            schedule="full",
            period="monthly",
            amount=Decimal("1000.00"),
            effective_from=date(2024, 1, 1),
        )
        enroll(p1, room, mateo)
        enroll(p1, room, sofia, schedule="part")
        enroll(p1, room, liam)
        enroll(world.program2, world.classroom2, other_child)
        services.create_authorization(
            acting_user=world.director1,
            program=p1,
            child=liam,
            agency=agency,
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 12, 31),
            schedule="full",
            weekly_copay=Decimal("20.00"),
        )
    return Billing(world, agency, lopez, mateo, sofia, smith, liam, other_family, other_child)


@pytest.fixture
def billing(world) -> Billing:
    return make_billing(world)


def account_of(program, family) -> FamilyAccount:
    with scopes_disabled():
        return FamilyAccount.objects.get(program=program, family=family)
