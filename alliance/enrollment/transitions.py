"""Classroom transitions as children age: who will age past their room's range soon, the
room they should move to, and the service that moves them (one child or many at once).

A child leaves a room on the first day they are too old for it (turning ``age_max + 1``
months), or on September 1 of the year they start kindergarten if that comes first and the
room is a preschool room (see :func:`alliance.enrollment.rules.leaves_room_on`). The
suggested next room is the program's in-use room that fits the child's age on that day and
has a free staffed seat then (children already enrolled in it who still fit it that day,
plus the children suggested into it before, ordered by date).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.enrollment.models import Enrollment, EnrollmentStatus
from alliance.enrollment.rules import age_fits, kindergarten_year, leaves_room_on
from alliance.members.models import Classroom, Program

NOTICE_WEEKS = 8


@dataclass
class Transition:
    enrollment: Enrollment
    leaves_on: date  # the first day the child no longer fits the room
    kindergarten: bool  # leaving for kindergarten rather than aging out
    next_room: Classroom | None  # suggested, with a free staffed seat on ``leaves_on``


def _occupancy(enrollments: list[Enrollment], room: Classroom, on: date) -> int:
    """Children enrolled in ``room`` on ``on`` who still fit it that day."""
    n = 0
    for e in enrollments:
        if e.classroom_id != room.pk or not e.covers(on):
            continue
        born = e.child.birth_date
        if room.age_max_months < 72 and on >= date(kindergarten_year(born), 9, 1):
            continue
        if age_fits(born, room, on) or on <= e.start_date:
            n += 1
    return n


def _program_enrollments(program: Program, today: date) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(program=program)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(status__in=[EnrollmentStatus.MOVED, EnrollmentStatus.ENDED])
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .select_related("child", "classroom")
        .order_by("pk")
    )


def upcoming_transitions(
    program: Program, today: date, weeks: int = NOTICE_WEEKS
) -> list[Transition]:
    """Children of ``program`` who will age past their room in the next ``weeks`` weeks
    (or already have), soonest first, each with a suggested next room (three queries)."""
    horizon = today + timedelta(weeks=weeks)
    rooms = list(Classroom.objects.filter(program=program, is_active=True))
    enrollments = _program_enrollments(program, today)
    due = []
    for e in enrollments:
        if e.status != EnrollmentStatus.ACTIVE:
            continue
        leaves = leaves_room_on(e.child.birth_date, e.classroom)
        if leaves > horizon or (e.end_date is not None and e.end_date < leaves):
            continue
        due.append((max(leaves, e.start_date + timedelta(days=1)), leaves, e))
    due.sort(key=lambda t: (t[0], t[2].child.first_name, t[2].pk))
    suggested: dict[tuple[int, date], int] = defaultdict(int)
    out = []
    for on, leaves, e in due:
        born = e.child.birth_date
        kindergarten = e.classroom.age_max_months < 72 and leaves == date(
            kindergarten_year(born), 9, 1
        )
        next_room = None
        for room in rooms:
            if room.pk == e.classroom_id or not age_fits(born, room, on):
                continue
            if kindergarten and room.age_min_months < 60:
                continue
            taken = _occupancy(enrollments, room, on) + sum(
                n for (pk, d), n in suggested.items() if pk == room.pk and d <= on
            )
            if taken < room.staffed_capacity:
                next_room = room
                suggested[(room.pk, on)] += 1
                break
        out.append(Transition(e, on, kindergarten, next_room))
    return out


def _check_room(enrollment: Enrollment, room: Classroom, on: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    child = enrollment.child
    if room.program_id != enrollment.program_id or not room.is_active:
        errors["classroom"] = _("Choose one of this program's classrooms.")
    elif room.pk == enrollment.classroom_id:
        errors["classroom"] = _("The child is already in this classroom.")
    elif not age_fits(child.birth_date, room, on):
        errors["classroom"] = _(
            "%(child)s is not in this room's age range (%(min)s–%(max)s months) on %(on)s."
        ) % {"child": child, "min": room.age_min_months, "max": room.age_max_months, "on": on}
    else:
        taken = _occupancy(_program_enrollments(enrollment.program, on), room, on)
        if taken >= room.staffed_capacity:
            errors["classroom"] = _(
                "%(room)s has no free staffed seat on %(on)s. Choose another room or date."
            ) % {"room": room.name, "on": on}
    return errors


@transaction.atomic
def transition_children(
    *,
    acting_user: User | None,
    program: Program,
    moves: list[tuple[Enrollment, Classroom, date]],
) -> list[Enrollment]:
    """Move each child to the next room from the given day: the current enrollment ends the
    day before, a new one starts (same schedule). Guarantees: all or nothing (a move that
    breaks a rule rolls every move back and names the child), the new room fits the child's
    age and has a free staffed seat that day, one audit row per move plus one for the batch.
    Openings follow at once (they are computed from enrollments)."""
    from alliance.enrollment.services import move_child

    if not moves:
        raise ValidationError({"__all__": _("Choose at least one child to move.")})
    new = []
    for enrollment, room, on in moves:
        if enrollment.program_id != program.pk:
            raise ValidationError({"__all__": _("Choose children of this program.")})
        errors = _check_room(enrollment, room, on)
        if errors:
            raise ValidationError({k: f"{enrollment.child}: {v}" for k, v in errors.items()})
        new.append(
            move_child(acting_user=acting_user, enrollment=enrollment, classroom=room, on=on)
        )
    log_action(
        actor=acting_user,
        action="enrollment.transitions",
        target=program,
        alliance=program.alliance,
        program=program,
        summary=f"{len(new)} children moved to their next classroom",
        data={"enrollments": [e.pk for e in new]},
    )
    return new


def run_due_transitions(*, program: Program, today: date | None = None) -> dict[str, int]:
    """The daily job for one program. Children who are too old for their room today move to
    the suggested room when it has a seat (audited, by the system); the directors hear once
    about each child who will age out in the coming weeks, and about each automatic move.
    A child left without a room stays on the transitions page for the director."""
    from alliance.enrollment.notify import transitions_due

    today = today or timezone.localdate()
    moved, noticed = [], []
    for t in upcoming_transitions(program, today):
        if t.leaves_on <= today and t.next_room is not None:
            try:
                with transaction.atomic():
                    transition_children(
                        acting_user=None,
                        program=program,
                        moves=[(t.enrollment, t.next_room, t.leaves_on)],
                    )
            except ValidationError:
                pass
            else:
                moved.append(t)
                continue
        if t.enrollment.transition_noticed_on is None:
            noticed.append(t)
    if noticed:
        Enrollment.objects.filter(pk__in=[t.enrollment.pk for t in noticed]).update(
            transition_noticed_on=today
        )
    if noticed or moved:
        transitions_due(program, noticed, moved)
    return {"moved": len(moved), "noticed": len(noticed)}
