"""The foundation journey in a real browser: a provider applies, the hub approves, the new
director accepts the emailed invitation, signs in and adds a classroom. Every page on the way
must pass axe without serious or critical findings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.accounts.models import Role, User
from alliance.core.policy import RoleKind
from alliance.members.models import (
    ApplicationStatus,
    Classroom,
    MembershipApplication,
    MembershipTier,
    Program,
)
from tests.e2e.conftest import snapshot

pytestmark = pytest.mark.e2e

APPLICANT = "maria.ortiz@example.org"
PROGRAM = "Bright Beginnings Learning Center"
NEW_PASSWORD = "sunflower-meadow-42"


def test_provider_joins_and_sets_up_a_classroom(
    page: Page, live_server, world, mailoutbox, login, assert_accessible
):
    slug = world.alliance.slug
    with scopes_disabled():
        tier = MembershipTier.objects.get(alliance=world.alliance, name="Center")

    # 1. A provider applies on the public form.
    page.goto(f"/a/{slug}/join/")
    expect(page.locator("h1")).to_contain_text("Apply to join")
    assert_accessible(page)
    snapshot(page, "apply")
    _fill_application(page, tier)
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url(f"**/a/{slug}/join/thanks/")
    assert_accessible(page)
    snapshot(page, "apply-thanks")
    with scopes_disabled():
        application = MembershipApplication.objects.get(email=APPLICANT)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.languages == ["English", "Spanish"]

    # 2. The hub signs in, finds the application and approves it at a tier.
    login(page, live_server, world.hub)
    page.wait_for_url(f"**/a/{slug}/hub/")
    assert_accessible(page)
    snapshot(page, "hub-dashboard")
    hub_sections = page.get_by_role("navigation", name="hub sections")
    hub_sections.get_by_role("link", name="Applications").click()
    page.wait_for_url(f"**/a/{slug}/hub/applications/")
    assert_accessible(page)
    page.get_by_role("link", name=PROGRAM).click()
    page.wait_for_url(f"**/hub/applications/{application.pk}/")
    expect(page.locator("h1")).to_have_text(PROGRAM)
    assert_accessible(page)
    snapshot(page, "application-review")
    page.get_by_label("Membership tier").select_option(str(tier.pk))
    page.get_by_role("button", name="Approve membership").click()
    expect(page.get_by_text(f"{PROGRAM} is now a member")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "application-approved")

    # 3. The director gets the invitation by email (the live server shares our outbox).
    invitations = [m for m in mailoutbox if APPLICANT in m.to]
    assert len(invitations) == 1, [m.subject for m in mailoutbox]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", invitations[0].body)
    assert link, invitations[0].body
    page.context.clear_cookies()  # the hub's browser session ends; the director's begins

    # 4. They accept it, choosing a name and password.
    page.goto(urlsplit(link.group(0)).path)
    expect(page.locator("h1")).to_contain_text(PROGRAM)
    assert_accessible(page)
    snapshot(page, "accept-invitation")
    page.get_by_label("Your full name").fill("María Ortiz")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Create my account").click()
    with scopes_disabled():
        program = Program.objects.get(name=PROGRAM)
    page.wait_for_url(f"**/p/{program.slug}/")

    # 5. They sign out and back in with the new password, and land on their dashboard.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    assert_accessible(page)
    snapshot(page, "login")
    director = User.objects.get(email=APPLICANT)
    assert director.full_name == "María Ortiz"
    login(page, live_server, director, password=NEW_PASSWORD)
    page.wait_for_url(f"**/p/{program.slug}/")
    expect(page.locator("h1")).to_have_text(PROGRAM)
    expect(page.get_by_text("No classrooms yet")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "director-dashboard")

    # 6. They add their first classroom.
    page.get_by_role("main").get_by_role("link", name="Add a classroom").first.click()
    page.wait_for_url(f"**/p/{program.slug}/classrooms/new/")
    assert_accessible(page)
    snapshot(page, "classroom-form")
    page.get_by_label("Name").fill("Butterflies")
    page.get_by_label("Youngest age (months)").fill("18")
    page.get_by_label("Oldest age (months)").fill("35")
    page.get_by_label("Licensed capacity").fill("12")
    page.get_by_label("Staffed capacity").fill("10")
    page.get_by_role("button", name="Add classroom").click()
    page.wait_for_url(f"**/p/{program.slug}/classrooms/**")
    expect(page.get_by_role("link", name="Butterflies")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "classrooms")

    with scopes_disabled():
        room = Classroom.objects.get(program=program)
        role = Role.objects.get(user=director)
    assert (room.name, room.licensed_capacity, room.staffed_capacity) == ("Butterflies", 12, 10)
    assert (role.kind, role.program_id) == (RoleKind.DIRECTOR, program.pk)


def test_invalid_application_shows_errors_without_saving(
    page: Page, live_server, world, assert_accessible
):
    page.goto(f"/a/{world.alliance.slug}/join/")
    page.get_by_label("Program name").fill(PROGRAM)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below")
    assert page.get_by_label("Program name").input_value() == PROGRAM
    # Each error is tied to its input, so a screen reader reads it with the field.
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Your name")).to_have_accessible_description(
        re.compile("This field is required")
    )
    expect(page.get_by_label("Licensed capacity")).to_have_accessible_description(
        re.compile("As on your license.*This field is required")
    )
    assert_accessible(page)
    snapshot(page, "apply-errors")
    with scopes_disabled():
        assert not MembershipApplication.objects.filter(program_name=PROGRAM).exists()


def _fill_application(page: Page, tier: MembershipTier) -> None:
    page.get_by_label("Program name").fill(PROGRAM)
    page.get_by_label("Type").select_option("center")
    page.get_by_label("Your name").fill("María Ortiz")
    page.get_by_label("Email").fill(APPLICANT)
    page.get_by_label("Phone").fill("908-555-0147")
    page.get_by_label("License number").fill("CC-77001")
    page.get_by_label("License expires").fill("2027-06-30")
    page.get_by_label("Licensed capacity").fill("48")
    page.get_by_label("Street address").fill("12 Elm Street")
    page.get_by_label("Town").fill("Linden")
    page.get_by_label("ZIP code").fill("07036")
    page.get_by_label("Youngest age served (months)").fill("6")
    page.get_by_label("Oldest age served (months)").fill("59")
    languages = page.get_by_role("group", name="Languages spoken with children and families")
    languages.get_by_label("English", exact=True).check()
    languages.get_by_label("Spanish", exact=True).check()
    page.get_by_label("Accepts CCAP subsidy").check()
    page.get_by_label("Membership tier you are interested in").select_option(str(tier.pk))
    page.get_by_label("I run this program").check()
