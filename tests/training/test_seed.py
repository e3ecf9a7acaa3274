"""The training seed: a catalog, a year of sessions, and staff1 short of their hours."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F, Q
from django_scopes import scopes_disabled

from alliance.accounts.models import User
from alliance.members.models import Alliance
from alliance.seed.generate import seed
from alliance.training import queries
from alliance.training.models import Course, Registration, Session

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 15)


def test_seed_makes_a_catalog_sessions_and_staff1_below_requirement():
    seed("small", log=lambda *_: None, today=TODAY)
    with scopes_disabled():
        alliance = Alliance.objects.get(slug="union-county")
        titles = set(Course.objects.filter(alliance=alliance).values_list("title", flat=True))
        assert "Pediatric CPR and First Aid" in titles
        assert any("Orientación" in t for t in titles)
        sessions = Session.objects.filter(alliance=alliance)
        tz = ZoneInfo(alliance.timezone)
        now = datetime.combine(TODAY, time(12), tzinfo=tz)
        assert sessions.filter(starts_at__lt=now).count() > 30
        assert sessions.filter(starts_at__gt=now).count() > 8
        assert sessions.filter(language="es").exists()
        over = sessions.annotate(
            taken=Count("registrations", filter=Q(registrations__status="confirmed"))
        ).filter(taken__gt=F("seats"))
        assert not over.exists()
        staff1 = User.objects.get(email="staff1@example.org")
        hours = queries.hours_for_person(staff1, alliance, TODAY.year)
        # 12 hours as staff, 20 once the staffing seed makes them a head or group teacher.
        assert hours.progress.requirement.hours in (12, 20)
        assert 0 < hours.progress.credited < hours.progress.requirement.hours
        upcoming = Registration.objects.filter(
            person=staff1, status="confirmed", session__starts_at__gt=now
        )
        assert upcoming.count() == 1
