"""Helpers to build a substitute pool for tests."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.models import Role, User
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance
from alliance.staffing.models import Credential
from alliance.substitutes.models import Availability, ProfileStatus, SubstituteProfile
from tests.factories import UserFactory

CHECKS = ("cpr_first_aid", "cari", "fingerprints")


def next_weekday(days_ahead: int = 1) -> date:
    """A Monday-to-Friday date at least ``days_ahead`` days from today."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def make_sub(
    alliance: Alliance,
    email: str | None = None,
    *,
    user: User | None = None,
    town: str = "Elizabeth",
    qualifications: tuple[str, ...] = ("assistant", "preschool"),
    languages: tuple[str, ...] = ("English",),
    travel_miles: int = 15,
    checks: tuple[str, ...] = CHECKS,
    checks_expire: date | None = None,
    status: str = ProfileStatus.ACTIVE,
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
) -> SubstituteProfile:
    """A substitute with a role, a profile, weekday availability 6:00–19:00 and valid checks."""
    with scopes_disabled():
        if user is None:
            user = UserFactory(email=email) if email else UserFactory()
        Role.objects.get_or_create(user=user, kind=RoleKind.SUBSTITUTE, alliance=alliance)
        profile = SubstituteProfile.objects.create(
            alliance=alliance,
            user=user,
            home_town=town,
            travel_miles=travel_miles,
            qualifications=list(qualifications),
            languages=list(languages),
            pay_rate=Decimal("20.00"),
            status=status,
        )
        Availability.objects.bulk_create(
            [
                Availability(profile=profile, weekday=w, start=time(6), end=time(19))
                for w in weekdays
            ]
        )
        for kind in checks:
            Credential.objects.create(
                alliance=alliance,
                person=user,
                kind=kind,
                issued_on=date(2024, 1, 1),
                expires_on=checks_expire,
            )
    return profile
