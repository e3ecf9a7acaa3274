"""Factories for staffing tests."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import factory

from alliance.staffing.models import (
    Candidate,
    Credential,
    JobPosting,
    ScheduleBlock,
    StaffMember,
    StaffRole,
)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    full_name = factory.Sequence(lambda n: f"Teacher {n}")
    role = StaffRole.GROUP_TEACHER
    hire_date = date(2023, 8, 1)
    hours_per_week = Decimal("40.0")
    wage = Decimal("18.50")


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleBlock

    program = factory.SelfAttribute("staff.program")
    weekday = 0
    starts_at = time(7, 0)
    ends_at = time(15, 0)


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    kind = "cpr_first_aid"
    issued_on = date(2025, 1, 1)
    expires_on = None


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting

    title = "Toddler teacher"
    role = StaffRole.GROUP_TEACHER
    hours_per_week = Decimal("40.0")
    wage_min = Decimal("17.00")
    wage_max = Decimal("21.00")
    description = "Lead a toddler room of 12."
    posted_on = factory.LazyFunction(date.today)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    full_name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.net")
    town = "Elizabeth"
