"""API for surveys (responses export), committee action items, forum topics and events.

Every endpoint opens the alliance through :func:`alliance.api.tenancy.api_alliance` (404
for a missing alliance, 403 without the permission); writes go through the services."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.community import services_evidence, services_library
from alliance.community.access import access_action_item, access_event, access_survey
from alliance.community.api_schemas import (
    ActionItemOut,
    ActionItemPage,
    ActionItemPatch,
    EventOut,
    EventPage,
    ResponsePage,
    SurveyPage,
    TopicPage,
)
from alliance.community.models import ActionItem, Answer, Event, Survey, Topic
from alliance.community.results import submitted
from alliance.core.policy import Perm

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
BASE = "/alliances/{alliance}"


@api.get(f"{BASE}/surveys", response={200: SurveyPage, **ERRORS}, tags=["community"])
def list_surveys(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """The alliance's surveys, newest first (hub admins)."""
    with api_alliance(request, alliance) as obj:
        return page_of(Survey.objects.filter(alliance=obj).order_by("-created_at", "-pk"), page)


@api.get(
    f"{BASE}/surveys/{{survey_id}}/responses",
    response={200: ResponsePage, **ERRORS},
    tags=["community"],
)
def list_responses(request: HttpRequest, alliance: str, survey_id: int, page: Query[PageIn]):
    """Submitted responses with their answers, oldest first: three queries per page."""
    with api_alliance(request, alliance) as obj:
        survey = access_survey(obj.pk, survey_id)
        questions = {q.pk: q for q in survey.questions.all()}
        rows = submitted(survey).select_related("program").order_by("submitted_at", "pk")
        result = page_of(rows, page)
        ids = [r.pk for r in result["items"]]
        grouped: dict[int, dict[int, dict]] = defaultdict(dict)
        for a in Answer.objects.filter(response_id__in=ids).order_by("pk"):
            q = questions[a.question_id]
            entry = grouped[a.response_id].setdefault(
                a.question_id,
                {
                    "question_id": q.pk,
                    "question": q.text,
                    "kind": q.kind,
                    "choices": [],
                    "number": None,
                    "text": "",
                },
            )
            if a.choice:
                entry["choices"].append(a.choice)
            if a.number is not None:
                entry["number"] = f"{a.number.normalize():f}"
            if a.text:
                entry["text"] = a.text
        result["items"] = [
            {
                "id": r.pk,
                "submitted_at": r.submitted_at,
                "language": r.language,
                "program": r.program.slug if r.program_id else None,
                "program_kind": r.program_kind,
                "town": r.town,
                "answers": list(grouped[r.pk].values()),
            }
            for r in result["items"]
        ]
        return result


def _action_out(item: ActionItem) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "owner": item.owner.name if item.owner else None,
        "due_on": item.due_on,
        "status": item.status,
        "meeting_id": item.meeting_id,
    }


@api.get(
    f"{BASE}/committee/action-items",
    response={200: ActionItemPage, **ERRORS},
    tags=["community"],
)
def list_action_items(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """The Advisory Committee's action items (committee members and hub admins)."""
    with api_alliance(request, alliance, Perm.COMMITTEE_VIEW) as obj:
        rows = ActionItem.objects.filter(alliance=obj).select_related("owner")
        return page_of(rows.order_by("status", "due_on", "pk"), page, _action_out)


@api.patch(
    f"{BASE}/committee/action-items/{{item_id}}",
    response={200: ActionItemOut, **ERRORS},
    tags=["community"],
)
def update_action_item(request: HttpRequest, alliance: str, item_id: int, payload: ActionItemPatch):
    with api_alliance(request, alliance, Perm.COMMITTEE_VIEW) as obj:
        item = access_action_item(obj.pk, item_id)
        services_evidence.set_action_status(
            item=item, acting_user=request.user, status=payload.status
        )
        return _action_out(item)


@api.get(f"{BASE}/forum/topics", response={200: TopicPage, **ERRORS}, tags=["community"])
def list_topics(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """Visible forum topics, most recently active first (members)."""
    with api_alliance(request, alliance, Perm.COMMUNITY_MEMBER) as obj:
        rows = (
            Topic.objects.filter(alliance=obj, is_hidden=False)
            .select_related("category")
            .order_by("-last_post_at", "-pk")
        )
        return page_of(
            rows,
            page,
            lambda t: {
                "id": t.pk,
                "title": t.title,
                "category": t.category.name,
                "post_count": t.post_count,
                "is_locked": t.is_locked,
                "last_post_at": t.last_post_at,
            },
        )


def _event_out(event: Event) -> dict:
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "location": event.location,
        "capacity": event.capacity,
        "seats_taken": (
            event.seats_taken if hasattr(event, "seats_taken") else event.rsvps.count()
        ),
    }


@api.get(f"{BASE}/events", response={200: EventPage, **ERRORS}, tags=["community"])
def list_events(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """Every event of the alliance, soonest first (members)."""
    with api_alliance(request, alliance, Perm.COMMUNITY_MEMBER) as obj:
        rows = Event.objects.filter(alliance=obj).annotate(seats_taken=Count("rsvps"))
        return page_of(rows.order_by("starts_at", "pk"), page, _event_out)


@api.post(
    f"{BASE}/events/{{event_id}}/rsvp", response={201: EventOut, **ERRORS}, tags=["community"]
)
def rsvp_event(request: HttpRequest, alliance: str, event_id: int):
    """Reserve a seat; 422 when the event is full."""
    with api_alliance(request, alliance, Perm.COMMUNITY_MEMBER) as obj:
        event = access_event(obj.pk, event_id, members=True)
        services_library.rsvp(event=event, acting_user=request.user)
        return Status(201, _event_out(event))
