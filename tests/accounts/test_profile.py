"""/accounts/profile/ and /accounts/password/: one's own name, phone, language, password."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
GOOD = {"full_name": "Sam Staff", "phone": "908-555-0123", "language": "es"}


def test_it_requires_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_saves_and_switches_language(world, as_user):
    client = as_user(world.staff)
    assert client.get(PROFILE).status_code == 200
    response = client.post(PROFILE, GOOD)
    assert response["Location"] == PROFILE
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    world.staff.refresh_from_db()
    assert (world.staff.full_name, world.staff.phone, world.staff.language) == (
        "Sam Staff",
        "908-555-0123",
        "es",
    )
    # The next page is in Spanish.
    assert 'lang="es"' in client.get(PROFILE).content.decode()


@pytest.mark.parametrize(
    "data,field",
    [
        ({**GOOD, "full_name": ""}, "full_name"),
        ({**GOOD, "full_name": "   "}, "full_name"),
        ({**GOOD, "phone": "555-0123"}, "phone"),
        ({**GOOD, "phone": "1" * 31}, "phone"),
        ({**GOOD, "language": "fr"}, "language"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, as_user, data, field):
    before = (world.staff.full_name, world.staff.phone, world.staff.language)
    response = as_user(world.staff).post(PROFILE, data)
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    world.staff.refresh_from_db()
    assert (world.staff.full_name, world.staff.phone, world.staff.language) == before


def test_password_change_keeps_this_session(world, as_user):
    client = as_user(world.staff)
    new = "another-long-passphrase"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == PROFILE
    world.staff.refresh_from_db()
    assert world.staff.check_password(new)
    assert SESSION_KEY in client.session
    assert client.get(PROFILE).status_code == 200


@pytest.mark.parametrize(
    "data,field",
    [
        (
            {
                "old_password": "wrong",
                "new_password1": "x-long-pass-9",
                "new_password2": "x-long-pass-9",
            },
            "old_password",
        ),  # noqa: E501
        (
            {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
            "new_password2",
        ),  # noqa: E501
        (
            {
                "old_password": PASSWORD,
                "new_password1": "x-long-pass-9",
                "new_password2": "x-long-pass-8",
            },
            "new_password2",
        ),  # noqa: E501
    ],
)
def test_password_change_refuses_bad_input(world, as_user, data, field):
    response = as_user(world.staff).post("/accounts/password/", data)
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    world.staff.refresh_from_db()
    assert world.staff.check_password(PASSWORD)
