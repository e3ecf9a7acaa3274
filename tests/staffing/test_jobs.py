"""The job board: public pages with JSON-LD, applying once, the pipeline, hiring, the pool."""

from __future__ import annotations

import json
import re

import pytest
from django_scopes import scopes_disabled

from alliance.staffing.models import Application, Candidate, StaffMember
from tests.staffing.factories import CandidateFactory, PostingFactory

pytestmark = pytest.mark.django_db

APPLY = {
    "full_name": "Ana Ruiz",
    "email": "ana@example.net",
    "phone": "908-555-0101",
    "town": "Elizabeth",
    "towns_text": "Union, Linden",
    "experience_years": "4",
    "availability": "full_time",
    "languages": ["Spanish", "English"],
    "credentials": ["cda", "cpr_first_aid"],
    "share_with_members": "on",
}


def test_public_job_page_has_job_posting_structured_data(world, client):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1, title="Infant <teacher>")
    response = client.get(f"/a/union-county/jobs/{posting.pk}/")
    assert response.status_code == 200
    raw = re.search(
        rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S
    ).group(1)
    data = json.loads(raw)
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Infant <teacher>"
    assert data["hiringOrganization"]["name"] == "Little Learners"
    assert data["baseSalary"]["value"]["minValue"] == 17.0
    assert b"<teacher>" not in raw  # escaped inside the script element
    listing = client.get("/a/union-county/jobs/")
    assert b"Infant &lt;teacher&gt;" in listing.content


def test_apply_once_then_a_second_time_is_refused(world, client):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    url = f"/a/union-county/jobs/{posting.pk}/"
    first = client.post(url, APPLY)
    assert first.status_code == 302
    with scopes_disabled():
        candidate = Candidate.objects.get()
        assert candidate.towns == ["Union", "Linden"]
        assert candidate.share_with_members and candidate.consented_at is not None
    again = client.post(url, {**APPLY, "email": "ANA@example.net"})
    assert again.status_code == 422
    assert "already applied" in again.content.decode()
    with scopes_disabled():
        assert Application.objects.count() == 1


def test_bad_application_is_422_and_saves_nothing(world, client):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    response = client.post(f"/a/union-county/jobs/{posting.pk}/", {"email": "not-an-email"})
    assert response.status_code == 422
    assert {"full_name", "email", "town"} <= set(response.context["form"].errors)
    with scopes_disabled():
        assert Candidate.objects.count() == 0


def test_director_moves_and_hires(world, client, as_user):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    client.post(f"/a/union-county/jobs/{posting.pk}/", APPLY)
    with scopes_disabled():
        application = Application.objects.get()
    director = as_user(world.director1)
    url = f"/p/little-learners/jobs/applications/{application.pk}/"
    assert director.post(url, {"stage": "interview"}).status_code == 302
    bad = director.post(url, {"hire": "1", "wage": "-3", "hours_per_week": "40"})
    assert bad.status_code == 422
    hired = director.post(
        url, {"hire": "1", "hire_date": "2026-07-01", "wage": "19.50", "hours_per_week": "40"}
    )
    assert hired.status_code == 302
    with scopes_disabled():
        staff = StaffMember.objects.get()
        assert (staff.full_name, staff.email, str(staff.wage)) == (
            "Ana Ruiz",
            "ana@example.net",
            "19.50",
        )
        application.refresh_from_db()
        assert application.stage == "hired" and application.hired_staff == staff
    pipeline = director.get(f"/p/little-learners/jobs/{posting.pk}/")
    assert b"Ana Ruiz" in pipeline.content


def test_pool_shows_consented_profiles_and_own_applicants_only(world, as_user):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
        CandidateFactory(
            alliance=world.alliance,
            full_name="Shared Sam",
            share_with_members=True,
            languages=["Spanish"],
        )
        private = CandidateFactory(alliance=world.alliance, full_name="Private Pat")
        Application.objects.create(program=world.program1, posting=posting, candidate=private)
        CandidateFactory(alliance=world.alliance, full_name="Hidden Hal")

    def names(client, url):
        return {c.full_name for c in client.get(url).context["candidates"]}

    assert names(as_user(world.director1), "/p/little-learners/talent/") == {
        "Shared Sam",
        "Private Pat",
    }
    assert names(as_user(world.director2), "/p/sunshine/talent/") == {"Shared Sam"}
    assert names(as_user(world.hub), "/a/union-county/hub/talent/") == {"Shared Sam"}
    spanish = "/p/sunshine/talent/?language=Spanish"
    assert names(as_user(world.director2), spanish) == {"Shared Sam"}
    assert names(as_user(world.director2), "/p/sunshine/talent/?language=Polish") == set()


def test_hub_retention_page(world, as_user):
    response = as_user(world.hub).get("/a/union-county/hub/staffing/")
    assert response.status_code == 200
