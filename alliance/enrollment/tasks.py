"""Background work of coordinated enrollment."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

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
