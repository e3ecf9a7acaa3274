"""Scoped lookups of training records that 404 alike for "missing" and "not yours"."""

from __future__ import annotations

from alliance.accounts.models import User
from alliance.core.access import first_or_404
from alliance.training.models import Course, Registration, Session


def access_course(alliance_id: int, course_id: int) -> Course:
    return first_or_404(Course.objects.filter(alliance_id=alliance_id, pk=course_id))


def access_session(alliance_id: int, session_id: int) -> Session:
    return first_or_404(
        Session.objects.select_related("course", "alliance", "trainer").filter(
            alliance_id=alliance_id, pk=session_id
        )
    )


def access_own_registration(alliance_id: int, person: User, registration_id: int) -> Registration:
    """One of ``person``'s own registrations."""
    return first_or_404(
        Registration.objects.select_related(
            "session__course", "session__alliance", "person"
        ).filter(alliance_id=alliance_id, person=person, pk=registration_id)
    )


def access_registration(alliance_id: int, registration_id: int) -> Registration:
    """Any registration of the alliance (hub and trainers only: callers check that)."""
    return first_or_404(
        Registration.objects.select_related(
            "session__course", "session__alliance", "person"
        ).filter(alliance_id=alliance_id, pk=registration_id)
    )
