"""Directors and the hub register others; directors download their own staff's
certificates and the registry export; families and committee members take no seats."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from alliance.core.models import AuditEntry
from alliance.core.tenancy import alliance_scope
from alliance.training import services
from alliance.training.models import Registration
from tests.factories import RoleFactory, UserFactory
from tests.training.factories import CourseFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

A = "/a/union-county/training"


def test_family_and_committee_cannot_take_a_seat(world, session, as_user):
    for person in (world.family, world.committee):
        with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
            services.register(acting_user=person, session=session, person=person)
        assert "person" in exc.value.message_dict
        response = as_user(person).post(f"{A}/sessions/{session.pk}/register/")
        assert response.status_code == 403
        page = as_user(person).get(f"{A}/sessions/{session.pk}/").content.decode()
        assert "Training sessions are for staff of member programs" in page
    # Not even the hub can register a family member.
    with alliance_scope(world.alliance), pytest.raises(ValidationError):
        services.register(acting_user=world.hub, session=session, person=world.family)
    with scopes_disabled():
        assert not Registration.objects.exists()


def test_hub_registers_a_member_s_staff_by_email(world, session, as_user):
    hub = as_user(world.hub)
    url = f"{A}/sessions/{session.pk}/register-others/"
    response = hub.post(url, {"email": "STAFF1@example.org", "from": "hub"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/hub/training/sessions/{session.pk}/")
    with scopes_disabled():
        registration = Registration.objects.get()
        assert registration.person == world.staff and registration.program == world.program1
        entry = AuditEntry.objects.get(action="training.registration.confirmed")
    assert entry.actor == world.hub and entry.data["by_other"] is True
    # An unknown email or a family's email: nobody registered, a clear message.
    for email in ("nobody@example.org", "family1@example.org"):
        follow = hub.post(url, {"email": email, "from": "hub"}, follow=True)
        assert "No staff member, director or substitute" in follow.content.decode()
    page = hub.get(f"/a/union-county/hub/training/sessions/{session.pk}/").content.decode()
    assert "Register a person" in page


def test_director_registers_own_staff_only(world, session, as_user):
    with scopes_disabled():
        other_teacher = UserFactory(email="t2@example.org")
        RoleFactory(
            user=other_teacher, kind="staff", alliance=world.alliance, program=world.program2
        )
    page = as_user(world.director1).get(f"{A}/sessions/{session.pk}/").content.decode()
    assert "Register someone of your staff" in page and "Staff1" in page
    assert "T2" not in page
    director1 = as_user(world.director1)
    url = f"{A}/sessions/{session.pk}/register-others/"
    assert director1.post(url, {"person": world.staff.pk}).status_code == 302
    follow = director1.post(url, {"person": other_teacher.pk}, follow=True)
    assert "only yourself or the staff of your own program" in follow.content.decode()
    with scopes_disabled():
        assert list(Registration.objects.values_list("person_id", flat=True)) == [world.staff.pk]
    # Staff (not directors) cannot register others.
    assert as_user(world.staff).post(url, {"person": world.director1.pk}).status_code == 403


def test_seats_still_go_to_the_waitlist_when_others_register(world, session):
    # The session has two seats.
    with scopes_disabled():
        people = []
        for i in range(3):
            person = UserFactory(email=f"p{i}@example.org")
            RoleFactory(user=person, kind="staff", alliance=world.alliance, program=world.program1)
            people.append(person)
    with alliance_scope(world.alliance):
        statuses = [
            services.register(acting_user=world.director1, session=session, person=p).status
            for p in people
        ]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def _year_of_training(world):
    with scopes_disabled():
        course = CourseFactory(alliance=world.alliance, title="=Infant CPR")
        when = timezone.now() - timedelta(days=2)
        done = SessionFactory(course=course, starts_at=when)
        mine = RegistrationFactory(
            session=done, person=world.staff, attendance="present", program=world.program1
        )
        theirs_person = UserFactory(email="t2@example.org", full_name="Other Teacher")
        RoleFactory(
            user=theirs_person, kind="staff", alliance=world.alliance, program=world.program2
        )
        theirs = RegistrationFactory(
            session=done, person=theirs_person, attendance="present", program=world.program2
        )
        absent = RegistrationFactory(
            session=SessionFactory(course=course, starts_at=when), person=world.director1
        )
    return mine, theirs, absent


def test_director_downloads_own_staff_certificates_only(world, as_user):
    mine, theirs, absent = _year_of_training(world)
    director1 = as_user(world.director1)
    base = "/p/little-learners/training/registrations"
    pdf = director1.get(f"{base}/{mine.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert director1.get(f"{base}/{theirs.pk}/certificate.pdf").status_code == 404
    assert director1.get(f"{base}/{absent.pk}/certificate.pdf").status_code == 404  # not attended
    page = director1.get("/p/little-learners/training/").content.decode()
    assert f"{base}/{mine.pk}/certificate.pdf" in page
    assert (
        as_user(world.director2)
        .get(f"/p/sunshine/training/registrations/{theirs.pk}/certificate.pdf")
        .status_code
        == 200
    )


def test_director_exports_the_year_as_csv_and_xlsx(world, as_user):
    mine, _theirs, _absent = _year_of_training(world)
    director1 = as_user(world.director1)
    year = timezone.localdate().year
    response = director1.get(f"/p/little-learners/training/hours.csv?year={year}")
    assert response.status_code == 200
    assert f"training-little-learners-{year}.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_email = {r["email"]: r for r in rows}
    assert set(by_email) == {"staff1@example.org", "director1@example.org"}
    teacher = by_email["staff1@example.org"]
    assert teacher["course_title"] == "'=Infant CPR"  # a formula cannot run
    assert teacher["hours"] == "3.00" and teacher["certificate_number"] == mine.certificate_code
    assert (teacher["year_hours_counted"], teacher["year_hours_required"]) == ("3.00", "12.00")
    assert teacher["year_hours_missing"] == "9.00" and teacher["requirement_met"] == "no"
    director = by_email["director1@example.org"]
    assert director["course_title"] == "" and director["year_hours_required"] == "20.00"
    assert "Other Teacher" not in response.content.decode()
    xlsx = director1.get(f"/p/little-learners/training/hours.xlsx?year={year}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][0] == "person_name" and len(values) == 3
    assert director1.get("/p/little-learners/training/hours.pdf").status_code == 404


def test_two_trainers_marking_through_the_api_lose_nothing(world, past_session, client):
    from alliance.accounts.services import issue_api_token

    with scopes_disabled():
        registration = RegistrationFactory(session=past_session, person=world.staff)
    url = f"/api/v1/alliances/union-county/trainings/{past_session.pk}/attendance"
    tokens = {
        who: {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=u, name='t')}"}
        for who, u in (("trainer", world.director1), ("hub", world.hub))
    }
    roster = client.get(
        f"/api/v1/alliances/union-county/trainings/{past_session.pk}/registrations",
        **tokens["trainer"],
    ).json()
    seen = roster[0]["attendance_version"]
    mark = {"registration_id": registration.pk, "version": seen}
    first = client.post(
        url,
        {"marks": [{**mark, "attendance": "present"}]},
        content_type="application/json",
        **tokens["trainer"],
    )
    assert first.status_code == 200 and first.json()["changed"][0]["attendance"] == "present"
    # The hub's sheet was loaded before: its "absent" is a conflict, not an overwrite.
    second = client.post(
        url,
        {"marks": [{**mark, "attendance": "absent"}]},
        content_type="application/json",
        **tokens["hub"],
    )
    assert second.status_code == 409
    assert second.json()["conflicts"] == [
        {"registration_id": registration.pk, "attendance": "present", "version": seen + 1}
    ]
    with scopes_disabled():
        registration.refresh_from_db()
    assert registration.attendance == "present"
