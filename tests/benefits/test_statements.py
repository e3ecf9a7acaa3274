"""Statements to the cent, remittance, retirement contributions, payroll export, figures and
the calculator; every list page and endpoint within a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from alliance.benefits import figures, services, statements
from alliance.benefits.models import Election, MemberPolicy
from tests.staffing.factories import StaffFactory

pytestmark = pytest.mark.django_db
D = Decimal


def enroll(world, pool, staff, plan, tier="employee", **extra):
    return Election.objects.create(
        program=staff.program, staff=staff, kind=plan.kind, plan=plan, status="enrolled",
        tier=tier, starts_on=pool.current_year.starts_on, **extra,
    )  # fmt: skip


@pytest.fixture
def billed(world, pool):
    with scopes_disabled():
        enroll(world, pool, pool.sam, pool.health, "family")
        enroll(world, pool, pool.sam, pool.dental, "family")
        enroll(world, pool, pool.pat, pool.health, "employee")
        enroll(world, pool, pool.riley, pool.health, "employee_spouse")
        Election.objects.create(program=world.program1, staff=pool.pat, kind="dental",
                                status="waived", starts_on=pool.current_year.starts_on)  # fmt: skip
    return pool


def test_monthly_statement_shares_to_the_cent(world, billed):
    month = billed.today.replace(day=1)
    with scopes_disabled():
        s = statements.premium_statement(world.program1, month)
    rows = [(r.staff_name, r.kind, r.tier, r.premium, r.employer, r.employee) for r in s.rows]
    assert rows == [
        ("Pat Noaccount", "health", "employee", D("500.00"), D("400.00"), D("100.00")),
        ("Sam Teacher", "dental", "family", D("120.00"), D("60.00"), D("60.00")),
        ("Sam Teacher", "health", "family", D("1500.00"), D("400.00"), D("1100.00")),
    ]
    assert [(c.label, c.premium, c.employer) for c in s.carriers] == [
        ("Bright Smile", D("120.00"), D("60.00")),
        ("Garden State Health", D("2000.00"), D("800.00")),
    ]
    assert s.total.premium == s.total.employer + s.total.employee == D("2120.00")


def test_new_rates_apply_from_their_effective_month(world, billed):
    with scopes_disabled():
        later = date(billed.today.year + 1, 1, 1)
        services.set_rates(acting_user=world.hub, plan=billed.health, effective_on=later,
                           employee=D("550"), employee_spouse=D(1100), employee_children=D(990),
                           family=D(1650))  # fmt: skip
        before = statements.premium_statement(world.program1, later - timedelta(days=31))
        after = statements.premium_statement(world.program1, later)
    assert before.total.premium == D("2120.00")
    assert after.total.premium == D("550.00") + D("1650.00") + D("120.00")
    assert after.total.employer == D("440.00") * 2 + D("60.00")


def test_remittance_per_carrier_per_member(world, billed):
    with scopes_disabled():
        carriers, total = statements.remittance(world.alliance, billed.today.replace(day=1))
    health = next(c for c in carriers if c.carrier == "Garden State Health")
    assert [(m.label, m.count, m.premium, m.employer) for m in health.members] == [
        ("Little Learners", 2, D("2000.00"), D("800.00")),
        ("Sunshine", 1, D("1000.00"), D("300.00")),
    ]
    assert total.premium == D("3120.00")


def test_retirement_contributions_per_payday(world, pool):
    with scopes_disabled():
        services.set_pay_frequency(acting_user=world.director1, program=world.program1,
                                   pay_frequency="biweekly")  # fmt: skip
        enroll(world, pool, pool.sam, pool.retirement, "", deferral_percent=D("5"))
        rows = statements.retirement_rows(world.program1, date(2026, 11, 1))
    # 18.50 × 40 × 52 / 26 = 1480.00; 5% = 74.00; match 3% + 1% = 59.20
    assert [(r.payday, r.gross, r.deferral, r.match) for r in rows] == [
        (date(2026, 11, 6), D("1480.00"), D("74.00"), D("59.20")),
        (date(2026, 11, 20), D("1480.00"), D("74.00"), D("59.20")),
    ]
    assert rows[0].vested_percent == 0  # hired under 2 years ago


def test_payroll_export_per_employee_per_payday(world, billed, as_user):
    with scopes_disabled():
        services.set_pay_frequency(acting_user=world.director1, program=world.program1,
                                   pay_frequency="semimonthly")  # fmt: skip
    month = billed.today.strftime("%Y-%m")
    response = as_user(world.director1).get(
        f"/p/little-learners/benefits/payroll.csv?month={month}"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 4  # two people × two paydays
    sam = [r for r in rows if r["employee"] == "Sam Teacher"][0]
    # 1100.00 a month × 12 / 24 = 550.00 per paycheck; dental 60.00 → 30.00
    assert (sam["health_deduction"], sam["dental_deduction"]) == ("550.00", "30.00")
    assert sam["employer_premium_share"] == "230.00"


def test_participation_cost_and_pooled_vs_standalone(world, billed):
    with scopes_disabled():
        services.save_quote(acting_user=world.director1, program=world.program1, kind="health",
                            quoted_on=billed.today, employee=D(600), employee_spouse=D(1200),
                            employee_children=D(1100), family=D(1800))  # fmt: skip
        StaffFactory(program=world.program1, full_name="Part Timer", hours_per_week=D(10))
        part = figures.participation([world.program1, world.program2], billed.today)
        comparison = figures.pooled_vs_standalone(world.program1, billed.today)
    p1 = part[0]
    assert (p1.name, p1.eligible, p1.enrolled) == ("Little Learners", 2, 2)
    assert p1.rate == D("100.0")
    assert p1.employer_monthly == D("860.00")
    assert p1.cost_per_employee == D("430.00")
    assert [(c.kind, c.pooled, c.standalone, c.saved) for c in comparison] == [
        ("health", D("2000.00"), D("2400.00"), D("400.00"))
    ]


def test_calculator_does_not_save(world, billed):
    with scopes_disabled():
        result = figures.calculate(program=world.program1, plan=billed.health,
                                   today=billed.today, contribution_kind="percent_tier",
                                   contribution_value=D(50), contribution_cap=None)  # fmt: skip
        policy = MemberPolicy.objects.get(program=world.program1, plan=billed.health)
    assert result.current_annual == D("9600.00")  # 2 × 400 × 12
    assert result.proposed_annual == D("12000.00")  # (250 + 750) × 12
    assert result.difference == D("2400.00")
    assert policy.contribution_kind == "percent_employee"


def test_calculator_page(world, billed, as_user):
    url = (f"/p/little-learners/benefits/calculator/?plan={billed.health.pk}"
           "&contribution_kind=fixed&contribution_value=500")  # fmt: skip
    response = as_user(world.director1).get(url)
    assert response.status_code == 200
    assert 'id="calc-difference">$2,400.00' in response.content.decode()
    bad = as_user(world.director1).get(url.replace("fixed", "percent_tier").replace("500", "101"))
    assert bad.status_code == 422
    assert "100 or less" in bad.content.decode()


def _many(world, pool, n):
    with scopes_disabled():
        for i in range(n):
            s = StaffFactory(program=world.program1, full_name=f"Extra {i}")
            enroll(world, pool, s, pool.health)
            enroll(world, pool, s, pool.retirement, "", deferral_percent=D(4))


@pytest.mark.parametrize(
    "path",
    [
        "",
        "statement/",
        "retirement/",
        "payroll.csv",
        "numbers/",
        "policies/",
        "staff/{sam}/",
        "me/",
    ],  # fmt: skip
)
def test_program_pages_stay_within_query_bounds(
    world, pool, as_user, django_assert_max_num_queries, path
):
    _many(world, pool, 3)
    user = world.staff if path == "me/" else world.director1
    client = as_user(user)
    url = f"/p/little-learners/benefits/{path.format(sam=pool.sam.pk)}"
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    _many(world, pool, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("path", ["", "remittance/", "remittance/?format=csv"])
def test_hub_pages_stay_within_query_bounds(
    world, pool, as_user, django_assert_max_num_queries, path
):
    _many(world, pool, 3)
    client = as_user(world.hub)
    url = f"/a/union-county/hub/benefits/{path}"
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    _many(world, pool, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["programs/little-learners/benefit-elections", "programs/little-learners/benefit-statement",
     "programs/little-learners/benefit-policies", "alliances/union-county/benefit-plans",
     "alliances/union-county/benefit-remittance", "me/benefit-elections"],
)  # fmt: skip
def test_api_lists_stay_within_query_bounds(world, pool, django_assert_max_num_queries, path):
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    _many(world, pool, 3)
    token = issue_api_token(user=world.hub, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/{path}"
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    _many(world, pool, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
