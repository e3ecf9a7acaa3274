"""Messages to participants, through the notifications module (docs/notifications.md).

``alliance.notifications.services.notify`` renders ``notifications/<kind>/`` templates in the
recipient's language and sends them on the person's channels. Until that module is installed
(it is built alongside this one) the same templates go out as a plain email, so no message is
lost either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import formats, translation

from alliance.core.tasks import enqueue_on_commit, send_email_task

if TYPE_CHECKING:
    from alliance.accounts.models import User
    from alliance.training.models import Session

# Kinds named ``training_…`` fall in the "Training and certificates" preference category.
KINDS = (
    "training_registered",
    "training_waitlisted",
    "training_promoted",
    "training_reminder",
    "training_cancelled",
)


def session_context(session: Session) -> dict[str, Any]:
    """Plain values (they may travel through a queue) describing a session."""
    tz = ZoneInfo(session.alliance.timezone)
    starts = session.starts_at.astimezone(tz)
    ends = session.ends_at.astimezone(tz)
    return {
        "course": session.course.title,
        "starts": formats.date_format(starts, "DATETIME_FORMAT"),
        "ends": formats.time_format(ends, "TIME_FORMAT"),
        "place": session.location,
        "online_url": session.online_url,
        "hours": str(session.hours.normalize()),
        "alliance": session.alliance.name,
    }


def tell(*, person: User, kind: str, session: Session, link: str, urgent: bool = False) -> None:
    """Send ``kind`` about ``session`` to ``person`` once the transaction commits."""
    assert kind in KINDS, kind
    with translation.override(person.language or "en"):  # dates in the reader's language
        context = session_context(session) | {"name": person.get_short_name(), "link": link}
    try:
        from alliance.notifications.services import notify
    except ImportError:
        notify = None
    if notify is not None:
        notify(
            recipient=person,
            kind=kind,
            context=context,
            alliance=session.alliance,
            link=link,
            urgent=urgent,
        )
        return
    with translation.override(person.language or "en"):
        subject = render_to_string(f"notifications/{kind}/subject.txt", context).strip()
        body = render_to_string(f"notifications/{kind}/email.txt", context)
    enqueue_on_commit(send_email_task, person.email, subject, body)
