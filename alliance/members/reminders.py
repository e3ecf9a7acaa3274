"""License-expiry reminders: a daily hub job (``alliance.core.tasks.license_reminders_task``).

A director is reminded when the program's license lapses in 60, 30 and 7 days. A day the
worker was down is caught up the next day (the reminder for the nearest threshold is sent
late rather than never), and each reminder goes out at most once per license term: the
audit row written with it is the record that it was sent.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from alliance.accounts.models import Role
from alliance.core.audit import log_action
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from alliance.core.tasks import enqueue_on_commit, send_email_task
from alliance.core.tenancy import program_scope
from alliance.members.models import Program

log = logging.getLogger("alliance.members")

THRESHOLDS = (60, 30, 7)  # days before the license lapses, largest first
ACTION = "program.license_reminder_sent"


def threshold_for(days_left: int) -> int | None:
    """The smallest threshold not yet passed: 45 days left → 60, 30 → 30, 3 → 7, -1 → None."""
    if days_left < 0:
        return None
    due = [t for t in THRESHOLDS if days_left <= t]
    return min(due) if due else None


def programs_due(*, today: date) -> list[int]:
    """Ids of programs (every alliance) whose license lapses within the largest threshold."""
    with scopes_disabled():
        return list(
            Program.objects.filter(
                license_expires_on__gte=today,
                license_expires_on__lte=today + timedelta(days=max(THRESHOLDS)),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def send_license_reminders(*, today: date) -> int:
    """Remind every program that is due; returns how many programs were reminded.

    Idempotent: running it again the same day (or twice at once) sends nothing new.
    """
    sent = 0
    for program_id in programs_due(today=today):
        program = Program.unscoped.select_related("alliance").get(pk=program_id)
        with program_scope(program):
            sent += send_license_reminder(program=program, today=today)
    log.info("license reminders", extra={"programs": sent, "today": today.isoformat()})
    return sent


@transaction.atomic
def send_license_reminder(*, program: Program, today: date) -> bool:
    """Email the program's directors if a threshold is due and was not sent yet.

    Call inside ``program_scope(program)``. Returns True when a reminder went out (then an
    audit row ``program.license_reminder_sent`` records threshold, expiry and recipients).
    """
    # Lock the program row so two workers cannot both send the same reminder.
    program = Program.objects.select_for_update().select_related("alliance").get(pk=program.pk)
    if program.license_expires_on is None:
        return False
    days_left = (program.license_expires_on - today).days
    threshold = threshold_for(days_left)
    if threshold is None:
        return False
    expires = program.license_expires_on.isoformat()
    already = AuditEntry.objects.filter(
        action=ACTION,
        program=program,
        data__threshold=threshold,
        data__expires_on=expires,
    ).exists()
    if already:
        return False
    directors = [
        role.user
        for role in Role.objects.filter(
            program=program, kind=RoleKind.DIRECTOR, user__is_active=True
        ).select_related("user")
    ]
    for user in directors:
        subject, body = _message(program, days_left, user.language)
        enqueue_on_commit(send_email_task, user.email, subject, body)
    log_action(
        actor=None,
        action=ACTION,
        target=program,
        alliance=program.alliance,
        program=program,
        summary=f"License reminder ({threshold} days) sent to {len(directors)} director(s)",
        data={
            "threshold": threshold,
            "expires_on": expires,
            "days_left": days_left,
            "to": [user.email for user in directors],
        },
    )
    return True


def _message(program: Program, days_left: int, language: str) -> tuple[str, str]:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "members:program_dashboard", kwargs={"program_slug": program.slug}
    )
    with translation.override(language):
        expires = date_format(program.license_expires_on, "DATE_FORMAT")
        subject = ngettext(
            "The license of %(program)s expires in %(days)d day",
            "The license of %(program)s expires in %(days)d days",
            days_left,
        ) % {"program": program.name, "days": days_left}
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "The child care license of %(program)s (number %(number)s) expires on "
                    "%(date)s. Renew it in time so families and the alliance can keep "
                    "counting on your program, then update the expiry date in Alliance."
                )
                % {
                    "program": program.name,
                    "number": program.license_number or "—",
                    "date": expires,
                },
                link,
                _("— %(alliance)s") % {"alliance": program.alliance.name},
            ]
        )
    return subject, body
