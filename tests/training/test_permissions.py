"""Every training URL and API path, asked as every persona."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import alliance_scope
from alliance.training import services
from tests.permissions import LOGIN, Case, check_matrix, everyone
from tests.training.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

A = "/a/union-county/training"
H = "/a/union-county/hub/training"
V1 = "/api/v1"

# Anyone holding a role in the alliance; outsiders and the other county's hub are refused.
MEMBER = everyone(200, anonymous=LOGIN, outsider=403, other_hub=403)
HUB = everyone(403, anonymous=LOGIN, hub=200)
# Training seats are for the workforce: families and committee members are refused too.
WORKFORCE_REFUSED = {"outsider": 403, "other_hub": 403, "family": 403, "committee": 403}


def _attended(world, session, person):
    with scopes_disabled():
        return RegistrationFactory(session=session, person=person, attendance="present")


def test_pages_matrix(world, course, session, past_session):
    reg = _attended(world, past_session, world.staff)
    with alliance_scope(world.alliance):
        token = services.feed_token_for(person=world.staff, alliance=world.alliance).token
    not_mine = everyone(404, anonymous=LOGIN, outsider=403, other_hub=403, staff=200)
    trainer = everyone(403, anonymous=LOGIN, director1=200, hub=200)
    hub_422 = everyone(403, anonymous=LOGIN, hub=422)
    cases = [
        Case("GET", f"{A}/", MEMBER),
        Case("GET", f"{A}/mine/", MEMBER),
        Case("GET", f"{A}/sessions/{session.pk}/", MEMBER),
        Case(
            "GET",
            f"{A}/sessions/999999/",
            everyone(404, anonymous=LOGIN, outsider=403, other_hub=403),
        ),
        Case("GET", f"{A}/sessions/{past_session.pk}/attendance/", trainer),
        Case("GET", f"{A}/registrations/{reg.pk}/certificate.pdf", not_mine),
        Case("GET", f"{A}/sessions.ics", everyone(200)),
        Case("GET", f"{A}/feed/{token}.ics", everyone(200)),
        Case("GET", f"{A}/feed/not-a-token.ics", everyone(404)),
        Case("GET", f"{H}/", HUB),
        Case("GET", f"{H}/courses/", HUB),
        Case("GET", f"{H}/courses/{course.pk}/", HUB),
        Case("GET", f"{H}/sessions/new/", HUB),
        Case("GET", f"{H}/sessions/{session.pk}/", HUB),
        Case("GET", f"{H}/sessions/{session.pk}/edit/", HUB),
        Case("GET", f"{H}/registrations/{reg.pk}/certificate.pdf", HUB),
        Case("GET", f"{H}/hours.csv", HUB),
        Case("POST", f"{H}/courses/", hub_422, data={"title": ""}),
        Case("POST", f"{H}/courses/{course.pk}/", hub_422, data={"title": ""}),
        Case("POST", f"{H}/sessions/new/", hub_422, data={"seats": "0"}),
        Case("POST", f"{H}/sessions/{session.pk}/edit/", hub_422, data={"seats": "x"}),
        Case(
            "GET",
            "/p/little-learners/training/",
            everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200),
        ),
        Case(
            "GET",
            "/p/little-learners/training/hours.csv",
            everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200),
        ),
        Case(
            "GET",
            "/p/little-learners/training/hours.xlsx",
            everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200),
        ),
        Case(
            "GET",
            "/p/little-learners/training/hours.pdf",
            everyone(404, anonymous=LOGIN, staff=403),
        ),
        # Director1's own staff member's certificate; director2 (another program) cannot.
        Case(
            "GET",
            f"/p/little-learners/training/registrations/{reg.pk}/certificate.pdf",
            everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200),
        ),
        Case(
            "GET",
            f"/p/sunshine/training/registrations/{reg.pk}/certificate.pdf",
            everyone(404, anonymous=LOGIN, director2=404, hub=404),
        ),
        # Another alliance's session through this alliance: missing.
        Case("GET", "/a/essex-county/hub/training/", everyone(403, anonymous=LOGIN, other_hub=200)),
    ]
    check_matrix(cases, world.personas())


def test_writes_matrix(world, course):
    with scopes_disabled():
        open_session = SessionFactory(course=course, seats=30)
        other_session = SessionFactory(course=course, seats=30)
        mine = RegistrationFactory(session=SessionFactory(course=course), person=world.staff)
        doomed = SessionFactory(course=course)
    redirect = everyone(302, anonymous=LOGIN, outsider=403, other_hub=403)
    own = everyone(404, anonymous=LOGIN, outsider=403, other_hub=403, staff=302)
    register = everyone(302, anonymous=LOGIN, **WORKFORCE_REFUSED)
    # Hub (anyone, by email) and directors (their own staff) register others.
    others = everyone(403, anonymous=LOGIN, director1=302, director2=302, hub=302)
    cases = [
        Case("POST", f"{A}/sessions/{open_session.pk}/register/", register),
        Case(
            "POST",
            f"{A}/sessions/{other_session.pk}/register-others/",
            others,
            data={"email": "staff1@example.org"},
        ),
        Case("POST", f"{A}/registrations/{mine.pk}/cancel/", own),
        Case("POST", f"{A}/mine/calendar/", redirect),
        Case("POST", f"{H}/sessions/{doomed.pk}/cancel/", everyone(403, anonymous=LOGIN, hub=302)),
    ]
    check_matrix(cases, world.personas())
    with scopes_disabled():
        # hub, director1, director2, staff, sub: never a family or committee member.
        taken = open_session.registrations.filter(status="confirmed")
        assert set(taken.values_list("person__email", flat=True)) == {
            "hub@example.org",
            "director1@example.org",
            "director2@example.org",
            "staff1@example.org",
            "sub1@example.org",
        }
        # Director1 registered their teacher; director2 and the hub were told she already is.
        (other,) = other_session.registrations.all()
        assert other.person == world.staff
        mine.refresh_from_db()
        doomed.refresh_from_db()
    assert mine.status == "cancelled"
    assert doomed.status == "cancelled"


def test_api_matrix(world, course, past_session):
    with scopes_disabled():
        open_session = SessionFactory(course=course, seats=30)
        other_session = SessionFactory(course=course, seats=30)
        mine = RegistrationFactory(session=SessionFactory(course=course), person=world.staff)
    base = f"{V1}/alliances/union-county/trainings"
    member = everyone(200, anonymous=401, outsider=403, other_hub=403)
    cases = [
        Case("GET", base, member),
        Case("GET", f"{base}/{open_session.pk}", member),
        Case("GET", f"{base}/999999", everyone(404, anonymous=401, outsider=403, other_hub=403)),
        Case(
            "POST",
            f"{base}/{open_session.pk}/register",
            everyone(201, anonymous=401, **WORKFORCE_REFUSED),
            data={},
        ),
        Case(
            "POST",
            f"{base}/{past_session.pk}/register",
            everyone(422, anonymous=401, **WORKFORCE_REFUSED),
            data={},
        ),
        Case(
            "GET",
            f"{base}/{open_session.pk}/registrations",
            everyone(403, anonymous=401, director1=200, director2=200, hub=200),
        ),
        # director1 registers their teacher; director2 may not (not theirs); the hub is
        # told she is already registered.
        Case(
            "POST",
            f"{base}/{other_session.pk}/registrations",
            everyone(403, anonymous=401, director1=201, director2=422, hub=422),
            data={"email": "staff1@example.org"},
        ),
        Case(
            "POST",
            f"{base}/{other_session.pk}/registrations",
            everyone(403, anonymous=401, director1=404, director2=404, hub=404),
            data={"email": "family1@example.org"},
        ),
        # The trainer (director1) and the hub take attendance; an empty sheet changes nothing.
        Case(
            "POST",
            f"{base}/{past_session.pk}/attendance",
            everyone(403, anonymous=401, director1=200, hub=200),
            data={"marks": []},
        ),
        Case("GET", f"{V1}/alliances/no-such/trainings", everyone(404, anonymous=401)),
        Case("GET", f"{V1}/me/training-registrations", everyone(200, anonymous=401)),
        Case(
            "POST",
            f"{V1}/me/training-registrations/{mine.pk}/cancel",
            everyone(404, anonymous=401, staff=200),
            data={},
        ),
    ]
    check_matrix(cases, world.personas(), api=True)


COVERED_API_PATHS = {
    "alliances/<alliance>/trainings",
    "alliances/<alliance>/trainings/<session_id>",
    "alliances/<alliance>/trainings/<session_id>/register",
    "alliances/<alliance>/trainings/<session_id>/registrations",
    "alliances/<alliance>/trainings/<session_id>/attendance",
    "me/training-registrations",
    "me/training-registrations/<registration_id>/cancel",
}
