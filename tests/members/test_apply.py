"""The public membership application form: /a/<alliance>/join/."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.members.models import ApplicationStatus, MembershipApplication
from tests.factories import ApplicationFactory, TierFactory
from tests.members.conftest import application_data, audit_actions, rows

pytestmark = pytest.mark.django_db

URL = "/a/union-county/join/"


def test_it_shows_the_form_to_anyone(world, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="license_number"' in response.content
    assert b'name="confirm"' in response.content


def test_it_records_an_application_and_thanks_the_applicant(world, client):
    response = client.post(URL, application_data())
    assert response.status_code == 302
    assert response["Location"] == "/a/union-county/join/thanks/"
    with scopes_disabled():
        application = MembershipApplication.objects.get()
    assert application.alliance == world.alliance
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.languages == ["English", "Spanish"]
    assert application.accepts_ccap is True
    assert application.licensed_capacity == 48
    assert client.get(response["Location"]).status_code == 200


def test_it_writes_an_audit_row_without_an_actor(world, client):
    client.post(URL, application_data())
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="application.submitted")
    assert entry.actor is None
    assert entry.alliance == world.alliance
    assert entry.data["license_number"] == "CC-90001"


def test_it_keeps_the_tier_the_applicant_chose(world, client):
    with scopes_disabled():
        tier = TierFactory(alliance=world.alliance, name="Small center")
    assert client.post(URL, application_data(tier=str(tier.pk))).status_code == 302
    with scopes_disabled():
        assert MembershipApplication.objects.get().tier == tier


def test_it_trims_and_lowercases_the_email(world, client):
    client.post(URL, application_data(email="  Rosa@Bright.Example.ORG "))
    with scopes_disabled():
        assert MembershipApplication.objects.get().email == "rosa@bright.example.org"


BAD_INPUT = [
    ({"program_name": ""}, "program_name", "This field is required."),
    ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    ({"zip_code": "7036"}, "zip_code", "Enter a 5-digit ZIP code"),
    ({"licensed_capacity": "-3"}, "licensed_capacity", "greater than or equal to 0"),
    ({"licensed_capacity": "lots"}, "licensed_capacity", "Enter a whole number."),
    ({"ages_min_months": "60", "ages_max_months": "12"}, "ages_max_months", "oldest age"),
    (
        {"kind": "family_home", "licensed_capacity": "9"},
        "licensed_capacity",
        "may care for at most 5 children",
    ),
    ({"kind": "castle"}, "kind", "Select a valid choice."),
    ({"license_expires_on": "31/31/2030"}, "license_expires_on", "Enter a valid date."),
    ({"confirm": None}, "confirm", "This field is required."),
    ({"languages": ["Klingon"]}, "languages", "Select a valid choice."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_the_fields_message_and_nothing_saved(
    world, client, changes, field, message
):
    before = rows(MembershipApplication), rows(AuditEntry)
    response = client.post(URL, application_data(**changes))
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert any(message in error for error in form.errors[field]), form.errors[field]
    assert message.encode() in response.content or message in response.content.decode()
    assert (rows(MembershipApplication), rows(AuditEntry)) == before


def test_a_tier_of_another_alliance_is_not_a_choice(world, client):
    with scopes_disabled():
        foreign = TierFactory(alliance=world.other_alliance, name="Essex tier")
    response = client.post(URL, application_data(tier=str(foreign.pk)))
    assert response.status_code == 422
    assert "tier" in response.context["form"].errors
    assert rows(MembershipApplication) == 0


def test_a_tier_no_longer_offered_is_not_a_choice(world, client):
    with scopes_disabled():
        retired = TierFactory(alliance=world.alliance, name="Retired", is_active=False)
    response = client.post(URL, application_data(tier=str(retired.pk)))
    assert response.status_code == 422
    assert "tier" in response.context["form"].errors


def test_a_second_waiting_application_for_the_same_license_is_refused(world, client):
    with scopes_disabled():
        ApplicationFactory(alliance=world.alliance, license_number="cc-90001")
    response = client.post(URL, application_data())
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "already waiting for review" in errors["license_number"][0]
    assert rows(MembershipApplication) == 1


def test_a_second_waiting_application_from_the_same_email_is_refused(world, client):
    with scopes_disabled():
        ApplicationFactory(alliance=world.alliance, email="rosa@bright.example.org")
    response = client.post(URL, application_data(email="ROSA@bright.example.org"))
    assert response.status_code == 422
    assert "already waiting for review" in response.context["form"].errors["email"][0]
    assert rows(MembershipApplication) == 1


def test_a_license_of_a_member_program_is_refused(world, client):
    with scopes_disabled():
        license_number = world.program1.license_number
    response = client.post(URL, application_data(license_number=license_number))
    assert response.status_code == 422
    assert "already a member" in response.context["form"].errors["license_number"][0]
    assert rows(MembershipApplication) == 0


def test_a_declined_applicant_may_apply_again(world, client):
    with scopes_disabled():
        ApplicationFactory(
            alliance=world.alliance,
            license_number="CC-90001",
            email="rosa@bright.example.org",
            status=ApplicationStatus.DECLINED,
        )
    assert client.post(URL, application_data()).status_code == 302
    assert rows(MembershipApplication) == 2


def test_the_same_application_in_another_alliance_is_its_own(world, client):
    with scopes_disabled():
        ApplicationFactory(alliance=world.other_alliance, license_number="CC-90001")
    assert client.post(URL, application_data()).status_code == 302


def test_a_double_submitted_form_saves_one_application(world, client):
    first = client.post(URL, application_data())
    second = client.post(URL, application_data())
    assert (first.status_code, second.status_code) == (302, 422)
    assert rows(MembershipApplication) == 1
    assert audit_actions(action="application.submitted") == ["application.submitted"]


def test_an_unknown_alliance_is_404(world, client):
    assert client.post("/a/nowhere/join/", application_data()).status_code == 404
