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


# --- a director's export: their staff's hours of one year -----------------------------------

PROGRAM_HEADER = [
    "person_name",
    "email",
    "role",
    "course_title",
    "topic",
    "session_date",
    "hours",
    "orientation",
    "certificate_number",
    "year",
    "year_hours_counted",
    "year_hours_required",
    "year_hours_missing",
    "requirement_met",
]


def program_rows(people: Iterable, *, year: int, tz: str) -> Iterator[list[str]]:
    """One row per person and attended session (a person without any: one row with the
    session columns empty), each carrying the person's year totals against the
    requirement — the shape a state workforce registry imports."""
    zone = ZoneInfo(tz)
    for p in people:
        totals = [
            str(year),
            f"{p.progress.credited:.2f}",
            f"{p.progress.requirement.hours:.2f}",
            f"{p.progress.missing:.2f}",
            "yes" if p.progress.met else "no",
        ]
        who = [
            _safe(p.person.full_name or p.person.email),
            _safe(p.person.email),
            _safe(str(p.role_label)),
        ]
        if not p.sessions:
            yield [*who, "", "", "", "", "", "", *totals]
        for row in p.sessions:
            session = row.session
            yield [
                *who,
                _safe(session.course.title),
                session.course.topic,
                session.starts_at.astimezone(zone).date().isoformat(),
                f"{session.hours:.2f}",
                "yes" if session.course.is_orientation else "no",
                row.certificate_code,
                *totals,
            ]


def program_csv(people: Iterable, *, year: int, tz: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PROGRAM_HEADER)
    writer.writerows(program_rows(people, year=year, tz=tz))
    return buffer.getvalue()


def program_xlsx(people: Iterable, *, year: int, tz: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"Training {year}"
    sheet.append(PROGRAM_HEADER)
    numeric = {"hours", "year_hours_counted", "year_hours_required", "year_hours_missing"}
    columns = [i for i, name in enumerate(PROGRAM_HEADER) if name in numeric]
    for row in program_rows(people, year=year, tz=tz):
        cells: list = list(row)
        for i in columns:
            if cells[i]:
                cells[i] = float(cells[i])  # spreadsheet cells; figures are already rounded
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
