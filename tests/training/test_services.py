"""Registration with waitlist, cancellation and promotion, attendance without lost updates,
sessions and courses: every write through the services, audited, nothing half-saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.core.tenancy import alliance_scope
from alliance.training import services
from alliance.training.models import (
    Attendance,
    Course,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    Topic,
)
from tests.factories import UserFactory
from tests.training.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _register(world, session, person):
    with alliance_scope(world.alliance):
        return services.register(acting_user=person, session=session, person=person)


def test_register_confirms_until_full_then_waitlists(world, session, sent):
    a = _register(world, session, world.staff)
    b = _register(world, session, world.director1)
    c = _register(world, session, world.sub)
    assert [a.status, b.status, c.status] == ["confirmed", "confirmed", "waitlisted"]
    assert c.waitlisted_at is not None
    assert a.program == world.program1 and c.program is None  # substitutes have no program
    assert sent == [
        ("staff1@example.org", "training_registered"),
        ("director1@example.org", "training_registered"),
        ("sub1@example.org", "training_waitlisted"),
    ]
    with scopes_disabled():
        actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("training.registration.confirmed") == 2
    assert "training.registration.waitlisted" in actions


def test_registering_twice_is_refused(world, session, sent):
    _register(world, session, world.staff)
    with pytest.raises(ValidationError) as exc:
        _register(world, session, world.staff)
    assert "already registered" in exc.value.message_dict["session"][0]
    with scopes_disabled():
        assert Registration.objects.count() == 1


def test_cancelling_a_seat_promotes_the_first_in_line(world, session, sent):
    first = _register(world, session, world.staff)
    _register(world, session, world.director1)
    waiting1 = _register(world, session, world.sub)
    waiting2 = _register(world, session, world.director2)
    with alliance_scope(world.alliance):
        services.cancel_registration(acting_user=world.staff, registration=first)
        waiting1.refresh_from_db()
        waiting2.refresh_from_db()
        first.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting1.status == RegistrationStatus.CONFIRMED
    assert waiting2.status == RegistrationStatus.WAITLISTED
    assert ("sub1@example.org", "training_promoted") in sent
    with alliance_scope(world.alliance):
        confirmed = session.registrations.filter(status="confirmed").count()
        with pytest.raises(ValidationError):
            services.cancel_registration(acting_user=world.staff, registration=first)
    assert confirmed == 2


def test_leaving_the_waitlist_promotes_nobody(world, session, sent):
    _register(world, session, world.staff)
    _register(world, session, world.director1)
    waiting = _register(world, session, world.sub)
    with alliance_scope(world.alliance):
        services.cancel_registration(acting_user=world.sub, registration=waiting)
    assert not any(kind == "training_promoted" for _email, kind in sent)


def test_registering_again_after_cancelling_reuses_the_row(world, session, sent):
    reg = _register(world, session, world.staff)
    with alliance_scope(world.alliance):
        services.cancel_registration(acting_user=world.staff, registration=reg)
    again = _register(world, session, world.staff)
    assert again.pk == reg.pk and again.status == RegistrationStatus.CONFIRMED
    assert again.cancelled_at is None


def test_past_and_cancelled_sessions_take_no_registrations(world, past_session, session, sent):
    with pytest.raises(ValidationError, match="already started"):
        _register(world, past_session, world.staff)
    with alliance_scope(world.alliance):
        services.cancel_session(acting_user=world.hub, session=session)
    with pytest.raises(ValidationError, match="cancelled"):
        _register(world, session, world.staff)
    with scopes_disabled():
        assert Registration.objects.count() == 0


def test_cancelling_a_session_tells_everyone(world, session, sent):
    _register(world, session, world.staff)
    _register(world, session, world.director1)
    _register(world, session, world.sub)
    sent.clear()
    with alliance_scope(world.alliance):
        services.cancel_session(acting_user=world.hub, session=session)
        session.refresh_from_db()
        with pytest.raises(ValidationError):
            services.cancel_session(acting_user=world.hub, session=session)
    assert session.status == SessionStatus.CANCELLED
    assert sorted(kind for _e, kind in sent) == ["training_cancelled"] * 3


def test_more_seats_promote_and_fewer_than_taken_are_refused(world, session, sent):
    _register(world, session, world.staff)
    _register(world, session, world.director1)
    waiting = _register(world, session, world.sub)
    with alliance_scope(world.alliance):
        with pytest.raises(ValidationError) as exc:
            services.update_session(acting_user=world.hub, session=session, seats=1)
        assert "seats" in exc.value.message_dict
        session.refresh_from_db()
        assert session.seats == 2
        services.update_session(acting_user=world.hub, session=session, seats=3)
        waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def _confirmed(world, session, person) -> Registration:
    with scopes_disabled():
        return RegistrationFactory(session=session, person=person)


def test_attendance_is_marked_and_audited(world, past_session):
    reg = _confirmed(world, past_session, world.staff)
    with alliance_scope(world.alliance):
        result = services.mark_attendance(
            acting_user=world.director1,
            session=past_session,
            marks={reg.pk: (0, Attendance.PRESENT)},
        )
        reg.refresh_from_db()
    assert [r.pk for r in result.changed] == [reg.pk] and not result.conflicts
    assert reg.attendance == Attendance.PRESENT and reg.attendance_version == 1
    assert reg.marked_by == world.director1
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="training.attendance.marked").count() == 1


def test_two_trainers_marking_at_once_lose_nothing(world, past_session):
    """Both trainers loaded the sheet at version 0. Trainer A marks Ana present and Ben
    absent; trainer B, still on the old sheet, then sends Ben present and Ana unmarked.
    Neither of A's marks is overwritten: both rows come back to B as conflicts."""
    ana = _confirmed(world, past_session, world.staff)
    ben = _confirmed(world, past_session, world.director2)
    with alliance_scope(world.alliance):
        services.mark_attendance(
            acting_user=world.director1,
            session=past_session,
            marks={ana.pk: (0, "present"), ben.pk: (0, "absent")},
        )
        result = services.mark_attendance(
            acting_user=world.hub,
            session=past_session,
            marks={ana.pk: (0, "unmarked"), ben.pk: (0, "present")},
        )
        ana.refresh_from_db()
        ben.refresh_from_db()
    assert (ana.attendance, ben.attendance) == ("present", "absent")
    assert sorted(r.pk for r in result.conflicts) == sorted([ana.pk, ben.pk])
    assert result.changed == []
    assert ben.marked_by == world.director1


def test_same_answer_from_two_trainers_is_no_conflict(world, past_session):
    ana = _confirmed(world, past_session, world.staff)
    with alliance_scope(world.alliance):
        for trainer in (world.director1, world.hub):
            result = services.mark_attendance(
                acting_user=trainer, session=past_session, marks={ana.pk: (0, "present")}
            )
    assert not result.conflicts


def test_attendance_refuses_bad_input(world, past_session, session):
    reg = _confirmed(world, past_session, world.staff)
    waiting = _confirmed(world, past_session, world.sub)
    with scopes_disabled():
        Registration.objects.filter(pk=waiting.pk).update(status="waitlisted")
    future = _confirmed(world, session, world.staff)
    with alliance_scope(world.alliance):
        with pytest.raises(ValidationError):
            services.mark_attendance(
                acting_user=world.hub, session=past_session, marks={reg.pk: (0, "maybe")}
            )
        with pytest.raises(ValidationError, match="confirmed"):
            services.mark_attendance(
                acting_user=world.hub, session=past_session, marks={waiting.pk: (0, "present")}
            )
        with pytest.raises(ValidationError, match="once the session starts"):
            services.mark_attendance(
                acting_user=world.hub, session=session, marks={future.pk: (0, "present")}
            )
        reg.refresh_from_db()
    assert reg.attendance == Attendance.UNMARKED


def test_attended_registration_cannot_be_cancelled(world, past_session):
    reg = _confirmed(world, past_session, world.staff)
    with scopes_disabled():
        Registration.objects.filter(pk=reg.pk).update(attendance="present")
    with alliance_scope(world.alliance), pytest.raises(ValidationError):
        services.cancel_registration(acting_user=world.staff, registration=reg)


def test_course_and_session_validation_saves_nothing(world, course):
    with alliance_scope(world.alliance):
        with pytest.raises(ValidationError) as exc:
            services.create_course(
                acting_user=world.hub,
                alliance=world.alliance,
                title="pediatric cpr and first aid",
                topic=Topic.CPR_FIRST_AID,
                hours=Decimal("-1"),
            )
        assert {"title", "hours"} <= set(exc.value.message_dict)
        starts = timezone.now() + timedelta(days=3)
        with pytest.raises(ValidationError) as exc:
            services.schedule_session(
                acting_user=world.hub,
                alliance=world.alliance,
                course=course,
                starts_at=starts,
                ends_at=starts - timedelta(hours=1),
                location="",
                online_url="",
                seats=0,
                language="en",
            )
        assert {"ends_at", "location", "seats"} <= set(exc.value.message_dict)
        assert Course.objects.count() == 1 and Session.objects.count() == 0
        session = services.schedule_session(
            acting_user=world.hub,
            alliance=world.alliance,
            course=course,
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            online_url="https://meet.example.org/cpr",
            seats=12,
            language="es",
        )
    assert session.hours == course.hours  # from the course
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="training.session.scheduled").count() == 1


def test_other_alliance_course_is_refused(world):
    with scopes_disabled():
        foreign = SessionFactory(course__alliance=world.other_alliance).course
    starts = timezone.now() + timedelta(days=3)
    with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
        services.schedule_session(
            acting_user=world.hub,
            alliance=world.alliance,
            course=foreign,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            location="Elizabeth",
            seats=5,
            language="en",
        )
    assert "course" in exc.value.message_dict


def test_reminders_go_once_to_confirmed_people(world, sent):
    with scopes_disabled():
        soon = SessionFactory(
            course__alliance=world.alliance, starts_at=timezone.now() + timedelta(hours=20)
        )
        later = SessionFactory(
            course__alliance=world.alliance, starts_at=timezone.now() + timedelta(days=5)
        )
        RegistrationFactory(session=soon, person=world.staff)
        RegistrationFactory(session=soon, person=world.sub, status="waitlisted")
        RegistrationFactory(session=later, person=world.director1)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert sent == [("staff1@example.org", "training_reminder")]


def test_feed_token_is_created_once_and_reset(world):
    person = UserFactory()
    with alliance_scope(world.alliance):
        first = services.feed_token_for(person=person, alliance=world.alliance)
        same = services.feed_token_for(person=person, alliance=world.alliance)
        old = first.token
        reset = services.feed_token_for(person=person, alliance=world.alliance, reset=True)
    assert same.pk == first.pk and reset.token != old
