"""Two-step sign-in: setting up an authenticator, verifying after the password, and the
hub-admin requirement (REQUIRE_2FA_FOR_HUB)."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.accounts.models import LoginAttempt
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"


def code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, drift=offset):06d}"


def sign_in(client: Client, user, **extra):
    return client.post("/accounts/login/", {"email": user.email, "password": PASSWORD, **extra})


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_setup_shows_a_qr_code_and_confirms_with_a_code(world, as_user):
    client = as_user(world.staff)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=world.staff)
    assert device.confirmed is False
    response = client.post(SETUP, {"code": code(device)})
    assert response["Location"] == "/accounts/profile/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/accounts/profile/").context["has_2fa"] is True


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
@pytest.mark.parametrize("bad", ["000000x", "12345", "abcdef", ""])
def test_setup_refuses_malformed_codes(world, as_user, bad):
    client = as_user(world.staff)
    client.get(SETUP)
    response = client.post(SETUP, {"code": bad})
    assert response.status_code == 422
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=world.staff, confirmed=True).exists()


def test_setup_refuses_a_wrong_code(world, as_user):
    client = as_user(world.staff)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.staff)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 422
    assert "did not match" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False


def test_a_person_with_2fa_must_verify_after_the_password(world):
    device = confirmed_device(world.director1)
    client = Client()
    response = sign_in(client, world.director1, next="/p/little-learners/classrooms/")
    assert response["Location"] == VERIFY + "?next=%2Fp%2Flittle-learners%2Fclassrooms%2F"
    # The password alone reaches nothing: not pages, not the profile, not a new device.
    for path in (
        "/p/little-learners/",
        "/home/",
        "/accounts/profile/",
        SETUP,
        "/accounts/password/",
    ):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"].startswith(VERIFY), path
    assert TOTPDevice.objects.filter(user=world.director1).count() == 1

    response = client.post(
        VERIFY + "?next=%2Fp%2Flittle-learners%2Fclassrooms%2F", {"code": code(device)}
    )
    assert response["Location"] == "/p/little-learners/classrooms/"
    assert client.get("/p/little-learners/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_wrong_code_is_refused_and_counted(world):
    device = confirmed_device(world.director1)
    client = Client()
    sign_in(client, world.director1)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 422
    assert client.get("/p/little-learners/").status_code == 302
    assert LoginAttempt.objects.filter(email=world.director1.email, succeeded=False).exists()


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0, LOGIN_FAILURE_LIMIT=3)
def test_too_many_wrong_codes_sign_out_and_lock(world):
    device = confirmed_device(world.director1)
    client = Client()
    sign_in(client, world.director1)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong})
    client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": wrong})
    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session
    assert sign_in(Client(), world.director1).status_code == 429


def test_sign_out_works_before_verifying(world):
    confirmed_device(world.director1)
    client = Client()
    sign_in(client, world.director1)
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


def test_verify_without_a_device_goes_home(world, as_user):
    assert as_user(world.staff).get(VERIFY)["Location"] == "/home/"


def test_moving_to_a_new_phone_replaces_the_old_device(world):
    old = confirmed_device(world.staff)
    client = Client()
    sign_in(client, world.staff)
    client.post(VERIFY, {"code": code(old)})
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=world.staff, confirmed=False)
    client.post(SETUP, {"code": code(new)})
    assert list(TOTPDevice.objects.filter(user=world.staff)) == [new]


@override_settings(REQUIRE_2FA_FOR_HUB=True)
def test_a_hub_admin_must_set_up_2fa_when_required(world):
    client = Client()
    sign_in(client, world.hub)
    response = client.get("/a/union-county/hub/")
    assert response.status_code == 302
    assert response["Location"] == SETUP + "?required=1&next=%2Fa%2Funion-county%2Fhub%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["required"] is True
    device = TOTPDevice.objects.get(user=world.hub)
    done = client.post(response["Location"], {"code": code(device)})
    assert done["Location"] == "/a/union-county/hub/"
    assert client.get("/a/union-county/hub/").status_code == 200


@override_settings(REQUIRE_2FA_FOR_HUB=True)
def test_the_requirement_is_only_for_hub_admins(world):
    client = Client()
    sign_in(client, world.director1)
    assert client.get("/p/little-learners/").status_code == 200


@override_settings(REQUIRE_2FA_FOR_HUB=False)
def test_hub_admins_may_skip_it_where_not_required(world):
    client = Client()
    sign_in(client, world.hub)
    assert client.get("/a/union-county/hub/").status_code == 200
