"""Factories for every model the foundation has. Modules add theirs beside these."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from alliance.accounts.models import Role, User
from alliance.core.policy import RoleKind
from alliance.families.models import Child, Family
from alliance.members.models import (
    Alliance,
    Classroom,
    Membership,
    MembershipApplication,
    MembershipTier,
    Program,
    ProgramKind,
)

PASSWORD = "correct-horse-battery"


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"County {n} Alliance")
    slug = factory.Sequence(lambda n: f"county-{n}")
    county = "Union"
    state = "NJ"


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipTier

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    annual_fee = Decimal("450.00")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    kind = ProgramKind.CENTER
    license_number = factory.Sequence(lambda n: f"CC-{10000 + n}")
    license_expires_on = factory.LazyFunction(lambda: date.today() + timedelta(days=400))
    licensed_capacity = 60
    staffed_capacity = 52
    ages_min_months = 0
    ages_max_months = 71
    town = "Elizabeth"
    zip_code = "07201"

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        tier = MembershipTier.objects.with_scopes_disabled().filter(
            alliance=self.alliance
        ).first() or TierFactory(alliance=self.alliance)
        Membership.objects.with_scopes_disabled().create(
            program=self,
            tier=tier,
            annual_fee=tier.annual_fee,
            joined_on=date.today() - timedelta(days=100),
            renews_on=date.today() + timedelta(days=265),
        )


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    age_min_months = 24
    age_max_months = 35
    licensed_capacity = 12
    staffed_capacity = 12


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = RoleKind.STAFF
    alliance = factory.LazyAttribute(lambda o: o.program.alliance if o.program else None)
    program = None


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    alliance = factory.SubFactory(AllianceFactory)
    program_name = factory.Sequence(lambda n: f"Applicant Center {n}")
    kind = ProgramKind.CENTER
    contact_name = "Ana Applicant"
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    license_number = factory.Sequence(lambda n: f"CC-{50000 + n}")
    licensed_capacity = 45
    town = "Linden"
    zip_code = "07036"
    ages_min_months = 6
    ages_max_months = 59
    submitted_at = factory.LazyFunction(timezone.now)


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    alliance = factory.SubFactory(AllianceFactory)
    name = "López family"
    guardian_name = "Fernanda López"
    town = "Elizabeth"
    zip_code = "07201"
    language = "es"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    family = factory.SubFactory(FamilyFactory)
    first_name = "Mateo"
    last_name = "López"
    birth_date = factory.LazyFunction(lambda: date.today() - timedelta(days=800))
