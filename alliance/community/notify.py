"""Sending notices through the notifications module when it is installed, by email
otherwise. The one place this module talks to people.

Callers pass only data; the wording lives in ``templates/notifications/<kind>/``
(subject.txt, email.txt) and is rendered in the recipient's language."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from alliance.core.tasks import enqueue_on_commit, send_email_task

if TYPE_CHECKING:
    from alliance.accounts.models import User
    from alliance.members.models import Alliance, Program

log = logging.getLogger("alliance.community")


def render_notice(
    *, recipient: User, kind: str, context: dict[str, Any], link: str
) -> tuple[str, str]:
    """(subject, body) of a notice in the recipient's language, as plain text."""
    full = {**context, "recipient": recipient, "link": link}
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject, body = (
            get_template(f"notifications/{kind}/{name}.txt")
            .template.render(Context(full, autoescape=False))
            .strip()
            for name in ("subject", "email")
        )
    return " ".join(subject.split()), body


def send_notice(
    *,
    recipient: User,
    kind: str,
    context: dict[str, Any],
    alliance: Alliance,
    program: Program | None = None,
    link: str = "",
    urgent: bool = False,
) -> None:
    """Notify one person after the current transaction commits. ``context`` holds data
    only (names, titles); the templates of ``kind`` hold the words."""
    try:
        from alliance.notifications.services import notify
    except ImportError:
        notify = None
    if notify is not None:
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
        subject, text = render_notice(recipient=recipient, kind=kind, context=context, link=link)
        enqueue_on_commit(send_email_task, recipient.email, subject, text)
