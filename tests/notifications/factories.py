"""Factories for notifications (module-local, as the shared instructions prefer)."""

from __future__ import annotations

import factory

from alliance.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """Create inside ``scopes_disabled()``."""

    class Meta:
        model = Notification

    kind = "test_message"
    subject = factory.Sequence(lambda n: f"Message {n}")
    body = "Hello."
    link = ""
