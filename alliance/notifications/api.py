"""The caller's own notifications: list them, mark one read. Nobody reads anyone else's."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Schema

from alliance.api.root import api
from alliance.api.types import Message, PageIn, PageOut, page_of
from alliance.notifications import queries, services
from alliance.notifications.access import access_notification
from alliance.notifications.models import Notification

ERRORS = {401: Message, 404: Message}


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    urgent: bool
    alliance: str = Field(description="The alliance's short name (slug).")
    program: str | None = Field(description="The program's short name, if any.")
    created_at: datetime
    read_at: datetime | None


class NotificationPage(PageOut):
    unread: int
    items: list[NotificationOut]


class NotificationFilter(PageIn):
    unread: bool = Field(False, description="Only unread notifications.")


def _out(n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "subject": n.subject,
        "body": n.body,
        "link": n.link,
        "urgent": n.urgent,
        "alliance": n.alliance.slug,
        "program": n.program.slug if n.program_id else None,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@api.get("/me/notifications", response={200: NotificationPage, **ERRORS}, tags=["notifications"])
def list_my_notifications(request: HttpRequest, filters: Query[NotificationFilter]):
    """The caller's notifications, unread first, newest first; with the unread count."""
    with queries.person_scope(request.user):
        notifications = queries.notifications_for(request.user)
        if filters.unread:
            notifications = notifications.filter(read_at__isnull=True)
        page = page_of(notifications, filters, _out)
        page["unread"] = queries.unread_count(request.user)
    return page


@api.post(
    "/me/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    tags=["notifications"],
)
def read_my_notification(request: HttpRequest, notification_id: int):
    """Mark one of the caller's notifications read (again is harmless)."""
    with queries.person_scope(request.user):
        notification = access_notification(request.user, notification_id)
        services.mark_read(user=request.user, notification=notification)
        return _out(notification)
