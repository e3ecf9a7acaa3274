"""The benefits journey in a real browser: the hub adds a health plan with its rates, the
director sets Little Learners' contribution, Sam enrolls on a phone during open enrollment,
and the monthly statement shows the employer and employee shares. Every page passes axe."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.benefits import services
from alliance.benefits.models import Election
from tests.e2e.conftest import MOBILE, snapshot
from tests.staffing.factories import StaffFactory

pytestmark = pytest.mark.e2e


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_hub_plan_director_policy_staff_enrolls_statement_shows_shares(
    page: Page, live_server, world, login, assert_accessible
):
    today = timezone.localdate()
    with scopes_disabled():
        services.save_plan_year(
            acting_user=world.hub, alliance=world.alliance, name=str(today.year + 1),
            starts_on=date(today.year + 1, 1, 1), ends_on=date(today.year + 1, 12, 31),
            enrollment_opens_on=today - timedelta(days=3),
            enrollment_closes_on=today + timedelta(days=10),
        )  # fmt: skip
        StaffFactory(program=world.program1, user=world.staff, full_name="Sam Teacher",
                     email=world.staff.email, hire_date=today - timedelta(days=400))  # fmt: skip

    # 1. The hub adds a health plan and its monthly rates.
    login(page, live_server, world.hub)
    page.goto("/a/union-county/hub/benefits/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a plan", exact=True).click()
    page.get_by_label("Kind").select_option("health")
    page.get_by_label("Carrier").fill("Garden State Health")
    page.get_by_label("Plan name").fill("Silver PPO")
    assert_accessible(page)
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    page.get_by_label("Effective from").fill(f"{today.year}-01-01")
    page.get_by_label("Employee only ($ a month)").fill("500.00")
    page.get_by_label("Employee + spouse ($ a month)").fill("1000.00")
    page.get_by_label("Employee + children ($ a month)").fill("900.00")
    page.get_by_label("Family ($ a month)").fill("1500.00")
    page.get_by_role("button", name="Save rates").click()
    expect(page.get_by_text("Rates saved.")).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    # 2. The director pays 80% of the employee-only premium for staff working 30+ hours.
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/benefits/policies/")
    assert_accessible(page)
    page.get_by_role("link", name="Garden State Health Silver PPO").click()
    page.get_by_label("Employer contribution").select_option("percent_employee")
    page.get_by_label("Amount ($) or percent (%)").fill("80")
    page.get_by_label("Minimum hours per week").fill("30")
    page.get_by_label("Waiting period after hire (days)").fill("60")
    assert_accessible(page)
    page.get_by_role("button", name="Save policy").click()
    expect(page.get_by_text("Policy saved.")).to_be_visible()
    _sign_out(page)

    # 3. Sam enrolls on a phone: $100.00 a month is $46.15 every two weeks.
    page.set_viewport_size(MOBILE)
    login(page, live_server, world.staff)
    page.goto("/p/little-learners/benefits/me/")
    expect(page.locator("#window")).to_contain_text("Open enrollment")
    card = page.get_by_role("article", name="Silver PPO")
    expect(card.get_by_role("row", name="Employee only")).to_contain_text("$46.15")
    expect(card.get_by_role("row", name="Employee only")).to_contain_text("$400.00")
    assert_accessible(page)
    snapshot(page, "benefits-enroll")
    card.get_by_label("Employee only").check()
    card.get_by_role("button", name="Enroll in Silver PPO").click()
    expect(page.get_by_text("Saved: you are enrolled.")).to_be_visible()
    assert_accessible(page)
    _sign_out(page)
    with scopes_disabled():
        election = Election.objects.get(staff__user=world.staff)
        assert (election.tier, election.starts_on) == ("employee", date(today.year + 1, 1, 1))

    # 4. The statement of the first covered month shows the shares.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, world.director1)
    page.goto(f"/p/little-learners/benefits/statement/?month={today.year + 1}-01")
    expect(page.get_by_role("row", name="Sam Teacher")).to_contain_text("$500.00")
    expect(page.locator("#total-employer")).to_have_text("$400.00")
    expect(page.locator("#total-employee")).to_have_text("$100.00")
    assert_accessible(page)
    assert Decimal("400.00") + Decimal("100.00") == Decimal("500.00")
