"""Text-message providers. ``settings.SMS_PROVIDER`` names the one in use (a dotted path).

To add a real provider (Twilio, Vonage, AWS SNS…), subclass ``SmsProvider`` in your own
module, implement ``send`` with the provider's HTTP API (raise ``SmsError`` on any failure so
the task retries and records it; return the provider's message id), and set
``SMS_PROVIDER=yourpackage.sms.YourProvider`` in the environment. See docs/notifications.md.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("alliance.notifications")


class SmsError(Exception):
    """Sending failed; the message says why (it is recorded on the delivery)."""


class SmsProvider:
    def send(self, to: str, body: str) -> str:
        """Send ``body`` to ``to`` (E.164) and return the provider's message id."""
        raise NotImplementedError


_ids = itertools.count(1)


class ConsoleSmsProvider(SmsProvider):
    """The default: writes the text to the log (stdout) instead of sending it."""

    def send(self, to: str, body: str) -> str:
        message_id = f"console-{next(_ids)}"
        log.info("text message", extra={"to": to, "body": body, "message_id": message_id})
        print(f"[SMS to {to}] {body}")  # noqa: T201 - this provider's whole job
        return message_id


@dataclass
class SentSms:
    to: str
    body: str
    message_id: str


outbox: list[SentSms] = []


class MemorySmsProvider(SmsProvider):
    """For tests: appends to the module-level ``outbox`` (clear it with ``outbox.clear()``)."""

    def send(self, to: str, body: str) -> str:
        message_id = f"memory-{next(_ids)}"
        outbox.append(SentSms(to=to, body=body, message_id=message_id))
        return message_id


def get_provider() -> SmsProvider:
    return import_string(settings.SMS_PROVIDER)()


def normalize_phone(raw: str) -> str | None:
    """A US number in E.164 (``+12015550123``), an international one kept as ``+digits``;
    None when it cannot be a phone number."""
    raw = (raw or "").strip()
    if not raw:
        return None
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") and not raw.startswith("+1"):
        return f"+{digits}" if 8 <= len(digits) <= 15 else None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return f"+1{digits}"
