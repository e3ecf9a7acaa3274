"""After the shift: hours, invoices at the hub's rate, subsidized budgets, pay summary."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from alliance.core.models import AuditEntry
from alliance.core.tenancy import program_scope
from alliance.substitutes import queries, services_after
from alliance.substitutes.models import (
    Assignment,
    SubstituteInvoice,
    SubstituteRequest,
    Timesheet,
    TimesheetStatus,
)

pytestmark = pytest.mark.django_db


@given(
    start=st.integers(min_value=5 * 60, max_value=12 * 60),
    length=st.integers(min_value=31, max_value=10 * 60),
    brk=st.integers(min_value=0, max_value=30),
)
def test_worked_hours_are_exact_to_the_cent(start, length, brk):
    begin = time(start // 60, start % 60)
    end_minutes = start + length
    end = time(end_minutes // 60, end_minutes % 60)
    hours = services_after.worked_hours(begin, end, brk)
    assert hours == (Decimal(length - brk) / 60).quantize(Decimal("0.01"))
    assert hours.as_tuple().exponent == -2


def _worked(world, pool, day: date, hours_end=time(15)) -> Timesheet:
    """A past shift of sub1 at program1 with approved hours."""
    with scopes_disabled():
        request = SubstituteRequest.objects.create(
            program=world.program1,
            dates=[day.isoformat()],
            first_date=day,
            last_date=day,
            start=time(8),
            end=hours_end,
            mode="waves",
            status="filled",
            assigned_to=world.sub,
        )
        assignment = Assignment.objects.create(
            request=request, substitute=world.sub, accepted_at=timezone.now()
        )
    with program_scope(world.program1):
        sheet = services_after.submit_timesheet(
            acting_user=world.sub,
            assignment=assignment,
            work_date=day,
            start=time(8),
            end=hours_end,
            break_minutes=0,
        )
        return services_after.approve_timesheet(acting_user=world.director1, timesheet=sheet)


def test_invoice_of_a_closed_month_with_budget(world, pool):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    _worked(world, pool, last_month + timedelta(days=2))  # 7 h
    _worked(world, pool, last_month + timedelta(days=9), hours_end=time(12))  # 4 h
    with program_scope(world.program1):
        services_after.set_budget(
            acting_user=world.hub, program=world.program1, year=last_month.year, hours=Decimal("5")
        )
        status = queries.budget_status(world.program1, last_month.year)
        assert status.used == Decimal("11") and status.warn
        invoice = services_after.issue_invoice(
            acting_user=world.hub, program=world.program1, month=last_month, rate=Decimal("28.00")
        )
    assert invoice.hours == Decimal("11.00")
    assert invoice.subsidized_hours == Decimal("5")
    assert invoice.amount == Decimal("168.00")  # (11 - 5) × 28
    with scopes_disabled():
        assert Timesheet.objects.filter(invoice=invoice).count() == 2
        assert AuditEntry.objects.filter(action="substitutes.invoice_issued").count() == 1
    with program_scope(world.program1), pytest.raises(ValidationError, match="already invoiced"):
        services_after.issue_invoice(
            acting_user=world.hub, program=world.program1, month=last_month, rate=Decimal("28")
        )
    with program_scope(world.program1):
        pay = queries.pay_summary(world.alliance.pk, last_month)
    assert pay[0]["hours"] == Decimal("11.00") and pay[0]["pay"] == Decimal("220.00")


def test_the_current_month_cannot_be_invoiced(world):
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services_after.issue_invoice(
            acting_user=world.hub,
            program=world.program1,
            month=timezone.localdate(),
            rate=Decimal("28"),
        )
    assert "month" in exc.value.message_dict
    with scopes_disabled():
        assert not SubstituteInvoice.objects.exists()


def test_hours_are_checked_and_approved_once(world, pool):
    day = timezone.localdate() - timedelta(days=3)
    sheet = _worked(world, pool, day)
    assert sheet.status == TimesheetStatus.APPROVED
    with program_scope(world.program1), pytest.raises(ValidationError):
        services_after.approve_timesheet(acting_user=world.director1, timesheet=sheet)
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services_after.submit_timesheet(
            acting_user=world.sub,
            assignment=sheet.assignment,
            work_date=day,
            start=time(9),
            end=time(8),
            break_minutes=0,
        )
    assert {"end", "work_date"} <= set(exc.value.message_dict)


def _worked_at(world, program, director, day: date) -> Timesheet:
    """A past 7-hour shift of sub1 at ``program`` with approved hours."""
    with scopes_disabled():
        request = SubstituteRequest.objects.create(
            program=program, dates=[day.isoformat()], first_date=day, last_date=day,
            start=time(8), end=time(15), mode="waves", status="filled", assigned_to=world.sub,
        )  # fmt: skip
        assignment = Assignment.objects.create(
            request=request, substitute=world.sub, accepted_at=timezone.now()
        )
    with program_scope(program):
        sheet = services_after.submit_timesheet(
            acting_user=world.sub, assignment=assignment, work_date=day,
            start=time(8), end=time(15), break_minutes=0,
        )  # fmt: skip
        services_after.set_budget(
            acting_user=world.hub, program=program, year=day.year, hours=Decimal("100")
        )
        return services_after.approve_timesheet(acting_user=director, timesheet=sheet)


def test_the_hub_invoice_page_reads_every_members_budget_at_once(world, pool, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    url = f"/a/union-county/hub/substitutes/invoices/?month={last_month:%Y-%m}"
    hub = as_user(world.hub)
    _worked_at(world, world.program1, world.director1, last_month + timedelta(days=2))
    hub.get(url)  # the first visit creates the pool's settings
    with CaptureQueriesContext(connection) as one:
        assert hub.get(url).status_code == 200
    _worked_at(world, world.program2, world.director2, last_month + timedelta(days=3))
    with CaptureQueriesContext(connection) as two:
        response = hub.get(url)
    assert response.status_code == 200
    assert len(two.captured_queries) == len(one.captured_queries)
    with scopes_disabled():
        statuses = queries.budget_statuses([world.program1.pk, world.program2.pk], last_month.year)
        alone = queries.budget_status(world.program1, last_month.year)
    assert {s.used for s in statuses.values()} == {Decimal("7.00")}
    assert alone == statuses[world.program1.pk]
