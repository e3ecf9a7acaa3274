"""The finance journey in a real browser: director1 opens the Iron Triangle, sees a red
enrollment figure with what to do, opens the what-if page, runs a wage-raise scenario and
saves it; the comparison shows it beside the current model. Every page passes axe."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.finance import services
from alliance.finance.models import Scenario
from tests.e2e.conftest import snapshot
from tests.finance.conftest import MODEL, enroll

pytestmark = pytest.mark.e2e


def test_director_sees_red_enrollment_and_saves_a_what_if(
    page: Page, live_server, world, login, assert_accessible
):
    enroll(world.program1, world.classroom1, 6)  # 6 of 12 staffed seats: 50%, red
    with scopes_disabled():
        services.save_cost_model(acting_user=world.director1, program=world.program1, inputs=MODEL)
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/finance/")
    expect(page.locator("h1")).to_contain_text("Iron Triangle")
    card = page.locator('[data-figure="enrollment"]')
    expect(card).to_have_attribute("data-status", "red")
    expect(card).to_contain_text("50.0%")
    expect(card).to_contain_text("Off target")
    expect(card).to_contain_text("What to do:")
    assert_accessible(page)
    snapshot(page, "finance-dashboard")

    page.get_by_role("link", name="What-if scenarios").click()
    expect(page.locator("h1")).to_contain_text("What-if scenarios")
    assert_accessible(page)
    page.get_by_label("Scenario name").fill("Raise wages 10%")
    page.get_by_label("Raise all wages by (%)").fill("10")
    page.get_by_label("Age group of Preschool").select_option("toddler")
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_text("Scenario saved.")).to_be_visible()
    table = page.locator("#compare")
    expect(table).to_contain_text("Current model")
    expect(table).to_contain_text("Raise wages 10%")
    expect(table).to_contain_text("$309,528.00")  # the model's cost, beside the scenario's
    assert_accessible(page)
    snapshot(page, "finance-scenarios")
    with scopes_disabled():
        saved = Scenario.objects.get(program=world.program1)
    assert saved.wage_raise_percent == 10
    assert saved.age_group_changes == {"Preschool": "toddler"}
