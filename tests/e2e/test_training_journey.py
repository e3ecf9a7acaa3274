"""The training journey in a real browser: a teacher registers for a session, the trainer
takes attendance, the teacher downloads the certificate and sees their hours go up. Every
page on the way must pass axe without serious or critical findings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from alliance.training.models import Registration, Session
from tests.e2e.conftest import snapshot
from tests.training.factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.e2e

COURSE = "ASQ-3 and ASQ:SE-2 Developmental Screening"


def test_staff_registers_trainer_marks_attendance_staff_gets_certificate(
    page: Page, live_server, world, login, assert_accessible
):
    slug = world.alliance.slug
    with scopes_disabled():
        course = CourseFactory(alliance=world.alliance, title=COURSE, topic="screening")
        session = SessionFactory(
            course=course,
            seats=12,
            trainer=world.director1,
            starts_at=timezone.now() + timedelta(days=5),
        )

    # 1. The teacher finds the session in the catalog and registers.
    login(page, live_server, world.staff)
    page.get_by_role("link", name="My training").first.click()
    page.wait_for_url(f"**/a/{slug}/training/mine/")
    expect(page.get_by_text("0 / 12")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Find a session").click()
    page.wait_for_url(f"**/a/{slug}/training/")
    assert_accessible(page)
    snapshot(page, "training-catalog")
    page.get_by_role("link", name=COURSE).click()
    page.wait_for_url(f"**/training/sessions/{session.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "training-registered")
    with scopes_disabled():
        registration = Registration.objects.get(session=session, person=world.staff)
        assert registration.status == "confirmed"
        # The day comes: the session starts.
        start = timezone.now() - timedelta(hours=3)
        Session.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=3)
        )
    page.context.clear_cookies()

    # 2. The trainer takes attendance.
    login(page, live_server, world.director1)
    page.goto(f"/a/{slug}/training/sessions/{session.pk}/")
    page.get_by_role("link", name="Take attendance").click()
    page.wait_for_url(f"**/sessions/{session.pk}/attendance/")
    assert_accessible(page)
    snapshot(page, "training-attendance")
    page.get_by_label(f"Present: {world.staff}").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved (1 changed)")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    # 3. The teacher downloads the certificate; their hours went up.
    login(page, live_server, world.staff)
    page.goto(f"/a/{slug}/training/mine/")
    expect(page.get_by_text("3 / 12")).to_be_visible()
    expect(page.get_by_text("hours still needed")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "training-mine")
    page.goto(f"/a/{slug}/training/sessions/{session.pk}/")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download certificate (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"certificate-{registration.certificate_code}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    page.context.clear_cookies()

    # 4. The director downloads the teacher's certificate and the registry export.
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/training/")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=f"{COURSE} — {world.staff}").click()
    assert info.value.suggested_filename == f"certificate-{registration.certificate_code}.pdf"
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    with open(info.value.path(), encoding="utf-8") as export:
        text = export.read()
    assert COURSE in text and registration.certificate_code in text


def test_director_and_hub_register_others(page: Page, live_server, world, login, assert_accessible):
    slug = world.alliance.slug
    with scopes_disabled():
        course = CourseFactory(alliance=world.alliance, title=COURSE, topic="screening")
        session = SessionFactory(course=course, seats=12)
    login(page, live_server, world.director1)
    page.goto(f"/a/{slug}/training/sessions/{session.pk}/")
    page.get_by_label("Staff member").select_option(label=str(world.staff))
    page.get_by_role("region", name="Register someone of your staff").get_by_role(
        "button", name="Register"
    ).click()
    expect(page.get_by_text(f"{world.staff} is registered.")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    login(page, live_server, world.hub)
    page.goto(f"/a/{slug}/hub/training/sessions/{session.pk}/")
    page.get_by_label("Email of a staff member, director or substitute").fill(world.sub.email)
    page.get_by_role("region", name="Register a person").get_by_role(
        "button", name="Register"
    ).click()
    expect(page.get_by_text(f"{world.sub} is registered.")).to_be_visible()
    assert_accessible(page)
    with scopes_disabled():
        people = set(Registration.objects.filter(session=session).values_list("person", flat=True))
    assert people == {world.staff.pk, world.sub.pk}
    # A family member sees the session but is told training is for the workforce.
    page.context.clear_cookies()
    login(page, live_server, world.family)
    page.goto(f"/a/{slug}/training/sessions/{session.pk}/")
    expect(page.get_by_text("Training sessions are for staff of member programs")).to_be_visible()
    assert_accessible(page)


def test_hub_and_director_training_pages_are_accessible(
    page: Page, live_server, world, login, assert_accessible
):
    slug = world.alliance.slug
    with scopes_disabled():
        course = CourseFactory(alliance=world.alliance, title=COURSE, topic="screening")
        session = SessionFactory(course=course, seats=12, trainer=world.director1)
    login(page, live_server, world.hub)
    for path in [
        f"/a/{slug}/hub/training/",
        f"/a/{slug}/hub/training/courses/",
        f"/a/{slug}/hub/training/sessions/new/",
        f"/a/{slug}/hub/training/sessions/{session.pk}/",
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    page.goto(f"/a/{slug}/hub/training/sessions/{session.pk}/edit/")
    page.get_by_label("Seats").fill("0")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".field-error")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    login(page, live_server, world.director1)
    page.goto("/p/little-learners/training/")
    expect(page.locator("h1")).to_contain_text("Training hours")
    assert_accessible(page)
