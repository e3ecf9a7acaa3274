"""Lockout: LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT_MINUTES lock an email."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from alliance.accounts import services
from alliance.accounts.models import LoginAttempt
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins."


def sign_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"email": email, "password": password})


def failures(email: str, count: int, minutes_ago: int = 0) -> None:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    LoginAttempt.objects.bulk_create(
        LoginAttempt(email=email, at=at, succeeded=False) for _ in range(count)
    )


def test_it_locks_after_the_limit_even_with_the_right_password(world):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert sign_in(client, world.director1.email, "wrong-password").status_code == 401
    response = sign_in(client, world.director1.email, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert SESSION_KEY not in client.session


def test_one_failure_fewer_still_signs_in(world):
    failures(world.director1.email, settings.LOGIN_FAILURE_LIMIT - 1)
    assert sign_in(Client(), world.director1.email, PASSWORD).status_code == 302


def test_the_lockout_does_not_reveal_whether_the_account_exists(world):
    failures(world.director1.email, settings.LOGIN_FAILURE_LIMIT)
    failures("nobody@example.org", settings.LOGIN_FAILURE_LIMIT)
    known = sign_in(Client(), world.director1.email, "x")
    unknown = sign_in(Client(), "nobody@example.org", "x")
    assert known.status_code == unknown.status_code == 429
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_unknown_emails_lock_too(db):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert sign_in(client, "nobody@example.org", "x").status_code == 401
    assert sign_in(client, "nobody@example.org", "x").status_code == 429


def test_it_releases_after_the_window(world):
    failures(world.director1.email, 20, minutes_ago=settings.LOGIN_LOCKOUT_MINUTES + 1)
    assert not services.is_locked_out(world.director1.email)
    assert sign_in(Client(), world.director1.email, PASSWORD).status_code == 302


def test_a_success_resets_the_count(world):
    email = world.director1.email
    failures(email, settings.LOGIN_FAILURE_LIMIT - 1, minutes_ago=3)
    services.record_login(email=email, ip=None, succeeded=True)
    failures(email, settings.LOGIN_FAILURE_LIMIT - 1)
    assert not services.is_locked_out(email)
    failures(email, 1)
    assert services.is_locked_out(email)


def test_the_lockout_ignores_case(world):
    failures("director1@example.org", settings.LOGIN_FAILURE_LIMIT)
    assert services.is_locked_out("  Director1@EXAMPLE.org ")
    assert sign_in(Client(), "DIRECTOR1@example.org", PASSWORD).status_code == 429


def test_locked_attempts_are_not_recorded(world):
    failures(world.director1.email, settings.LOGIN_FAILURE_LIMIT)
    sign_in(Client(), world.director1.email, PASSWORD)
    assert LoginAttempt.objects.count() == settings.LOGIN_FAILURE_LIMIT


def test_one_address_failing_against_many_emails_is_locked_out(db, settings, client):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    for n in range(4):
        services.record_login(email=f"person{n}@example.org", ip="203.0.113.7", succeeded=False)
    # A fresh email from the same address is refused; the same email elsewhere is not.
    assert services.is_locked_out("someone-new@example.org", "203.0.113.7")
    assert not services.is_locked_out("someone-new@example.org", "198.51.100.2")
    response = client.post(
        "/accounts/login/",
        {"email": "someone-new@example.org", "password": "whatever"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 429


def test_the_client_address_comes_from_the_trusted_proxy_hop(rf, settings):
    from alliance.core.net import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_HOPS = 1
    # The client wrote 1.2.3.4 itself; the proxy appended the address it really saw.
    assert client_ip(request) == "198.51.100.9"
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXY_HOPS = 3  # fewer addresses than proxies: fall back to the socket
    assert client_ip(request) == "10.0.0.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="not-an-ip")) is None
