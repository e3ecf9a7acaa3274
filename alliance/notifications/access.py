"""The one way to reach a single notification: it is the person's own, or it is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.core.access import first_or_404
from alliance.notifications.models import Notification

if TYPE_CHECKING:
    from alliance.accounts.models import User


def access_notification(user: User, notification_id: int) -> Notification:
    """Call inside ``person_scope(user)``; someone else's notification answers like a
    missing one."""
    return first_or_404(
        Notification.objects.filter(pk=notification_id)
        .filter(recipient=user)
        .select_related("program", "alliance")
    )
