"""A candidate withdraws consent to share (and applications): the shared talent pool
drops the profile at once; the public job board API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.core.tenancy import alliance_scope
from alliance.staffing import services_jobs
from alliance.staffing.models import Application, Candidate
from tests.staffing.factories import PostingFactory
from tests.staffing.test_jobs import APPLY

pytestmark = pytest.mark.django_db


def _apply(client, posting):
    response = client.post(f"/a/union-county/jobs/{posting.pk}/", APPLY)
    assert response.status_code == 302
    return response["Location"]


def test_candidate_stops_sharing_from_the_link_and_leaves_the_pool(world, client, as_user):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    applied = client.get(_apply(client, posting))
    link = applied.context["token"]
    assert link and "My applications and sharing" in applied.content.decode()
    with scopes_disabled():
        candidate = Candidate.objects.get()
    # Shared: director2 (who never got the application) and the hub find it.
    director2, hub = as_user(world.director2), as_user(world.hub)
    assert director2.get(f"/p/sunshine/talent/{candidate.pk}/").status_code == 200
    assert b"Ana Ruiz" in hub.get("/a/union-county/hub/talent/").content
    page = f"/a/union-county/jobs/me/{link}/"
    assert client.post(page, {"action": "stop_sharing"}).status_code == 302
    # At once: gone from the shared pool for everyone but the program applied to.
    assert director2.get(f"/p/sunshine/talent/{candidate.pk}/").status_code == 404
    assert b"Ana Ruiz" not in director2.get("/p/sunshine/talent/").content
    assert b"Ana Ruiz" not in hub.get("/a/union-county/hub/talent/").content
    assert hub.get(f"/a/union-county/hub/talent/{candidate.pk}/").status_code == 404
    director1 = as_user(world.director1)
    assert director1.get(f"/p/little-learners/talent/{candidate.pk}/").status_code == 200
    # Withdrawing the application too: program1 no longer sees the profile in its pool.
    with scopes_disabled():
        application = Application.objects.get()
    assert client.post(page, {"application": application.pk}).status_code == 302
    with scopes_disabled():
        application.refresh_from_db()
        candidate.refresh_from_db()
    assert application.stage == "withdrawn"
    assert not candidate.share_with_members and candidate.consented_at is None
    assert director1.get(f"/p/little-learners/talent/{candidate.pk}/").status_code == 404
    # The pipeline still shows what happened; the director cannot move it on.
    detail = director1.get(f"/p/little-learners/jobs/applications/{application.pk}/")
    assert detail.status_code == 200
    with alliance_scope(world.alliance), pytest.raises(ValidationError):
        services_jobs.move_application(
            acting_user=world.director1, application=application, stage="interview"
        )


def test_withdrawing_twice_or_a_hire_is_refused(world):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    with alliance_scope(world.alliance):
        application = services_jobs.apply(
            acting_user=None,
            posting=posting,
            email="b@example.net",
            full_name="Bea",
            town="Union",
            share_with_members=False,
        )
        with pytest.raises(ValidationError) as exc:
            services_jobs.withdraw_consent(acting_user=None, candidate=application.candidate)
        assert "share_with_members" in exc.value.message_dict
        services_jobs.withdraw_application(acting_user=None, application=application)
        with pytest.raises(ValidationError):
            services_jobs.withdraw_application(acting_user=None, application=application)


def test_a_tampered_link_is_404(world, client):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    link = client.get(_apply(client, posting)).context["token"]
    assert client.get(f"/a/union-county/jobs/me/{link[:-2]}xx/").status_code == 404


def test_public_job_board_api_and_apply(world, client):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1, title="Toddler teacher")
    listing = client.get("/api/v1/alliances/union-county/jobs").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert item["title"] == "Toddler teacher" and item["url"].endswith(
        f"/a/union-county/jobs/{posting.pk}/"
    )
    assert client.get("/api/v1/alliances/union-county/jobs?town=Nowhere").json()["count"] == 0
    body = {
        "email": "c@example.net",
        "full_name": "Cal",
        "town": "Union",
        "share_with_members": True,
    }
    url = f"/api/v1/alliances/union-county/jobs/{posting.pk}/apply"
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and first.json()["shares_profile"] is True
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 422 and "email" in again.json()["fields"]
    wrong = client.post(url, {**body, "surprise": 1}, content_type="application/json")
    assert wrong.status_code == 422


def test_signed_in_candidate_withdraws_through_the_api(world, client):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    with alliance_scope(world.alliance):
        application = services_jobs.apply(
            acting_user=world.staff,
            posting=posting,
            email="staff1@example.org",
            full_name="Staff One",
            town="Union",
            share_with_members=True,
        )
    token = issue_api_token(user=world.staff, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    mine = client.get("/api/v1/me/job-applications", **auth).json()
    assert [a["id"] for a in mine["items"]] == [application.pk]
    cid = application.candidate_id
    out = client.post(f"/api/v1/me/job-profiles/{cid}/withdraw-consent", **auth)
    assert out.status_code == 200 and out.json()["shares_profile"] is False
    again = client.post(f"/api/v1/me/job-profiles/{cid}/withdraw-consent", **auth)
    assert again.status_code == 422
    out = client.post(f"/api/v1/me/job-applications/{application.pk}/withdraw", **auth)
    assert out.status_code == 200 and out.json()["stage"] == "withdrawn"
