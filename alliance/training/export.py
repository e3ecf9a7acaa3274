"""CSV of completed training hours, in the shape the state workforce registry imports
(one row per person and session), so records are never typed in twice."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from alliance.training.models import Registration

HEADER = [
    "person_name",
    "email",
    "program",
    "program_license",
    "course_title",
    "topic",
    "session_date",
    "hours",
    "language",
    "trainer",
    "orientation",
    "certificate_number",
]


def _safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def registry_csv(rows: Iterable[Registration], *, tz: str) -> Iterator[str]:
    zone = ZoneInfo(tz)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        session = row.session
        writer.writerow(
            [
                _safe(row.person.full_name or row.person.email),
                _safe(row.person.email),
                _safe(row.program.name if row.program else ""),
                _safe(row.program.license_number if row.program else ""),
                _safe(session.course.title),
                session.course.topic,
                session.starts_at.astimezone(zone).date().isoformat(),
                f"{session.hours:.2f}",
                session.language,
                _safe(session.trainer_display),
                "yes" if session.course.is_orientation else "no",
                row.certificate_code,
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()
