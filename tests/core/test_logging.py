"""Structured logs: one JSON object per line, and never a password or a token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from alliance.accounts.services import invite
from alliance.core.logging import REDACTED, JsonFormatter, redact


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything the alliance loggers write at INFO and above, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("alliance")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_request_is_one_json_line(client, db, log_lines):
    client.get("/healthz")
    requests = [r for r in _records(log_lines) if r["logger"] == "alliance.request"]
    assert len(requests) == 1
    line = requests[0]
    assert line["msg"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert isinstance(line["ms"], int | float)
    assert line["level"] == "info"
    assert line["ts"].endswith("+00:00")


def test_an_invitation_token_in_the_path_is_not_logged(client, world, log_lines):
    _, raw = invite(
        acting_user=world.director1,
        email="new.teacher@example.org",
        kind="staff",
        alliance=world.alliance,
        program=world.program1,
    )
    client.get(f"/accounts/invitation/{raw}/")
    output = log_lines.getvalue()
    assert "/accounts/invitation/" in output
    assert raw not in output
    assert REDACTED in output


def test_a_password_is_not_logged_at_sign_in(client, world, log_lines):
    secret = "Wrong-Password-4711-xyz"
    client.post("/accounts/login/", {"username": world.director1.email, "password": secret})
    client.post("/accounts/login/", {"email": world.director1.email, "password": secret})
    output = log_lines.getvalue()
    assert output  # the requests (and the failed sign-in) were logged
    assert secret not in output


def _format(**extra) -> dict:
    record = logging.LogRecord("alliance.test", logging.INFO, __file__, 1, "hello", (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return json.loads(JsonFormatter().format(record))


def test_fields_named_like_secrets_are_redacted():
    line = _format(password="hunter2", api_token="alt_x", csrf_cookie="abc", email="a@b.org")
    assert line["password"] == REDACTED
    assert line["api_token"] == REDACTED
    assert line["csrf_cookie"] == REDACTED
    assert line["email"] == "a@b.org"


def test_values_are_json_safe():
    line = _format(status=404, ms=1.5, ok=True, nothing=None, obj=object())
    assert line["status"] == 404
    assert line["ms"] == 1.5
    assert line["ok"] is True
    assert line["nothing"] is None
    assert line["obj"].startswith("<object")


@pytest.mark.parametrize(
    "text",
    [
        "/p/little-learners/classrooms/",
        "/a/union-county-2024/directory/",
        "Executing alliance.core.tasks.send_email_task: 3f2a1b4c-1234-4abc-8def-0123456789ab",
        "director1@example.org",
    ],
)
def test_ordinary_values_stay_readable(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("/accounts/invitation/Xy3_abcDEF-12345678901234567890123456/", "Xy3_abcDEF"),
        ("/accounts/password-reset/MTI/cbk3x1-8f0e1d2c3b4a5968776655443322/", "8f0e1d2c3b4a"),
        ("Authorization: Bearer alt_whatever", "alt_whatever"),
    ],
)
def test_secret_looking_values_are_masked(text, secret):
    assert secret not in redact(text)
