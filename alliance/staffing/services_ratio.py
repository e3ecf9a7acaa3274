"""Turning a ratio shortfall into a substitute request (by hand or automatically).

The request itself belongs to the substitutes module (``create_request``); this records
which gap it covers, so one gap is requested once however often the board is checked.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.accounts.models import Role, User
from alliance.core.audit import log_action
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from alliance.members.models import Classroom, Program
from alliance.staffing.board import Gap, ratio_board
from alliance.staffing.models import ShortfallRequest

log = logging.getLogger("alliance.staffing")


def _create_request():
    try:
        from alliance.substitutes.services import create_request
    except ImportError:
        return None
    return create_request


@transaction.atomic
def request_substitute(
    *,
    acting_user: User | None,
    program: Program,
    classroom: Classroom,
    day: date,
    starts_at: time,
    ends_at: time,
    automatic: bool = False,
) -> ShortfallRequest:
    """Ask the substitute pool for one person in ``classroom`` from ``starts_at`` to
    ``ends_at``. A gap already requested is refused with a clear message."""
    if classroom.program_id != program.pk:
        raise ValidationError({"classroom": _("Choose one of this program's classrooms.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    create_request = _create_request()
    if create_request is None:
        raise ValidationError(_("Substitute requests are not available yet."))
    overlapping = ShortfallRequest.objects.filter(
        classroom=classroom, day=day, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if overlapping.exists():
        raise ValidationError(_("A substitute was already requested for this gap."))
    try:
        with transaction.atomic():
            record = ShortfallRequest.objects.create(
                program=program,
                classroom=classroom,
                day=day,
                starts_at=starts_at,
                ends_at=ends_at,
                automatic=automatic,
                created_by=acting_user,
            )
    except IntegrityError as exc:  # two clicks at once: the first one requested it
        raise ValidationError(_("A substitute was already requested for this gap.")) from exc
    request = create_request(
        acting_user=acting_user,
        program=program,
        classroom=classroom,
        dates=[day],
        start=starts_at,
        end=ends_at,
        notes=_("Raised by the ratio board: %(room)s is under ratio.") % {"room": classroom.name},
        source="ratio",
    )
    record.request_id = getattr(request, "pk", None)
    record.save(update_fields=["request_id"])
    log_action(
        actor=acting_user,
        action="staffing.substitute_requested",
        target=record,
        alliance=program.alliance,
        program=program,
        summary=f"Substitute requested for {classroom.name} {day} {starts_at:%H:%M}",
        data={"automatic": automatic, "request_id": record.request_id, "end": ends_at},
    )
    return record


WARNED = "staffing.shortfall_warned"
WARNING_KIND = "staffing_ratio_shortfall"


def _warned_today(program: Program, day: date) -> list[tuple[int, time, time]]:
    rows = AuditEntry.objects.filter(
        program=program, action=WARNED, data__day=day.isoformat()
    ).values_list("data", flat=True)
    return [
        (d["classroom"], time.fromisoformat(d["start"]), time.fromisoformat(d["end"])) for d in rows
    ]


def check_shortfalls(*, program: Program, at: datetime) -> list[ShortfallRequest]:
    """The periodic check: warn the program's directors of each new gap on the board (now
    or ahead), once per gap, and — behind the program's setting — request a substitute for
    every gap not requested yet. Returns the requests made. Call inside the scope."""
    from alliance.notifications.kinds import register_kind
    from alliance.notifications.services import notify

    register_kind(WARNING_KIND, category="staffing")
    board = ratio_board(program, at)
    if not board.gaps:
        return []
    rooms = {c.pk: c for c in Classroom.objects.filter(program=program)}
    warned = _warned_today(program, board.at.date())
    directors = [
        r.user
        for r in Role.objects.filter(
            program=program, kind=RoleKind.DIRECTOR, user__is_active=True
        ).select_related("user")
    ]
    made: list[ShortfallRequest] = []
    for gap in board.gaps:
        if gap.classroom_id not in rooms:
            continue
        requested = gap.requested
        if board.settings.auto_request_substitutes and not requested:
            new = _request_gap(program, rooms[gap.classroom_id], gap)
            made.extend(new)
            requested = bool(new)
        if any(
            room == gap.classroom_id and start <= gap.starts_at < end for room, start, end in warned
        ):
            continue
        with transaction.atomic():
            for user in directors:
                notify(
                    recipient=user,
                    kind=WARNING_KIND,
                    context={
                        "room": gap.name,
                        "program_name": program.name,
                        "starts_at": gap.starts_at,
                        "ends_at": gap.ends_at,
                        "required": gap.required,
                        "present": gap.present,
                        "now": gap.now,
                        "requested": requested and not gap.requested,
                    },
                    alliance=program.alliance,
                    program=program,
                    link=reverse("staffing:board", args=[program.slug]),
                    urgent=gap.now,
                )
            log_action(
                actor=None,
                action=WARNED,
                target=rooms[gap.classroom_id],
                alliance=program.alliance,
                program=program,
                summary=f"{gap.name} under ratio {gap.starts_at:%H:%M}-{gap.ends_at:%H:%M}",
                data={
                    "classroom": gap.classroom_id,
                    "day": gap.day.isoformat(),
                    "start": gap.starts_at.isoformat(),
                    "end": gap.ends_at.isoformat(),
                    "to": [u.email for u in directors],
                },
            )
    return made


def _request_gap(program: Program, classroom: Classroom, gap: Gap) -> list[ShortfallRequest]:
    try:
        return [
            request_substitute(
                acting_user=None,
                program=program,
                classroom=classroom,
                day=gap.day,
                starts_at=gap.starts_at,
                ends_at=gap.ends_at,
                automatic=True,
            )
        ]
    except ValidationError as exc:
        log.info("no automatic request", extra={"program": program.pk, "reason": str(exc)})
        return []
