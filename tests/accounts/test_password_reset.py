"""Password reset by email: ask, follow the link, choose a password, sign in with it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from alliance.accounts import services
from alliance.accounts.models import LoginAttempt
from tests.accounts.conftest import RESET_LINK, link_in_last_mail
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-passphrase"


def ask_for_link(client: Client, email: str):
    return client.post("/accounts/password-reset/", {"email": email})


def open_link(client: Client) -> str:
    """Follow the emailed link; Django moves the token into the session. Returns the form URL."""
    response = client.get(link_in_last_mail(RESET_LINK))
    assert response.status_code == 302
    return response["Location"]


def test_reset_end_to_end(world):
    client = Client()
    response = ask_for_link(client, "STAFF1@example.org")
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff1@example.org"]
    form_url = open_link(client)
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == "/accounts/password-reset/done/"

    signed_in = Client()
    response = signed_in.post("/accounts/login/", {"email": world.staff.email, "password": NEW})
    assert response.status_code == 302
    assert SESSION_KEY in signed_in.session
    old = Client().post("/accounts/login/", {"email": world.staff.email, "password": PASSWORD})
    assert old.status_code == 401


def test_the_link_works_once(world):
    client = Client()
    ask_for_link(client, world.staff.email)
    link = link_in_last_mail(RESET_LINK)
    form_url = open_link(client)
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False
    assert "This link is no longer valid" in again.content.decode()


def test_an_unknown_email_looks_the_same_and_sends_nothing(db):
    response = ask_for_link(Client(), "nobody@example.org")
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_an_invalid_email_is_a_field_error(db):
    response = ask_for_link(Client(), "not-an-email")
    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    assert mail.outbox == []


@pytest.mark.parametrize(
    "first,second,field",
    [
        (NEW, NEW + "x", "new_password2"),  # do not match
        ("short", "short", "new_password2"),  # too short and too common
        ("1234567890123", "1234567890123", "new_password2"),  # only digits
    ],
)
def test_a_bad_new_password_changes_nothing(world, first, second, field):
    client = Client()
    ask_for_link(client, world.staff.email)
    form_url = open_link(client)
    response = client.post(form_url, {"new_password1": first, "new_password2": second})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    world.staff.refresh_from_db()
    assert world.staff.check_password(PASSWORD)


def test_the_email_is_in_the_account_holders_language(db):
    UserFactory(email="ana@example.org", language="es")
    ask_for_link(Client(), "ana@example.org")
    assert mail.outbox[0].subject == "Restablezca su contraseña de Alliance"
    assert "Alguien pidió restablecer la contraseña" in mail.outbox[0].body


def test_a_reset_lifts_a_lockout(world):
    email = world.staff.email
    LoginAttempt.objects.bulk_create(
        LoginAttempt(email=email, succeeded=False) for _ in range(settings.LOGIN_FAILURE_LIMIT)
    )
    assert services.is_locked_out(email)
    client = Client()
    ask_for_link(client, email)
    form_url = open_link(client)
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert not services.is_locked_out(email)
    response = Client().post("/accounts/login/", {"email": email, "password": NEW})
    assert response.status_code == 302


def test_the_reset_email_goes_through_the_task_queue(world, monkeypatch):
    from alliance.core import tasks

    queued = []
    monkeypatch.setattr(tasks, "send_email_task", lambda *args: queued.append(args))
    ask_for_link(Client(), world.staff.email)
    assert not mail.outbox  # nothing sent by the web request itself
    ((to, subject, body),) = queued
    assert to == world.staff.email
    assert "\n" not in subject
    assert "/accounts/password-reset/" in body
