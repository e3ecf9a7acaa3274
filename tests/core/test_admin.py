"""The Django admin is the back office: every registered model's pages open for a superuser
(unscoped, by design) and stay closed to everyone else."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_and_add_page_opens_for_a_superuser(world, as_user):
    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client = as_user(superuser)
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        response = client.get(changelist + "?q=a")
        assert response.status_code == 200, changelist


def test_program_change_page_opens_unscoped(world, as_user):
    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    url = reverse("admin:members_program_change", args=[world.program1.pk])
    response = as_user(superuser).get(url)
    assert response.status_code == 200
    assert b"Little Learners" in response.content


@pytest.mark.parametrize("persona", ["hub", "director1", "staff"])
def test_the_back_office_is_closed_to_app_users(world, as_user, persona):
    response = as_user(getattr(world, persona)).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
