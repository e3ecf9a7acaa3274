"""``alliance restore FILE``: load a backup into an empty database, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alliance.core.management.commands._backup import restore_backup


class Command(BaseCommand):
    help = (
        "Load a file written by `alliance backup` into this (migrated, empty) database and "
        "check that every model has the backed-up number of records."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file (.jsonl.gz)")
        parser.add_argument(
            "--force-flush",
            action="store_true",
            help="delete the data already in this database first (in the same transaction)",
        )

    def handle(self, *args, file: str, force_flush: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        header = restore_backup(path, force_flush=force_flush)
        total = sum(header["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Restored {total:,} records of {len(header['counts'])} kinds")
            + f" from the backup of {header['created']}; every count matches."
        )
