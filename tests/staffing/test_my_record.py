"""A staff member's own record: found by account or (once) by email, then linked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from alliance.staffing.models import Credential
from tests.permissions import LOGIN, Case, check_matrix, everyone
from tests.staffing.factories import CredentialFactory, StaffFactory

pytestmark = pytest.mark.django_db
URL = "/p/little-learners/staff/me/"


def test_matrix(world):
    check_matrix(
        [Case("GET", URL, everyone(404, anonymous=LOGIN, staff=200, director1=200, hub=200))],
        world.personas(),
    )


def test_record_made_without_account_is_linked_with_its_credentials(
    world, as_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with scopes_disabled():
        staff = StaffFactory(program=world.program1, email="staff1@example.org")
        CredentialFactory(alliance=world.alliance, staff=staff, kind="cari")
    client = as_user(world.staff)
    page = client.get(URL)
    assert page.status_code == 200 and page.context["staff"] == staff
    with scopes_disabled():
        staff.refresh_from_db()
        assert staff.user == world.staff
        assert Credential.objects.get().person == world.staff
    bad = client.post(URL, {"kind": "tb_test", "issued_on": "2099-01-01"})
    assert bad.status_code == 422
    ok = client.post(
        URL,
        {
            "kind": "tb_test",
            "issued_on": "2025-05-01",
            "expires_on": "2026-05-01",
            "proof": SimpleUploadedFile("tb.pdf", b"%PDF-1.7 x"),
        },
    )
    assert ok.status_code == 302
    with scopes_disabled():
        assert Credential.objects.filter(person=world.staff).count() == 2


def test_without_a_record_the_page_says_so(world, as_user):
    page = as_user(world.director1).get(URL)
    assert page.status_code == 200 and page.context["staff"] is None
    assert as_user(world.director1).post(URL, {"kind": "cari"}).status_code == 404
