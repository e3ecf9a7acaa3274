"""Every staffing URL and API path as every persona: other programs' staff are 404, staff
without the director's role 403, candidates' profiles only with consent or to programs
they applied to."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.staffing.access import candidate_token
from alliance.staffing.models import Application, FieldTrip, PostingStatus
from tests.permissions import LOGIN, Case, check_matrix, everyone
from tests.staffing.factories import (
    BlockFactory,
    CandidateFactory,
    CredentialFactory,
    PostingFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def data(world):
    with scopes_disabled():
        staff = StaffFactory(program=world.program1, full_name="Rosa Diaz")
        other_staff = StaffFactory(program=world.program2)
        credential = CredentialFactory(alliance=world.alliance, staff=staff, kind="tb_test")
        block = BlockFactory(staff=staff, classroom=world.classroom1)
        posting = PostingFactory(program=world.program1)
        closed = PostingFactory(program=world.program1, status=PostingStatus.CLOSED)
        private = CandidateFactory(alliance=world.alliance, share_with_members=False)
        shared = CandidateFactory(alliance=world.alliance, share_with_members=True)
        application = Application.objects.create(
            program=world.program1, posting=posting, candidate=private
        )
        # The staff persona once applied while signed in (their own profile and application).
        own = CandidateFactory(alliance=world.alliance, user=world.staff, share_with_members=True)
        own_application = Application.objects.create(
            program=world.program1, posting=posting, candidate=own
        )
        now = timezone.now()
        trip = FieldTrip.objects.create(
            program=world.program1,
            classroom=world.classroom1,
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=2),
            destination="Library",
        )
    return {
        "staff": staff,
        "other_staff": other_staff,
        "credential": credential,
        "block": block,
        "posting": posting,
        "closed": closed,
        "private": private,
        "shared": shared,
        "application": application,
        "own": own,
        "own_application": own_application,
        "trip": trip,
    }


def test_program_pages_matrix(world, data):
    p1 = "/p/little-learners"
    s = f"{p1}/staff/{data['staff'].pk}"
    view = everyone(404, anonymous=LOGIN, staff=200, director1=200, hub=200)
    manage = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    bad_post = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)
    redirect = everyone(404, anonymous=LOGIN, staff=403, director1=302, hub=302)
    cases = [
        Case("GET", f"{p1}/staff/", manage),
        Case("GET", f"{p1}/staff/?show=former", manage),
        Case("GET", f"{p1}/staff/new/", manage),
        Case("POST", f"{p1}/staff/new/", bad_post, data={"full_name": ""}),
        Case("GET", f"{p1}/staff/compliance/", manage),
        Case("GET", f"{s}/", manage),
        Case("POST", f"{s}/", bad_post, data={"wage": "-1"}),
        Case("POST", f"{s}/credentials/", bad_post, data={"kind": "cari"}),
        Case("POST", f"{s}/schedule/", bad_post, data={"weekday": "9"}),
        Case("POST", f"{s}/separate/", bad_post, data={"reason": "x"}),
        Case("POST", f"{s}/clock/", redirect, data={"action": "out"}),
        Case("GET", f"{p1}/ratios/", view),
        Case("GET", f"{p1}/ratios/settings/", view),
        Case("POST", f"{p1}/ratios/settings/", bad_post, data={"forecast_hours": "99"}),
        Case("POST", f"{p1}/ratios/request/", redirect, data={"classroom": "x"}),
        Case("POST", f"{p1}/ratios/clock/", redirect, data={"staff": ""}),
        Case("GET", f"{p1}/jobs/", manage),
        Case("GET", f"{p1}/jobs/new/", manage),
        Case("POST", f"{p1}/jobs/new/", bad_post, data={"title": ""}),
        Case("GET", f"{p1}/jobs/{data['posting'].pk}/", manage),
        Case("GET", f"{p1}/jobs/applications/{data['application'].pk}/", manage),
        Case("GET", f"{p1}/talent/", manage),
        Case("GET", f"{p1}/talent/{data['private'].pk}/", manage),
        Case("GET", f"{p1}/talent/{data['shared'].pk}/", manage),
        Case("POST", f"{p1}/ratios/field-trips/", bad_post, data={"destination": ""}),
        Case("POST", f"{p1}/ratios/field-trips/{data['trip'].pk}/cancel/", redirect),
        Case("POST", f"{p1}/ratios/rest/", redirect, data={"classroom": "x"}),
        Case("POST", f"{p1}/ratios/home-day/", bad_post, data={"own_children": "x"}),
    ]
    check_matrix(cases, world.personas())


def test_remove_actions_matrix(world, data):
    s = f"/p/little-learners/staff/{data['staff'].pk}"
    # Marking checked can repeat; the block is gone once director1 removed it (hub: 404).
    cases = [
        Case(
            "POST",
            f"{s}/credentials/{data['credential'].pk}/",
            everyone(404, anonymous=LOGIN, staff=403, director1=302, hub=302),
        ),
        Case(
            "POST",
            f"{s}/schedule/{data['block'].pk}/remove/",
            everyone(404, anonymous=LOGIN, staff=403, director1=302),
        ),
    ]
    check_matrix(cases, world.personas())


def test_other_programs_records_are_404(world, data, as_user):
    director1 = as_user(world.director1)
    other = data["other_staff"].pk
    assert director1.get(f"/p/little-learners/staff/{other}/").status_code == 404
    assert director1.get(f"/p/sunshine/staff/{other}/").status_code == 404
    director2 = as_user(world.director2)
    assert director2.get(f"/p/sunshine/staff/{other}/").status_code == 200
    # director2 cannot reach program1's application or its private applicant.
    assert director2.get(f"/p/sunshine/talent/{data['private'].pk}/").status_code == 404
    assert director2.get(f"/p/sunshine/talent/{data['shared'].pk}/").status_code == 200
    assert (
        director2.get(f"/p/sunshine/jobs/applications/{data['application'].pk}/").status_code == 404
    )


def test_public_and_hub_pages_matrix(world, data):
    a = "/a/union-county"
    hub_only = everyone(403, anonymous=LOGIN, hub=200)
    cases = [
        Case("GET", f"{a}/jobs/", everyone(200)),
        Case("GET", f"{a}/jobs/{data['posting'].pk}/", everyone(200)),
        Case("GET", f"{a}/jobs/{data['posting'].pk}/applied/", everyone(200)),
        Case("GET", f"{a}/jobs/{data['closed'].pk}/", everyone(404)),
        Case("GET", f"/a/essex-county/jobs/{data['posting'].pk}/", everyone(404)),
        Case("GET", f"{a}/hub/talent/", hub_only),
        Case("GET", f"{a}/hub/talent/{data['shared'].pk}/", hub_only),
        # Not consented: not even the hub sees the profile.
        Case(
            "GET", f"{a}/hub/talent/{data['private'].pk}/", everyone(403, anonymous=LOGIN, hub=404)
        ),
        Case("GET", f"{a}/hub/staffing/", hub_only),
        Case("GET", f"{a}/jobs/me/{candidate_token(data['private'])}/", everyone(200)),
        Case("GET", f"{a}/jobs/me/not-a-token/", everyone(404)),
        # A token of this alliance's candidate does not open in another alliance.
        Case("GET", f"/a/essex-county/jobs/me/{candidate_token(data['private'])}/", everyone(404)),
        Case(
            "POST",
            f"{a}/jobs/me/{candidate_token(data['shared'])}/",
            everyone(302),
            data={"action": "stop_sharing"},
        ),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world, data):
    p1 = f"{V1}/programs/little-learners"
    s = f"{p1}/staff/{data['staff'].pk}"
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    manage = everyone(404, anonymous=401, staff=403, director1=200, hub=200)
    created = everyone(404, anonymous=401, staff=403, director1=201, hub=201)
    bad = everyone(404, anonymous=401, staff=403, director1=422, hub=422)
    cases = [
        Case("GET", f"{p1}/ratio-status", view),
        Case("GET", f"{p1}/staff", manage),
        # Schema-valid bodies the services refuse: permission is decided before input.
        Case("POST", f"{p1}/staff", bad, data=FAR_FUTURE_HIRE),
        Case("GET", s, manage),
        Case("PATCH", s, manage, data={}),
        Case("GET", f"{s}/credentials", manage),
        Case(
            "POST",
            f"{s}/credentials",
            bad,
            data={"kind": "cari", "issued_on": "2025-02-01", "expires_on": "2025-01-01"},
        ),
        Case("GET", f"{p1}/compliance", manage),
        Case("GET", f"{p1}/jobs", manage),
        Case("POST", f"{p1}/jobs", bad, data=WAGES_REVERSED),
        Case("GET", f"{p1}/jobs/{data['posting'].pk}/applications", manage),
        Case(
            "POST",
            f"{p1}/applications/{data['application'].pk}/stage",
            manage,
            data={"stage": "screened"},
        ),
        Case("PATCH", f"{p1}/jobs/{data['posting'].pk}", bad, data=WAGE_TOP_BELOW_BOTTOM),
        Case(
            "POST",
            f"{p1}/applications/{data['application'].pk}/hire",
            bad,
            data={"hire_date": "2099-01-01", "wage": "18.00"},
        ),
        Case(
            "GET",
            f"{V1}/programs/sunshine/staff/{data['other_staff'].pk}",
            everyone(404, anonymous=401, director2=200, hub=200),
        ),
        Case(
            "GET",
            f"{p1}/staff/{data['other_staff'].pk}",
            everyone(404, anonymous=401, staff=403, director1=404, hub=404),
        ),
        # Schedules, clock-ins, separations.
        Case("GET", f"{s}/schedule", manage),
        Case(
            "POST",
            f"{s}/schedule",
            bad,
            data={
                "classroom_id": world.classroom1.pk,
                "weekday": 0,
                "starts_at": "10:00",
                "ends_at": "09:00",
            },
        ),
        Case(
            "DELETE",
            f"{s}/schedule/{data['block'].pk}",
            everyone(404, anonymous=401, staff=403, director1=204),
        ),
        Case("POST", f"{s}/clock-in", created, data={}),
        Case("POST", f"{s}/clock-out", manage),
        Case("GET", f"{p1}/clock-ins", manage),
        Case(
            "POST",
            f"{s}/separation",
            bad,
            data={"separated_on": "2020-01-01", "reason": "resigned_pay"},
        ),
        # The day: field trips, resting rooms, a family home's own children.
        Case("GET", f"{p1}/field-trips", manage),
        Case(
            "POST",
            f"{p1}/field-trips",
            bad,
            data={
                "classroom_id": world.classroom1.pk,
                "starts_at": "2099-06-01T11:00:00-04:00",
                "ends_at": "2099-06-01T10:00:00-04:00",
                "destination": "Zoo",
            },
        ),
        Case(
            "POST",
            f"{p1}/field-trips/{data['trip'].pk}/cancel",
            everyone(404, anonymous=401, staff=403, director1=200, hub=422),
        ),
        Case(
            "POST",
            f"{p1}/ratio-rest",
            manage,
            data={"classroom_id": world.classroom1.pk, "resting": True},
        ),
        Case("PUT", f"{p1}/home-day", bad, data={"own_children": 1}),
        Case(
            "PUT",
            f"{V1}/programs/garcia-fcc/home-day",
            everyone(404, anonymous=401, hub=200),
            data={"own_children": 1},
        ),
    ]
    check_matrix(cases, world.personas(), api=True)


def test_public_and_candidate_api_matrix(world, data):
    a = f"{V1}/alliances/union-county"
    posting = data["posting"].pk
    cases = [
        Case("GET", f"{a}/jobs", everyone(200)),
        Case("GET", f"{a}/jobs/{posting}", everyone(200)),
        Case("GET", f"{a}/jobs/{data['closed'].pk}", everyone(404)),
        Case("GET", f"{V1}/alliances/essex-county/jobs/{posting}", everyone(404)),
        Case("GET", f"{V1}/alliances/no-such/jobs", everyone(404)),
        # One applicant (one email): the first call applies, every later one is refused.
        Case("POST", f"{a}/jobs/{posting}/apply", everyone(422, anonymous=201), data=APPLICANT),
        Case("POST", f"{a}/jobs/{data['closed'].pk}/apply", everyone(404), data=APPLICANT),
        Case("GET", f"{V1}/me/job-applications", everyone(200, anonymous=401)),
        Case(
            "POST",
            f"{V1}/me/job-applications/{data['own_application'].pk}/withdraw",
            everyone(404, anonymous=401, staff=200),
        ),
        Case(
            "POST",
            f"{V1}/me/job-applications/{data['application'].pk}/withdraw",
            everyone(404, anonymous=401),
        ),
        Case(
            "POST",
            f"{V1}/me/job-profiles/{data['own'].pk}/withdraw-consent",
            everyone(404, anonymous=401, staff=200),
        ),
    ]
    check_matrix(cases, world.personas(), api=True)


FAR_FUTURE_HIRE = {
    "full_name": "Future Hire",
    "role": "aide",
    "hire_date": "2099-01-01",
    "hours_per_week": "20",
    "wage": "16.00",
}
WAGE_TOP_BELOW_BOTTOM = {"wage_max": "1.00"}
APPLICANT = {
    "email": "maria.lopez@example.org",
    "full_name": "María López",
    "town": "Elizabeth",
    "languages": ["es", "en"],
    "credentials": ["cpr_first_aid"],
}
WAGES_REVERSED = {
    "title": "Aide",
    "role": "aide",
    "hours_per_week": "20",
    "wage_min": "20.00",
    "wage_max": "16.00",
    "description": "Help in the toddler room.",
}

COVERED_API_PATHS = {
    "programs/<slug>/ratio-status",
    "programs/<slug>/staff",
    "programs/<slug>/staff/<staff_id>",
    "programs/<slug>/staff/<staff_id>/credentials",
    "programs/<slug>/compliance",
    "programs/<slug>/jobs",
    "programs/<slug>/jobs/<posting_id>/applications",
    "programs/<slug>/applications/<application_id>/stage",
    "programs/<slug>/jobs/<posting_id>",
    "programs/<slug>/applications/<application_id>/hire",
    "programs/<slug>/staff/<staff_id>/schedule",
    "programs/<slug>/staff/<staff_id>/schedule/<block_id>",
    "programs/<slug>/staff/<staff_id>/clock-in",
    "programs/<slug>/staff/<staff_id>/clock-out",
    "programs/<slug>/clock-ins",
    "programs/<slug>/staff/<staff_id>/separation",
    "programs/<slug>/field-trips",
    "programs/<slug>/field-trips/<trip_id>/cancel",
    "programs/<slug>/ratio-rest",
    "programs/<slug>/home-day",
    "alliances/<alliance>/jobs",
    "alliances/<alliance>/jobs/<posting_id>",
    "alliances/<alliance>/jobs/<posting_id>/apply",
    "me/job-applications",
    "me/job-applications/<application_id>/withdraw",
    "me/job-profiles/<candidate_id>/withdraw-consent",
}


def test_hire_date_fixture_is_sane():
    assert date(2023, 8, 1) < date.today()
