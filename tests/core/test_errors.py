"""Errors: JSON under /api/, branded pages elsewhere; never Django's bare debug pages."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404():
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"message": "Not found."}


def test_unknown_page_is_a_friendly_404(world, as_user):
    response = as_user(world.director1).get("/no-such-page/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_another_programs_page_gets_the_same_404_page(world, as_user):
    response = as_user(world.director2).get("/p/little-learners/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_missing_role_gets_the_403_page(world, as_user):
    response = as_user(world.staff).get("/p/little-learners/classrooms/new/")
    assert response.status_code == 403
    assert b"You do not have permission" in response.content


@override_settings(DEBUG=False)
def test_server_error_page_renders_without_the_database():
    from django.test import RequestFactory

    from alliance.core.errors import server_error

    html = server_error(RequestFactory().get("/p/x/")).content
    assert b"Something went wrong" in html
    api = server_error(RequestFactory().get("/api/v1/programs"))
    assert api.status_code == 500 and api["Content-Type"].startswith("application/json")
