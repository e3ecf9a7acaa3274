"""Every community URL and API path, asked as every persona: hub pages for the hub only,
committee pages for the committee (and hub), members' pages for program people and the
committee, public pages for everyone; another alliance's hub is a stranger here."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.community import services_evidence, services_forum, services_library
from alliance.community.models import Category, Theme
from alliance.core.tenancy import alliance_scope
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

COVERED_API_PATHS = {
    "alliances/<alliance>/surveys",
    "alliances/<alliance>/surveys/<survey_id>/responses",
    "alliances/<alliance>/committee/action-items",
    "alliances/<alliance>/committee/action-items/<item_id>",
    "alliances/<alliance>/forum/topics",
    "alliances/<alliance>/events",
    "alliances/<alliance>/events/<event_id>/rsvp",
}

A = "/a/union-county"
HUB = f"{A}/hub/community"
HUB_ONLY = everyone(403, anonymous=LOGIN, hub=200)
COMMITTEE = everyone(403, anonymous=LOGIN, committee=200, hub=200)
MEMBERS = everyone(
    403, anonymous=LOGIN, committee=200, staff=200, director1=200, director2=200, hub=200
)
PUBLIC = everyone(200)


@pytest.fixture
def things(world, interest_survey, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    hub, alliance = world.hub, world.alliance
    start = timezone.now() + datetime.timedelta(days=3)
    with alliance_scope(alliance):
        category = Category.objects.create(alliance=alliance, name="General")
        topic = services_forum.start_topic(
            alliance=alliance,
            acting_user=world.director1,
            category=category,
            title="Hi",
            body="Hello",
        )
        members_doc = services_library.add_document(
            alliance=alliance,
            acting_user=hub,
            title="Handbook",
            category="template",
            access="members",
            description="",
            upload=SimpleUploadedFile("h.pdf", b"%PDF-1 x"),
        )
        public_doc = services_library.add_document(
            alliance=alliance,
            acting_user=hub,
            title="Plan",
            category="policy",
            access="public",
            description="",
            upload=SimpleUploadedFile("p.pdf", b"%PDF-1 y"),
        )
        event = services_library.create_event(
            alliance=alliance,
            acting_user=hub,
            title="Breakfast",
            kind="networking",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )
        private_event = services_library.create_event(
            alliance=alliance,
            acting_user=hub,
            title="Members only",
            kind="networking",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            is_public=False,
        )
        meeting = services_evidence.schedule_meeting(
            alliance=alliance, acting_user=hub, starts_at=start, location="", agenda=""
        )
        item = services_evidence.add_action_item(
            alliance=alliance, acting_user=hub, title="Call", owner=None, due_on=None
        )
        suggestion = services_evidence.make_suggestion(
            alliance=alliance, acting_user=world.director1, title="x"
        )
        session = services_evidence.create_session(
            alliance=alliance,
            acting_user=hub,
            kind="interview",
            title="Owner",
            held_on=datetime.date(2026, 1, 5),
            facilitator="Ana",
        )
    with scopes_disabled():
        theme = Theme.objects.filter(alliance=alliance).first()
        question = interest_survey.questions.filter(kind="long_text").first()
        post = topic.posts.get()
    return {
        "survey": interest_survey,
        "topic": topic,
        "post": post,
        "members_doc": members_doc,
        "public_doc": public_doc,
        "event": event,
        "private_event": private_event,
        "meeting": meeting,
        "item": item,
        "suggestion": suggestion,
        "session": session,
        "theme": theme,
        "question": question,
    }


def test_hub_pages_matrix(world, things):
    s = things["survey"].pk
    cases = [
        Case("GET", f"{HUB}/surveys/", HUB_ONLY),
        Case("GET", f"{HUB}/surveys/{s}/", HUB_ONLY),
        Case("GET", f"{HUB}/surveys/{s}/results/", HUB_ONLY),
        Case("GET", f"{HUB}/surveys/{s}/results/{things['question'].pk}/text/", HUB_ONLY),
        Case("GET", f"{HUB}/surveys/{s}/export.csv", HUB_ONLY),
        Case("GET", f"{HUB}/surveys/{s}/export.xlsx", HUB_ONLY),
        Case(
            "POST", f"{HUB}/surveys/", everyone(403, anonymous=LOGIN, hub=422), data={"title": ""}
        ),
        Case(
            "POST",
            f"{HUB}/surveys/{s}/status/",
            everyone(403, anonymous=LOGIN, hub=302),
            data={"status": "open"},
        ),
        Case("POST", f"{HUB}/surveys/{s}/remind/", everyone(403, anonymous=LOGIN, hub=302)),
        Case("POST", f"{HUB}/surveys/{s}/invite/", everyone(403, anonymous=LOGIN, hub=302)),
        Case("GET", f"{HUB}/board/", HUB_ONLY),
        Case("GET", f"{HUB}/board/{things['theme'].pk}/", HUB_ONLY),
        Case("GET", f"{HUB}/sessions/", HUB_ONLY),
        Case("GET", f"{HUB}/sessions/{things['session'].pk}/", HUB_ONLY),
        Case("POST", f"{HUB}/sessions/", everyone(403, anonymous=LOGIN, hub=422), data={}),
        Case("GET", f"{HUB}/reports/", HUB_ONLY),
        Case("GET", f"{HUB}/announcements/new/", HUB_ONLY),
        Case(
            "POST",
            f"{HUB}/suggestions/{things['suggestion'].pk}/",
            everyone(403, anonymous=LOGIN, hub=302),
            data={"status": "new"},
        ),
        # Another alliance's survey through this alliance: missing.
        Case(
            "GET",
            f"/a/essex-county/hub/community/surveys/{s}/",
            everyone(403, anonymous=LOGIN, other_hub=404),
        ),
    ]
    check_matrix(cases, world.personas())


def test_committee_and_member_pages_matrix(world, things):
    t, p = things["topic"].pk, things["post"].pk
    cases = [
        Case("GET", f"{A}/committee/", COMMITTEE),
        Case("GET", f"{A}/committee/meetings/{things['meeting'].pk}/", COMMITTEE),
        Case(
            "POST",
            f"{A}/committee/actions/{things['item'].pk}/",
            everyone(403, anonymous=LOGIN, committee=302, hub=302),
            data={"status": "open"},
        ),
        Case(
            "POST",
            f"{A}/committee/",
            everyone(403, anonymous=LOGIN, hub=422),
            data={"action": "member"},
        ),
        Case("GET", f"{A}/suggestions/", MEMBERS),
        Case("GET", f"{A}/forum/", MEMBERS),
        Case("GET", f"{A}/forum/new/", MEMBERS),
        Case("GET", f"{A}/forum/{t}/", MEMBERS),
        Case(
            "POST",
            f"{A}/forum/{t}/",
            {**MEMBERS, **{k: 422 for k, v in MEMBERS.items() if v == 200}},
            data={"body": ""},
        ),
        Case(
            "POST",
            f"{A}/forum/posts/{p}/report/",
            {**MEMBERS, **{k: 302 for k, v in MEMBERS.items() if v == 200}},
            data={"reason": ""},
        ),
        Case(
            "POST",
            f"{A}/forum/{t}/moderate/",
            everyone(403, anonymous=LOGIN, hub=302),
            data={"action": "unlock"},
        ),
        Case(
            "POST",
            f"{A}/forum/posts/{p}/hide/",
            everyone(403, anonymous=LOGIN, hub=302),
            data={"hidden": "0"},
        ),
        Case("GET", f"{A}/announcements/", MEMBERS),
        Case(
            "GET",
            f"{A}/forum/999999/",
            {**MEMBERS, **{k: 404 for k, v in MEMBERS.items() if v == 200}},
        ),
    ]
    check_matrix(cases, world.personas())


def test_public_pages_matrix(world, things):
    members_doc, public_doc = things["members_doc"].pk, things["public_doc"].pk
    members_only = everyone(404, committee=200, staff=200, director1=200, director2=200, hub=200)
    cases = [
        Case("GET", f"{A}/surveys/{things['survey'].token}/", PUBLIC),
        Case("GET", f"{A}/surveys/{things['survey'].token}/thanks/", PUBLIC),
        Case("GET", f"{A}/documents/", PUBLIC),
        Case("GET", f"{A}/documents/{public_doc}/", PUBLIC),
        Case("GET", f"{A}/documents/{public_doc}/v1/", PUBLIC),
        Case("GET", f"{A}/documents/{members_doc}/", members_only),
        Case("GET", f"{A}/documents/{members_doc}/v1/", members_only),
        Case("POST", f"{A}/documents/", everyone(403, anonymous=LOGIN, hub=422), data={}),
        Case("GET", f"{A}/events/", PUBLIC),
        Case("GET", f"{A}/events.ics", PUBLIC),
        Case("GET", f"{A}/events/{things['event'].pk}/", PUBLIC),
        Case("GET", f"{A}/events/{things['private_event'].pk}/", members_only),
        Case(
            "POST",
            f"{A}/events/{things['event'].pk}/",
            everyone(
                403,
                anonymous=LOGIN,
                committee=302,
                staff=302,
                director1=302,
                director2=302,
                hub=302,
            ),
            data={"action": "rsvp"},
        ),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world, things):
    v1 = "/api/v1/alliances/union-county"
    hub_only = everyone(403, anonymous=401, hub=200)
    committee = everyone(403, anonymous=401, committee=200, hub=200)
    members = everyone(
        403, anonymous=401, committee=200, staff=200, director1=200, director2=200, hub=200
    )
    cases = [
        Case("GET", f"{v1}/surveys", hub_only),
        Case("GET", f"{v1}/surveys/{things['survey'].pk}/responses", hub_only),
        Case(
            "GET",
            f"/api/v1/alliances/essex-county/surveys/{things['survey'].pk}/responses",
            everyone(403, anonymous=401, other_hub=404),
        ),
        Case("GET", f"{v1}/committee/action-items", committee),
        Case(
            "PATCH",
            f"{v1}/committee/action-items/{things['item'].pk}",
            {**committee, "committee": 422, "hub": 422},
            data={"status": "bogus"},
        ),
        Case("GET", f"{v1}/forum/topics", members),
        Case("GET", f"{v1}/events", members),
        Case(
            "POST",
            f"{v1}/events/{things['event'].pk}/rsvp",
            {**members, **{k: 201 for k, v in members.items() if v == 200}},
            data={},
        ),
    ]
    check_matrix(cases, world.personas(), api=True)
