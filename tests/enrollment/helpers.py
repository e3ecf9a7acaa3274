"""Small builders for enrollment tests (through the services, so rules apply)."""

from __future__ import annotations

from datetime import date, timedelta

from django_scopes import scopes_disabled

from alliance.enrollment.models import Enrollment
from alliance.enrollment.services import enroll_child
from alliance.families.models import Child
from tests.factories import ChildFactory, FamilyFactory


def born_months_ago(months: int, today: date | None = None) -> date:
    today = today or date.today()
    return today - timedelta(days=int(months * 30.44) + 5)


def make_child(alliance, months: int = 28, **kwargs) -> Child:
    with scopes_disabled():
        family = kwargs.pop("family", None) or FamilyFactory(alliance=alliance)
        return ChildFactory(family=family, birth_date=born_months_ago(months), **kwargs)


def make_enrollment(
    program,
    classroom,
    *,
    months: int = 28,
    start: date | None = None,
    days: str = "01234",
    child: Child | None = None,
) -> Enrollment:
    with scopes_disabled():
        child = child or make_child(program.alliance, months)
        return enroll_child(
            acting_user=None,
            program=program,
            child=child,
            classroom=classroom,
            start_date=start or date.today() - timedelta(days=30),
            days=days,
        )
