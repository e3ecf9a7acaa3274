"""The personal "Notifications (N)" item of the main navigation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core import policy
from alliance.notifications.queries import unread_count

if TYPE_CHECKING:
    from alliance.accounts.models import User


def personal_items(user: User) -> list[dict]:
    """People with a role see their inbox with its unread count (one COUNT query)."""
    if not policy.roles_of(user):
        return []
    count = unread_count(user)
    label = _("Notifications (%(count)s)") % {"count": count} if count else _("Notifications")
    return [{"label": label, "url": reverse("notifications:inbox")}]
