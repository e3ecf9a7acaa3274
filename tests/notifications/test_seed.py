"""The notifications seed step: inboxes with welcomes in each person's language."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django_scopes import scopes_disabled

from alliance.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from alliance.notifications.seed import seed_notifications
from alliance.seed.plan import SCALES
from alliance.seed.registry import SeedContext

pytestmark = pytest.mark.django_db


def test_seed_step_fills_inboxes(world):
    world.director2.language = "es"
    world.director2.save(update_fields=["language"])
    ctx = SeedContext(
        rng=random.Random(1),
        scale=SCALES["small"],
        today=date(2025, 3, 15),
        history_start=date(2024, 3, 15),
        password_hash="",
        log=lambda message: None,
        alliance=world.alliance,
        is_demo=True,
        towns=[],
        hub=world.hub,
        directors={world.program1.pk: world.director1, world.program2.pk: world.director2},
        staff=[(world.staff, world.program1)],
        substitutes=[world.sub],
        committee=[world.committee],
    )
    with scopes_disabled():
        counts = seed_notifications(ctx)
        assert counts == {"notifications": 6, "deliveries": 6, "prefs": 2}
        spanish = Notification.objects.get(recipient=world.director2)
        english = Notification.objects.get(recipient=world.director1)
        assert Notification.objects.filter(read_at__isnull=True).count() == 4
        assert Delivery.objects.filter(status="sent", channel="email").count() == 6
        assert NotificationPreference.objects.filter(user=world.sub, enabled=True).exists()
        assert NotificationSettings.objects.get(user=world.sub).allow_urgent_quiet_sms
    assert english.subject == "Welcome to Union County Child Care Alliance"
    assert spanish.kind == "welcome" and spanish.subject  # Spanish once translated
