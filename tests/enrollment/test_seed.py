"""The enrollment demo data: every child in care has one current enrollment, and a child who
grew through younger rooms has a "moved" enrollment in each, back to back, so the billing
history has children in every month."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled

from alliance.enrollment.models import Enrollment, EnrollmentStatus
from alliance.enrollment.rules import months_between
from alliance.seed.generate import seed

pytestmark = pytest.mark.django_db
TODAY = date(2025, 3, 15)


def test_children_have_a_current_enrollment_and_their_earlier_rooms():
    report = seed("small", log=lambda _m: None, today=TODAY)
    with scopes_disabled():
        rows = list(Enrollment.objects.select_related("classroom", "child").order_by("start_date"))
    by_child = defaultdict(list)
    for e in rows:
        by_child[e.child_id].append(e)
    assert len(by_child) == report.counts["children in care"]
    assert report.counts["enrollments"] == len(rows)
    moved = 0
    for stays in by_child.values():
        *earlier, current = stays
        assert current.end_date is None and current.status == EnrollmentStatus.ACTIVE
        assert current.start_date <= TODAY
        born = current.child.birth_date
        assert months_between(born, current.start_date) >= current.classroom.age_min_months
        for stay, following in zip(earlier, stays[1:], strict=True):
            moved += 1
            assert stay.status == EnrollmentStatus.MOVED
            assert stay.program_id == current.program_id
            assert stay.end_date == following.start_date - timedelta(days=1)
            assert stay.classroom.age_min_months < following.classroom.age_min_months
            assert stay.start_date >= born + timedelta(days=42)  # six weeks at the earliest
    assert moved > 0
    # Many children have been in care since before the year of billing history.
    year_ago = TODAY - timedelta(days=365)
    in_care_then = sum(1 for stays in by_child.values() if stays[0].start_date <= year_ago)
    assert in_care_then > len(by_child) // 4
