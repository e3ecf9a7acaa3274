"""Rendering a kind's templates in the reader's language.

Templates live in any app's ``templates/notifications/<kind>/``: ``subject.txt`` (required),
``email.txt`` (email body; also the in-app text) and ``sms.txt`` (text message; optional —
without it the kind is not sent by text). They are plain text: no HTML escaping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

if TYPE_CHECKING:
    from alliance.accounts.models import User

SMS_MAX_CHARS = 320


@dataclass(frozen=True)
class Rendered:
    subject: str
    email: str | None
    sms: str | None


def absolute_link(link: str) -> str:
    """A site path becomes an absolute URL on ``settings.SITE_URL``; full URLs stay."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def _render(name: str, context: dict[str, Any]) -> str | None:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return None
    # Plain text: render without autoescaping ("O'Brien", not "O&#x27;Brien").
    return template.template.render(Context(context, autoescape=False)).strip()


def render_kind(*, kind: str, recipient: User, context: dict[str, Any], link: str) -> Rendered:
    """Render every template of ``kind`` inside ``translation.override(recipient.language)``."""
    full = {**context, "recipient": recipient, "link": link, "site_url": settings.SITE_URL}
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject = _render(f"notifications/{kind}/subject.txt", full)
        if subject is None:
            raise ImproperlyConfigured(
                f"Notification kind {kind!r} has no template notifications/{kind}/subject.txt."
            )
        email = _render(f"notifications/{kind}/email.txt", full)
        sms = _render(f"notifications/{kind}/sms.txt", full)
    subject = " ".join(subject.split())[:200]
    if sms is not None:
        sms = fit_sms(sms, link)
    return Rendered(subject=subject, email=email, sms=sms)


def fit_sms(body: str, link: str) -> str:
    """Collapse whitespace, append the link, and keep the whole within SMS_MAX_CHARS."""
    body = " ".join(body.split())
    room = SMS_MAX_CHARS - (len(link) + 1 if link else 0)
    if len(body) > room:
        body = body[: max(room - 1, 0)].rstrip() + "…"
    return f"{body} {link}" if link else body
