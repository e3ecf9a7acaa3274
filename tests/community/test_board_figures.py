"""The challenge board shows each alliance service's live figures, in a bounded number of
queries, and nothing for a service without data."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.community import services_evidence
from alliance.core.tenancy import alliance_scope
from alliance.enrollment import community as enrollment_figures
from alliance.purchasing import community as purchasing_figures
from alliance.purchasing.services_close import close_cycle
from alliance.staffing import community as staffing_figures
from alliance.substitutes import community as substitutes_figures
from alliance.substitutes.models import RequestStatus, SubstituteRequest
from alliance.training import community as training_figures
from tests.enrollment.helpers import make_enrollment
from tests.purchasing.conftest import make_shop, order
from tests.staffing.factories import StaffFactory
from tests.training.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db
BOARD = "/a/union-county/hub/community/board/"


def _requests(world, filled: int, unfilled: int) -> None:
    today = timezone.localdate()
    with scopes_disabled():
        for i in range(filled + unfilled):
            day = today - timedelta(days=5 + i)
            req = SubstituteRequest.objects.create(
                program=world.program1,
                dates=[day.isoformat()],
                first_date=day,
                last_date=day,
                start=time(8),
                end=time(16),
                mode="broadcast",
                status=RequestStatus.FILLED if i < filled else RequestStatus.UNFILLED,
            )
            if i < filled:
                req.filled_at = req.created_at + timedelta(minutes=40)
                req.save(update_fields=["filled_at"])


def _everything(world) -> None:
    _requests(world, filled=3, unfilled=1)
    today = timezone.localdate()
    make_enrollment(world.program1, world.classroom1)
    with scopes_disabled():
        StaffFactory(program=world.program1, hire_date=today - timedelta(days=900))
        StaffFactory(
            program=world.program1,
            hire_date=today - timedelta(days=900),
            separated_on=today - timedelta(days=30),
        )
        session = SessionFactory(
            course__alliance=world.alliance,
            starts_at=timezone.now().replace(month=1, day=15),
            hours=Decimal("40.00"),
        )
        RegistrationFactory(
            session=session, person=world.staff, program=world.program1, attendance="present"
        )
    shop = make_shop(world, closes_at=timezone.now() + timedelta(minutes=5), delivery_on=today)
    order(world.director1, world.program1, shop, gloves=10)
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
    with alliance_scope(world.alliance):
        services_evidence.ensure_themes(alliance=world.alliance)


def test_services_without_data_give_no_figures(world):
    with alliance_scope(world.alliance):
        assert substitutes_figures.figures(world.alliance) == []
        assert purchasing_figures.figures(world.alliance) == []
        assert staffing_figures.figures(world.alliance) == []


def test_each_service_reports_its_figures(world):
    _everything(world)
    with alliance_scope(world.alliance):
        subs = dict(substitutes_figures.figures(world.alliance))
        shop = dict(purchasing_figures.figures(world.alliance))
        staff = dict(staffing_figures.figures(world.alliance))
        seats = dict(enrollment_figures.figures(world.alliance))
        hours = dict(training_figures.figures(world.alliance))
    assert subs == {"Fill rate (90 days)": "75%", "Median time to fill": "40 min"}
    # 10 gloves at the pooled 9.00 against a 12.00 baseline.
    assert (
        shop["Savings this year"].endswith("30.00") and shop["Savings vs usual prices"] == "25.0%"
    )
    assert (
        staff["Staff turnover (12 months)"] == "66.7%"
    )  # 1 left / avg 1.5 and staff["Current staff"] == "1"
    # One child in the world's two 12-seat classrooms; nobody on the waiting list.
    assert seats == {"Enrollment vs staffed capacity": "4% (1/24)", "Children waiting": "0"}
    met, people = hours["Staff meeting yearly training hours"].split("(")[1].rstrip(")").split("/")
    assert met == "1" and int(people) >= 2


def test_board_page_shows_the_figures_in_bounded_queries(
    world, as_user, django_assert_max_num_queries
):
    _everything(world)
    client = as_user(world.hub)
    with django_assert_max_num_queries(40):
        page = client.get(BOARD).content.decode()
    for label in (
        "Fill rate (90 days)",
        "Median time to fill",
        "Savings this year",
        "Staff turnover (12 months)",
        "Enrollment vs staffed capacity",
        "Children waiting",
        "Staff meeting yearly training hours",
    ):
        assert label in page, label
    assert "75%" in page and "25.0%" in page
    # More rows of every kind do not add queries.
    _requests(world, filled=4, unfilled=2)
    with scopes_disabled():
        StaffFactory(program=world.program2, hire_date=timezone.localdate() - timedelta(days=50))
    with CaptureQueriesContext(connection) as first:
        client.get(BOARD)
    _requests(world, filled=2, unfilled=0)
    make_enrollment(world.program2, world.classroom2)
    with CaptureQueriesContext(connection) as second:
        client.get(BOARD)
    assert len(second.captured_queries) == len(first.captured_queries)
