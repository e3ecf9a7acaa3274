"""Documents (upload checks, versions, members-only access) and events (RSVP within
capacity, iCal feed)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from alliance.community import services_library as services
from alliance.community.models import Document, DocumentVersion, Event, Rsvp
from alliance.core.tenancy import alliance_scope
from tests.community.conftest import queries_for, rows

pytestmark = pytest.mark.django_db

DOCS = "/a/union-county/documents/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def _post_doc(client, upload, access="members"):
    return client.post(
        DOCS, {"title": "Handbook", "category": "template", "access": access, "file": upload}
    )


def test_forbidden_types_and_sizes_are_refused_and_nothing_saved(world, as_user, monkeypatch):
    client = as_user(world.hub)
    exe = _post_doc(client, SimpleUploadedFile("tool.exe", b"MZ\x90\x00"))
    assert exe.status_code == 422 and "not .exe" in exe.content.decode()
    disguised = _post_doc(client, SimpleUploadedFile("page.pdf", b"<script>alert(1)"))
    assert disguised.status_code == 422
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)
    big = _post_doc(client, SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 20))
    assert big.status_code == 422 and "larger than 10 MB" in big.content.decode()
    assert rows(Document) == 0 and rows(DocumentVersion) == 0


def test_upload_versions_and_members_only_access(world, as_user, client):
    hub = as_user(world.hub)
    created = _post_doc(hub, SimpleUploadedFile("handbook.pdf", b"%PDF-1.4 first"))
    assert created.status_code == 302
    with scopes_disabled():
        document = Document.objects.get()
    url = f"{DOCS}{document.pk}/"
    hub.post(
        url,
        {
            "file": SimpleUploadedFile("handbook-2.pdf", b"%PDF-1.4 second"),
            "note": "Updated ratios",
        },
    )
    with scopes_disabled():
        assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    member = as_user(world.director1)
    download = member.get(f"{url}v2/")
    assert download.status_code == 200 and b"".join(download.streaming_content).endswith(b"second")
    assert client.get(url).status_code == 404  # members only: not for the public
    assert "Handbook" not in client.get(DOCS).content.decode()
    with scopes_disabled():
        Document.objects.update(access="public")
    assert client.get(f"{url}v1/").status_code == 200
    assert as_user(world.director1).post(DOCS, {"title": "x"}).status_code == 403


def _event(world, capacity=None, public=True, days=5):
    start = timezone.now() + datetime.timedelta(days=days)
    with alliance_scope(world.alliance):
        return services.create_event(
            alliance=world.alliance,
            acting_user=world.hub,
            title="Networking breakfast",
            kind="networking",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            capacity=capacity,
            is_public=public,
        )


def test_rsvp_past_capacity_is_refused(world, as_user):
    event = _event(world, capacity=1)
    url = f"/a/union-county/events/{event.pk}/"
    assert as_user(world.director1).post(url, {"action": "rsvp"}).status_code == 302
    full = as_user(world.director2).post(url, {"action": "rsvp"})
    assert full.status_code == 422
    assert rows(Rsvp) == 1
    as_user(world.director1).post(url, {"action": "cancel"})
    assert as_user(world.director2).post(url, {"action": "rsvp"}).status_code == 302
    with scopes_disabled():
        assert list(Rsvp.objects.values_list("user__email", flat=True)) == ["director2@example.org"]


def test_event_end_must_follow_start(world, as_user):
    response = as_user(world.hub).post(
        "/a/union-county/events/",
        {
            "title": "x",
            "kind": "training",
            "starts_at": "2026-05-01T10:00",
            "ends_at": "2026-05-01T09:00",
        },
    )
    assert response.status_code == 422 and rows(Event) == 0


def test_ical_feed_lists_public_events_only(world, client):
    _event(world)
    _event(world, public=False)
    response = client.get("/a/union-county/events.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1 and str(events[0]["summary"]) == "Networking breakfast"


def test_events_page_query_count_is_bounded(world, as_user):
    client = as_user(world.director1)
    _event(world, capacity=3)
    few = queries_for(client, "/a/union-county/events/")
    for i in range(6):
        _event(world, capacity=3, days=6 + i)
    assert queries_for(client, "/a/union-county/events/") == few


def test_trainings_from_the_training_module_join_the_calendar_and_feed(world, client):
    from tests.training.factories import CourseFactory, SessionFactory

    with scopes_disabled():
        course = CourseFactory(alliance=world.alliance, title="Pediatric CPR and First Aid")
        SessionFactory(course=course)
    assert "Pediatric CPR and First Aid" in client.get("/a/union-county/events/").content.decode()
    calendar = Calendar.from_ical(client.get("/a/union-county/events.ics").content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Pediatric CPR and First Aid"]
