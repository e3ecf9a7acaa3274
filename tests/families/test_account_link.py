"""Family.account is the family's link to its guardian's sign-in: set when the account is
created from the application (or already exists), never guessed from an email later."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django_scopes import scopes_disabled

from alliance.accounts.models import Role
from alliance.accounts.services import accept_invitation, invite
from alliance.core.policy import RoleKind
from alliance.enrollment.services_applications import submit_application
from alliance.families.models import Family
from alliance.families.queries import children_of, families_of
from alliance.families.services import link_account
from tests.enrollment.helpers import make_enrollment
from tests.enrollment.test_services import application_input
from tests.factories import ChildFactory, FamilyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_account_created_from_the_application_is_linked(world):
    with scopes_disabled():
        application = submit_application(
            acting_user=None, alliance=world.alliance, data=application_input()
        )
        family = application.family
        assert family.account is None  # no account yet: an invitation went out
        # The guardian accepts the invitation (a fresh link: the first one went by email).
        _invitation, raw = invite(
            acting_user=None,
            email="fernanda@example.org",
            kind=RoleKind.FAMILY,
            alliance=world.alliance,
        )
        user = accept_invitation(
            raw_token=raw, full_name="Fernanda López", password="a-long-pass-phrase-42"
        )
        family.refresh_from_db()
        assert family.account == user
        assert list(families_of(user)) == [family]


def test_signed_in_person_applying_is_linked_at_once_and_gets_the_family_role(world):
    parent = UserFactory(email="parent@example.org")
    with scopes_disabled():
        application = submit_application(
            acting_user=parent,
            alliance=world.alliance,
            data=application_input(email="other-address@example.org"),
        )
        assert application.family.account == parent
        assert Role.objects.filter(
            user=parent, kind=RoleKind.FAMILY, alliance=world.alliance
        ).exists()


def test_existing_family_account_applying_without_signing_in_is_linked(world):
    with scopes_disabled():
        application = submit_application(
            acting_user=None,
            alliance=world.alliance,
            data=application_input(email="FAMILY1@example.org"),
        )
        assert application.family.account == world.family


def test_link_never_takes_over_another_accounts_family(world):
    other = UserFactory(email="someone@example.org")
    with scopes_disabled():
        taken = FamilyFactory(alliance=world.alliance, email="family1@example.org", account=other)
        free = FamilyFactory(alliance=world.alliance, email="Family1@Example.org")
        elsewhere = FamilyFactory(alliance=world.other_alliance, email="family1@example.org")
        linked = link_account(acting_user=None, user=world.family, alliance=world.alliance)
        assert linked == [free]
        taken.refresh_from_db()
        elsewhere.refresh_from_db()
        assert taken.account == other and elsewhere.account is None
        # Idempotent.
        assert link_account(acting_user=None, user=world.family, alliance=world.alliance) == []


def test_data_migration_links_existing_families(world):
    with scopes_disabled():
        unlinked = FamilyFactory(alliance=world.alliance, email="family1@example.org")
        stranger = FamilyFactory(alliance=world.alliance, email="nobody@example.org")
        migration = importlib.import_module(
            "alliance.families.migrations.0002_link_family_accounts"
        )
        migration.link(django_apps, None)
        unlinked.refresh_from_db()
        stranger.refresh_from_db()
        assert unlinked.account == world.family
        assert stranger.account is None


def test_family_dashboard_uses_the_account_link_not_the_email(world, as_user):
    with scopes_disabled():
        mine = FamilyFactory(alliance=world.alliance, account=world.family)
        child = ChildFactory(family=mine, first_name="Mateo")
        make_enrollment(world.program1, world.classroom1, child=child)
        # Same email, but linked to another person: not this family's.
        other = FamilyFactory(
            alliance=world.alliance,
            email="family1@example.org",
            account=UserFactory(email="x@example.org"),
        )
        ChildFactory(family=other, first_name="Intruso")
        assert list(children_of(world.family)) == [child]
    page = as_user(world.family).get("/my/applications/").content.decode()
    assert "Mateo" in page and "Little Learners" in page
    assert "Intruso" not in page


def test_families_of_is_empty_for_anonymous(world):
    from django.contrib.auth.models import AnonymousUser

    with scopes_disabled():
        assert not families_of(AnonymousUser()).exists()
        assert Family.objects.count() == 0
