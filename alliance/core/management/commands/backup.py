"""``alliance backup [--output FILE]``: the whole database as one portable file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from alliance.core.management.commands._backup import write_backup


class Command(BaseCommand):
    help = (
        "Write every record (password hashes included) to a gzip JSON-lines file that "
        "`alliance restore` loads into SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="file to write (default: var/backups/alliance-<date>-<time>.jsonl.gz)",
        )

    def handle(self, *args, output: str | None = None, **options):
        if output:
            path = Path(output)
        else:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"alliance-{stamp}.jsonl.gz"
        header = write_backup(path)
        total = sum(header["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {total:,} records of {len(header['counts'])} kinds")
            + f" to {path}"
        )
