"""A benefits pool on top of the ``world`` personas: next year's open enrollment is open
today, a health, a dental and a retirement plan, Little Learners' and Sunshine's policies,
and staff records (Sam Teacher is ``world.staff``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.benefits import services
from alliance.benefits.models import Plan, PlanYear
from alliance.staffing.models import StaffMember
from tests.staffing.factories import StaffFactory

D = Decimal
PDF = b"%PDF-1.4 a plan summary"
PNG = b"\x89PNG\r\n\x1a\n rest of a picture"


@dataclass
class Pool:
    today: date
    current_year: PlanYear
    next_year: PlanYear
    health: Plan  # 500 / 1000 / 900 / 1500; program1 pays 80% of employee-only (400.00)
    dental: Plan  # 40 / 80 / 85 / 120; program1 pays 50% of the tier
    retirement: Plan  # deferral 1–10%, 100% of the first 3% + 50% of the next 2%
    sam: StaffMember  # world.staff at program1, 40 h
    pat: StaffMember  # program1, no login, 35 h
    riley: StaffMember  # program2


def make_pool(world, today: date | None = None) -> Pool:
    today = today or timezone.localdate()
    hub = world.hub
    with scopes_disabled():
        current = services.save_plan_year(
            acting_user=hub, alliance=world.alliance, name=str(today.year),
            starts_on=date(today.year, 1, 1), ends_on=date(today.year, 12, 31),
            enrollment_opens_on=date(today.year - 1, 11, 1),
            enrollment_closes_on=date(today.year - 1, 11, 30),
        )  # fmt: skip
        upcoming = services.save_plan_year(
            acting_user=hub, alliance=world.alliance, name=str(today.year + 1),
            starts_on=date(today.year + 1, 1, 1), ends_on=date(today.year + 1, 12, 31),
            enrollment_opens_on=today - timedelta(days=5),
            enrollment_closes_on=today + timedelta(days=10),
        )  # fmt: skip
        health = services.save_plan(
            acting_user=hub, alliance=world.alliance, kind="health",
            carrier="Garden State Health", name="Silver PPO",
        )  # fmt: skip
        dental = services.save_plan(
            acting_user=hub, alliance=world.alliance, kind="dental",
            carrier="Bright Smile", name="Dental PPO",
        )  # fmt: skip
        retirement = services.save_plan(
            acting_user=hub, alliance=world.alliance, kind="retirement", carrier="Trust",
            name="403(b)", deferral_min_percent=D(1), deferral_max_percent=D(10),
            match_formula=[[3, 100], [5, 50]], vesting=[[0, 0], [2, 50], [4, 100]],
        )  # fmt: skip
        jan = date(today.year, 1, 1)
        services.set_rates(
            acting_user=hub, plan=health, effective_on=jan, employee=D("500"),
            employee_spouse=D("1000"), employee_children=D("900"), family=D("1500"),
        )  # fmt: skip
        services.set_rates(
            acting_user=hub, plan=dental, effective_on=jan, employee=D("40"),
            employee_spouse=D("80"), employee_children=D("85"), family=D("120"),
        )  # fmt: skip
        d1 = world.director1
        services.set_policy(
            acting_user=d1, program=world.program1, plan=health,
            contribution_kind="percent_employee", contribution_value=D(80),
            min_hours=D(30), waiting_days=60,
        )  # fmt: skip
        services.set_policy(
            acting_user=d1, program=world.program1, plan=dental,
            contribution_kind="percent_tier", contribution_value=D(50),
            min_hours=D(30), waiting_days=60,
        )  # fmt: skip
        services.set_policy(
            acting_user=d1, program=world.program1, plan=retirement, contribution_kind="fixed",
            contribution_value=D(0), min_hours=D(20), waiting_days=0,
        )  # fmt: skip
        services.set_policy(
            acting_user=world.director2, program=world.program2, plan=health,
            contribution_kind="fixed", contribution_value=D(300), min_hours=D(30),
            waiting_days=30,
        )  # fmt: skip
        hired = today - timedelta(days=700)
        sam = StaffFactory(program=world.program1, user=world.staff, full_name="Sam Teacher",
                           email=world.staff.email, hire_date=hired)  # fmt: skip
        pat = StaffFactory(program=world.program1, full_name="Pat Noaccount", hire_date=hired,
                           hours_per_week=D("35"))  # fmt: skip
        riley = StaffFactory(program=world.program2, full_name="Riley Sun", hire_date=hired)
    return Pool(today, current, upcoming, health, dental, retirement, sam, pat, riley)


@pytest.fixture
def pool(world) -> Pool:
    return make_pool(world)
