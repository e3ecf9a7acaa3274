"""POST /accounts/login/ and /accounts/logout/: email sign-in, next, session and CSRF."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

from alliance.accounts.models import LoginAttempt
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
MISMATCH = "That email and password do not match."


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def test_it_signs_in_with_email_in_any_case(world):
    client = Client()
    response = sign_in(client, "Director1@Example.org")
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert client.session[SESSION_KEY] == str(world.director1.pk)
    assert LoginAttempt.objects.filter(email="director1@example.org", succeeded=True).count() == 1


def test_it_rotates_the_session_key(world):
    client = Client()
    session = client.session
    session["before"] = "anonymous"
    session.save()
    old_key = session.session_key
    sign_in(client, world.staff.email)
    assert client.session.session_key != old_key
    assert SESSION_KEY in client.session


def test_it_follows_a_local_next(world):
    response = sign_in(Client(), world.director1.email, next="/p/little-learners/classrooms/")
    assert response["Location"] == "/p/little-learners/classrooms/"


@pytest.mark.parametrize("nxt", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_it_ignores_an_offsite_next(world, nxt):
    response = sign_in(Client(), world.director1.email, next=nxt)
    assert response["Location"] == "/home/"


def test_the_page_carries_next_into_the_form(db):
    response = Client().get(LOGIN + "?next=/p/little-learners/")
    assert b'name="next" value="/p/little-learners/"' in response.content


def test_a_wrong_password_is_refused(world):
    client = Client()
    response = sign_in(client, world.director1.email, "not-the-password")
    assert response.status_code == 401
    assert MISMATCH in response.content.decode()
    assert SESSION_KEY not in client.session
    assert LoginAttempt.objects.filter(email="director1@example.org", succeeded=False).count() == 1


def test_an_unknown_email_gets_the_same_answer(db):
    response = sign_in(Client(), "nobody@example.org")
    assert response.status_code == 401
    assert MISMATCH in response.content.decode()


def test_an_inactive_user_cannot_sign_in(db):
    user = UserFactory(email="gone@example.org", is_active=False)
    client = Client()
    response = sign_in(client, user.email)
    assert response.status_code == 401
    assert MISMATCH in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "data,field",
    [
        ({"email": "", "password": "x"}, "email"),
        ({"email": "not-an-email", "password": "x"}, "email"),
        ({"email": "a@example.org", "password": ""}, "password"),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(db, data, field):
    response = Client().post(LOGIN, data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not LoginAttempt.objects.exists()


def test_it_remembers_the_persons_language(db):
    UserFactory(email="ana@example.org", language="es")
    response = sign_in(Client(), "ana@example.org")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_the_session_cookie_is_http_only_and_same_site(world):
    response = sign_in(Client(), world.staff.email)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_post_without_csrf_token_is_rejected(world):
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, world.staff.email)
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_a_post_with_the_csrf_token_signs_in(world):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = sign_in(client, world.staff.email, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert SESSION_KEY in client.session


@override_settings(DEMO_MODE=True)
def test_demo_logins_are_listed_in_demo_mode(db):
    content = Client().get(LOGIN).content.decode()
    assert "director1@example.org" in content
    assert "alliance-demo" in content


@override_settings(DEMO_MODE=False)
def test_demo_logins_are_hidden_otherwise(db):
    content = Client().get(LOGIN).content.decode()
    assert "director1@example.org" not in content
    assert "alliance-demo" not in content


def test_logout_needs_a_post(world, as_user):
    client = as_user(world.staff)
    assert client.get("/accounts/logout/").status_code == 405
    assert SESSION_KEY in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session


def test_logout_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff, backend="alliance.accounts.backends.EmailBackend")
    assert client.post("/accounts/logout/").status_code == 403
    assert SESSION_KEY in client.session
