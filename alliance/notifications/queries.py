"""Reads for the person's own notification pages and API.

A person's notifications are read inside ``person_scope(user)``: the scope of every alliance
where they hold a role (usually one). Notifications of an alliance they left stay hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django_scopes import scope

from alliance.core import policy
from alliance.notifications.models import Delivery, Notification

if TYPE_CHECKING:
    from alliance.accounts.models import User

PAGE_SIZE = 25


def alliance_ids_for(user: User) -> list[int]:
    """Alliances where the person holds any role (from the cached roles: no query)."""
    return sorted({role.alliance_id for role in policy.roles_of(user)})


@contextmanager
def person_scope(user: User) -> Iterator[list[int]]:
    """Open the alliance scope of every alliance the person belongs to."""
    ids = alliance_ids_for(user)
    with scope(alliance=ids, program=None):
        yield ids


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's notifications, unread first, then newest first (inside person_scope)."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(recipient=user)
        .select_related("program", "alliance")
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-id")
    )


def unread_count(user: User) -> int:
    """One COUNT query; 0 for people without a role."""
    ids = alliance_ids_for(user)
    if not ids:
        return 0
    with scope(alliance=ids, program=None):
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def deliveries_of(notification: Notification) -> QuerySet[Delivery]:
    return Delivery.objects.filter(notification=notification).order_by("created_at", "id")
