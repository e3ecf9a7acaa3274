"""Posting a run tells each invoiced family: after commit, from one background task per run,
one notification (in-app + email, in the reader's language) per person per account."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from alliance.billing import services, services_runs
from alliance.billing.models import Invoice, Payer
from alliance.notifications.models import Delivery, Notification
from tests.billing.conftest import MONTH, account_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
KIND = "billing_invoice_posted"


def _post(billing):
    return services_runs.post_run(
        acting_user=billing.world.director1,
        program=billing.world.program1,
        period="monthly",
        day=MONTH,
    )


def test_families_are_told_after_commit(billing, django_capture_on_commit_callbacks):
    with scopes_disabled():
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _post(billing)
        assert not Notification.objects.filter(kind=KIND).exists()  # nothing before commit
        assert len(callbacks) == 1  # one task for the whole run
        callbacks[0]()
        sent = list(Notification.objects.filter(kind=KIND))
        lopez = Invoice.objects.get(account__family=billing.lopez)
    # López has a user (world.family); Smith has none and no payer with a user.
    assert [n.recipient_id for n in sent] == [billing.world.family.pk]
    assert lopez.number in sent[0].subject
    assert "$1,900.00" in sent[0].body or "1900.00" in sent[0].body
    with scopes_disabled():
        channels = set(
            Delivery.objects.filter(notification=sent[0]).values_list("channel", flat=True)
        )
    assert "email" in channels


def test_every_payer_with_a_user_once_per_account(billing, django_capture_on_commit_callbacks):
    w = billing.world
    with scopes_disabled():
        _post(billing)  # opens the accounts; its notifications are not run (no capture)
        Notification.objects.filter(kind=KIND).delete()
        smith = account_of(w.program1, billing.smith)
        ann = UserFactory(email="ann@example.org", language="es")
        services.set_payers(
            acting_user=w.director1,
            account=smith,
            payers=[
                {"name": "Ann Smith", "email": "ann@example.org", "share_percent": "50"},
                {"name": "Bob Smith", "share_percent": "50"},
            ],
        )
        Payer.objects.filter(account=smith, name="Ann Smith").update(user=ann)
        # The family's own user is also a payer of López: told once, not twice.
        Payer.objects.filter(account=account_of(w.program1, billing.lopez)).update(user=w.family)
        run = Invoice.objects.filter(program=w.program1).first().run
        from alliance.billing.tasks_runs import notify_run_posted_task

        with CaptureQueriesContext(connection) as queries:
            sent = notify_run_posted_task.call_local(w.program1.pk, run.pk)
        assert sent == 2
        got = sorted(Notification.objects.filter(kind=KIND).values_list("recipient_id", flat=True))
        assert got == sorted([w.family.pk, ann.pk])
        spanish = Notification.objects.get(kind=KIND, recipient=ann)
    assert "factura" in spanish.subject.lower()  # in Ann's language
    assert len(queries) < 60


def test_run_stays_cheap_with_the_task_deferred(billing, django_assert_max_num_queries):
    # The run itself sends nothing: its query count does not grow with notifications.
    with scopes_disabled(), django_assert_max_num_queries(60):
        _post(billing)


def test_demo_history_runs_tell_nobody(billing, django_capture_on_commit_callbacks):
    with scopes_disabled():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services_runs.post_run(
                acting_user=None,
                program=billing.world.program1,
                period="monthly",
                day=MONTH,
                notify_families=False,
            )
        assert callbacks == []
        assert not Notification.objects.filter(kind=KIND).exists()
