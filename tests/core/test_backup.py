"""`alliance backup` / `alliance restore`: a portable dump that restores to the same counts."""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from alliance.accounts.models import User
from alliance.core.management.commands._backup import backup_models, row_counts
from alliance.members.models import Program
from alliance.seed.generate import DEMO_PASSWORD

ALLIANCE = str(Path(sys.executable).with_name("alliance"))


def _counts() -> dict[str, int]:
    return row_counts(backup_models())


@pytest.fixture
def seeded(db) -> dict[str, int]:
    """The small seed, plus rows that refer to content types and permissions."""
    call_command("seed", scale="small", stdout=io.StringIO())
    hub = User.objects.get(email="hub@example.org")
    permission = Permission.objects.get(codename="view_program")
    group = Group.objects.create(name="Back office")
    group.permissions.add(permission)
    hub.groups.add(group)
    hub.user_permissions.add(permission)
    with scopes_disabled():
        program = Program.objects.order_by("pk").first()
    LogEntry.objects.create(
        user=hub,
        content_type=ContentType.objects.get_for_model(Program),
        object_id=str(program.pk),
        object_repr=program.name,
        action_flag=ADDITION,
    )
    TOTPDevice.objects.create(user=hub, name="phone", confirmed=True)
    counts = _counts()
    assert counts["accounts.user"] > 50
    assert counts["families.child"] > 100
    return counts


def _flush() -> None:
    connection.check_constraints()  # PostgreSQL: no pending FK checks before TRUNCATE
    call_command("flush", interactive=False, verbosity=0)
    assert not any(_counts().values())


def test_backup_flush_restore_gives_the_same_counts(seeded, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    with gzip.open(path, "rt") as stream:
        header = json.loads(stream.readline())
    assert header["format"] == "alliance-backup"
    assert header["version"] == 1
    assert header["counts"] == seeded
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # password hashes inside

    # Flushing recreates content types and permissions, with other ids.
    _flush()
    call_command("restore", str(path), stdout=io.StringIO())

    assert _counts() == seeded
    hub = User.objects.get(email="hub@example.org")
    assert hub.check_password(DEMO_PASSWORD)  # the hash came back as it was
    assert hub.has_perm("members.view_program")
    assert list(hub.groups.values_list("name", flat=True)) == ["Back office"]
    entry = LogEntry.objects.get()
    assert entry.content_type.model_class() is Program
    assert TOTPDevice.objects.get().user == hub


def test_restore_refuses_a_database_with_data(seeded, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty.*--force-flush"):
        call_command("restore", str(path))
    assert _counts() == seeded


def test_force_flush_replaces_the_data(seeded, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    User.objects.create(email="added.later@example.org")
    call_command("restore", str(path), force_flush=True, stdout=io.StringIO())
    assert _counts() == seeded
    assert not User.objects.filter(email="added.later@example.org").exists()


def test_a_count_mismatch_changes_nothing(seeded, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    with gzip.open(path, "rt") as stream:
        header = json.loads(stream.readline())
        rest = stream.read()
    header["counts"]["families.child"] += 1
    tampered = tmp_path / "tampered.jsonl.gz"
    with gzip.open(tampered, "wt") as out:
        out.write(json.dumps(header) + "\n" + rest)
    _flush()
    with pytest.raises(CommandError, match="families.child: backup says"):
        call_command("restore", str(tampered))
    assert not any(_counts().values())  # all or nothing


def test_restore_rejects_other_files(db, tmp_path):
    plain = tmp_path / "notes.jsonl.gz"
    with gzip.open(plain, "wt") as out:
        out.write('{"hello": "world"}\n')
    with pytest.raises(CommandError, match="not an Alliance backup"):
        call_command("restore", str(plain))
    newer = tmp_path / "newer.jsonl.gz"
    with gzip.open(newer, "wt") as out:
        out.write(json.dumps({"format": "alliance-backup", "version": 99, "counts": {}}) + "\n")
    with pytest.raises(CommandError, match="format version 99"):
        call_command("restore", str(newer))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.jsonl.gz"))


def test_backup_writes_to_var_backups_by_default(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("backup", stdout=io.StringIO())
    [path] = (tmp_path / "backups").glob("alliance-*.jsonl.gz")
    assert path.stat().st_size > 0


# --- across database engines -------------------------------------------------------------

POSTGRES = os.environ.get("POSTGRES_TEST_URL", "postgres://postgres@127.0.0.1:5432")


def _postgres_answers() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def _run(args: list[str], database_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, ALLIANCE_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [ALLIANCE, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def other_engine(tmp_path):
    """A migrated, empty database of the engine the tests are not running on."""
    if connection.vendor == "postgresql":
        url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
        drop = None
    else:
        if not _postgres_answers():
            if os.environ.get("CI"):
                pytest.fail(f"PostgreSQL does not answer at {POSTGRES}; CI needs it.")
            pytest.skip(f"PostgreSQL does not answer at {POSTGRES} (CI runs this test).")
        import psycopg

        name = f"alliance_restore_{secrets.token_hex(4)}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{POSTGRES}/{name}"
        drop = name
    migrated = _run(["migrate", "--no-input", "-v0"], url, tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    yield url
    if drop:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


def test_a_backup_restores_on_the_other_database_engine(seeded, tmp_path, other_engine):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    restored = _run(["restore", str(path)], other_engine, tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "every count matches" in restored.stdout
    # Read the counts back independently of the restore command's own check.
    code = (
        "import json; from alliance.core.management.commands._backup import "
        "backup_models, row_counts; print(json.dumps(row_counts(backup_models())))"
    )
    counted = _run(["shell", "-c", code], other_engine, tmp_path)
    assert counted.returncode == 0, counted.stderr
    assert json.loads(counted.stdout.strip().splitlines()[-1]) == seeded
