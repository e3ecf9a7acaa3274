"""Credential reminders 60/30/7 days ahead, once each, to the person and the directors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled

from alliance.notifications.models import Notification
from alliance.staffing.reminders import send_credential_reminders
from tests.staffing.factories import CredentialFactory, StaffFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def notified() -> list[tuple[str, str]]:
    with scopes_disabled():
        return sorted(Notification.objects.values_list("recipient__email", "subject"))


def test_reminders_at_60_30_7_days_once_each(world):
    with scopes_disabled():
        StaffFactory(program=world.program1, user=world.staff, full_name="Staff One")
        CredentialFactory(
            alliance=world.alliance,
            person=world.staff,
            kind="cpr_first_aid",
            expires_on=TODAY + timedelta(days=60),
        )
    assert send_credential_reminders(today=TODAY) == 1
    assert send_credential_reminders(today=TODAY) == 0  # same day again: nothing new
    emails = [email for email, _subject in notified()]
    assert emails == ["director1@example.org", "staff1@example.org"]
    assert "expires in 60 days" in notified()[0][1]
    # 45 days left: the 60-day one was sent, the 30-day one is not due yet.
    assert send_credential_reminders(today=TODAY + timedelta(days=15)) == 0
    assert send_credential_reminders(today=TODAY + timedelta(days=30)) == 1
    # The worker was down on day 53: the 7-day reminder goes out late, on day 55.
    assert send_credential_reminders(today=TODAY + timedelta(days=55)) == 1
    assert send_credential_reminders(today=TODAY + timedelta(days=56)) == 0
    assert len(notified()) == 6


def test_no_reminder_for_people_who_left_or_lapsed_credentials(world):
    with scopes_disabled():
        gone = StaffFactory(program=world.program1, separated_on=TODAY - timedelta(days=3))
        CredentialFactory(
            alliance=world.alliance, staff=gone, kind="tb_test", expires_on=TODAY + timedelta(7)
        )
        here = StaffFactory(program=world.program1)
        CredentialFactory(
            alliance=world.alliance, staff=here, kind="tb_test", expires_on=TODAY - timedelta(1)
        )
    assert send_credential_reminders(today=TODAY) == 0
    assert notified() == []
