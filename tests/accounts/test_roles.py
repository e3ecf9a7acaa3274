"""Roles: several per person, granting and taking back, and the People page's buttons
(revoke an invitation, remove a role) with their permission matrix."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from alliance.accounts import services
from alliance.accounts.models import Role
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from tests.accounts.conftest import invitations
from tests.factories import RoleFactory, UserFactory
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

P1 = "/p/little-learners/people"


def staff_role(world, email: str = "extra@example.org", program=None) -> Role:
    program = program or world.program1
    with scopes_disabled():
        return RoleFactory(
            user=UserFactory(email=email),
            kind=RoleKind.STAFF,
            alliance=program.alliance,
            program=program,
        )


def role_exists(pk: int) -> bool:
    with scopes_disabled():
        return Role.objects.filter(pk=pk).exists()


def director_role(user) -> Role:
    with scopes_disabled():
        return Role.objects.get(user=user, kind=RoleKind.DIRECTOR)


def invite(world, kind=RoleKind.STAFF, email="new@example.org"):
    acting = world.hub if kind == RoleKind.DIRECTOR else world.director1
    invitation, raw = services.invite(
        acting_user=acting,
        email=email,
        kind=kind,
        alliance=world.alliance,
        program=world.program1,
    )
    return invitation, raw


def actions() -> list[str]:
    with scopes_disabled():
        return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# --- several roles --------------------------------------------------------------------


def test_a_person_with_staff_and_substitute_roles_sees_both_on_home(world, as_user):
    with scopes_disabled():
        RoleFactory(user=world.staff, kind=RoleKind.SUBSTITUTE, alliance=world.alliance)
    response = as_user(world.staff).get("/home/")
    assert response.status_code == 200
    kinds = {r.kind for r in response.context["roles"]}
    assert kinds == {RoleKind.STAFF, RoleKind.SUBSTITUTE}
    content = response.content.decode()
    assert "Little Learners" in content
    assert "shared substitute pool" in content


def test_a_person_with_only_one_program_goes_straight_there(world, as_user):
    response = as_user(world.staff).get("/home/")
    assert response["Location"] == "/p/little-learners/"


def test_grant_role_is_idempotent_and_audited(world):
    first = services.grant_role(
        acting_user=world.hub, user=world.sub, kind=RoleKind.COMMITTEE, alliance=world.alliance
    )
    again = services.grant_role(
        acting_user=world.hub, user=world.sub, kind=RoleKind.COMMITTEE, alliance=world.alliance
    )
    assert first.pk == again.pk
    assert actions().count("role.granted") == 1


@pytest.mark.parametrize(
    "kind,program_attr,field",
    [
        (RoleKind.STAFF, None, "kind"),  # staff needs a program
        (RoleKind.SUBSTITUTE, "program1", "kind"),  # a substitute belongs to the alliance
        (RoleKind.STAFF, "other_program", "program"),  # another alliance's program
    ],
)
def test_grant_role_refuses_mismatches(world, kind, program_attr, field):
    program = getattr(world, program_attr) if program_attr else None
    with pytest.raises(ValidationError) as exc:
        services.grant_role(
            acting_user=world.hub,
            user=world.outsider,
            kind=kind,
            alliance=world.alliance,
            program=program,
        )
    assert field in exc.value.message_dict


def test_revoke_role_refuses_ones_own_director_role(world):
    with pytest.raises(ValidationError) as exc:
        services.revoke_role(acting_user=world.director1, role=director_role(world.director1))
    assert "role" in exc.value.message_dict
    assert role_exists(director_role(world.director1).pk)


# --- the People page's buttons ----------------------------------------------------------


def test_director_removes_a_staff_role_and_keeps_their_other_roles(world, as_user):
    role = staff_role(world)
    with scopes_disabled():
        other = RoleFactory(user=role.user, kind=RoleKind.SUBSTITUTE, alliance=world.alliance)
    response = as_user(world.director1).post(f"{P1}/roles/{role.pk}/remove/")
    assert response["Location"] == f"{P1}/"
    assert not role_exists(role.pk)
    assert role_exists(other.pk)
    assert actions()[-1] == "role.revoked"


def test_director_revokes_a_pending_staff_invitation(world, as_user):
    invitation, raw = invite(world)
    response = as_user(world.director1).post(f"{P1}/invitations/{invitation.pk}/revoke/")
    assert response["Location"] == f"{P1}/"
    assert invitations(pk=invitation.pk)[0].revoked_at is not None
    assert actions()[-1] == "invitation.revoked"
    assert Client().get(f"/accounts/invitation/{raw}/").status_code == 410


def test_revoking_twice_changes_nothing(world, as_user):
    invitation, _ = invite(world)
    client = as_user(world.director1)
    client.post(f"{P1}/invitations/{invitation.pk}/revoke/")
    first = invitations(pk=invitation.pk)[0].revoked_at
    assert client.post(f"{P1}/invitations/{invitation.pk}/revoke/").status_code == 302
    assert invitations(pk=invitation.pk)[0].revoked_at == first
    assert actions().count("invitation.revoked") == 1


def test_a_director_cannot_remove_their_own_director_role(world, as_user):
    role = director_role(world.director1)
    assert as_user(world.director1).post(f"{P1}/roles/{role.pk}/remove/").status_code == 403
    assert role_exists(role.pk)


def test_director_roles_are_the_hubs_to_remove(world, as_user):
    with scopes_disabled():
        co = RoleFactory(
            user=UserFactory(email="co@example.org"),
            kind=RoleKind.DIRECTOR,
            alliance=world.alliance,
            program=world.program1,
        )
    assert as_user(world.director1).post(f"{P1}/roles/{co.pk}/remove/").status_code == 403
    assert role_exists(co.pk)
    assert as_user(world.hub).post(f"{P1}/roles/{co.pk}/remove/").status_code == 302
    assert not role_exists(co.pk)


def test_director_invitations_are_the_hubs_to_revoke(world, as_user):
    invitation, _ = invite(world, kind=RoleKind.DIRECTOR)
    url = f"{P1}/invitations/{invitation.pk}/revoke/"
    assert as_user(world.director1).post(url).status_code == 403
    assert invitations(pk=invitation.pk)[0].revoked_at is None
    assert as_user(world.hub).post(url).status_code == 302
    assert invitations(pk=invitation.pk)[0].revoked_at is not None


def test_another_programs_role_is_not_found_here(world, as_user):
    theirs = staff_role(world, program=world.program2)
    mine = as_user(world.director1)
    assert mine.post(f"{P1}/roles/{theirs.pk}/remove/").status_code == 404
    assert as_user(world.hub).post(f"{P1}/roles/{theirs.pk}/remove/").status_code == 404
    assert role_exists(theirs.pk)


def test_another_programs_invitation_is_not_found_here(world, as_user):
    invitation, _ = services.invite(
        acting_user=world.director2,
        email="x@example.org",
        kind=RoleKind.STAFF,
        alliance=world.alliance,
        program=world.program2,
    )
    response = as_user(world.director1).post(f"{P1}/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 404
    assert invitations(pk=invitation.pk)[0].revoked_at is None


def test_the_buttons_need_a_post(world, as_user):
    role = staff_role(world)
    invitation, _ = invite(world)
    client = as_user(world.director1)
    assert client.get(f"{P1}/roles/{role.pk}/remove/").status_code == 405
    assert client.get(f"{P1}/invitations/{invitation.pk}/revoke/").status_code == 405
    assert role_exists(role.pk)


def test_the_people_page_shows_only_the_allowed_buttons(world, as_user):
    role = staff_role(world)
    staff_invite, _ = invite(world)
    director_invite, _ = invite(world, kind=RoleKind.DIRECTOR, email="d@example.org")
    own = director_role(world.director1)
    content = as_user(world.director1).get(f"{P1}/").content.decode()
    assert f"{P1}/roles/{role.pk}/remove/" in content
    assert f"{P1}/roles/{own.pk}/remove/" not in content
    assert f"{P1}/invitations/{staff_invite.pk}/revoke/" in content
    assert f"{P1}/invitations/{director_invite.pk}/revoke/" not in content
    hub_view = as_user(world.hub).get(f"{P1}/").content.decode()
    assert f"{P1}/roles/{own.pk}/remove/" in hub_view
    assert f"{P1}/invitations/{director_invite.pk}/revoke/" in hub_view


def test_the_buttons_permission_matrix(world):
    # Each persona that may act gets its own row to act on (the first success removes it).
    for_director, for_hub = staff_role(world, "a@example.org"), staff_role(world, "b@example.org")
    inv_director, _ = invite(world, email="c@example.org")
    inv_hub, _ = invite(world, email="d@example.org")
    outsiders = everyone(404, anonymous=LOGIN, staff=403)
    del outsiders["director1"], outsiders["hub"]
    cases = [
        Case("POST", f"{P1}/roles/{for_director.pk}/remove/", {**outsiders, "director1": 302}),
        Case("POST", f"{P1}/roles/{for_hub.pk}/remove/", {"hub": 302}),
        Case(
            "POST", f"{P1}/invitations/{inv_director.pk}/revoke/", {**outsiders, "director1": 302}
        ),
        Case("POST", f"{P1}/invitations/{inv_hub.pk}/revoke/", {"hub": 302}),
    ]
    check_matrix(cases, world.personas())
    assert not role_exists(for_director.pk)
    assert not role_exists(for_hub.pk)
    assert all(i.revoked_at for i in invitations(pk__in=[inv_director.pk, inv_hub.pk]))


def test_the_buttons_cost_no_query_per_row(world, as_user):
    client = as_user(world.director1)
    staff_role(world, "one@example.org")
    invite(world, email="i1@example.org")
    client.get(f"{P1}/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(f"{P1}/")
    for n in range(5):
        staff_role(world, f"more{n}@example.org")
        invite(world, email=f"i-more{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        content = client.get(f"{P1}/").content.decode()
    assert content.count("/remove/") == 7  # the seven staff roles, not the director's own
    assert len(many) == len(few)
