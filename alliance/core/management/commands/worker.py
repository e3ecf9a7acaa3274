"""``alliance worker``: run the task queue consumer (Huey), periodic jobs included.

Embedded by default (the SQLite queue file in the var directory, no extra service); with
``REDIS_URL`` set, run as many workers as needed, on as many machines as needed.
``--workers N`` runs N worker threads (``-k process`` for processes).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    help = (
        "Run background jobs (emails, reminders). Uses the embedded queue, or Redis when "
        "REDIS_URL is set."
    )

    def handle(self, *args, **options):
        if settings.HUEY.get("immediate"):
            raise CommandError(
                "The task queue is in immediate mode (HUEY_IMMEDIATE, or tests): jobs run "
                "inside the web process, so a worker has nothing to do."
            )
        queue = settings.HUEY.get("url") or settings.HUEY.get("filename") or ""
        self.stdout.write(f"Alliance worker on {without_password(queue)}; Ctrl-C stops it.")
        self.stdout.flush()
        return super().handle(*args, **options)


def without_password(url: str) -> str:
    """The queue location fit to print: redis://:secret@host:6379/0 → redis://host:6379/0."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://{rest.rsplit('@', 1)[1]}"
    return url
