"""A director's manual openings: publish extra seats or hold seats back from matching."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.enrollment.models import OpeningAdjustment, OpeningKind
from alliance.members.models import Classroom, Program


@transaction.atomic
def adjust_openings(
    *,
    acting_user: User,
    program: Program,
    classroom: Classroom,
    kind: str,
    seats: int,
    starts_on: date,
    ends_on: date | None = None,
    note: str = "",
) -> OpeningAdjustment:
    """Publish ``seats`` more openings (never beyond licensed capacity) or hold ``seats``
    back, from ``starts_on`` (until ``ends_on``)."""
    errors: dict[str, str] = {}
    if classroom.program_id != program.pk:
        errors["classroom"] = _("Choose one of this program's classrooms.")
    if kind not in OpeningKind.values:
        errors["kind"] = _("Choose publish or hold.")
    if not 1 <= seats <= 50:
        errors["seats"] = _("Enter between 1 and 50 seats.")
    elif kind == OpeningKind.PUBLISH and seats > max(
        0, classroom.licensed_capacity - classroom.staffed_capacity
    ):
        errors["seats"] = _(
            "Publishing more than %(n)s extra seats would go beyond the licensed capacity."
        ) % {"n": classroom.licensed_capacity - classroom.staffed_capacity}
    if starts_on < timezone.localdate():
        errors["starts_on"] = _("The start cannot be in the past.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end must be on or after the start.")
    if errors:
        raise ValidationError(errors)
    adjustment = OpeningAdjustment.objects.create(
        program=program,
        classroom=classroom,
        kind=kind,
        seats=seats,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip()[:300],
        created_by=acting_user,
    )
    log_action(
        actor=acting_user,
        action=f"openings.{kind}",
        target=adjustment,
        alliance=program.alliance,
        program=program,
        summary=f"{classroom.name}: {seats} from {starts_on:%Y-%m-%d}",
    )
    return adjustment


@transaction.atomic
def remove_adjustment(*, acting_user: User, adjustment: OpeningAdjustment) -> None:
    log_action(
        actor=acting_user,
        action="openings.removed",
        target=adjustment,
        alliance=adjustment.program.alliance,
        program=adjustment.program,
        summary=str(adjustment),
    )
    adjustment.delete()
