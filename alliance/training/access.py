"""Scoped lookups of training records that 404 alike for "missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404

from alliance.accounts.models import User
from alliance.training.models import Course, Registration, Session


def access_course(alliance_id: int, course_id: int) -> Course:
    course = Course.objects.filter(alliance_id=alliance_id, pk=course_id).first()
    if course is None:
        raise Http404
    return course


def access_session(alliance_id: int, session_id: int) -> Session:
    session = (
        Session.objects.select_related("course", "alliance", "trainer")
        .filter(alliance_id=alliance_id, pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def access_own_registration(alliance_id: int, person: User, registration_id: int) -> Registration:
    """One of ``person``'s own registrations."""
    registration = (
        Registration.objects.select_related("session__course", "session__alliance", "person")
        .filter(alliance_id=alliance_id, person=person, pk=registration_id)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def access_registration(alliance_id: int, registration_id: int) -> Registration:
    """Any registration of the alliance (hub and trainers only: callers check that)."""
    registration = (
        Registration.objects.select_related("session__course", "session__alliance", "person")
        .filter(alliance_id=alliance_id, pk=registration_id)
        .first()
    )
    if registration is None:
        raise Http404
    return registration
