"""Demo notifications: everyone of an alliance has a welcome in their inbox (in their own
language), with its email delivery recorded; the demo substitute gets texts for substitute
offers, early ones included, so the preferences page shows a real choice."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from alliance.accounts.models import User
from alliance.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from alliance.notifications.rendering import render_kind
from alliance.seed.registry import SeedContext, register_step

MAX_PEOPLE = 400  # a county-scale seed has thousands of staff: the inbox demo needs few


def seed_notifications(ctx: SeedContext) -> dict[str, int]:
    family_ids = [f.account_id for f in ctx.families if f.account_id][:MAX_PEOPLE]
    families = list(User.objects.filter(pk__in=family_ids).order_by("pk"))
    # The demo logins first (hub, directors, sub1…, committee, family1), then staff.
    people = [ctx.hub] if ctx.hub else []
    people += list(ctx.directors.values())
    people += ctx.substitutes + ctx.committee + families
    people += [user for user, _program in ctx.staff]
    seen: set[int] = set()
    people = [p for p in people if p is not None and not (p.pk in seen or seen.add(p.pk))]
    people = people[:MAX_PEOPLE]
    now = timezone.now()
    link = settings.SITE_URL.rstrip("/") + "/notifications/preferences/"
    notifications = []
    for index, person in enumerate(people):
        rendered = render_kind(
            kind="welcome",
            recipient=person,
            context={"alliance_name": ctx.alliance.name},
            link=link,
        )
        sent = now - timedelta(days=ctx.rng.randint(3, 60), minutes=ctx.rng.randint(0, 600))
        notifications.append(
            Notification(
                alliance=ctx.alliance,
                recipient=person,
                kind="welcome",
                created_at=sent,
                subject=rendered.subject,
                body=rendered.email or "",
                link=link,
                # Every third person has read theirs, so inboxes show both states.
                read_at=sent + timedelta(hours=2) if index % 3 == 0 else None,
            )
        )
    Notification.objects.bulk_create(notifications)
    deliveries = [
        Delivery(
            notification=n,
            alliance=ctx.alliance,
            channel=Channel.EMAIL,
            to=n.recipient.email,
            body=n.body,
            status=DeliveryStatus.SENT,
            attempts=1,
            provider_message_id=f"<seed-{n.pk}@alliance>",
            sent_at=n.created_at,
        )
        for n in notifications
    ]
    Delivery.objects.bulk_create(deliveries)
    prefs = 0
    if ctx.is_demo and ctx.substitutes:
        sub = ctx.substitutes[0]  # sub1@example.org
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(
                    user=sub, category="substitutes", channel=Channel.SMS, enabled=True
                ),
                NotificationPreference(
                    user=sub, category="community", channel=Channel.EMAIL, enabled=False
                ),
            ]
        )
        NotificationSettings.objects.create(user=sub, allow_urgent_quiet_sms=True)
        prefs = 2
    return {"notifications": len(notifications), "deliveries": len(deliveries), "prefs": prefs}


register_step("notifications", seed_notifications)
