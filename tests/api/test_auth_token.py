"""POST /api/v1/auth/token, and bearer tokens on every other endpoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.accounts.models import ApiToken, LoginAttempt
from tests.api.conftest import API
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = f"{API}/auth/token"


def ask_token(email: str, password: str = PASSWORD, **extra):
    return Client().post(
        TOKEN_URL, {"email": email, "password": password, **extra}, content_type="application/json"
    )


def call_me(token: str):
    return Client().get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_it_issues_a_token_that_opens_the_api(world):
    response = ask_token(" Director1@Example.org ")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("alt_")
    me = call_me(token)
    assert me.status_code == 200
    assert me.json()["email"] == "director1@example.org"
    # Only the hash is stored.
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.filter(user=world.director1).count() == 1


def test_it_refuses_a_wrong_password_with_json(world):
    response = ask_token("director1@example.org", "not-the-password")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"message": "Email, password or code not accepted."}
    assert not ApiToken.objects.exists()
    assert LoginAttempt.objects.filter(email="director1@example.org", succeeded=False).count() == 1


def test_it_refuses_an_unknown_email(world):
    assert ask_token("nobody@example.org").status_code == 401


def test_it_locks_out_after_repeated_failures(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert ask_token("director1@example.org", "wrong").status_code == 401
    # Now even the right password is refused for the lockout window.
    response = ask_token("director1@example.org")
    assert response.status_code == 429
    assert "try again later" in response.json()["message"]
    assert not ApiToken.objects.exists()
    # Another account is not affected.
    assert ask_token("director2@example.org").status_code == 200


def test_lockout_ends_after_the_window(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        ask_token("director1@example.org", "wrong")
    assert ask_token("director1@example.org").status_code == 429
    LoginAttempt.objects.update(at=timezone.now() - timedelta(minutes=60))
    assert ask_token("director1@example.org").status_code == 200


def test_missing_fields_are_422_with_field_names(world):
    response = Client().post(
        TOKEN_URL, {"email": "director1@example.org"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "password" in response.json()["fields"]


def test_a_body_that_is_not_json_is_400_json(world):
    response = Client().post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"] == "The request body is not valid JSON."


@pytest.fixture
def two_step(world):
    device = TOTPDevice.objects.create(user=world.hub, name="phone", confirmed=True)
    return device


def test_two_step_account_needs_the_code(world, two_step):
    assert ask_token("hub@example.org").status_code == 401
    code = f"{totp(two_step.bin_key):06d}"
    response = ask_token("hub@example.org", otp=code)
    assert response.status_code == 200
    assert call_me(response.json()["token"]).status_code == 200
    # A code works once.
    assert ask_token("hub@example.org", otp=code).status_code == 401


def test_a_wrong_code_is_refused_and_slows_the_next_try(world, two_step):
    wrong = f"{(totp(two_step.bin_key) + 1) % 1_000_000:06d}"
    assert ask_token("hub@example.org", otp=wrong).status_code == 401
    # django-otp throttles the device after a wrong code, even for the right one.
    assert ask_token("hub@example.org", otp=f"{totp(two_step.bin_key):06d}").status_code == 401
    two_step.refresh_from_db()
    assert two_step.throttling_failure_count == 1


def test_a_wrong_password_with_a_right_code_is_refused(world, two_step):
    code = f"{totp(two_step.bin_key):06d}"
    assert ask_token("hub@example.org", "wrong", otp=code).status_code == 401


def test_an_unconfirmed_device_does_not_ask_for_a_code(world):
    TOTPDevice.objects.create(user=world.hub, name="phone", confirmed=False)
    assert ask_token("hub@example.org").status_code == 200


def test_hub_admins_need_two_step_where_required(world, settings):
    settings.REQUIRE_2FA_FOR_HUB = True
    response = ask_token("hub@example.org")
    assert response.status_code == 403
    assert "two-step" in response.json()["message"]
    assert not ApiToken.objects.exists()
    # Others are not asked to, and a hub admin with a device gets a token with its code.
    assert ask_token("director1@example.org").status_code == 200
    device = TOTPDevice.objects.create(user=world.hub, name="phone", confirmed=True)
    response = ask_token("hub@example.org", otp=f"{totp(device.bin_key):06d}")
    assert response.status_code == 200


def test_an_inactive_user_gets_no_token(world):
    world.director1.is_active = False
    world.director1.save(update_fields=["is_active"])
    assert ask_token("director1@example.org").status_code == 401


# --- using tokens --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer alt_not-a-real-token",
        "Token alt_x",
        "Basic ZGlyZWN0b3IxQGV4YW1wbGUub3JnOnB3",
    ],
)
def test_missing_or_bad_token_is_401_json(world, header):
    headers = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    for path in ("/me", "/programs", "/programs/little-learners"):
        response = Client().get(f"{API}{path}", **headers)
        assert response.status_code == 401, (path, header)
        assert response.json() == {"message": "Send a valid token: Authorization: Bearer <token>."}


def test_a_signed_in_session_is_not_enough(world, as_user):
    # The API takes tokens only: a browser session (and its cookies) opens nothing.
    assert as_user(world.director1).get(f"{API}/me").status_code == 401


def test_an_expired_token_is_refused(world):
    token = ask_token("director1@example.org").json()["token"]
    assert call_me(token).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert call_me(token).status_code == 401


def test_a_new_token_expires_after_the_configured_days(world, settings):
    settings.API_TOKEN_DAYS = 7
    ask_token("director1@example.org")
    token = ApiToken.objects.get()
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)


def test_a_revoked_token_is_refused(world):
    token = ask_token("director1@example.org").json()["token"]
    ApiToken.objects.update(revoked_at=timezone.now())
    assert call_me(token).status_code == 401


def test_a_deactivated_users_token_stops_working(world):
    token = ask_token("director1@example.org").json()["token"]
    world.director1.is_active = False
    world.director1.save(update_fields=["is_active"])
    assert call_me(token).status_code == 401


def test_using_a_token_records_when(world):
    token = ask_token("director1@example.org").json()["token"]
    assert ApiToken.objects.get().last_used_at is None
    call_me(token)
    assert ApiToken.objects.get().last_used_at is not None


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_signing_out_revokes_the_token_in_use_and_only_it(world):
    first = ask_token("director1@example.org").json()["token"]
    second = ask_token("director1@example.org").json()["token"]
    response = Client().delete(TOKEN_URL, **_bearer(first))
    assert response.status_code == 204
    assert call_me(first).status_code == 401
    assert call_me(second).status_code == 200
    revoked = ApiToken.objects.get(key_hash__isnull=False, revoked_at__isnull=False)
    assert revoked.user == world.director1
    # The revoked token cannot sign out again: it opens nothing.
    assert Client().delete(TOKEN_URL, **_bearer(first)).status_code == 401


def test_it_lists_ones_own_tokens_without_their_secrets(world):
    mine = ask_token("director1@example.org").json()["token"]
    ask_token("director1@example.org")
    ask_token("director2@example.org")
    response = Client().get(f"{API}/auth/tokens", **_bearer(mine))
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 2
    assert [row["current"] for row in rows].count(True) == 1
    assert all(mine not in str(row) for row in rows)
    assert {row["prefix"] for row in rows} >= {mine[4:12]}


def test_it_revokes_one_of_ones_own_tokens_by_id_but_not_someone_elses(world):
    mine = ask_token("director1@example.org").json()["token"]
    lost = ask_token("director1@example.org").json()["token"]
    theirs = ask_token("director2@example.org").json()["token"]
    lost_id = ApiToken.objects.get(prefix=lost[4:12]).pk
    their_id = ApiToken.objects.get(prefix=theirs[4:12]).pk
    assert Client().delete(f"{API}/auth/tokens/{their_id}", **_bearer(mine)).status_code == 404
    assert call_me(theirs).status_code == 200
    assert Client().delete(f"{API}/auth/tokens/{lost_id}", **_bearer(mine)).status_code == 204
    assert call_me(lost).status_code == 401
    assert call_me(mine).status_code == 200
    # Already revoked: nothing left to revoke.
    assert Client().delete(f"{API}/auth/tokens/{lost_id}", **_bearer(mine)).status_code == 404
