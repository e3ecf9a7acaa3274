"""Helpers shared by the collections and claims tests (on top of ``tests/billing/conftest``):
attendance days, a posted March run, and a submitted March claim."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django_scopes import scopes_disabled

from alliance.billing import services_claims, services_runs
from alliance.billing.models import SubsidyClaim
from alliance.enrollment.models import Attendance
from tests.billing.conftest import MONTH

APRIL = date(2025, 4, 10)  # "today" in these tests: March is last month


def attend(program, classroom, child, days) -> None:
    with scopes_disabled():
        Attendance.objects.bulk_create(
            Attendance(
                program=program,
                classroom=classroom,
                child=child,
                date=d,
                checked_in_at=datetime(d.year, d.month, d.day, 13, tzinfo=UTC),
            )
            for d in days
        )


def weekdays(start: date, end: date) -> list[date]:
    return [
        start + timedelta(days=i)
        for i in range((end - start).days + 1)
        if (start + timedelta(days=i)).weekday() < 5
    ]


def post_march(billing):
    w = billing.world
    with scopes_disabled():
        return services_runs.post_run(
            acting_user=w.director1, program=w.program1, period="monthly", day=MONTH
        )


def submitted_march_claim(billing, *, attended=None) -> SubsidyClaim:
    """March is billed, Liam attended (default: every weekday but two), the claim is built
    and submitted."""
    w = billing.world
    post_march(billing)
    days = weekdays(date(2025, 3, 1), date(2025, 3, 31))
    attend(w.program1, w.classroom1, billing.liam, attended if attended is not None else days[2:])
    with scopes_disabled():
        claim = services_claims.create_claim(
            acting_user=w.director1,
            program=w.program1,
            agency=billing.agency,
            period_start=MONTH,
            today=APRIL,
        )
        return services_claims.submit_claim(acting_user=w.director1, claim=claim)
