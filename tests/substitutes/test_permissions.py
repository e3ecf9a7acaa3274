"""Every substitutes URL and API path, as every persona: 404 for other programs (same as
missing), 403 for a missing role, a substitute only ever reaches their own offers."""

from __future__ import annotations

from datetime import time

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import services
from alliance.substitutes.messages import offer_token
from alliance.substitutes.models import Assignment
from tests.permissions import LOGIN, Case, check_matrix, everyone
from tests.substitutes.conftest import offer_of

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

COVERED_API_PATHS = {
    "programs/<slug>/substitute-requests",
    "programs/<slug>/substitute-requests/<request_id>",
    "programs/<slug>/substitute-requests/<request_id>/cancel",
    "me/substitute-offers",
    "substitute-offers/<offer_id>/accept",
    "substitute-offers/<offer_id>/decline",
    "me/substitute-shifts",
    "substitute-shifts/<assignment_id>/cancel",
    "programs/<slug>/substitute-requests/<request_id>/volunteers",
    "programs/<slug>/substitute-requests/<request_id>/pick",
    "programs/<slug>/substitute-favourites",
    "programs/<slug>/substitute-favourites/<substitute_id>",
    "substitute-offers/<offer_id>/volunteer",
    "alliances/<alliance>/substitute-reports/fills",
    "alliances/<alliance>/substitute-reports/never-work",
    "alliances/<alliance>/substitute-profiles/<profile_id>/reinstate",
}


def _request(world, shift_day, capture, start=time(8), end=time(15)):
    with program_scope(world.program1), capture(execute=True):
        return services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[shift_day],
            start=start,
            end=end,
            mode="broadcast",
        )


def test_program_pages_matrix(world, broadcast):
    base = f"/p/little-learners/substitutes/{broadcast.pk}"
    view = everyone(404, anonymous=LOGIN, staff=200, director1=200, hub=200)
    act = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    post = everyone(404, anonymous=LOGIN, staff=403, director1=302, hub=302)
    cases = [
        Case("GET", "/p/little-learners/substitutes/", view),
        Case("GET", "/p/little-learners/substitutes/?show=past", view),
        Case("GET", "/p/little-learners/substitutes/numbers/", view),
        Case("GET", "/p/little-learners/substitutes/people/", view),
        Case(
            "POST",
            f"/p/little-learners/substitutes/favourites/{world.sub.pk}/",
            post,
            data={"action": "mark"},
        ),
        Case("POST", f"{base}/pick/", post, data={"offer_id": "0"}),
        Case("GET", f"{base}/", view),
        Case("GET", "/p/little-learners/substitutes/new/", act),
        Case(
            "POST",
            "/p/little-learners/substitutes/new/",
            everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422),
            data={"day": "2001-01-01", "start": "08:00", "end": "07:00"},
        ),
        Case("POST", f"{base}/again/", post),
        Case("POST", f"{base}/no-show/", post),
        Case("POST", f"{base}/rate/", post, data={"stars": "9"}),
        Case("POST", f"{base}/block/", post),
        Case(
            "POST",
            "/p/little-learners/substitutes/timesheets/999999/approve/",
            everyone(404, anonymous=LOGIN, staff=403, director1=404, hub=404),
        ),
        Case("POST", f"{base}/cancel/", post),
    ]
    check_matrix(cases, world.personas())


def test_another_programs_request_is_404_for_its_director(world, broadcast, as_user):
    url = f"/p/sunshine/substitutes/{broadcast.pk}/"
    assert as_user(world.director2).get(url).status_code == 404
    assert as_user(world.director2).get("/p/sunshine/substitutes/").status_code == 200


def test_hub_pages_matrix(world, pool):
    hub = "/a/union-county/hub/substitutes"
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    with scopes_disabled():
        from alliance.substitutes.models import SubstituteProfile
        from tests.substitutes.factories import make_sub

        foreign = make_sub(world.other_alliance, "essex-sub@example.org")
        assert SubstituteProfile.objects.count() == 4
    cases = [
        Case("GET", f"{hub}/", only_hub),
        Case("GET", f"{hub}/requests/", only_hub),
        Case("GET", f"{hub}/invoices/", only_hub),
        Case("GET", f"{hub}/numbers/", only_hub),
        Case("GET", f"{hub}/settings/", only_hub),
        Case("GET", f"{hub}/reports/", only_hub),
        Case("GET", f"{hub}/reports/fills.csv", only_hub),
        Case(
            "POST",
            f"{hub}/people/{pool[0].pk}/",
            everyone(403, anonymous=LOGIN, hub=422),
            data={"form": "reinstate", "reason": "ok"},
        ),
        Case("POST", f"{hub}/settings/", everyone(403, anonymous=LOGIN, hub=422)),
        Case("POST", f"{hub}/invoices/", everyone(403, anonymous=LOGIN, hub=422)),
        Case("GET", f"{hub}/people/{pool[0].pk}/", only_hub),
        Case("GET", f"{hub}/people/{foreign.pk}/", everyone(403, anonymous=LOGIN, hub=404)),
    ]
    check_matrix(cases, world.personas())


def test_substitute_pages_matrix(
    world, broadcast, pool, shift_day, django_capture_on_commit_callbacks
):
    mine = offer_of(broadcast, world.sub)
    theirs = offer_of(broadcast, pool[1].user)
    only_sub = everyone(403, anonymous=LOGIN, sub=200)
    cases = [
        Case("GET", "/substitutes/me/", only_sub),
        Case("GET", "/substitutes/me/profile/", only_sub),
        Case("GET", f"/substitutes/me/offers/{mine.pk}/", only_sub),
        Case(
            "GET", f"/substitutes/me/offers/{theirs.pk}/", everyone(403, anonymous=LOGIN, sub=404)
        ),
        Case(
            "POST",
            "/substitutes/me/profile/",
            everyone(403, anonymous=LOGIN, sub=422),
            data={"form": "profile", "home_town": "Atlantis", "travel_miles": "5"},
        ),
        # The text message's link works for anyone holding it, signed in or not.
        Case("GET", f"/s/offer/{offer_token(mine.pk)}/", everyone(200)),
        Case("GET", f"/s/offer/{mine.pk}:forged/", everyone(404)),
    ]
    check_matrix(cases, world.personas())
    with program_scope(world.program1):
        assignment = services.accept_offer(acting_user=world.sub, offer_id=mine.pk)
    check_matrix(
        [Case("GET", f"/substitutes/me/shifts/{assignment.pk}/", only_sub)], world.personas()
    )


def test_api_matrix(world, broadcast, pool, shift_day, django_capture_on_commit_callbacks):
    second = _request(
        world, shift_day, django_capture_on_commit_callbacks, start=time(15, 30), end=time(18)
    )
    p1 = f"{V1}/programs/little-learners/substitute-requests"
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    signed_in = everyone(200, anonymous=401)
    only_sub = everyone(404, anonymous=401, sub=200)
    cases = [
        Case("GET", p1, view),
        Case(
            "POST",
            p1,
            everyone(404, anonymous=401, staff=403, director1=422, hub=422),
            data={"date": "2001-01-01", "start": "08:00", "end": "15:00"},
        ),
        Case("GET", f"{p1}/{broadcast.pk}", view),
        Case(
            "GET",
            f"{V1}/programs/sunshine/substitute-requests/{broadcast.pk}",
            everyone(404, anonymous=401, director2=404, hub=404),
        ),
        Case("GET", f"{V1}/me/substitute-offers", signed_in),
        Case(
            "POST", f"{V1}/substitute-offers/{offer_of(broadcast, world.sub).pk}/accept", only_sub
        ),
        Case("POST", f"{V1}/substitute-offers/{offer_of(second, world.sub).pk}/decline", only_sub),
        Case("GET", f"{V1}/me/substitute-shifts", signed_in),
    ]
    check_matrix(cases, world.personas(), api=True)
    with scopes_disabled():
        assignment = Assignment.objects.get(request=broadcast)
    check_matrix(
        [
            Case("POST", f"{V1}/substitute-shifts/{assignment.pk}/cancel", only_sub, data={}),
            Case(
                "POST",
                f"{p1}/{second.pk}/cancel",
                everyone(404, anonymous=401, staff=403, director1=200, hub=422),
                data={},
            ),
        ],
        world.personas(),
        api=True,
    )


def test_new_api_paths_matrix(world, pool, shift_day, django_capture_on_commit_callbacks):
    """Director-picks, favourites, volunteering and the hub's reports, as every persona."""
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        picks = services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[shift_day],
            start=time(8),
            end=time(15),
            mode="picks",
        )
    p1 = f"{V1}/programs/little-learners"
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    act = everyone(404, anonymous=401, staff=403, director1=422, hub=422)
    hub_only = everyone(403, anonymous=401, hub=200)
    cases = [
        Case("GET", f"{p1}/substitute-requests/{picks.pk}/volunteers", view),
        Case("POST", f"{p1}/substitute-requests/{picks.pk}/pick", act, data={"offer_id": 0}),
        Case(
            "GET",
            f"{V1}/programs/sunshine/substitute-requests/{picks.pk}/volunteers",
            everyone(404, anonymous=401, director2=404, hub=404),
        ),
        Case("GET", f"{p1}/substitute-favourites", view),
        Case(
            "POST",
            f"{p1}/substitute-favourites",
            everyone(404, anonymous=401, staff=403, director1=201, hub=201),
            data={"substitute_id": pool[1].user_id},
        ),
        Case(
            "POST",
            f"{p1}/substitute-favourites",
            act,
            data={"substitute_id": world.family.pk},
        ),
        Case(
            "DELETE",
            f"{p1}/substitute-favourites/{pool[1].user_id}",
            everyone(404, anonymous=401, staff=403, director1=204, hub=204),
        ),
        Case("GET", f"{V1}/alliances/union-county/substitute-reports/fills", hub_only),
        Case("GET", f"{V1}/alliances/union-county/substitute-reports/never-work", hub_only),
        Case(
            "POST",
            f"{V1}/alliances/union-county/substitute-profiles/{pool[0].pk}/reinstate",
            everyone(403, anonymous=401, hub=422),
            data={"reason": "not suspended"},
        ),
        Case(
            "GET",
            f"{V1}/alliances/essex-county/substitute-reports/fills",
            everyone(403, anonymous=401, other_hub=200),
        ),
    ]
    check_matrix(cases, world.personas(), api=True)
    # Only the invited substitute can volunteer on their own offer.
    check_matrix(
        [
            Case(
                "POST",
                f"{V1}/substitute-offers/{offer_of(picks, world.sub).pk}/volunteer",
                everyone(404, anonymous=401, sub=200),
            )
        ],
        world.personas(),
        api=True,
    )
