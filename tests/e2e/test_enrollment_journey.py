"""Coordinated enrollment in a real browser: a family applies in Spanish on a phone, the hub
runs matching and sends the offer, the family accepts, and the director sees the child
enrolled and the opening gone. Every page on the way passes axe (no serious findings)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.enrollment.models import Enrollment
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, MOBILE, snapshot
from tests.enrollment.helpers import born_months_ago, make_child, make_enrollment
from tests.enrollment.test_transitions import born_to_leave
from tests.factories import ClassroomFactory

pytestmark = pytest.mark.e2e


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_family_applies_hub_matches_family_accepts_director_sees_it(
    transactional_db, world, browser, page, live_server, login, assert_accessible
):
    # Little Learners' Toddlers room (12 staffed seats) has exactly one opening. In its small
    # "Twos" room Mateo turns three in two weeks; the program has a preschool room.
    for n in range(11):
        child = make_child(world.alliance, 28, first_name=f"Child{n}")
        make_enrollment(world.program1, world.classroom1, child=child)
    with scopes_disabled():
        twos = ClassroomFactory(
            program=world.program1,
            name="Twos",
            age_min_months=24,
            age_max_months=35,
            licensed_capacity=1,
            staffed_capacity=1,
        )
        preschool = ClassroomFactory(
            program=world.program1, name="Preschool", age_min_months=36, age_max_months=59
        )
        leaves = date.today() + timedelta(days=14)
        while leaves.day > 28:
            leaves += timedelta(days=1)
        mateo = make_child(world.alliance, 28, first_name="Mateo", last_name="Rivera")
        mateo.birth_date = born_to_leave(twos, leaves)
        mateo.save(update_fields=["birth_date"])
    make_enrollment(world.program1, twos, child=mateo)

    # 1. The family, on a phone, in Spanish, with no account.
    phone = browser.new_context(
        base_url=live_server.url, viewport=MOBILE, locale="es-ES", timezone_id="America/New_York"
    )
    # The first request of a live server loads every module's URLs; allow a busy machine.
    phone.set_default_timeout(3 * DEFAULT_TIMEOUT_MS)
    page.set_default_timeout(3 * DEFAULT_TIMEOUT_MS)
    family = phone.new_page()
    family.goto("/a/union-county/enroll/")
    expect(family.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(family)
    family.locator("#id_guardian_name").fill("Fernanda López")
    family.locator("#id_email").fill("fernanda.lopez@example.org")
    family.locator("#id_phone").fill("908-555-0142")
    family.locator("#id_town").fill("Elizabeth")
    family.locator("#id_zip_code").fill("07201")
    family.locator("#id_child1_first").fill("Valentina")
    family.locator("#id_child1_last").fill("López")
    family.locator("#id_child1_birth").fill(born_months_ago(28).isoformat())
    family.locator("#id_desired_start").fill((date.today() + timedelta(days=7)).isoformat())
    family.locator("#id_program_1").select_option(label="Little Learners")
    family.locator("#id_consent_to_share").check()
    snapshot(family, "enrollment-apply")
    family.locator("form.stack button[type=submit]").click()
    family.wait_for_url("**/enroll/thanks/")
    assert_accessible(family)
    family.locator("main a.button").click()
    family.wait_for_url("**/enroll/*/")
    my_page = family.url
    assert_accessible(family)

    # 2. The hub runs matching and sends the proposed offer.
    login(page, live_server, world.hub)
    page.goto("/a/union-county/hub/enrollment/matching/")
    assert_accessible(page)
    page.get_by_role("button", name="Run matching now").click()
    expect(page.locator(".flash")).to_contain_text("1 of 1 waiting children matched")
    row = page.get_by_role("row").filter(has_text="Valentina López")
    expect(row).to_contain_text("Little Learners")
    row.get_by_text("Details").click()
    expect(row).to_contain_text("Family's choice no. 1")
    assert_accessible(page)
    page.get_by_role("button", name="Send offers for ticked").click()
    expect(page.locator(".flash")).to_contain_text("1 offers sent")
    _sign_out(page)

    # 3. The family accepts on the phone.
    family.goto(my_page)
    offer = family.locator("section.card").filter(has_text="Little Learners").first
    expect(offer).to_be_visible()
    assert_accessible(family)
    offer.locator("button.button").first.click()
    expect(family.locator(".flash--success")).to_contain_text("Valentina")
    with scopes_disabled():
        enrollment = Enrollment.objects.get(
            child__family__email="fernanda.lopez@example.org", program=world.program1
        )
        assert enrollment.classroom == world.classroom1
    phone.close()

    # 4. The director sees the child enrolled and the opening gone.
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/enrollment/")
    expect(page.get_by_role("link", name="Valentina López")).to_be_visible()
    assert_accessible(page)
    page.goto("/p/little-learners/enrollment/openings/")
    room = page.get_by_role("row").filter(has_text="Toddlers")
    today_cell = room.locator("td").nth(1)
    expect(today_cell).to_have_text("0")
    assert_accessible(page)

    # 5. Mateo turns three soon: the director moves him to the preschool room in one click.
    page.goto("/p/little-learners/enrollment/transitions/")
    row = page.get_by_role("row").filter(has_text="Mateo Rivera")
    expect(row.locator("select")).to_have_value(str(preschool.pk))
    expect(row.locator("input[type=date]")).to_have_value(leaves.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Move ticked children").click()
    expect(page.locator(".flash--success")).to_contain_text("1 children moved")
    with scopes_disabled():
        moved = Enrollment.objects.get(child=mateo, classroom=preschool)
        assert moved.start_date == leaves
