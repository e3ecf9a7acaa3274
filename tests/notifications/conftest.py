"""Fixtures for the notifications tests: the text-message outbox and the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scopes_disabled
from huey.contrib.djhuey import HUEY

from alliance.notifications import sms
from alliance.notifications.models import Delivery, Notification

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def huey_schedule():
    """Huey's in-memory schedule (tests run the queue immediately), emptied around a test."""
    HUEY.storage.flush_schedule()
    yield HUEY
    HUEY.storage.flush_schedule()


def run_scheduled(huey, *, limit: int = 20) -> int:
    """Run every task held in the schedule (retries, quiet hours) as the consumer would."""
    ran = 0
    while ran < limit:
        tasks = huey.scheduled()
        if not tasks:
            break
        huey.storage.flush_schedule()
        for task in tasks:
            task.eta = None
            huey.execute(task)
            ran += 1
    return ran


@pytest.fixture
def extra_templates(settings):
    """Adds tests/notifications/templates (a kind shipped by a 'calling module')."""
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [TEST_TEMPLATES]
    settings.TEMPLATES = [engine]
    return TEST_TEMPLATES


def deliveries(notification: Notification) -> dict[str, Delivery]:
    with scopes_disabled():
        return {d.channel: d for d in Delivery.objects.filter(notification=notification)}


__all__ = ["settings", "run_scheduled", "deliveries"]
