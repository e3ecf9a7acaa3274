"""Referrals between members: the receiving program's directors are told (in the app and by
email, in their language), see it on their dashboard, and answer it (page and API)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.enrollment.models import Referral, ReferralStatus
from alliance.notifications.models import Notification

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def _api(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def test_referral_notifies_the_receiving_director_in_their_language(
    world, scenario, as_user, django_capture_on_commit_callbacks
):
    world.director2.language = "es"
    world.director2.save(update_fields=["language"])
    app = scenario.application  # offered by Little Learners, so its director can see it
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"{V1}/programs/little-learners/referrals",
            {"application_id": app.pk, "to_program": "sunshine", "note": "Lives near you"},
            content_type="application/json",
            **_api(world.director1),
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["from_program"] == "little-learners" and body["to_program"] == "sunshine"
    assert body["status"] == "pending"
    with scopes_disabled():
        note = Notification.objects.get(recipient=world.director2, kind="enrollment_referral")
        assert not Notification.objects.filter(
            recipient=world.director1, kind="enrollment_referral"
        ).exists()
    assert "Little Learners" in note.body and "Lives near you" in note.body
    assert note.subject.startswith("Una familia en espera")  # Spanish, the director's language
    assert any(m.to == [world.director2.email] for m in mail.outbox)
    # On the receiving director's dashboard (recent changes) and referred families page.
    dashboard = as_user(world.director2).get("/p/sunshine/").content.decode()
    assert "López family" in dashboard
    page = as_user(world.director2).get("/p/sunshine/enrollment/applications/")
    assert "López" in page.content.decode()


def test_receiving_program_answers_once(world, scenario, as_user):
    with scopes_disabled():
        from alliance.enrollment.services_applications import refer_application

        referral = refer_application(
            acting_user=world.hub, application=scenario.waiting, to_program=world.program2
        )
    url = f"{V1}/programs/sunshine/referrals/{referral.pk}/answer"
    headers = _api(world.director2)
    refused = Client().post(
        url, {"accept": False, "note": ""}, content_type="application/json", **headers
    )
    assert refused.status_code == 422 and "note" in refused.json()["fields"]
    ok = Client().post(
        url, {"accept": True, "note": "We will call"}, content_type="application/json", **headers
    )
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    again = Client().post(url, {"accept": True}, content_type="application/json", **headers)
    assert again.status_code == 422
    with scopes_disabled():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    # Listed for the program and for the hub.
    listed = Client().get(f"{V1}/programs/sunshine/referrals", **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["children"] == ["Luz Ruiz"]
    hub = Client().get(f"{V1}/alliances/union-county/referrals", **_api(world.hub)).json()
    assert hub["count"] == 1


def test_answer_on_the_program_application_page(world, scenario, as_user):
    with scopes_disabled():
        from alliance.enrollment.services_applications import refer_application

        referral = refer_application(
            acting_user=world.hub, application=scenario.waiting, to_program=world.program2
        )
    url = f"/p/sunshine/enrollment/applications/{scenario.waiting.pk}/"
    client = as_user(world.director2)
    assert "Accept referral" in client.get(url).content.decode()
    response = client.post(url, {"action": "answer", "answer": "decline", "response_note": ""})
    assert response.status_code == 422
    response = client.post(
        url, {"action": "answer", "answer": "decline", "response_note": "No infant seats"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.DECLINED
        assert referral.response_note == "No infant seats"


def test_referral_list_query_count(world, scenario, django_assert_max_num_queries):
    from alliance.enrollment.services_applications import refer_application

    with scopes_disabled():
        for program in (world.program2, world.home):
            refer_application(
                acting_user=world.hub, application=scenario.waiting, to_program=program
            )
    headers = _api(world.hub)
    with django_assert_max_num_queries(12):
        response = Client().get(f"{V1}/alliances/union-county/referrals", **headers)
    assert response.json()["count"] == 2
