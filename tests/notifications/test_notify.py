"""notify(): rendering, channels, preferences, quiet hours, deliveries and retries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.notifications import services
from alliance.notifications.kinds import register_kind
from alliance.notifications.models import DeliveryStatus, Notification
from alliance.notifications.services import notify, update_preferences
from alliance.notifications.sms import SmsError, normalize_phone
from tests.notifications.conftest import deliveries, run_scheduled

# 15:00 UTC = 10:00 or 11:00 in New York: outside quiet hours.
DAYTIME = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
# 05:30 in New York, in the future (so the queue holds the text until 06:00): quiet hours.
NEW_YORK = ZoneInfo("America/New_York")
_DAY = datetime.now(tz=NEW_YORK).date() + timedelta(days=2)
EARLY = datetime.combine(_DAY, time(5, 30), tzinfo=NEW_YORK)
SIX = datetime.combine(_DAY, time(6, 0), tzinfo=NEW_YORK)


@pytest.fixture
def at_daytime():
    with mock.patch("alliance.notifications.services.timezone.now", return_value=DAYTIME):
        yield


@pytest.fixture
def person(world):
    world.sub.phone = "(908) 555-0142"
    world.sub.save(update_fields=["phone"])
    return world.sub


def send(world, person, run, **kwargs):
    kwargs.setdefault("kind", "test_message")
    kwargs.setdefault("context", {"note": "Bring the sign-in sheet."})
    with run(execute=True):
        return notify(recipient=person, alliance=world.alliance, **kwargs)


def test_it_stores_the_notification_and_sends_email_and_text(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    n = send(world, person, django_capture_on_commit_callbacks, link="/notifications/")
    assert n.subject == f"Test message for {person.get_short_name()}"
    assert n.link == "http://127.0.0.1:8000/notifications/"
    assert "Bring the sign-in sheet." in n.body
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert mail.outbox[0].subject == n.subject
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == "+19085550142"
    assert sms_outbox[0].body.endswith(" http://127.0.0.1:8000/notifications/")
    rows = deliveries(n)
    assert set(rows) == {"email", "sms"}
    assert rows["sms"].status == DeliveryStatus.SENT
    assert rows["sms"].attempts == 1
    assert rows["sms"].provider_message_id == sms_outbox[0].message_id
    assert rows["email"].status == DeliveryStatus.SENT
    assert rows["email"].provider_message_id == mail.outbox[0].extra_headers["Message-ID"]


def test_nothing_is_sent_before_commit(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = notify(recipient=person, kind="test_message", context={}, alliance=world.alliance)
    assert len(callbacks) == 2
    assert mail.outbox == [] and sms_outbox == []
    assert {d.status for d in deliveries(n).values()} == {DeliveryStatus.QUEUED}


def test_it_works_inside_a_program_scope_of_the_caller(
    world, person, at_daytime, django_capture_on_commit_callbacks
):
    with program_scope(world.program1):
        n = send(world, person, django_capture_on_commit_callbacks, program=world.program1)
    with scopes_disabled():
        assert Notification.objects.get(pk=n.pk).program == world.program1


def test_unknown_channel_is_refused(world, person):
    with pytest.raises(ValueError):
        notify(
            recipient=person,
            kind="test_message",
            context={},
            alliance=world.alliance,
            channels=["fax"],
        )


def test_a_kind_without_subject_template_is_a_programming_error(world, person):
    with pytest.raises(ImproperlyConfigured):
        notify(recipient=person, kind="no_such_kind", context={}, alliance=world.alliance)


def test_explicit_channels_limit_the_sending(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    n = send(world, person, django_capture_on_commit_callbacks, channels=["in_app"])
    assert deliveries(n) == {}
    assert mail.outbox == [] and sms_outbox == []


def test_sms_is_skipped_and_recorded_without_a_phone(
    world, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    n = send(world, world.family, django_capture_on_commit_callbacks)
    sms_row = deliveries(n)["sms"]
    assert sms_row.status == DeliveryStatus.SKIPPED
    assert sms_row.last_error == "no mobile phone"
    assert sms_outbox == []
    assert len(mail.outbox) == 1


def test_sms_is_skipped_for_a_kind_without_sms_template(
    world, person, sms_outbox, at_daytime, extra_templates, django_capture_on_commit_callbacks
):
    n = send(
        world,
        person,
        django_capture_on_commit_callbacks,
        kind="test_language",
        context={"name": "Ana"},
        channels=["email", "sms"],
    )
    assert deliveries(n)["sms"].status == DeliveryStatus.SKIPPED
    assert "template" in deliveries(n)["sms"].last_error
    assert sms_outbox == []


def test_it_renders_in_the_recipients_language(
    world, person, at_daytime, extra_templates, django_capture_on_commit_callbacks
):
    person.language = "es"
    person.save(update_fields=["language"])
    n = send(
        world,
        person,
        django_capture_on_commit_callbacks,
        kind="test_language",
        context={"name": "O'Brien"},
    )
    assert n.subject == "[es] enero"
    assert n.body == "Sí, O'Brien & co"  # plain text: no HTML escaping
    assert mail.outbox[0].subject == "[es] enero"


def test_english_reader_gets_english(
    world, person, at_daytime, extra_templates, django_capture_on_commit_callbacks
):
    n = send(
        world,
        person,
        django_capture_on_commit_callbacks,
        kind="test_language",
        context={"name": "Ann"},
    )
    assert n.subject == "[en] January"


def test_switched_off_channels_are_respected(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    update_preferences(
        acting_user=person, choices={("other", "sms"): False, ("other", "email"): False}
    )
    n = send(world, person, django_capture_on_commit_callbacks)
    assert deliveries(n) == {}
    assert mail.outbox == [] and sms_outbox == []
    # Even when the caller asks for the channel: the person said no.
    n = send(world, person, django_capture_on_commit_callbacks, channels=["sms"])
    assert deliveries(n) == {}
    with scopes_disabled():
        assert Notification.objects.filter(recipient=person).count() == 2


def test_switched_on_channel_is_added_to_the_kinds_defaults(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    register_kind("training_reminder_test", category="training")
    assert services.resolve_channels(
        recipient=person, kind="training_reminder_test", requested=None
    ) == ["in_app", "email"]
    update_preferences(acting_user=person, choices={("training", "sms"): True})
    assert services.resolve_channels(
        recipient=person, kind="training_reminder_test", requested=None
    ) == ["in_app", "email", "sms"]
    # Unregistered kinds fall in the category their name starts with.
    assert services.resolve_channels(
        recipient=person, kind="training_expiring", requested=None
    ) == ["in_app", "email", "sms"]


@pytest.mark.parametrize(
    ("now", "held"),
    [
        (datetime(2026, 6, 10, 9, 30, tzinfo=UTC), datetime(2026, 6, 10, 10, 0, tzinfo=UTC)),
        (datetime(2026, 6, 11, 2, 0, tzinfo=UTC), datetime(2026, 6, 11, 10, 0, tzinfo=UTC)),
        (datetime(2026, 6, 11, 3, 59, tzinfo=UTC), datetime(2026, 6, 11, 10, 0, tzinfo=UTC)),
        (datetime(2026, 6, 11, 1, 0, tzinfo=UTC), datetime(2026, 6, 11, 10, 0, tzinfo=UTC)),
        (datetime(2026, 6, 10, 10, 0, tzinfo=UTC), None),
        (datetime(2026, 6, 11, 0, 59, 59, tzinfo=UTC), None),
        (datetime(2026, 1, 10, 10, 30, tzinfo=UTC), datetime(2026, 1, 10, 11, 0, tzinfo=UTC)),
    ],
)
def test_quiet_hours_end_at_six_local(now, held):
    assert services.quiet_until(now, "America/New_York") == held


def test_texts_in_quiet_hours_wait_until_six(
    world, person, sms_outbox, huey_schedule, django_capture_on_commit_callbacks
):
    with mock.patch("alliance.notifications.services.timezone.now", return_value=EARLY):
        n = send(world, person, django_capture_on_commit_callbacks, urgent=True)
    sms_row = deliveries(n)["sms"]
    assert sms_row.status == DeliveryStatus.QUEUED
    assert sms_row.scheduled_for == SIX
    assert sms_outbox == []
    assert len(mail.outbox) == 1  # email has no quiet hours
    [task] = huey_schedule.scheduled()
    assert task.eta == SIX.astimezone(UTC).replace(tzinfo=None)  # huey keeps naive UTC
    run_scheduled(huey_schedule)
    assert len(sms_outbox) == 1
    assert deliveries(n)["sms"].status == DeliveryStatus.SENT


def test_urgent_texts_go_early_for_people_who_allow_it(
    world, person, sms_outbox, huey_schedule, django_capture_on_commit_callbacks
):
    update_preferences(acting_user=person, choices={}, allow_urgent_quiet_sms=True)
    with mock.patch("alliance.notifications.services.timezone.now", return_value=EARLY):
        not_urgent = send(world, person, django_capture_on_commit_callbacks)
        urgent = send(world, person, django_capture_on_commit_callbacks, urgent=True)
    assert deliveries(not_urgent)["sms"].status == DeliveryStatus.QUEUED
    assert deliveries(urgent)["sms"].status == DeliveryStatus.SENT
    assert len(sms_outbox) == 1


class FlakyProvider:
    failures_left = 2
    calls = 0

    def send(self, to: str, body: str) -> str:
        type(self).calls += 1
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            raise SmsError("gateway timeout")
        return "flaky-ok"


@pytest.fixture
def flaky(settings):
    settings.SMS_PROVIDER = "tests.notifications.test_notify.FlakyProvider"
    FlakyProvider.failures_left = 2
    FlakyProvider.calls = 0
    return FlakyProvider


def test_a_failing_text_is_retried_and_recorded(
    world, person, flaky, huey_schedule, at_daytime, django_capture_on_commit_callbacks
):
    n = send(world, person, django_capture_on_commit_callbacks, channels=["sms"])
    row = deliveries(n)["sms"]
    assert (row.status, row.attempts, row.last_error) == (
        DeliveryStatus.QUEUED,
        1,
        "SmsError: gateway timeout",
    )
    assert len(huey_schedule.scheduled()) == 1  # the retry, a minute later
    run_scheduled(huey_schedule)
    row = deliveries(n)["sms"]
    assert (row.status, row.attempts, row.provider_message_id) == (
        DeliveryStatus.SENT,
        3,
        "flaky-ok",
    )
    assert flaky.calls == 3


def test_a_text_failing_every_time_ends_failed_and_the_notification_stays(
    world, person, flaky, huey_schedule, at_daytime, django_capture_on_commit_callbacks
):
    flaky.failures_left = 100
    n = send(world, person, django_capture_on_commit_callbacks, channels=["sms"])
    run_scheduled(huey_schedule)
    row = deliveries(n)["sms"]
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 4)  # 1 + 3 retries
    assert huey_schedule.scheduled() == []
    with scopes_disabled():
        assert Notification.objects.filter(pk=n.pk).exists()


def test_a_failing_email_is_retried(
    world, person, huey_schedule, at_daytime, django_capture_on_commit_callbacks
):
    with mock.patch(
        "alliance.notifications.services.EmailMessage.send",
        side_effect=[OSError("smtp down"), 1],
    ):
        n = send(world, person, django_capture_on_commit_callbacks, channels=["email"])
        assert deliveries(n)["email"].status == DeliveryStatus.QUEUED
        run_scheduled(huey_schedule)
    row = deliveries(n)["email"]
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)


def test_a_sent_delivery_is_not_sent_again(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    n = send(world, person, django_capture_on_commit_callbacks, channels=["sms"])
    row = deliveries(n)["sms"]
    from alliance.core.tenancy import alliance_scope

    with alliance_scope(world.alliance):
        services.deliver(delivery_id=row.pk, final=True)
    assert len(sms_outbox) == 1


def test_long_texts_are_cut_to_fit_with_the_link(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    send(
        world,
        person,
        django_capture_on_commit_callbacks,
        channels=["sms"],
        context={"note": "x" * 500},
        link="/notifications/",
    )
    body = sms_outbox[0].body
    assert len(body) <= 320
    assert body.endswith("… http://127.0.0.1:8000/notifications/")


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("(908) 555-0142", "+19085550142"),
        ("908.555.0142", "+19085550142"),
        ("1-908-555-0142", "+19085550142"),
        ("+1 908 555 0142", "+19085550142"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-0142", None),
        ("", None),
        ("123-456-7890", None),
        ("call me", None),
    ],
)
def test_phone_numbers_are_normalised(raw, e164):
    assert normalize_phone(raw) == e164


def test_welcome_kind_renders(world, person, django_capture_on_commit_callbacks, at_daytime):
    n = send(
        world,
        person,
        django_capture_on_commit_callbacks,
        kind="welcome",
        context={"alliance_name": world.alliance.name},
    )
    assert n.subject == f"Welcome to {world.alliance.name}"
    assert world.alliance.name in n.body


def test_a_failed_delivery_can_be_sent_again_from_the_back_office(
    world, person, flaky, huey_schedule, at_daytime, django_capture_on_commit_callbacks
):
    from django.test import Client

    from alliance.core.models import AuditEntry
    from tests.factories import UserFactory

    flaky.failures_left = 4
    n = send(world, person, django_capture_on_commit_callbacks, channels=["sms"])
    run_scheduled(huey_schedule)
    row = deliveries(n)["sms"]
    assert row.status == DeliveryStatus.FAILED
    admin_user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user, backend="alliance.accounts.backends.EmailBackend")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/delivery/",
            {"action": "retry_failed", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row = deliveries(n)["sms"]
    assert (row.status, row.attempts, row.provider_message_id) == (
        DeliveryStatus.SENT,
        5,
        "flaky-ok",
    )
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="notifications.delivery_retried").count() == 1
    # A sent delivery is not sent again.
    with scopes_disabled():
        assert services.retry_delivery(delivery=row, acting_user=admin_user) is False


def test_deliveries_lost_by_the_queue_are_swept_up(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the queue was down at commit
        n = notify(recipient=person, kind="test_message", context={}, alliance=world.alliance)
    assert services.requeue_stale(now=DAYTIME) == 0  # not stale yet
    later = datetime.now(tz=UTC) + timedelta(minutes=16)
    assert services.requeue_stale(now=later) == 2
    assert {d.status for d in deliveries(n).values()} == {DeliveryStatus.SENT}
    assert len(sms_outbox) == 1 and len(mail.outbox) == 1
    assert services.requeue_stale(now=later) == 0  # nothing twice


def test_an_attempt_already_claimed_is_not_sent_twice(
    world, person, sms_outbox, at_daytime, django_capture_on_commit_callbacks
):
    from alliance.notifications.models import Delivery

    with django_capture_on_commit_callbacks(execute=False):
        n = notify(
            recipient=person,
            kind="test_message",
            context={},
            alliance=world.alliance,
            channels=["sms"],
        )
    with scopes_disabled():
        stale = Delivery.objects.get(pk=deliveries(n)["sms"].pk)
        # Another worker claims the attempt after this one read the row.
        Delivery.objects.filter(pk=stale.pk).update(attempts=1)
        assert services._claim(stale) is False
        fresh = Delivery.objects.get(pk=stale.pk)
        assert services._claim(fresh) is True
        assert Delivery.objects.get(pk=stale.pk).attempts == 2


def test_the_sweep_runs_as_a_periodic_task(db):
    from alliance.notifications.tasks import requeue_stale_deliveries_task

    assert requeue_stale_deliveries_task.call_local() == 0
