"""Shared helpers for the training tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.training.models import Session
from tests.training.factories import CourseFactory, SessionFactory


@pytest.fixture
def course(world):
    with scopes_disabled():
        return CourseFactory(alliance=world.alliance, title="Pediatric CPR and First Aid")


@pytest.fixture
def session(world, course) -> Session:
    """Next week, two seats, trainer: director1."""
    with scopes_disabled():
        return SessionFactory(course=course, seats=2, trainer=world.director1)


@pytest.fixture
def past_session(world, course) -> Session:
    """Yesterday, trainer: director1."""
    with scopes_disabled():
        starts = timezone.now() - timedelta(days=1)
        return SessionFactory(course=course, starts_at=starts, trainer=world.director1)


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str]]:
    """Messages the services sent: (recipient email, kind)."""
    calls: list[tuple[str, str]] = []

    def fake_tell(*, person, kind, session, link, urgent=False):
        calls.append((person.email, kind))

    monkeypatch.setattr("alliance.training.services.tell", fake_tell)
    return calls
