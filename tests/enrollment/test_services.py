"""Enrollment, attendance and application services: rules, bad input, audit rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.enrollment.models import (
    Applicant,
    Application,
    Attendance,
    AttendanceCorrection,
    Enrollment,
    EnrollmentStatus,
)
from alliance.enrollment.services import (
    check_in,
    check_out,
    correct_attendance,
    enroll_child,
    move_child,
    withdraw_child,
)
from alliance.enrollment.services_applications import (
    ApplicationInput,
    ChildInput,
    submit_application,
    update_application,
    withdraw_application,
)
from tests.enrollment.helpers import born_months_ago, make_child, make_enrollment
from tests.factories import ClassroomFactory

pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int = 0) -> datetime:
    today = timezone.localdate()
    return datetime(
        today.year, today.month, today.day, hour, minute, tzinfo=timezone.get_current_timezone()
    )


def application_input(**overrides) -> ApplicationInput:
    data = dict(
        guardian_name="Fernanda López",
        email="fernanda@example.org",
        phone="908-555-0100",
        language="es",
        town="Elizabeth",
        zip_code="07201",
        children=[ChildInput("Mateo", "López", born_months_ago(28))],
        desired_start=date.today() + timedelta(days=14),
        consent_to_share=True,
    )
    data.update(overrides)
    return ApplicationInput(**data)


def test_enroll_checks_age_and_overlap_and_audits(world):
    with scopes_disabled():
        baby = make_child(world.alliance, months=5)
        with pytest.raises(ValidationError) as exc:
            enroll_child(
                acting_user=world.director1,
                program=world.program1,
                child=baby,
                classroom=world.classroom1,
                start_date=date.today(),
            )
        assert "classroom" in exc.value.message_dict
        e = make_enrollment(world.program1, world.classroom1)
        with pytest.raises(ValidationError) as exc:
            enroll_child(
                acting_user=world.director1,
                program=world.program1,
                child=e.child,
                classroom=world.classroom1,
                start_date=date.today(),
            )
        assert "already enrolled" in exc.value.message_dict["child"][0]
        with pytest.raises(ValidationError):
            enroll_child(
                acting_user=world.director1,
                program=world.program1,
                child=make_child(world.alliance),
                classroom=world.classroom2,
                start_date=date.today(),
            )
        assert Enrollment.objects.count() == 1
        assert AuditEntry.objects.filter(action="enrollment.created").count() == 1


def test_withdraw_and_move(world):
    with scopes_disabled():
        e = make_enrollment(world.program1, world.classroom1, months=34)
        threes = ClassroomFactory(
            program=world.program1, name="Threes", age_min_months=30, age_max_months=47
        )
        new = move_child(
            acting_user=world.director1,
            enrollment=e,
            classroom=threes,
            on=date.today() + timedelta(days=1),
        )
        e.refresh_from_db()
        assert e.status == EnrollmentStatus.MOVED and e.end_date == date.today()
        with pytest.raises(ValidationError) as exc:
            withdraw_child(
                acting_user=world.director1,
                enrollment=new,
                last_day=date.today() + timedelta(days=5),
                reason=" ",
            )
        assert "reason" in exc.value.message_dict
        withdraw_child(
            acting_user=world.director1,
            enrollment=new,
            last_day=date.today() + timedelta(days=5),
            reason="Moving away",
        )
        new.refresh_from_db()
        assert new.status == EnrollmentStatus.WITHDRAWN
        assert AuditEntry.objects.filter(action="enrollment.withdrawn").exists()


def test_attendance_rules_and_corrections(world):
    with scopes_disabled():
        e = make_enrollment(world.program1, world.classroom1)
        stranger = make_child(world.alliance)
        with pytest.raises(ValidationError) as exc:
            check_in(
                acting_user=world.staff, program=world.program1, child_id=stranger.pk, at=_at(8)
            )
        assert "not enrolled" in exc.value.message_dict["child"][0]
        # A child of another program cannot be checked in here either.
        other = make_enrollment(world.program2, world.classroom2)
        with pytest.raises(ValidationError):
            check_in(
                acting_user=world.staff, program=world.program1, child_id=other.child_id, at=_at(8)
            )
        att = check_in(
            acting_user=world.staff, program=world.program1, child_id=e.child_id, at=_at(8)
        )
        with pytest.raises(ValidationError):
            check_in(
                acting_user=world.staff, program=world.program1, child_id=e.child_id, at=_at(9)
            )
        with pytest.raises(ValidationError):
            check_out(acting_user=world.staff, attendance=att, at=_at(7))
        check_out(acting_user=world.staff, attendance=att, at=_at(16))
        with pytest.raises(ValidationError) as exc:
            correct_attendance(
                acting_user=world.director1,
                attendance=att,
                checked_in_at=_at(8, 30),
                checked_out_at=_at(16),
                reason="",
            )
        assert "reason" in exc.value.message_dict
        correct_attendance(
            acting_user=world.director1,
            attendance=att,
            checked_in_at=_at(8, 30),
            checked_out_at=_at(16),
            reason="Came late, tapped early",
        )
        att.refresh_from_db()
        assert att.checked_in_at == _at(8, 30)
        (correction,) = AttendanceCorrection.objects.all()
        assert correction.old_value == _at(8) and correction.corrected_by == world.director1
        assert Attendance.objects.count() == 1
        assert AuditEntry.objects.filter(action="attendance.corrected").count() == 1


def test_submit_application_creates_family_children_and_invites(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        app = submit_application(
            acting_user=None, alliance=world.alliance, data=application_input()
        )
        assert app.family.email == "fernanda@example.org"
        assert [a.child.first_name for a in app.applicants.all()] == ["Mateo"]
        assert AuditEntry.objects.filter(action="application.submitted").count() == 1
    subjects = [m.subject for m in mailoutbox]
    assert len(subjects) == 2  # account invitation + confirmation (in Spanish)
    assert any("solicitud" in s.lower() or "application" in s.lower() for s in subjects)
    assert {m.to[0] for m in mailoutbox} == {"fernanda@example.org"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"desired_start": date.today() - timedelta(days=1)}, "desired_start"),
        ({"children": [ChildInput("A", "B", date.today() + timedelta(days=400))]}, "children"),
        ({"children": [ChildInput("A", "B", date(2010, 1, 1))]}, "children"),
        ({"children": []}, "children"),
        ({"consent_to_share": False}, "consent_to_share"),
        ({"zip_code": "7201"}, "zip_code"),
        ({"email": "nope"}, "email"),
        ({"days": ""}, "days"),
    ],
)
def test_bad_applications_save_nothing(world, overrides, field):
    with scopes_disabled():
        with pytest.raises(ValidationError) as exc:
            submit_application(
                acting_user=None, alliance=world.alliance, data=application_input(**overrides)
            )
        assert field in exc.value.message_dict
        assert Application.objects.count() == 0 and Applicant.objects.count() == 0


def test_duplicate_application_is_refused(world):
    with scopes_disabled():
        submit_application(acting_user=None, alliance=world.alliance, data=application_input())
        with pytest.raises(ValidationError) as exc:
            submit_application(
                acting_user=None,
                alliance=world.alliance,
                data=application_input(email="other@example.org"),
            )
        assert "already a waiting application" in exc.value.message_dict["email"][0]
        assert Application.objects.count() == 1


def test_update_and_withdraw_application(world):
    with scopes_disabled():
        app = submit_application(
            acting_user=None, alliance=world.alliance, data=application_input()
        )
        update_application(
            acting_user=None,
            application=app,
            data=application_input(schedule="part", days="024", preferred_towns=["Union"]),
        )
        app.refresh_from_db()
        assert app.days == "024" and app.preferred_towns == ["Union"]
        withdraw_application(acting_user=None, application=app, reason="Found care")
        app.refresh_from_db()
        assert app.status == "withdrawn"
        assert set(app.applicants.values_list("status", flat=True)) == {"withdrawn"}
        with pytest.raises(ValidationError):
            withdraw_application(acting_user=None, application=app)
