"""The Advisory Committee: members, meetings with minutes and attendance, action items and
suggestions."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.community.models import ActionItem, CommitteeMember, Meeting, Suggestion
from tests.community.conftest import audit_actions, queries_for, rows

pytestmark = pytest.mark.django_db

COMMITTEE = "/a/union-county/committee/"


def test_hub_runs_the_committee_and_members_follow_it(world, as_user):
    hub = as_user(world.hub)
    assert (
        hub.post(
            COMMITTEE, {"action": "member", "member-name": "Dr. Rivera", "member-sector": "health"}
        ).status_code
        == 302
    )
    bad = hub.post(COMMITTEE, {"action": "meeting", "meeting-starts_at": ""})
    assert bad.status_code == 422 and rows(Meeting) == 0
    hub.post(
        COMMITTEE,
        {
            "action": "meeting",
            "meeting-starts_at": "2026-03-02T18:00",
            "meeting-agenda": "Needs assessment",
        },
    )
    with scopes_disabled():
        member = CommitteeMember.objects.get()
        meeting = Meeting.objects.get()
    hub.post(
        COMMITTEE,
        {
            "action": "action",
            "action-title": "Call the chamber",
            "action-owner": member.pk,
            "action-due_on": "2026-04-01",
        },
    )
    minutes = hub.post(
        f"{COMMITTEE}meetings/{meeting.pk}/",
        {"agenda": "Needs", "minutes": "We agreed.", "present": [member.pk]},
    )
    assert minutes.status_code == 302
    committee = as_user(world.committee)
    page = committee.get(f"{COMMITTEE}meetings/{meeting.pk}/").content.decode()
    assert "We agreed." in page and "Dr. Rivera" in page
    assert committee.post(f"{COMMITTEE}meetings/{meeting.pk}/", {"minutes": "x"}).status_code == 403
    with scopes_disabled():
        item = ActionItem.objects.get()
    assert committee.post(f"{COMMITTEE}actions/{item.pk}/", {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.owner == member
    assert "committee.minutes_recorded" in audit_actions(action="committee.minutes_recorded")


def test_suggestions_from_providers_are_answered(world, as_user):
    provider = as_user(world.provider)
    assert provider.post("/a/union-county/suggestions/", {"title": ""}).status_code == 422
    provider.post("/a/union-county/suggestions/", {"title": "Evening CPR classes"})
    with scopes_disabled():
        suggestion = Suggestion.objects.get()
    as_user(world.hub).post(
        f"/a/union-county/hub/community/suggestions/{suggestion.pk}/",
        {"status": "adopted", "response": "Starting in May"},
    )
    page = provider.get("/a/union-county/suggestions/").content.decode()
    assert "Starting in May" in page and "Adopted" in page
    # Another director sees only their own suggestions.
    assert (
        "Evening CPR"
        not in as_user(world.director2).get("/a/union-county/suggestions/").content.decode()
    )
    assert "Evening CPR" in as_user(world.committee).get(COMMITTEE).content.decode()


def test_committee_page_query_count_is_bounded(world, as_user):
    client = as_user(world.committee)
    few = queries_for(client, COMMITTEE)
    with scopes_disabled():
        member = CommitteeMember.objects.create(
            alliance=world.alliance, name="A", sector="business"
        )
        for i in range(5):
            ActionItem.objects.create(alliance=world.alliance, title=f"A{i}", owner=member)
            Suggestion.objects.create(
                alliance=world.alliance, title=f"S{i}", author=world.director1
            )
    assert queries_for(client, COMMITTEE) == few
