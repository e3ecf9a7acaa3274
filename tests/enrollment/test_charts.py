"""Charts on the hub's numbers page and the director's openings page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.enrollment.charts import rate_trend, trend_dates
from tests.enrollment.helpers import make_enrollment

pytestmark = pytest.mark.django_db


def test_trend_dates_cross_the_year():
    assert trend_dates(date(2026, 2, 10)) == [
        date(2025, 8, 1),
        date(2025, 9, 1),
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 10),
    ]


def test_rate_trend_counts_children_enrolled_on_each_date(world):
    today = timezone.localdate()
    make_enrollment(world.program1, world.classroom1, months=38, start=today - timedelta(400))
    make_enrollment(world.program1, world.classroom1, start=today - timedelta(days=1))
    with scopes_disabled():
        trend = rate_trend([world.program1], today)
    assert [r.enrolled for _on, r in trend][0] == 1 and trend[-1][1].enrolled == 2
    assert trend[-1][1].staffed == world.classroom1.staffed_capacity


def test_hub_numbers_and_director_openings_show_the_charts(
    world, scenario, as_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        page = as_user(world.hub).get("/a/union-county/hub/enrollment/numbers/")
    html = page.content.decode()
    assert page.status_code == 200
    for title in (
        "Enrollment rate against staffed capacity, last six months",
        "Open seats today by age group",
        "Children waiting by age group",
        "Open staffed seats over the next six months",
    ):
        assert title in html
    assert html.count('<svg class="chart"') == 4
    page = as_user(world.director1).get("/p/little-learners/enrollment/openings/")
    html = page.content.decode()
    assert html.count('<svg class="chart"') == 2
    assert "Enrollment rate against staffed capacity" in html
