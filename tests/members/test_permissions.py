"""Every members URL, asked as every persona: 404 for other programs, 403 for missing roles."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.members.models import Site
from tests.factories import TierFactory
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db


def program_cases(w):
    p1 = "/p/little-learners"
    room = w.classroom1.pk
    # director2 and other_hub and every non-program user get 404: the program is not theirs.
    view = everyone(404, anonymous=LOGIN, staff=200, director1=200, hub=200)
    manage = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    return [
        Case("GET", f"{p1}/", view),
        Case("GET", f"{p1}/profile/", view),
        Case("GET", f"{p1}/classrooms/", view),
        Case("GET", f"{p1}/classrooms/new/", manage),
        Case("GET", f"{p1}/classrooms/{room}/", manage),
        Case("GET", f"{p1}/people/", manage),
        Case("GET", f"{p1}/activity/", manage),
        Case(
            "POST",
            f"{p1}/profile/",
            everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422),
        ),
    ]


def test_program_pages_matrix(world):
    check_matrix(program_cases(world), world.personas())


def test_site_pages_matrix(world):
    with scopes_disabled():
        site = Site.objects.create(
            program=world.program1, name="Annex", address="1 A St", town="Union", zip_code="07083"
        )
    sites = "/p/little-learners/profile/sites"
    view = everyone(404, anonymous=LOGIN, staff=200, director1=200, hub=200)
    manage = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    bad_post = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)
    cases = [
        Case("GET", f"{sites}/", view),
        Case("GET", f"{sites}/new/", manage),
        Case("GET", f"{sites}/{site.pk}/", manage),
        Case("POST", f"{sites}/new/", bad_post, data={"name": ""}),
        Case("POST", f"{sites}/{site.pk}/", bad_post, data={"zip_code": "x"}),
    ]
    check_matrix(cases, world.personas())


def test_another_programs_site_is_404_even_for_its_own_director(world, as_user):
    with scopes_disabled():
        site = Site.objects.create(
            program=world.program2, name="Annex", address="1 A St", town="Union", zip_code="07083"
        )
    url = f"/p/little-learners/profile/sites/{site.pk}/"
    assert as_user(world.director1).get(url).status_code == 404
    assert as_user(world.director2).get(url).status_code == 404
    assert as_user(world.director2).get(f"/p/sunshine/profile/sites/{site.pk}/").status_code == 200


def test_another_programs_classroom_is_404_even_for_its_own_director(world, as_user):
    # director1 asking for program2's classroom id under program1's URL: not found.
    url = f"/p/little-learners/classrooms/{world.classroom2.pk}/"
    assert as_user(world.director1).get(url).status_code == 404


def test_hub_pages_matrix(world):
    hub = "/a/union-county/hub"
    with scopes_disabled():
        tier = TierFactory(alliance=world.alliance, name="Large")
        foreign_tier = TierFactory(alliance=world.other_alliance, name="Essex")
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    cases = [
        Case("GET", f"{hub}/", only_hub),
        Case("GET", f"{hub}/members/", only_hub),
        Case("GET", f"{hub}/applications/", only_hub),
        Case("GET", f"{hub}/tiers/", only_hub),
        Case("GET", f"{hub}/invite/", only_hub),
        Case("GET", f"{hub}/activity/", only_hub),
        Case("GET", f"{hub}/members/{world.program1.pk}/membership/", only_hub),
        Case("GET", f"{hub}/members.csv", only_hub),
        Case("GET", f"{hub}/tiers/{tier.pk}/", only_hub),
        Case("POST", f"{hub}/tiers/{tier.pk}/", everyone(403, anonymous=LOGIN, hub=422)),
        Case("POST", f"{hub}/tiers/", everyone(403, anonymous=LOGIN, hub=422)),
        Case(
            "GET",
            f"{hub}/tiers/{foreign_tier.pk}/",
            everyone(403, anonymous=LOGIN, hub=404),
        ),
        # Another alliance's program through this alliance's hub URL: 404 even for a hub.
        Case(
            "GET",
            f"{hub}/members/{world.other_program.pk}/membership/",
            everyone(403, anonymous=LOGIN, hub=404),
        ),
    ]
    check_matrix(cases, world.personas())


def test_public_pages_matrix(world):
    public = everyone(200)
    cases = [
        Case("GET", "/a/union-county/", public),
        Case("GET", "/a/union-county/directory/", public),
        Case("GET", "/a/union-county/directory/little-learners/", public),
        Case("GET", "/a/union-county/join/", public),
        Case("GET", "/a/no-such-alliance/", everyone(404)),
    ]
    check_matrix(cases, world.personas())
