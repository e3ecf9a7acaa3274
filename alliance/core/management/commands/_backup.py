"""The backup format, shared by ``alliance backup`` and ``alliance restore``.

A backup is a gzip file of JSON lines, portable between SQLite and PostgreSQL:

* line 1, the header: ``{"format": "alliance-backup", "version": 1, "created", "alliance",
  "database", "migrations": [...], "counts": {"app.model": n, ...}}``;
* then one object per line in Django's serialization format (``jsonl``), models in
  dependency order, rows by primary key. Primary keys are kept, so references stay as they
  are; content types and permissions (which every database creates for itself on
  ``migrate``) are referred to by natural key instead.

Everything is included, password hashes and two-factor secrets too: it is a backup. Keep
it as safe as the database (the file is created readable by its owner only).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance import __version__

FORMAT = "alliance-backup"
VERSION = 1
# Recreated by ``migrate`` in every database (or transient): not part of a backup.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# Referred to by natural key, since their primary keys differ between databases.
NATURAL = (ContentType, Permission)


def backup_models() -> list[type[models.Model]]:
    """Every model with data worth keeping, in an order that loads cleanly."""
    app_list = [
        (
            config,
            [
                m
                for m in config.get_models()
                if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in SKIPPED
            ],
        )
        for config in apps.get_app_configs()
    ]
    return serializers.sort_dependencies([(c, ms) for c, ms in app_list if ms], allow_cycles=True)


def tables_of(model_list: list[type[models.Model]]) -> list[str]:
    """Tables of the models and of their many-to-many links."""
    tables = []
    for model in model_list:
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.append(field.m2m_db_table())
    return tables


def applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


class Serializer(JsonlSerializer):
    """Django's JSON lines, with natural keys for content types and permissions only."""

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL)
        super().handle_m2m_field(obj, field)


def _rows(model: type[models.Model]) -> Iterator[models.Model]:
    queryset = model._base_manager.order_by("pk")
    for field in model._meta.local_many_to_many:
        if issubclass(field.remote_field.model, Permission):
            queryset = queryset.prefetch_related(field.name, f"{field.name}__content_type")
        else:
            queryset = queryset.prefetch_related(field.name)
    yield from queryset.iterator(chunk_size=1000)


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read every table from one consistent state while the site keeps running."""
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # A deferred read transaction sees one snapshot (WAL) without blocking writers.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            yield


def write_backup(path: Path) -> dict[str, Any]:
    """Write a backup of the whole database to ``path``; return its header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = path.with_name(path.name + ".part")
    counts: Counter[str] = Counter()

    def counted() -> Iterator[models.Model]:
        for model in backup_models():
            counts[model._meta.label_lower] += 0
            for obj in _rows(model):
                counts[model._meta.label_lower] += 1
                yield obj

    try:
        with scopes_disabled(), _snapshot():
            migrations = applied_migrations()
            with _private(body) as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
                Serializer().serialize(counted(), stream=out)
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "alliance": __version__,
            "database": connection.vendor,
            "migrations": migrations,
            "counts": dict(counts),
        }
        # Two gzip members, header then objects: one stream to every gzip reader.
        tmp = path.with_name(path.name + ".tmp")
        with _private(tmp) as raw:
            with gzip.open(raw, "wt", encoding="utf-8") as out:
                out.write(json.dumps(header, ensure_ascii=False) + "\n")
            with body.open("rb") as objects:
                shutil.copyfileobj(objects, raw)
        os.replace(tmp, path)
    finally:
        body.unlink(missing_ok=True)
    return header


@contextmanager
def _private(path: Path) -> Iterator[IO[bytes]]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw:
        yield raw


def read_header(stream: IO[str]) -> dict[str, Any]:
    try:
        header = json.loads(stream.readline())
    except (ValueError, OSError, EOFError) as exc:
        raise CommandError(f"This is not an Alliance backup (unreadable header: {exc}).")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CommandError("This is not an Alliance backup (no alliance-backup header).")
    if not isinstance(header.get("version"), int) or header["version"] > VERSION:
        raise CommandError(
            f"This backup has format version {header.get('version')!r}; this Alliance reads "
            f"up to version {VERSION}. Restore it with a newer Alliance."
        )
    if not isinstance(header.get("counts"), dict):
        raise CommandError("This backup's header has no counts.")
    return header


def row_counts(model_list: list[type[models.Model]]) -> dict[str, int]:
    with scopes_disabled():
        return {m._meta.label_lower: m._base_manager.count() for m in model_list}


def restore_backup(path: Path, *, force_flush: bool) -> dict[str, Any]:
    """Load a backup into this database, all or nothing; return its header.

    Refuses a database that already holds data unless ``force_flush`` (then that data is
    deleted in the same transaction). Verifies that the row count of every model equals
    the header's before committing.
    """
    model_list = backup_models()
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        header = read_header(stream)
        missing = sorted(set(header.get("migrations", [])) - set(applied_migrations()))
        if missing:
            raise CommandError(
                "This database lacks migrations the backup was made with "
                f"({', '.join(missing[:5])}…): run `alliance migrate` first."
            )
        unknown = sorted(set(header["counts"]) - {m._meta.label_lower for m in model_list})
        if unknown:
            raise CommandError(f"This backup has data for unknown models: {', '.join(unknown)}.")
        existing = {label: n for label, n in row_counts(model_list).items() if n}
        if existing and not force_flush:
            raise CommandError(
                "The database is not empty ("
                + ", ".join(f"{label}: {n}" for label, n in sorted(existing.items()))
                + "). Restore into an empty database, or add --force-flush to replace its data."
            )
        with scopes_disabled(), transaction.atomic():
            if existing:
                # Settle deferred foreign-key checks first: PostgreSQL cannot TRUNCATE a
                # table with pending ones (only when called inside a larger transaction).
                connection.check_constraints()
                tables = tables_of(model_list) + [_session_table()]
                connection.ops.execute_sql_flush(
                    connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
                )
            loaded = _load(stream)
            _verify(header["counts"], loaded, row_counts(model_list))
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
                    cursor.execute(sql)
    ContentType.objects.clear_cache()
    return header


def _session_table() -> str:
    return apps.get_model("sessions", "Session")._meta.db_table


def _load(stream: IO[str]) -> Counter[str]:
    loaded: Counter[str] = Counter()
    deferred = []
    touched: set[str] = set()
    with connection.constraint_checks_disabled():
        try:
            for obj in serializers.deserialize(
                "jsonl", stream, handle_forward_references=True, ignorenonexistent=False
            ):
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
                loaded[obj.object._meta.label_lower] += 1
                touched.add(obj.object._meta.db_table)
            for obj in deferred:
                obj.save_deferred_fields()
        except DeserializationError as exc:
            raise CommandError(f"The backup could not be read: {exc}")
    try:
        connection.check_constraints(table_names=sorted(touched))
    except IntegrityError as exc:
        raise CommandError(f"The backup refers to rows it does not contain: {exc}")
    return loaded


def _verify(expected: dict[str, int], loaded: Counter[str], now: dict[str, int]) -> None:
    problems = [
        f"{label}: backup says {n}, file has {loaded.get(label, 0)}, database has "
        f"{now.get(label, 0)}"
        for label, n in sorted(expected.items())
        if not (n == loaded.get(label, 0) == now.get(label, 0))
    ]
    extra = [
        f"{label}: {n} rows not in the backup"
        for label, n in now.items()
        if n and label not in expected
    ]
    if problems or extra:
        raise CommandError(
            "The restore does not match the backup; nothing was changed. "
            + "; ".join(problems + extra)
        )
