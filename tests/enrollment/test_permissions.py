"""Every enrollment URL and API path, asked as every persona: 404 for other programs,
403 for a missing role, the family only through its own link."""

from __future__ import annotations

import pytest

from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
COVERED_API_PATHS = {
    "alliances/<alliance>/applications",
    "alliances/<alliance>/applications/<token>",
    "alliances/<alliance>/applications/<token>/withdraw",
    "alliances/<alliance>/applications/<token>/offers/<offer_id>/accept",
    "alliances/<alliance>/applications/<token>/offers/<offer_id>/decline",
    "me/applications",
    "programs/<slug>/enrollments",
    "programs/<slug>/enrollments/<enrollment_id>",
    "programs/<slug>/enrollments/<enrollment_id>/withdraw",
    "programs/<slug>/attendance",
    "programs/<slug>/attendance/<attendance_id>/check-out",
    "programs/<slug>/openings",
    "alliances/<alliance>/vacancies",
    "alliance/matching-runs",
    "alliances/<alliance>/proposals",
    "alliances/<alliance>/proposals/<proposal_id>/offer",
    "alliances/<alliance>/offers",
    "alliances/<alliance>/offers/<offer_id>/withdraw",
    "programs/<slug>/attendance/<attendance_id>/corrections",
    "programs/<slug>/enrollments/<enrollment_id>/move",
    "programs/<slug>/transitions",
    "programs/<slug>/referrals",
    "programs/<slug>/referrals/<referral_id>/answer",
    "alliances/<alliance>/referrals",
    "alliances/<alliance>/vacancies.csv",
    "alliances/<alliance>/applications/<token>/confirm",
}


def test_program_pages_matrix(world, scenario):
    p1 = "/p/little-learners/enrollment"
    e = scenario.enrollment.pk
    att = scenario.attendance.pk
    app = scenario.application.pk
    view = everyone(404, anonymous=LOGIN, staff=200, director1=200, hub=200)
    manage = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    bad_post = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)
    cases = [
        Case("GET", f"{p1}/", view),
        Case("GET", f"{p1}/new/", manage),
        Case("POST", f"{p1}/new/", bad_post, data={"first_name": ""}),
        Case("GET", f"{p1}/{e}/", view),
        Case("POST", f"{p1}/{e}/", bad_post, data={"action": "withdraw", "w-reason": ""}),
        Case("GET", f"{p1}/attendance/", view),
        Case("GET", f"{p1}/attendance/log/", view),
        Case("GET", f"{p1}/attendance/{att}/correct/", manage),
        Case("POST", f"{p1}/attendance/{att}/correct/", bad_post, data={"reason": ""}),
        Case("GET", f"{p1}/openings/", view),
        Case("POST", f"{p1}/openings/", bad_post, data={"seats": "0"}),
        Case("GET", f"{p1}/transitions/", view),
        Case("GET", f"{p1}/transitions/?weeks=26", view),
        Case("POST", f"{p1}/transitions/", bad_post, data={"move": []}),
        Case("GET", f"{p1}/applications/", view),
        Case("GET", f"{p1}/applications/{app}/", view),
        # Sunshine was not offered this family: its director cannot see it.
        Case(
            "GET",
            f"/p/sunshine/enrollment/applications/{app}/",
            everyone(404, anonymous=LOGIN, director2=404, hub=404),
        ),
        # Another program's enrollment under this program's URL: missing.
        Case(
            "GET",
            f"/p/sunshine/enrollment/{e}/",
            everyone(404, anonymous=LOGIN, director2=404, hub=404),
        ),
    ]
    check_matrix(cases, world.personas())


def test_attendance_tap_matrix(world, scenario):
    url = "/p/little-learners/enrollment/attendance/tap/"
    # Tapping an unknown child: redirect back with a message (never a 500).
    cases = [
        Case(
            "POST",
            url,
            everyone(404, anonymous=LOGIN, staff=302, director1=302, hub=302),
            data={"child": "999999"},
        ),
    ]
    check_matrix(cases, world.personas())


def test_hub_pages_matrix(world, scenario):
    hub = "/a/union-county/hub/enrollment"
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    cases = [
        Case("GET", f"{hub}/", only_hub),
        Case("GET", f"{hub}/applications/{scenario.application.pk}/", only_hub),
        Case(
            "POST",
            f"{hub}/applications/{scenario.application.pk}/",
            everyone(403, anonymous=LOGIN, hub=422),
            data={"to_program": "x"},
        ),
        Case("GET", f"{hub}/matching/", only_hub),
        Case("POST", f"{hub}/matching/review/", everyone(403, anonymous=LOGIN, hub=302), data={}),
        Case("GET", f"{hub}/offers/", only_hub),
        Case("GET", f"{hub}/numbers/", only_hub),
        Case("GET", f"{hub}/vacancies.csv", only_hub),
        # The other alliance's hub cannot reach ours; ours cannot reach theirs.
        Case(
            "GET", "/a/essex-county/hub/enrollment/", everyone(403, anonymous=LOGIN, other_hub=200)
        ),
    ]
    check_matrix(cases, world.personas())


def test_family_pages_matrix(world, scenario):
    token = scenario.application.token
    public = everyone(200)
    cases = [
        Case("GET", "/a/union-county/enroll/", public),
        Case("POST", "/a/union-county/enroll/", everyone(422), data={"guardian_name": ""}),
        Case("GET", f"/a/union-county/enroll/{token}/", public),
        Case("GET", "/a/union-county/enroll/not-a-token/", everyone(404)),
        # The token belongs to this alliance only.
        Case("GET", f"/a/essex-county/enroll/{token}/", everyone(404)),
        Case("GET", "/my/applications/", everyone(200, anonymous=LOGIN)),
        Case("POST", "/a/union-county/enroll/not-a-token/confirm/", everyone(404)),
        Case("POST", f"/a/union-county/enroll/{token}/confirm/", everyone(302)),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world, scenario):
    p1 = f"{V1}/programs/little-learners"
    a = f"{V1}/alliances/union-county"
    e = scenario.enrollment.pk
    token = scenario.application.token
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    manage_bad = everyone(404, anonymous=401, staff=403, director1=422, hub=422)
    only_hub = everyone(403, anonymous=401, hub=200)
    cases = [
        Case("GET", f"{p1}/enrollments", view),
        Case(
            "POST",
            f"{p1}/enrollments",
            manage_bad,
            data={"child_id": 0, "classroom_id": 0, "start_date": "2020-01-01"},
        ),
        Case("GET", f"{p1}/enrollments/{e}", view),
        Case(
            "POST",
            f"{p1}/enrollments/{e}/withdraw",
            manage_bad,
            data={"last_day": "2000-01-01", "reason": ""},
        ),
        Case("GET", f"{p1}/attendance", view),
        Case(
            "POST",
            f"{p1}/attendance",
            everyone(404, anonymous=401, staff=422, director1=422, hub=422),
            data={"child_id": 0},
        ),
        Case("GET", f"{p1}/openings", view),
        Case(
            "GET",
            f"{V1}/programs/sunshine/enrollments/{e}",
            everyone(404, anonymous=401, director2=404, hub=404),
        ),
        Case("GET", f"{a}/vacancies", only_hub),
        Case("GET", f"{a}/proposals", only_hub),
        Case(
            "POST",
            f"{a}/proposals/{scenario.proposal.pk}/offer",
            everyone(403, anonymous=401, hub=422),
        ),  # already offered
        Case("GET", f"{a}/offers", only_hub),
        Case("POST", f"{a}/offers/999999/withdraw", everyone(403, anonymous=401, hub=404), data={}),
        Case("GET", f"{V1}/me/applications", everyone(200, anonymous=401)),
        Case("GET", f"{a}/applications/{token}", everyone(200)),
        Case("GET", f"{a}/applications/nope", everyone(404)),
        Case("POST", f"{a}/applications", everyone(422), data={"guardian_name": "x"}),
        Case(
            "PATCH",
            f"{a}/applications/nope",
            everyone(404),
            data={"desired_start": "2030-01-01", "town": "x", "zip_code": "07201"},
        ),
        Case("POST", f"{a}/applications/nope/withdraw", everyone(404), data={}),
        Case("POST", f"{a}/applications/nope/confirm", everyone(404)),
        Case("POST", f"{a}/applications/{token}/confirm", everyone(200)),
        Case("POST", f"{a}/applications/{token}/offers/999999/accept", everyone(404)),
        Case("POST", f"{a}/applications/{token}/offers/999999/decline", everyone(404), data={}),
        Case(
            "POST",
            f"{V1}/alliance/matching-runs",
            everyone(403, anonymous=401, hub=201, other_hub=201),
        ),
    ]
    check_matrix(cases, world.personas(), api=True)


def test_api_matrix_corrections_moves_transitions_referrals(world, scenario):
    from django_scopes import scopes_disabled

    from alliance.enrollment.services_applications import refer_application

    with scopes_disabled():
        referral = refer_application(
            acting_user=world.hub, application=scenario.waiting, to_program=world.program1
        )
    p1 = f"{V1}/programs/little-learners"
    a = f"{V1}/alliances/union-county"
    e = scenario.enrollment.pk
    att = scenario.attendance.pk
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    manage_bad = everyone(404, anonymous=401, staff=403, director1=422, hub=422)
    only_hub = everyone(403, anonymous=401, hub=200)
    cases = [
        Case("GET", f"{p1}/attendance/{att}/corrections", view),
        Case(
            "POST",
            f"{p1}/attendance/{att}/corrections",
            manage_bad,
            data={"checked_in_at": "2000-01-01T08:00:00Z", "reason": ""},
        ),
        Case(
            "GET",
            f"{V1}/programs/sunshine/attendance/{att}/corrections",
            everyone(404, anonymous=401, director2=404, hub=404),
        ),
        Case(
            "POST",
            f"{p1}/enrollments/{e}/move",
            manage_bad,
            data={"classroom_id": world.classroom1.pk, "on": "2030-01-01"},
        ),
        Case(
            "POST",
            f"{V1}/programs/sunshine/enrollments/{e}/move",
            everyone(404, anonymous=401, director2=404, hub=404),
            data={"classroom_id": world.classroom2.pk, "on": "2030-01-01"},
        ),
        Case("GET", f"{p1}/transitions", view),
        Case("POST", f"{p1}/transitions", manage_bad, data={"moves": []}),
        Case("GET", f"{p1}/referrals", view),
        Case(
            "POST",
            f"{p1}/referrals",
            manage_bad,
            data={"application_id": scenario.application.pk, "to_program": "nope"},
        ),
        # Decline without a reason: refused, so every persona sees the same state.
        Case(
            "POST",
            f"{p1}/referrals/{referral.pk}/answer",
            manage_bad,
            data={"accept": False, "note": ""},
        ),
        Case(
            "POST",
            f"{V1}/programs/sunshine/referrals/{referral.pk}/answer",
            everyone(404, anonymous=401, director2=404, hub=404),
            data={"accept": True},
        ),
        Case("GET", f"{a}/referrals", only_hub),
        Case(
            "POST",
            f"{a}/referrals",
            everyone(403, anonymous=401, hub=422),
            data={"application_id": scenario.waiting.pk, "to_program": "nope"},
        ),
        Case("GET", f"{a}/vacancies.csv", only_hub),
    ]
    check_matrix(cases, world.personas(), api=True)


def test_check_out_api(world, scenario, as_user):
    from alliance.accounts.services import issue_api_token

    token = issue_api_token(user=world.staff, name="t")
    url = f"{V1}/programs/little-learners/attendance/{scenario.attendance.pk}/check-out"
    from django.test import Client

    response = Client().post(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["checked_out_at"]
    again = Client().post(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert again.status_code == 422
    assert "child" in again.json()["fields"]
