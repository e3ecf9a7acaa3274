"""Invitations: hub → director, director → staff; accepting as a new or existing person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts import services
from alliance.accounts.models import Invitation, Role, User, hash_secret
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from tests.accounts.conftest import invitations, link_in_last_mail
from tests.factories import PASSWORD, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {"full_name": "Dana Director", "password": "a-long-enough-passphrase", "language": "en"}


@pytest.fixture
def new_center(world):
    with scopes_disabled():
        return ProgramFactory(alliance=world.alliance, name="New Center", slug="new-center")


def invite(world, email="dana@example.org", kind=RoleKind.STAFF, program=None, **kwargs):
    program = program or world.program1
    return services.invite(
        acting_user=world.director1,
        email=email,
        kind=kind,
        alliance=world.alliance,
        program=program,
        **kwargs,
    )


def accept_url(raw: str) -> str:
    return f"/accounts/invitation/{raw}/"


def roles_of(email: str) -> set[tuple[str, int | None]]:
    with scopes_disabled():
        return set(Role.objects.filter(user__email=email).values_list("kind", "program_id"))


def test_hub_invites_a_director_who_signs_up(world, new_center, as_user, send_mail_now):
    with send_mail_now():
        response = as_user(world.hub).post(
            "/a/union-county/hub/invite/",
            {"full_name": "Dana Director", "email": "Dana@Example.org", "program": new_center.pk},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.org"]
    assert "New Center" in mail.outbox[0].subject
    link = link_in_last_mail()

    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["form"].initial["full_name"] == "Dana Director"

    too_short = client.post(link, {**GOOD, "password": "short"})
    assert too_short.status_code == 422
    assert "password" in too_short.context["form"].errors
    assert not User.objects.filter(email="dana@example.org").exists()
    assert roles_of("dana@example.org") == set()

    response = client.post(link, GOOD, follow=True)
    assert response.redirect_chain[0][0] == "/p/new-center/"
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/p/new-center/"
    user = User.objects.get(email="dana@example.org")
    assert user.full_name == "Dana Director"
    assert user.check_password(GOOD["password"])
    assert roles_of(user.email) == {(RoleKind.DIRECTOR, new_center.pk)}
    assert client.session[SESSION_KEY] == str(user.pk)
    (invitation,) = invitations(email="dana@example.org")
    assert invitation.accepted_at is not None
    with scopes_disabled():
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"invitation.sent", "invitation.accepted", "role.granted"} <= actions


def test_director_invites_staff(world, as_user, send_mail_now):
    with send_mail_now():
        response = as_user(world.director1).post(
            "/p/little-learners/people/", {"full_name": "Tia Teacher", "email": "tia@example.org"}
        )
    assert response.status_code == 302
    (invitation,) = invitations(email="tia@example.org")
    assert invitation.kind == RoleKind.STAFF
    assert invitation.program_id == world.program1.pk
    assert invitation.invited_by_id == world.director1.pk
    response = Client().post(link_in_last_mail(), {**GOOD, "full_name": "Tia Teacher"})
    assert response["Location"] == "/p/little-learners/"
    assert roles_of("tia@example.org") == {(RoleKind.STAFF, world.program1.pk)}


def test_the_raw_token_is_not_stored(world):
    invitation, raw = invite(world)
    assert invitation.token_hash == hash_secret(raw)
    assert raw not in invitation.token_hash


@pytest.mark.parametrize(
    "data,field",
    [
        ({**GOOD, "full_name": ""}, "full_name"),
        ({**GOOD, "full_name": "   "}, "full_name"),
        ({**GOOD, "password": ""}, "password"),
        ({**GOOD, "password": "password123"}, "password"),  # too common
        ({**GOOD, "password": "8675309123456"}, "password"),  # only digits
        ({**GOOD, "password": "dana@example.org"}, "password"),  # like the email
        ({**GOOD, "language": "fr"}, "language"),
    ],
)
def test_bad_sign_up_input_saves_nothing(world, data, field):
    _, raw = invite(world)
    response = Client().post(accept_url(raw), data)
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert not User.objects.filter(email="dana@example.org").exists()
    assert invitations(email="dana@example.org")[0].accepted_at is None


def test_a_used_link_is_gone(world):
    _, raw = invite(world)
    assert Client().post(accept_url(raw), GOOD).status_code == 302
    assert Client().get(accept_url(raw)).status_code == 410
    response = Client().post(accept_url(raw), GOOD)
    assert response.status_code == 410
    assert "no longer valid" in response.content.decode()


def test_an_expired_link_is_gone(world):
    invitation, raw = invite(world)
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert Client().get(accept_url(raw)).status_code == 410
    assert Client().post(accept_url(raw), GOOD).status_code == 410
    assert not User.objects.filter(email="dana@example.org").exists()


def test_a_revoked_link_is_gone(world):
    invitation, raw = invite(world)
    services.revoke_invitation(acting_user=world.director1, invitation=invitation)
    assert Client().get(accept_url(raw)).status_code == 410


def test_an_unknown_link_is_gone(db):
    assert Client().get(accept_url("made-up-token")).status_code == 410


def test_a_new_invitation_replaces_the_older_one(world):
    _, old = invite(world)
    _, new = invite(world)
    assert Client().get(accept_url(old)).status_code == 410
    assert Client().get(accept_url(new)).status_code == 200
    assert len(invitations(email="dana@example.org", revoked_at__isnull=True)) == 1


def test_an_existing_account_must_sign_in_to_accept(world):
    UserFactory(email="dana@example.org", full_name="Dana")
    _, raw = invite(world)
    client = Client()
    page = client.get(accept_url(raw))
    assert page.status_code == 200
    assert page.context["existing"] is True
    assert b"Sign in to accept" in page.content
    # Nobody can take over the account by "signing up" again with a new password.
    response = client.post(accept_url(raw), GOOD)
    assert response.status_code == 409
    assert roles_of("dana@example.org") == set()
    assert User.objects.get(email="dana@example.org").check_password(PASSWORD)

    login = client.post(
        "/accounts/login/",
        {"email": "dana@example.org", "password": PASSWORD, "next": accept_url(raw)},
    )
    assert login["Location"] == accept_url(raw)
    assert client.get(accept_url(raw)).status_code == 200
    response = client.post(accept_url(raw))
    assert response["Location"] == "/p/little-learners/"
    assert roles_of("dana@example.org") == {(RoleKind.STAFF, world.program1.pk)}


def test_the_wrong_account_is_refused(world, as_user):
    _, raw = invite(world)
    client = as_user(world.director2)
    page = client.get(accept_url(raw))
    assert page.status_code == 403
    assert "dana@example.org" in page.content.decode()
    assert client.post(accept_url(raw)).status_code == 403
    assert roles_of(world.director2.email) == {(RoleKind.DIRECTOR, world.program2.pk)}
    assert invitations(email="dana@example.org")[0].accepted_at is None


def test_the_service_refuses_the_wrong_account(world):
    _, raw = invite(world)
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(raw_token=raw, user=world.director2)
    assert "email" in exc.value.message_dict


def test_an_existing_person_gains_a_second_role(world, as_user):
    # The teacher at program1 also becomes staff at program2 (two roles, one person).
    _, raw = invite(world, email=world.staff.email, program=world.program2)
    response = as_user(world.staff).post(accept_url(raw))
    assert response.status_code == 302
    assert roles_of(world.staff.email) == {
        (RoleKind.STAFF, world.program1.pk),
        (RoleKind.STAFF, world.program2.pk),
    }


def test_the_email_is_in_the_invitees_language(world, send_mail_now):
    UserFactory(email="ana@example.org", language="es")
    with send_mail_now():
        invitation, _ = invite(world, email="ana@example.org")
    assert invitation.language == "es"
    assert mail.outbox[0].subject == "Tiene una invitación a Little Learners en Alliance"


def test_a_chosen_language_is_used_and_offered_at_sign_up(world, send_mail_now):
    with send_mail_now():
        _, raw = invite(world, email="luis@example.org", language="es")
    assert mail.outbox[0].subject.startswith("Tiene una invitación")
    page = Client().get(accept_url(raw))
    assert page.context["form"].initial["language"] == "es"


def test_a_new_invitee_gets_the_default_language(world, send_mail_now):
    with send_mail_now():
        invitation, _ = invite(world)
    assert invitation.language == "en"
    assert mail.outbox[0].subject == "You are invited to Little Learners on Alliance"
    assert "expires in 14 days" in mail.outbox[0].body


def test_no_email_leaves_before_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(world)
    assert mail.outbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b"])
def test_a_bad_email_is_refused(world, email):
    with pytest.raises(ValidationError) as exc:
        invite(world, email=email)
    assert "email" in exc.value.message_dict
    assert invitations() == []


def test_the_invite_form_names_the_bad_field(world, as_user):
    response = as_user(world.director1).post(
        "/p/little-learners/people/", {"full_name": "", "email": "nope"}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"full_name", "email"}
    assert invitations() == []


def test_someone_who_has_the_role_is_not_invited_again(world):
    with pytest.raises(ValidationError) as exc:
        invite(world, email=world.staff.email)
    assert "email" in exc.value.message_dict
    assert invitations() == []


def test_a_program_of_another_alliance_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        invite(world, program=world.other_program)
    assert "program" in exc.value.message_dict


def test_a_program_role_needs_a_program(world):
    with pytest.raises(ValidationError) as exc:
        services.invite(
            acting_user=world.hub,
            email="x@example.org",
            kind=RoleKind.DIRECTOR,
            alliance=world.alliance,
        )
    assert "kind" in exc.value.message_dict


def test_the_director_chooses_the_invitees_language_on_the_form(world, as_user, send_mail_now):
    client = as_user(world.director1)
    assert "Language of the invitation" in client.get("/p/little-learners/people/").content.decode()
    with send_mail_now():
        response = client.post(
            "/p/little-learners/people/",
            {"full_name": "Rosa Maestra", "email": "rosa@example.org", "language": "es"},
        )
    assert response.status_code == 302
    (invitation,) = invitations(email="rosa@example.org")
    assert invitation.language == "es"
    assert mail.outbox[-1].subject.startswith("Tiene una invitación")


def test_the_hub_chooses_the_directors_language_and_a_bad_choice_is_named(
    world, new_center, as_user
):
    response = as_user(world.hub).post(
        "/a/union-county/hub/invite/",
        {
            "full_name": "Ana",
            "email": "ana@example.org",
            "program": new_center.pk,
            "language": "fr",
        },
    )
    assert response.status_code == 422
    assert "language" in response.context["form"].errors
    assert not invitations(email="ana@example.org")
