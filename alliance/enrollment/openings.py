"""Openings: each classroom's free staffed seats by date, and the 6-month forecast.

free(room, d) = staffed capacity − children projected in the room on d − seats held by
pending offers − seats the director holds + seats the director publishes (never below 0).

Children are projected forward: a child stays in the room while their age fits and until
kindergarten (September of the year they turn five by October 1); a child who ages out moves
to the program's room that fits their age, if it has one (taking a seat there), else leaves.
Withdrawals and end dates free the seat the day after the last day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from alliance.enrollment.models import (
    Enrollment,
    EnrollmentStatus,
    Offer,
    OfferStatus,
    OpeningAdjustment,
    OpeningKind,
)
from alliance.enrollment.rules import age_fits, kindergarten_year
from alliance.members.models import Classroom, Program


@dataclass
class Room:
    classroom: Classroom
    children: list[tuple[date, date, date | None]] = field(default_factory=list)
    # (birth date, start, end) of each enrollment
    pending_offers: int = 0
    adjustments: list[OpeningAdjustment] = field(default_factory=list)


def month_starts(today: date, months: int = 6) -> list[date]:
    out = []
    year, month = today.year, today.month
    for _ in range(months):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        out.append(date(year, month, 1))
    return out


def _load(programs: Iterable[Program], today: date) -> dict[int, Room]:
    program_ids = [p.pk for p in programs]
    rooms = {
        c.pk: Room(c)
        for c in Classroom.objects.filter(program_id__in=program_ids, is_active=True)
        .select_related("program")
        .order_by("program_id", "age_min_months", "pk")
    }
    enrollments = (
        Enrollment.objects.filter(program_id__in=program_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .values_list("classroom_id", "child__birth_date", "start_date", "end_date")
    )
    for classroom_id, born, start, end in enrollments:
        if classroom_id in rooms:
            rooms[classroom_id].children.append((born, start, end))
    offers = Offer.objects.filter(
        program_id__in=program_ids, status=OfferStatus.PENDING
    ).values_list("classroom_id", flat=True)
    for classroom_id in offers:
        if classroom_id in rooms:
            rooms[classroom_id].pending_offers += 1
    for adj in OpeningAdjustment.objects.filter(program_id__in=program_ids).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    ):
        if adj.classroom_id in rooms:
            rooms[adj.classroom_id].adjustments.append(adj)
    return rooms


def _projected_counts(rooms: dict[int, Room], on: date) -> dict[int, int]:
    by_program: dict[int, list[Classroom]] = defaultdict(list)
    for room in rooms.values():
        by_program[room.classroom.program_id].append(room.classroom)
    counts: dict[int, int] = defaultdict(int)
    for room in rooms.values():
        classroom = room.classroom
        for born, start, end in room.children:
            if start > on or (end is not None and end < on):
                continue
            if classroom.age_max_months < 72 and on >= date(kindergarten_year(born), 9, 1):
                continue
            if age_fits(born, classroom, on) or on <= start:
                counts[classroom.pk] += 1
                continue
            for other in by_program[classroom.program_id]:
                if other.pk != classroom.pk and age_fits(born, other, on):
                    counts[other.pk] += 1
                    break
    return counts


def _free(room: Room, count: int, on: date) -> int:
    free = room.classroom.staffed_capacity - count - room.pending_offers
    for adj in room.adjustments:
        if adj.covers(on):
            free += adj.seats if adj.kind == OpeningKind.PUBLISH else -adj.seats
    return max(0, free)


def openings_by_date(
    programs: Iterable[Program], today: date, months: int = 6
) -> tuple[list[date], dict[int, list[int]], dict[int, Classroom]]:
    """Dates (today, then the 1st of each coming month) and, per classroom, free seats on
    each date. Three to four queries whatever the number of rooms."""
    rooms = _load(programs, today)
    dates = [today, *month_starts(today, months)]
    table: dict[int, list[int]] = {pk: [] for pk in rooms}
    for on in dates:
        counts = _projected_counts(rooms, on)
        for pk, room in rooms.items():
            table[pk].append(_free(room, counts.get(pk, 0), on))
    # A seat counts as open on a date only if it stays open through the horizon: a seat free
    # today but taken by a child starting next month cannot be offered to anyone.
    for series in table.values():
        for k in range(len(series) - 2, -1, -1):
            series[k] = min(series[k], series[k + 1])
    return dates, table, {pk: r.classroom for pk, r in rooms.items()}


@dataclass(frozen=True)
class SeatBatch:
    """``seats`` places in ``classroom`` that are free from ``available_from`` on."""

    classroom: Classroom
    available_from: date
    seats: int


def seat_batches(programs: Iterable[Program], today: date, months: int = 6) -> list[SeatBatch]:
    """Openings as batches for the matching engine: the seats free today, then the seats
    that become free on each later date (net of seats free earlier)."""
    dates, table, classrooms = openings_by_date(programs, today, months)
    out = []
    for pk, series in table.items():
        # A seat counts from the first date it is free for good, so it is never offered twice.
        taken = 0
        for i, on in enumerate(dates):
            lasting = series[i]  # already the minimum of the rest of the series
            if lasting > taken:
                out.append(SeatBatch(classrooms[pk], on, lasting - taken))
                taken = lasting
    return out
