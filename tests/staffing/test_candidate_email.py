"""A candidate who applies is emailed, once and in their language, the private link where
they can withdraw an application or stop sharing their profile."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import alliance_scope
from alliance.notifications.models import Notification
from alliance.staffing import services_jobs
from alliance.staffing.models import Application, Candidate
from tests.staffing.factories import PostingFactory
from tests.staffing.test_jobs import APPLY

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/a/union-county/jobs/me/(\S+)/")


def _path(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return found.group(0)[found.group(0).index("/a/") :]


def test_web_application_emails_a_working_private_link_once(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1, title="Toddler teacher")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/a/union-county/jobs/{posting.pk}/", APPLY)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ana@example.net"]
    assert "Toddler teacher" in mail.subject and world.program1.name in mail.subject
    assert "withdraw" in mail.body and "stop sharing" in mail.body
    page = _path(mail.body)
    # The link is the same as the one on the thank-you page, and it works.
    token = client.get(response["Location"]).context["token"]
    assert page == f"/a/union-county/jobs/me/{token}/"
    shown = client.get(page)
    assert shown.status_code == 200 and b"Toddler teacher" in shown.content
    assert client.post(page, {"action": "stop_sharing"}).status_code == 302
    with scopes_disabled():
        assert not Candidate.objects.get().share_with_members
    # A refused second application sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/a/union-county/jobs/{posting.pk}/", APPLY)
    assert again.status_code == 422
    assert len(mailoutbox) == 1


def test_spanish_candidate_gets_the_email_in_spanish(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1, title="Maestra de bebés")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/a/union-county/jobs/{posting.pk}/", APPLY, HTTP_ACCEPT_LANGUAGE="es"
        )
    assert response.status_code == 302
    with scopes_disabled():
        assert Candidate.objects.get().language == "es"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject.startswith("Su solicitud para Maestra de bebés")
    assert "Gracias por postularse" in mail.body and "retirar" in mail.body
    assert "Thank you" not in mail.body
    assert client.get(_path(mail.body)).status_code == 200


def test_api_application_emails_the_link_in_the_language_asked(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    body = {"email": "Cal@Example.net", "full_name": "Cal", "town": "Union", "language": "es"}
    url = f"/api/v1/alliances/union-county/jobs/{posting.pk}/apply"
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["cal@example.net"]
    assert "Gracias por postularse" in mailoutbox[0].body
    page = client.get(_path(mailoutbox[0].body))
    assert page.status_code == 200 and page.context["candidate"].pk == first.json()["candidate_id"]
    with django_capture_on_commit_callbacks(execute=True):
        french = {**body, "email": "d@example.net", "language": "fr"}
        wrong = client.post(url, french, content_type="application/json")
    assert wrong.status_code == 422
    assert len(mailoutbox) == 1


def test_signed_in_candidate_is_told_through_notifications(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    with alliance_scope(world.alliance), django_capture_on_commit_callbacks(execute=True):
        services_jobs.apply(
            acting_user=world.staff,
            posting=posting,
            email=world.staff.email,
            full_name="Staff One",
            town="Union",
        )
    with scopes_disabled():
        notes = list(Notification.objects.filter(recipient=world.staff))
        assert Application.objects.count() == 1
    assert len(notes) == 1 and "/a/union-county/jobs/me/" in notes[0].link
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.staff.email]
    assert "/a/union-county/jobs/me/" in mailoutbox[0].body
