"""Background work of the pool: dispatching offers, widening waves, closing stale requests.

Tasks take ids, reload inside the program's scope (``program_task``) and call a service.
"""

from __future__ import annotations

from django.utils import timezone
from django_scopes import scopes_disabled
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alliance.core.tasks import program_task
from alliance.members.models import Program
from alliance.substitutes import services


@program_task(retries=2, retry_delay=30)
def dispatch_task(program: Program, request_id: int) -> int:
    """Send the next wave (or the broadcast) of a request."""
    return len(services.dispatch_request(request_id=request_id))


@program_task(retries=2, retry_delay=30)
def next_wave_task(program: Program, request_id: int) -> int:
    """After a wave's timeout: widen to the next substitutes if still open."""
    return len(services.dispatch_request(request_id=request_id))


# Every five minutes: shifts that started while still open count as unfilled.
@db_periodic_task(crontab(minute="*/5"))
def close_stale_requests_task() -> int:
    with scopes_disabled():
        return services.close_stale(now=timezone.now())


# Every five minutes: offers nobody answered in time are marked expired.
@db_periodic_task(crontab(minute="*/5"))
def expire_offers_task() -> int:
    with scopes_disabled():
        return services.expire_offers(now=timezone.now())


# Nightly: recount every substitute's record, in case a row changed outside the services.
@db_periodic_task(crontab(minute="40", hour="3"))
def recount_history_task() -> int:
    from alliance.members.models import Alliance
    from alliance.substitutes.history import refresh_history

    with scopes_disabled():
        alliances = list(Alliance.objects.values_list("pk", flat=True))
    return sum(refresh_history(alliance_id=pk) for pk in alliances)
