"""The training pages: what people see, and what their forms do."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from alliance.core.models import AuditEntry
from alliance.core.tenancy import alliance_scope
from alliance.training import services
from alliance.training.models import Course, Registration, Session
from tests.factories import RoleFactory, UserFactory
from tests.training.factories import CourseFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

A = "/a/union-county/training"
H = "/a/union-county/hub/training"


def test_catalog_lists_upcoming_sessions_with_my_status(world, as_user, session, past_session):
    with scopes_disabled():
        RegistrationFactory(session=session, person=world.staff)
    response = as_user(world.staff).get(f"{A}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Pediatric CPR and First Aid") == 1  # the past session is not listed
    assert "Registered" in body
    assert "1 left" in body


def test_register_and_cancel_through_the_pages(world, as_user, session, mailoutbox):
    client = as_user(world.staff)
    response = client.post(f"{A}/sessions/{session.pk}/register/", follow=True)
    assert "You are registered" in response.content.decode()
    with scopes_disabled():
        reg = Registration.objects.get(person=world.staff)
    assert reg.status == "confirmed"
    response = client.post(f"{A}/registrations/{reg.pk}/cancel/", follow=True)
    assert "Your registration is cancelled" in response.content.decode()
    response = client.post(f"{A}/registrations/{reg.pk}/cancel/", follow=True)
    assert "already cancelled" in response.content.decode()


def test_full_session_offers_the_waitlist(world, as_user, session):
    with scopes_disabled():
        RegistrationFactory(session=session, person=world.director1)
        RegistrationFactory(session=session, person=world.director2)
    client = as_user(world.sub)
    assert "Join the waitlist" in client.get(f"{A}/sessions/{session.pk}/").content.decode()
    response = client.post(f"{A}/sessions/{session.pk}/register/", follow=True)
    assert "you are on the waitlist" in response.content.decode()


def test_attendance_sheet_saves_and_reports_conflicts(world, as_user, past_session):
    with scopes_disabled():
        ana = RegistrationFactory(session=past_session, person=world.staff)
    url = f"{A}/sessions/{past_session.pk}/attendance/"
    trainer = as_user(world.director1)
    assert trainer.get(url).status_code == 200
    stale = {f"a-{ana.pk}": "absent", f"v-{ana.pk}": "0", f"o-{ana.pk}": "unmarked"}
    response = trainer.post(
        url, {f"a-{ana.pk}": "present", f"v-{ana.pk}": "0", f"o-{ana.pk}": "unmarked"}
    )
    assert response.status_code == 302
    response = as_user(world.hub).post(url, stale)  # loaded before the trainer saved
    assert response.status_code == 422
    assert "Someone else marked 1 person" in response.content.decode()
    with scopes_disabled():
        ana.refresh_from_db()
    assert ana.attendance == "present"


def test_attendance_sheet_rejects_a_tampered_version(world, as_user, past_session):
    with scopes_disabled():
        ana = RegistrationFactory(session=past_session, person=world.staff)
    url = f"{A}/sessions/{past_session.pk}/attendance/"
    response = as_user(world.hub).post(url, {f"a-{ana.pk}": "present", f"v-{ana.pk}": "x"})
    assert response.status_code == 422
    with scopes_disabled():
        ana.refresh_from_db()
    assert ana.attendance == "unmarked"


def test_certificate_is_a_pdf_with_spanish_accents(world, as_user, past_session):
    with scopes_disabled():
        world.staff.full_name = "Begoña Muñoz"
        world.staff.save(update_fields=["full_name"])
        reg = RegistrationFactory(session=past_session, person=world.staff)
    client = as_user(world.staff)
    url = f"{A}/registrations/{reg.pk}/certificate.pdf"
    assert client.get(url).status_code == 404  # not attended (yet)
    with scopes_disabled():
        Registration.objects.filter(pk=reg.pk).update(attendance="present")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert reg.certificate_code in response["Content-Disposition"]


def test_public_and_personal_calendar_feeds(world, as_user, session, course):
    with scopes_disabled():
        other = SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=20))
        RegistrationFactory(session=session, person=world.staff)
    public = Calendar.from_ical(as_user(None).get(f"{A}/sessions.ics").content)
    assert len(public.walk("VEVENT")) == 2
    client = as_user(world.staff)
    client.post(f"{A}/mine/calendar/")
    page = client.get(f"{A}/mine/").content.decode()
    with scopes_disabled():
        token = world.staff.training_feed_tokens.get().token
    assert f"/feed/{token}.ics" in page
    personal = Calendar.from_ical(as_user(None).get(f"{A}/feed/{token}.ics").content)
    events = personal.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Pediatric CPR and First Aid"]
    assert str(events[0]["uid"]).startswith(f"training-session-{session.pk}@")
    assert other.pk != session.pk
    client.post(f"{A}/mine/calendar/", {"reset": "1"})
    assert as_user(None).get(f"{A}/feed/{token}.ics").status_code == 404


def test_my_hours_page_counts_against_the_requirement(world, as_user, past_session):
    with scopes_disabled():
        RegistrationFactory(session=past_session, person=world.staff, attendance="present")
    body = as_user(world.staff).get(f"{A}/mine/").content.decode()
    assert "3 / 12" in body
    assert "hours still needed" in body


def test_hub_adds_a_course_and_bad_input_saves_nothing(world, as_user):
    client = as_user(world.hub)
    response = client.post(f"{H}/courses/", {"title": "", "topic": "curriculum", "hours": "-2"})
    assert response.status_code == 422
    with scopes_disabled():
        assert Course.objects.count() == 0
    response = client.post(
        f"{H}/courses/",
        {"title": "ASQ-3 Screening", "topic": "screening", "hours": "3", "is_active": "on"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        course = Course.objects.get()
        assert AuditEntry.objects.filter(action="training.course.created").count() == 1
    response = client.post(
        f"{H}/courses/", {"title": "asq-3 screening", "topic": "screening", "hours": "3"}
    )
    assert response.status_code == 422
    assert "already has a course" in response.content.decode()
    response = client.post(
        f"{H}/courses/{course.pk}/",
        {"title": "ASQ-3 and ASQ:SE-2", "topic": "screening", "hours": "3.5"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        course.refresh_from_db()
    assert course.hours == Decimal("3.5") and not course.is_active


def test_hub_schedules_a_session(world, as_user, course):
    client = as_user(world.hub)
    starts = (timezone.localtime() + timedelta(days=10)).replace(hour=18, minute=30)
    data = {
        "course": course.pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "",
        "seats": "12",
        "language": "es",
    }
    response = client.post(f"{H}/sessions/new/", data)
    assert response.status_code == 422
    with scopes_disabled():
        assert Session.objects.count() == 0
    data["ends_at"] = (starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    data["location"] = "Plainfield Public Library"
    data["trainer"] = world.director1.pk
    response = client.post(f"{H}/sessions/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        session = Session.objects.get()
    assert session.hours == course.hours and session.trainer == world.director1
    edit = {**data, "seats": "0"}
    assert client.post(f"{H}/sessions/{session.pk}/edit/", edit).status_code == 422
    edit["seats"] = "15"
    edit["hours"] = "2.5"
    assert client.post(f"{H}/sessions/{session.pk}/edit/", edit).status_code == 302
    with scopes_disabled():
        session.refresh_from_db()
    assert (session.seats, session.hours) == (15, Decimal("2.5"))


def test_registry_export_has_completed_hours_only(world, as_user, past_session, session):
    with scopes_disabled():
        RegistrationFactory(
            session=past_session, person=world.staff, attendance="present", program=world.program1
        )
        RegistrationFactory(session=past_session, person=world.director1, attendance="absent")
        RegistrationFactory(session=session, person=world.director2)
        world.staff.full_name = "=HYPERLINK(1)"
        world.staff.save(update_fields=["full_name"])
    year = past_session.starts_at.year
    response = as_user(world.hub).get(f"{H}/hours.csv?year={year}")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["email"] for r in rows] == ["staff1@example.org"]
    assert rows[0]["hours"] == "3.00" and rows[0]["program"] == "Little Learners"
    assert rows[0]["person_name"].startswith("'=")  # never a spreadsheet formula


def test_director_sees_compliance_by_role(world, as_user, past_session):
    with scopes_disabled():
        RegistrationFactory(session=past_session, person=world.staff, attendance="present")
    body = as_user(world.director1).get("/p/little-learners/training/").content.decode()
    assert "Staff1" in body and "Director1" in body
    assert ">12<" in body and ">20<" in body  # staff 12 hours, director 20
    home = as_user(world.provider).get("/p/garcia-fcc/training/").content.decode()
    assert ">6<" in home


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(world, n: int) -> None:
    with scopes_disabled():
        course = CourseFactory(alliance=world.alliance)
        past = timezone.now() - timedelta(days=3)
        for i in range(n):
            upcoming = SessionFactory(course=course, seats=3)
            done = SessionFactory(course=course, starts_at=past - timedelta(hours=i))
            person = UserFactory()
            RoleFactory(user=person, kind="staff", alliance=world.alliance, program=world.program1)
            RegistrationFactory(session=upcoming, person=world.staff)
            RegistrationFactory(session=upcoming, person=person)
            RegistrationFactory(session=done, person=person, attendance="present")
            RegistrationFactory(session=done, person=world.staff, attendance="present")


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("staff", f"{A}/"),
        ("staff", f"{A}/mine/"),
        ("hub", f"{H}/"),
        ("hub", f"{H}/?show=past"),
        ("hub", f"{H}/courses/"),
        ("director1", "/p/little-learners/training/"),
        ("director1", "/p/little-learners/training/hours.csv"),
        ("director1", "/p/little-learners/training/hours.xlsx"),
    ],
)
def test_list_pages_do_not_grow_queries(world, as_user, who, url, django_assert_max_num_queries):
    client = as_user(getattr(world, who))
    _grow(world, 2)
    client.get(url)
    few = _queries(client, url)
    _grow(world, 12)
    with django_assert_max_num_queries(16):
        many = _queries(client, url)
    assert many == few, (url, few, many)


def test_roster_and_attendance_pages_do_not_grow_queries(world, as_user, past_session):
    client = as_user(world.hub)
    urls = [f"{H}/sessions/{past_session.pk}/", f"{A}/sessions/{past_session.pk}/attendance/"]
    with scopes_disabled():
        RegistrationFactory(session=past_session)
    few = [_queries(client, u) for u in urls]
    with scopes_disabled():
        for _ in range(10):
            RegistrationFactory(session=past_session, attendance="present")
    assert [_queries(client, u) for u in urls] == few


def test_without_notifications_module_the_templates_go_out_as_email(
    world, monkeypatch, mailoutbox, session, django_capture_on_commit_callbacks
):
    import sys

    from alliance.training.notify import tell

    monkeypatch.setitem(sys.modules, "alliance.notifications.services", None)
    with alliance_scope(world.alliance), django_capture_on_commit_callbacks(execute=True):
        session = Session.objects.select_related("course", "alliance").get(pk=session.pk)
        tell(person=world.staff, kind="training_registered", session=session, link="https://x/s/")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Registered: Pediatric CPR and First Aid")
    assert "https://x/s/" in mailoutbox[0].body


def test_registering_notifies_through_the_notifications_module(world, session):
    from alliance.notifications.models import Notification

    with alliance_scope(world.alliance):
        services.register(acting_user=world.staff, session=session, person=world.staff)
    with scopes_disabled():
        note = Notification.objects.get(recipient=world.staff)
    assert note.kind == "training_registered"
    assert note.subject.startswith("Registered: Pediatric CPR and First Aid")
    assert f"/training/sessions/{session.pk}/" in note.link


def test_the_staff_record_role_sets_the_requirement(world, as_user, past_session):
    """A staff member whose staff record says head teacher needs 20 hours, not 12."""
    from datetime import date

    from alliance.staffing.models_staff import StaffMember

    with scopes_disabled():
        StaffMember.objects.create(
            program=world.program1,
            user=world.staff,
            full_name="Staff One",
            role="head_teacher",
            hire_date=date(2020, 1, 6),
            hours_per_week=Decimal("40"),
            wage=Decimal("19.50"),
        )
        RegistrationFactory(session=past_session, person=world.staff, attendance="present")
    body = as_user(world.director1).get("/p/little-learners/training/").content.decode()
    assert "Head teacher" in body
    assert ">12<" not in body  # both the director and the head teacher need 20
    assert ">17<" in body  # the head teacher still misses 17 of 20
    mine = as_user(world.staff).get(f"{A}/mine/").content.decode()
    assert "3 / 20" in mine
