"""Every members URL, asked as every persona: 404 for other programs, 403 for missing roles."""

from __future__ import annotations

import pytest

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


def test_another_programs_classroom_is_404_even_for_its_own_director(world, as_user):
    # director1 asking for program2's classroom id under program1's URL: not found.
    url = f"/p/little-learners/classrooms/{world.classroom2.pk}/"
    assert as_user(world.director1).get(url).status_code == 404


def test_hub_pages_matrix(world):
    hub = "/a/union-county/hub"
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    cases = [
        Case("GET", f"{hub}/", only_hub),
        Case("GET", f"{hub}/members/", only_hub),
        Case("GET", f"{hub}/applications/", only_hub),
        Case("GET", f"{hub}/tiers/", only_hub),
        Case("GET", f"{hub}/invite/", only_hub),
        Case("GET", f"{hub}/activity/", only_hub),
        Case("GET", f"{hub}/members/{world.program1.pk}/membership/", only_hub),
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
