"""Factories for the training module."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from alliance.training.models import Course, Registration, Session, Topic
from tests.factories import AllianceFactory, UserFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    topic = Topic.CURRICULUM
    hours = Decimal("3.00")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    alliance = factory.SelfAttribute("course.alliance")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    location = "Alliance training room, Elizabeth"
    seats = 10
    hours = factory.SelfAttribute("course.hours")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    alliance = factory.SelfAttribute("session.alliance")
    person = factory.SubFactory(UserFactory)
    status = "confirmed"
