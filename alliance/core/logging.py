"""Structured (JSON lines) logging for operators and log shippers.

Every line is one JSON object: ``ts``, ``level``, ``logger``, ``msg`` and the record's
``extra`` fields (``method``, ``path``, ``status``, ``ms`` for requests). Secrets never reach
the log: fields named like a password or token are replaced, and so are secret-looking
values (invitation and password-reset links carry their token in the URL path).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()) | {"message"}
REDACTED = "[redacted]"

# Field names whose values are never logged.
_SECRET_KEY = re.compile(
    r"pass|secret|token|authorization|cookie|csrf|session|otp|api_key|apikey", re.IGNORECASE
)
# Values that look like secrets: a bearer header, and long random-looking words
# (invitation and password-reset tokens in URL paths, API tokens).
_BEARER = re.compile(r"(?i)\b(bearer|token)\s+\S+")
_WORD = re.compile(r"[A-Za-z0-9_-]{16,}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _looks_secret(word: str) -> bool:
    """Random tokens mix digits with capitals, or have a long run mixing digits and letters;
    slugs ("union-county-2024"), names and task ids (UUIDs) do not."""
    if _UUID.fullmatch(word):
        return False
    if any(c.isdigit() for c in word) and any(c.isupper() for c in word):
        return True
    return any(
        len(part) >= 12 and any(c.isdigit() for c in part) and any(c.isalpha() for c in part)
        for part in word.split("-")
    )


def redact(value: str) -> str:
    """Mask secret-looking parts of a string (URL path, message)."""
    value = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", value)
    return _WORD.sub(lambda m: REDACTED if _looks_secret(m.group(0)) else m.group(0), value)


def _clean(key: str, value: Any) -> Any:
    if _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, bool | int | float) or value is None:
        return value
    return redact(value if isinstance(value, str) else str(value))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                payload[key] = _clean(key, value)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
