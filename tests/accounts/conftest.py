"""Helpers shared by the accounts tests."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from alliance.accounts.models import Invitation, LoginAttempt

LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/)")
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


def link_in_last_mail(pattern: re.Pattern = LINK) -> str:
    """The site-relative link in the newest email."""
    assert mail.outbox, "no email was sent"
    match = pattern.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def invitations(**filters) -> list[Invitation]:
    with scopes_disabled():
        return list(Invitation.objects.filter(**filters))


def failed_attempts(email: str) -> int:
    return LoginAttempt.objects.filter(email=email, succeeded=False).count()


@pytest.fixture
def send_mail_now(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the invitation email) inside the test transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
