"""Every change in notifications: telling a person something, reading it, and their choices.

``notify`` is the one entry point other modules call. It stores the in-app notification and
one ``Delivery`` per outgoing channel in the caller's transaction; the sending happens after
commit in the task queue (``alliance.notifications.tasks``), which calls ``deliver``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from alliance.core.audit import log_action
from alliance.core.tenancy import alliance_scope, scopes_disabled
from alliance.notifications.kinds import CATEGORIES, CHANNELS, get_kind
from alliance.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from alliance.notifications.rendering import absolute_link, render_kind
from alliance.notifications.sms import SmsError, get_provider, normalize_phone

if TYPE_CHECKING:
    from alliance.accounts.models import User
    from alliance.members.models import Alliance, Program

log = logging.getLogger("alliance.notifications")

QUIET_START = time(21, 0)
QUIET_END = time(6, 0)
STALE_AFTER = timedelta(minutes=15)
STALE_BATCH = 500

__all__ = [
    "notify",
    "deliver",
    "retry_delivery",
    "requeue_stale",
    "mark_read",
    "mark_all_read",
    "update_preferences",
    "resolve_channels",
    "quiet_until",
]


def notify(
    *,
    recipient: User,
    kind: str,
    context: dict[str, Any],
    alliance: Alliance,
    program: Program | None = None,
    channels: Sequence[str] | None = None,
    link: str = "",
    urgent: bool = False,
) -> Notification:
    """Store an in-app notification for ``recipient`` and send it on the chosen channels.

    Channels: ``channels`` when given, else the kind's defaults plus what the person switched
    on for the kind's category; a channel the person switched off is never used (the in-app
    notification is always stored). Rendering is in the recipient's language. Email and text
    go out after commit through the task queue with retries; each is a ``Delivery`` row. A
    text that cannot go out (no template, no phone) is recorded as skipped; texts in quiet
    hours (21:00–06:00 in the alliance's time zone) are held until 06:00 unless ``urgent`` and
    the person allows urgent early texts. Raises ``ValueError`` for an unknown channel and
    ``ImproperlyConfigured`` for a kind without ``subject.txt``.
    """
    chosen = resolve_channels(recipient=recipient, kind=kind, requested=channels)
    absolute = absolute_link(link)
    rendered = render_kind(kind=kind, recipient=recipient, context=context, link=absolute)
    # The caller may be in a program's scope, another alliance's, or none: these rows belong
    # to ``alliance``, so they are written in its scope.
    with transaction.atomic(), alliance_scope(alliance):
        notification = Notification.objects.create(
            alliance=alliance,
            program=program,
            recipient=recipient,
            kind=kind[:80],
            subject=rendered.subject,
            body=rendered.email if rendered.email is not None else (rendered.sms or ""),
            link=absolute[:500],
            urgent=urgent,
        )
        if Channel.EMAIL in chosen:
            _queue_email(notification, rendered.email)
        if Channel.SMS in chosen:
            _queue_sms(notification, rendered.sms, alliance=alliance, urgent=urgent)
    return notification


def resolve_channels(*, recipient: User, kind: str, requested: Sequence[str] | None) -> list[str]:
    """The channels to use, in CHANNELS order (in-app always included)."""
    if requested is not None:
        unknown = set(requested) - set(CHANNELS)
        if unknown:
            raise ValueError(f"Unknown notification channels {sorted(unknown)!r}.")
    spec = get_kind(kind)
    prefs = dict(
        NotificationPreference.objects.filter(user=recipient, category=spec.category).values_list(
            "channel", "enabled"
        )
    )
    wanted = set(requested if requested is not None else spec.default_channels)
    if requested is None:
        wanted |= {channel for channel, on in prefs.items() if on}
    wanted -= {channel for channel, on in prefs.items() if not on}
    wanted.add(Channel.IN_APP)
    return [channel for channel in CHANNELS if channel in wanted]


def _queue_email(notification: Notification, body: str | None) -> None:
    from alliance.notifications.tasks import send_email_delivery_task

    to = notification.recipient.email
    delivery = Delivery(
        notification=notification,
        alliance_id=notification.alliance_id,
        channel=Channel.EMAIL,
        to=to,
        body=body or "",
    )
    if body is None:
        _skip(delivery, "no email template for this kind")
        return
    if not to:
        _skip(delivery, "no email address")
        return
    delivery.save()
    # robust: a queue outage must not fail the caller's request; requeue_stale catches up.
    args = (notification.alliance_id, delivery.pk)
    transaction.on_commit(lambda: send_email_delivery_task(*args), robust=True)


def _queue_sms(
    notification: Notification, body: str | None, *, alliance: Alliance, urgent: bool
) -> None:
    from alliance.notifications.tasks import send_sms_task

    recipient = notification.recipient
    phone = normalize_phone(recipient.phone)
    delivery = Delivery(
        notification=notification,
        alliance_id=notification.alliance_id,
        channel=Channel.SMS,
        to=phone or recipient.phone[:254],
        body=body or "",
    )
    if body is None:
        _skip(delivery, "no text message template for this kind")
        return
    if phone is None:
        _skip(delivery, "no valid mobile phone number" if recipient.phone else "no mobile phone")
        return
    allow_urgent = urgent and _allows_urgent_quiet_sms(recipient)
    held_until = None if allow_urgent else quiet_until(timezone.now(), alliance.timezone)
    delivery.scheduled_for = held_until
    delivery.save()
    args = (notification.alliance_id, delivery.pk)
    if held_until is None:
        transaction.on_commit(lambda: send_sms_task(*args), robust=True)
    else:
        transaction.on_commit(
            lambda: send_sms_task.schedule(args=args, eta=held_until), robust=True
        )


def _skip(delivery: Delivery, reason: str) -> None:
    delivery.status = DeliveryStatus.SKIPPED
    delivery.last_error = reason
    delivery.save()


def _allows_urgent_quiet_sms(user: User) -> bool:
    return NotificationSettings.objects.filter(user=user, allow_urgent_quiet_sms=True).exists()


def quiet_until(now: datetime, tz_name: str) -> datetime | None:
    """When ``now`` falls in quiet hours in ``tz_name``: the aware 06:00 that ends them."""
    try:
        tz = ZoneInfo(tz_name)
    except (KeyError, ValueError):
        tz = ZoneInfo("America/New_York")
    local = now.astimezone(tz)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=tz)


def deliver(*, delivery_id: int, final: bool) -> Delivery:
    """Make one attempt to send a queued delivery and record it.

    Call inside the delivery's alliance scope (the task does). A delivery that is no longer
    queued is left alone (sent twice is worse than once). On failure the error is recorded;
    the delivery stays queued for the next retry, or becomes failed when ``final``. Raises
    ``DeliveryFailed`` after recording a non-final failure so the queue retries it.
    """
    delivery = (
        Delivery.objects.select_related("notification", "notification__recipient")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != DeliveryStatus.QUEUED:
        return delivery
    # Claim this attempt with a conditional UPDATE: of two workers holding the same
    # delivery (a retry and a sweep), only one sends.
    if not _claim(delivery):
        return delivery
    try:
        message_id = _send(delivery)
    except Exception as exc:  # noqa: BLE001 - any provider or mail error is recorded
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if final:
            delivery.status = DeliveryStatus.FAILED
        delivery.save(update_fields=["attempts", "last_error", "status", "updated_at"])
        log.warning(
            "notification delivery failed",
            extra={"delivery": delivery.pk, "attempt": delivery.attempts, "final": final},
        )
        if not final:
            raise DeliveryFailed(delivery.last_error) from exc
        return delivery
    delivery.status = DeliveryStatus.SENT
    delivery.provider_message_id = message_id[:200]
    delivery.sent_at = timezone.now()
    delivery.save(
        update_fields=[
            "attempts",
            "status",
            "provider_message_id",
            "sent_at",
            "updated_at",
        ]
    )
    return delivery


def _claim(delivery: Delivery) -> bool:
    """Count this attempt on the row unless another worker already did (conditional UPDATE)."""
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.QUEUED, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    if claimed:
        delivery.attempts += 1
    return bool(claimed)


def retry_delivery(*, delivery: Delivery, acting_user: User | None) -> bool:
    """Queue a failed delivery again (back office). Returns False for any other status."""
    from alliance.notifications.tasks import send_email_delivery_task, send_sms_task

    if delivery.status != DeliveryStatus.FAILED:
        return False
    with transaction.atomic():
        delivery.status = DeliveryStatus.QUEUED
        delivery.scheduled_for = None
        delivery.save(update_fields=["status", "scheduled_for", "updated_at"])
        log_action(
            actor=acting_user,
            action="notifications.delivery_retried",
            target=delivery,
            alliance=delivery.alliance,
            summary=f"{delivery.channel} to {delivery.to} queued again",
        )
        task = send_sms_task if delivery.channel == Channel.SMS else send_email_delivery_task
        args = (delivery.alliance_id, delivery.pk)
        transaction.on_commit(lambda: task(*args))
    return True


def requeue_stale(*, now: datetime, older_than: timedelta = STALE_AFTER) -> int:
    """Queue again deliveries that were never attempted although due for ``older_than``
    (the queue was down at commit, or its schedule was lost). Every alliance: a system job.
    """
    from alliance.notifications.tasks import send_email_delivery_task, send_sms_task

    cutoff = now - older_than
    with scopes_disabled():
        stale = list(
            Delivery.objects.filter(status=DeliveryStatus.QUEUED, attempts=0)
            .filter(
                Q(scheduled_for__isnull=True, created_at__lt=cutoff) | Q(scheduled_for__lt=cutoff)
            )
            .values_list("pk", "alliance_id", "channel")[:STALE_BATCH]
        )
    for pk, alliance_id, channel in stale:
        task = send_sms_task if channel == Channel.SMS else send_email_delivery_task
        task(alliance_id, pk)
    if stale:
        log.warning("stale notification deliveries queued again", extra={"count": len(stale)})
    return len(stale)


class DeliveryFailed(Exception):
    """An attempt failed and will be retried."""


def _send(delivery: Delivery) -> str:
    if delivery.channel == Channel.SMS:
        message_id = get_provider().send(delivery.to, delivery.body)
        if not message_id:
            raise SmsError("provider returned no message id")
        return message_id
    notification = delivery.notification
    message_id = make_msgid(domain="alliance")
    message = EmailMessage(
        subject=notification.subject,
        body=delivery.body,
        to=[delivery.to],
        headers={"Message-ID": message_id},
    )
    message.send(fail_silently=False)
    return message_id


# --- the person's own actions ---------------------------------------------------------


def mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (again is a no-op)."""
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User, alliance_ids: Sequence[int]) -> int:
    """Mark every unread notification of the user in these alliances read; returns how many.

    Call inside a scope covering ``alliance_ids``.
    """
    return Notification.objects.filter(
        recipient=user, alliance_id__in=list(alliance_ids), read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def update_preferences(
    *,
    acting_user: User,
    choices: dict[tuple[str, str], bool],
    allow_urgent_quiet_sms: bool | None = None,
) -> None:
    """Save the acting user's own choices: {(category, channel): on}. In-app is always on."""
    from django.core.exceptions import ValidationError

    for category, channel in choices:
        if category not in CATEGORIES or channel not in (Channel.EMAIL, Channel.SMS):
            raise ValidationError({"__all__": f"Unknown preference {category}/{channel}."})
    for (category, channel), enabled in choices.items():
        NotificationPreference.objects.update_or_create(
            user=acting_user, category=category, channel=channel, defaults={"enabled": enabled}
        )
    if allow_urgent_quiet_sms is not None:
        NotificationSettings.objects.update_or_create(
            user=acting_user, defaults={"allow_urgent_quiet_sms": allow_urgent_quiet_sms}
        )
    alliance = _home_alliance(acting_user)
    if alliance is not None and (choices or allow_urgent_quiet_sms is not None):
        log_action(
            actor=acting_user,
            action="notifications.preferences_changed",
            target=acting_user,
            alliance=alliance,
            summary="notification settings changed",
            data={
                "choices": {f"{cat}/{ch}": on for (cat, ch), on in choices.items()},
                "allow_urgent_quiet_sms": allow_urgent_quiet_sms,
            },
        )


def _home_alliance(user: User) -> Alliance | None:
    from alliance.core.policy import roles_of

    roles = roles_of(user)
    return roles[0].alliance if roles else None
