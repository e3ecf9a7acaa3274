"""The one way to reach a single notification: it is the person's own, or it is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from alliance.notifications.models import Notification

if TYPE_CHECKING:
    from alliance.accounts.models import User


def access_notification(user: User, notification_id: int) -> Notification:
    """Call inside ``person_scope(user)``; someone else's notification answers like a
    missing one."""
    notification = (
        Notification.objects.filter(pk=notification_id)
        .filter(recipient=user)
        .select_related("program", "alliance")
        .first()
    )
    if notification is None:
        raise Http404
    return notification
