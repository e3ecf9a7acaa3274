"""Background work of coordinated enrollment."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alliance.core.tasks import program_task
from alliance.core.tenancy import alliance_scope


# Every 15 minutes: offers past their expiry go to the next proposal.
@db_periodic_task(crontab(minute="*/15"))
def expire_offers_task() -> int:
    from alliance.enrollment.services_offers import expire_due_offers
    from alliance.members.models import Alliance

    total = 0
    for alliance in Alliance.objects.all():
        with alliance_scope(alliance):
            total += expire_due_offers(alliance=alliance)
    return total


@program_task(retries=2, retry_delay=300)
def program_transitions_task(program) -> dict[str, int]:
    from alliance.enrollment.transitions import run_due_transitions

    return run_due_transitions(program=program)


# Every morning: children too old for their classroom move to the next one (when it has a
# seat), and directors hear about the children who will age out in the coming weeks.
@db_periodic_task(crontab(minute="30", hour="5"))
def classroom_transitions_task() -> int:
    from alliance.members.models import MembershipStatus, Program

    ids = list(
        Program.unscoped.exclude(
            membership__status__in=[MembershipStatus.SUSPENDED, MembershipStatus.ENDED]
        ).values_list("pk", flat=True)
    )
    for program_id in ids:
        program_transitions_task(program_id)
    return len(ids)


# Every morning: "still interested?" check-ins, and unanswered ones closed.
@db_periodic_task(crontab(minute="0", hour="9"))
def waitlist_checkins_task() -> dict[str, int]:
    from alliance.enrollment.services_applications import (
        close_unanswered_checkins,
        send_checkins,
    )
    from alliance.members.models import Alliance

    asked = closed = 0
    for alliance in Alliance.objects.all():
        with alliance_scope(alliance):
            closed += close_unanswered_checkins(alliance=alliance)
            asked += send_checkins(alliance=alliance)
    return {"asked": asked, "closed": closed}
