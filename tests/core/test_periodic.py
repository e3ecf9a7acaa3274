"""Periodic jobs run once per scheduled time however many workers enqueue them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from huey.contrib.djhuey import HUEY

from alliance.core import periodic
from alliance.substitutes.tasks import close_stale_requests_task, recount_history_task


@pytest.fixture
def clock(monkeypatch):
    """The queue's clock, set by the test (Huey runs on naive UTC)."""
    now = {"at": datetime(2026, 11, 30, 3, 41, 20)}
    HUEY.storage.flush_results()  # no claim left by another test
    monkeypatch.setattr(HUEY, "_get_timestamp", lambda: now["at"])
    return now


@pytest.fixture
def runs(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "alliance.substitutes.history.refresh_history",
        lambda **kwargs: calls.append(kwargs) or 0,
    )
    monkeypatch.setattr("alliance.members.models.Alliance.objects.values_list", lambda *a, **k: [1])
    return calls


def test_the_slot_is_the_crontabs_latest_minute_at_or_before_now():
    nightly = recount_history_task.s()  # 03:40 every day
    every_five = close_stale_requests_task.s()
    assert periodic.slot_of(every_five, datetime(2026, 11, 30, 10, 7, 59)) == datetime(
        2026, 11, 30, 10, 5
    )
    assert periodic.slot_of(nightly, datetime(2026, 11, 30, 3, 40)) == datetime(2026, 11, 30, 3, 40)
    assert periodic.slot_of(nightly, datetime(2026, 11, 30, 2, 0)) == datetime(2026, 11, 29, 3, 40)


def test_a_second_copy_of_a_due_job_is_cancelled(clock, runs):
    # Two workers' schedulers each enqueued the nightly job; both copies reach a worker.
    HUEY.execute(recount_history_task.s())
    clock["at"] += timedelta(minutes=3)  # the second copy waited in the queue
    HUEY.execute(recount_history_task.s())
    assert len(runs) == 1
    # The next night it runs again, once.
    clock["at"] += timedelta(days=1)
    HUEY.execute(recount_history_task.s())
    HUEY.execute(recount_history_task.s())
    assert len(runs) == 2


def test_only_the_previous_claim_is_kept(clock):
    task = close_stale_requests_task.s()
    name = periodic.job_name(task)
    assert periodic.claim(task, clock["at"])
    first = f"alliance:periodic:{name}:202611300340"
    assert HUEY.get(first, peek=True) == "claimed"
    later = clock["at"] + timedelta(minutes=10)
    assert periodic.claim(task, later)
    assert not periodic.claim(task, later)
    assert HUEY.get(first, peek=True) is None
    assert HUEY.get(f"alliance:periodic:{name}:202611300350", peek=True) == "claimed"


def test_a_job_called_directly_is_not_deduplicated(runs):
    recount_history_task.call_local()
    recount_history_task.call_local()
    assert len(runs) == 2
