"""Small helpers of the seed and of modules' seed steps: bulk inserts, slugs, dates."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from alliance.seed import data

BATCH = 2000
M = TypeVar("M", bound=models.Model)


def bulk(model: type[M], rows: Sequence[M]) -> list[M]:
    """Insert ``rows`` in batches and return them with their primary keys set (SQLite 3.35+
    and PostgreSQL return them from the insert)."""
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    if created and created[0].pk is None:
        raise RuntimeError("The database did not return ids from a bulk insert.")
    return created


@contextmanager
def without_query_log() -> Iterator[None]:
    """Run a block with Django's query log off, as with DEBUG off. With DEBUG on (``make
    demo``) Django keeps the SQL of every query and, on SQLite, quotes the parameters of
    each bulk insert with one more query: a third of the time of the seed's inserts."""
    from django.test.utils import override_settings

    with override_settings(DEBUG=False):
        yield


class Slugs:
    """Hands out unique slugs in a fixed order: the first "sunshine-preschool" keeps its
    name, the next ones become "sunshine-preschool-2", "-3" … (deterministic, no lookups)."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length
        self.taken: set[str] = set()

    def take(self, text: str) -> str:
        base = slugify(text)[: self.max_length - 5].strip("-") or "x"
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (day clamped to 28, so always valid)."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def birth_date(today: date, age_months: int, rng: random.Random) -> date:
    """A birth date at which a child is exactly ``age_months`` old today (whole months)."""
    return months_before(today, age_months) - timedelta(days=rng.randrange(28))


def day_between(start: date, end: date, rng: random.Random) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def moment(day: date, rng: random.Random) -> datetime:
    """An aware time during office hours of ``day``."""
    at = time(hour=rng.randrange(8, 18), minute=rng.randrange(60))
    return timezone.make_aware(datetime.combine(day, at))


@contextmanager
def given_timestamps(*fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Within the block, ``auto_now_add`` fields keep the (past) value the seed gives them.

    History needs past creation dates and ``auto_now_add`` would overwrite them with now;
    switching it off for the block costs nothing, where updating each row after the insert
    would double the writes. Every row made inside must set these fields itself.
    """
    found = [model._meta.get_field(name) for model, name in fields]
    for field in found:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in found:
            field.auto_now_add = True


def person_name(rng: random.Random, spanish: bool) -> tuple[str, str]:
    """(first, last) from the English or the Spanish name lists."""
    if spanish:
        return rng.choice(data.FIRST_NAMES_ES), rng.choice(data.LAST_NAMES_ES)
    return rng.choice(data.FIRST_NAMES_EN), rng.choice(data.LAST_NAMES_EN)
