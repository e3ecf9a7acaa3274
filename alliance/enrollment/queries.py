"""Reads of enrollment data for views, the API, reports and other modules.

``children_present`` and ``children_scheduled`` feed the staffing module's ratio engine.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from alliance.core.tenancy import program_scope
from alliance.enrollment.models import Attendance, Enrollment, EnrollmentStatus
from alliance.members.models import Program


def children_present(program: Program, at: datetime) -> dict[int, list[date]]:
    """Classroom id → birth dates of the children checked in and not yet checked out at
    ``at`` (one query)."""
    with program_scope(program):
        rows = (
            Attendance.objects.filter(program=program, checked_in_at__lte=at)
            .filter(Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=at))
            .filter(date__gte=at.date() - timedelta(days=1), date__lte=at.date())
            .values_list("classroom_id", "child__birth_date")
        )
        out: dict[int, list[date]] = defaultdict(list)
        for classroom_id, born in rows:
            out[classroom_id].append(born)
    return dict(out)


def enrolled_on(program: Program, on: date) -> QuerySet[Enrollment]:
    """Enrollments of ``program`` covering ``on`` (any weekday)."""
    return (
        Enrollment.objects.filter(program=program, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
    )


def children_scheduled(program: Program, on: date) -> dict[int, list[date]]:
    """Classroom id → birth dates of the children enrolled on ``on`` and scheduled that
    weekday (one query)."""
    with program_scope(program):
        rows = enrolled_on(program, on).filter(days__contains=str(on.weekday()))
        out: dict[int, list[date]] = defaultdict(list)
        for classroom_id, born in rows.values_list("classroom_id", "child__birth_date"):
            out[classroom_id].append(born)
    return dict(out)


def enrollments_of(program: Program, *, current: bool = True) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.filter(program=program).select_related("child__family", "classroom")
    if current:
        today = timezone.localdate()
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).exclude(
            status__in=[EnrollmentStatus.MOVED]
        )
    return qs


def attendance_board(program: Program, on: date) -> list[dict]:
    """Classrooms with the children enrolled on ``on`` and their attendance (3 queries)."""
    from alliance.members.models import Classroom

    rooms = {
        c.pk: {"classroom": c, "children": []}
        for c in Classroom.objects.filter(program=program, is_active=True)
    }
    records = {a.child_id: a for a in Attendance.objects.filter(program=program, date=on)}
    weekday = str(on.weekday())
    for e in (
        enrolled_on(program, on)
        .select_related("child")
        .order_by("child__first_name", "child__last_name")
    ):
        if e.classroom_id in rooms:
            rooms[e.classroom_id]["children"].append(
                {
                    "enrollment": e,
                    "child": e.child,
                    "scheduled": weekday in e.days,
                    "attendance": records.get(e.child_id),
                }
            )
    out = [r for r in rooms.values() if r["children"]]
    for room in out:
        room["present"] = sum(
            1
            for c in room["children"]
            if c["attendance"] and c["attendance"].checked_out_at is None
        )
    return out


def attendance_history(program: Program, since: date) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(program=program, date__gte=since)
        .select_related("child", "classroom", "checked_in_by", "checked_out_by")
        .order_by("-date", "classroom__name", "child__first_name")
    )
