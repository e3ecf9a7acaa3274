"""The task queue pattern (immediate mode in tests) and the real worker on SQLite and Redis."""

from __future__ import annotations

import logging
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django_scopes import ScopeError, scopes_disabled

from alliance.accounts.services import invite
from alliance.core.tasks import (
    alliance_task,
    enqueue_on_commit,
    program_task,
    send_email_task,
)
from alliance.members.models import Classroom, Program
from tests.factories import ClassroomFactory

ALLIANCE = str(Path(sys.executable).with_name("alliance"))


@program_task()
def classroom_names_task(program: Program) -> list[str]:
    # Runs inside the program's scope: an unscoped query here would raise.
    return sorted(Classroom.objects.values_list("name", flat=True))


@alliance_task()
def program_count_task(alliance) -> int:
    return Program.objects.count()


def test_program_task_reloads_the_program_inside_its_scope(world):
    with scopes_disabled():
        ClassroomFactory(program=world.program1, name="Preschool")
    with pytest.raises(ScopeError):
        Classroom.objects.count()
    result = classroom_names_task(world.program1.pk)
    assert result.get() == ["Preschool", "Toddlers"]
    assert classroom_names_task(world.program2.pk).get() == ["Toddlers"]


def test_program_task_skips_a_program_that_is_gone(world, caplog):
    with caplog.at_level(logging.WARNING, logger="alliance.tasks"):
        result = classroom_names_task(999_999)
    assert result.get() is None
    assert "task skipped" in caplog.text


def test_alliance_task_sees_only_its_alliance(world):
    assert program_count_task(world.alliance.pk).get() == 3
    assert program_count_task(world.other_alliance.pk).get() == 1


def test_enqueue_on_commit_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(send_email_task, "a@example.org", "Kept", "body")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Kept"]


def test_enqueue_on_commit_sends_nothing_when_rolled_back(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(send_email_task, "a@example.org", "Lost", "body")
        raise RuntimeError("the write failed")
    assert mail.outbox == []


def test_send_email_task_sends_to_one_or_many(db):
    send_email_task("one@example.org", "One", "body")
    send_email_task(["a@example.org", "b@example.org"], "Two", "body")
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("One", ["one@example.org"]),
        ("Two", ["a@example.org", "b@example.org"]),
    ]
    assert send_email_task.retries == 3


def test_invitation_email_goes_through_the_queue_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, raw = invite(
            acting_user=world.director1,
            email="new.teacher@example.org",
            kind="staff",
            alliance=world.alliance,
            program=world.program1,
        )
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.teacher@example.org"]
    assert raw in mail.outbox[0].body


# --- the real worker ---------------------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="alliance.settings",
        ALLIANCE_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        HUEY_IMMEDIATE="0",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        LOG_LEVEL="INFO",
    )
    env.pop("ALLIANCE_TESTING", None)
    env.update(extra)
    return env


def _enqueue_email(env: dict[str, str], subject: str) -> None:
    """Enqueue from another process, as the web process does."""
    code = (
        "from alliance.core.tasks import send_email_task; "
        f"send_email_task('worker@example.org', {subject!r}, 'Sent by the worker.')"
    )
    subprocess.run(
        [ALLIANCE, "shell", "-c", code], env=env, check=True, timeout=60, capture_output=True
    )


def _run_worker_until(env: dict[str, str], needle: str, timeout: float = 60) -> str:
    """Start `alliance worker`, wait until its output shows ``needle``, then stop it."""
    proc = subprocess.Popen(
        [ALLIANCE, "worker", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not any(needle in line for line in seen):
            try:
                seen.append(lines.get(timeout=0.5))
            except queue.Empty:
                if proc.poll() is not None:
                    break
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # graceful: finish the running task
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    output = "".join(seen)
    while not lines.empty():
        output += lines.get()
    return output


def test_worker_processes_a_task_from_the_sqlite_queue(tmp_path):
    env = _env(tmp_path)
    subject = f"Queued {secrets.token_hex(4)}"
    _enqueue_email(env, subject)
    assert (tmp_path / "tasks.sqlite3").exists()
    output = _run_worker_until(env, "executed in")
    assert "Alliance worker on" in output
    assert "2 thread" in output
    assert f"Subject: {subject}" in output
    assert "To: worker@example.org" in output
    assert "alliance.core.tasks.license_reminders_task" in output  # periodic job registered


def test_worker_refuses_immediate_mode(tmp_path):
    result = subprocess.run(
        [ALLIANCE, "worker"],
        env=_env(tmp_path, HUEY_IMMEDIATE="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "immediate mode" in result.stderr


REDIS_TEST_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def test_a_task_round_trips_through_redis(tmp_path):
    if not _redis_answers():
        if os.environ.get("CI") or os.environ.get("REDIS_URL_TEST"):
            pytest.fail(f"Redis does not answer at {REDIS_TEST_URL}; CI needs it for this test.")
        pytest.skip(f"Redis does not answer at {REDIS_TEST_URL} (CI runs this test).")
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()  # database 15 is the tests' own
    env = _env(tmp_path, REDIS_URL=REDIS_TEST_URL)
    subject = f"Through Redis {secrets.token_hex(4)}"
    _enqueue_email(env, subject)
    assert not (tmp_path / "tasks.sqlite3").exists()  # it went to Redis, not the file
    output = _run_worker_until(env, "executed in")
    assert "Alliance worker on redis://127.0.0.1:6379" in output
    assert f"Subject: {subject}" in output
