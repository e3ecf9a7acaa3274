"""Sending notices through the notifications module when it is installed, by email
otherwise. The one place this module talks to people."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from alliance.core.tasks import enqueue_on_commit, send_email_task

if TYPE_CHECKING:
    from alliance.accounts.models import User
    from alliance.members.models import Alliance, Program

log = logging.getLogger("alliance.community")


def send_notice(
    *,
    recipient: User,
    kind: str,
    subject: str,
    body: str,
    alliance: Alliance,
    program: Program | None = None,
    link: str = "",
    urgent: bool = False,
) -> None:
    """Notify one person after the current transaction commits."""
    try:
        from alliance.notifications.services import notify
    except ImportError:
        notify = None
    if notify is not None:
        context: dict[str, Any] = {"subject": subject, "body": body}
        try:
            notify(
                recipient=recipient,
                kind=kind,
                context=context,
                alliance=alliance,
                program=program,
                link=link,
                urgent=urgent,
            )
            return
        except Exception:  # noqa: BLE001 - a notice must never break the change itself
            log.exception("notify failed; falling back to email", extra={"kind": kind})
    if recipient.email:
        text = f"{body}\n\n{link}" if link else body
        enqueue_on_commit(send_email_task, recipient.email, subject, text)
