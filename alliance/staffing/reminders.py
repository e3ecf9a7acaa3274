"""Credential-expiry reminders: a daily job (``alliance.staffing.tasks``).

Each credential a current staff member holds is announced 60, 30 and 7 days before it
lapses, to the person (when they have an account) and to the program's directors, through
the notifications module. A day the worker was down is caught up the next day (the nearest
threshold is sent late rather than never), and each threshold goes out once per expiry
date: the audit row written with it is the record that it was sent.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django_scopes import scopes_disabled

from alliance.accounts.models import Role
from alliance.core.audit import log_action
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from alliance.core.tenancy import program_scope
from alliance.members.models import Program
from alliance.members.reminders import threshold_for
from alliance.staffing.models import Credential, StaffMember

log = logging.getLogger("alliance.staffing")

ACTION = "credential.reminder_sent"
KIND = "staffing_credential_expiring"
WINDOW_DAYS = 60


def _register_kind() -> None:
    from alliance.notifications.kinds import register_kind

    register_kind(KIND, category="staffing")


_register_kind()


def programs_with_staff() -> list[int]:
    with scopes_disabled():
        return list(
            StaffMember.objects.filter(separated_on__isnull=True)
            .values_list("program_id", flat=True)
            .distinct()
            .order_by("program_id")
        )


def send_credential_reminders(*, today: date) -> int:
    """Remind every program; returns how many reminders went out. Idempotent per day."""
    sent = 0
    for program_id in programs_with_staff():
        program = Program.unscoped.select_related("alliance").get(pk=program_id)
        with program_scope(program):
            sent += remind_program(program=program, today=today)
    log.info("credential reminders", extra={"sent": sent, "today": today.isoformat()})
    return sent


@transaction.atomic
def remind_program(*, program: Program, today: date) -> int:
    """Send the due reminders of one program (call inside its scope)."""
    from alliance.notifications.services import notify

    staff = list(StaffMember.objects.filter(program=program, separated_on__isnull=True))
    by_user = {s.user_id: s for s in staff if s.user_id}
    by_id = {s.pk: s for s in staff}
    due = (
        Credential.objects.select_for_update(of=("self",))
        .filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=WINDOW_DAYS))
        .filter(Q(person_id__in=list(by_user)) | Q(staff_id__in=list(by_id)))
        .select_related("person")
    )
    directors = [
        r.user
        for r in Role.objects.filter(
            program=program, kind=RoleKind.DIRECTOR, user__is_active=True
        ).select_related("user")
    ]
    sent = 0
    for credential in due:
        holder = by_user.get(credential.person_id) or by_id.get(credential.staff_id)
        if holder is None:
            continue
        days_left = (credential.expires_on - today).days
        threshold = threshold_for(days_left)
        if threshold is None:
            continue
        already = AuditEntry.objects.filter(
            action=ACTION,
            object_id=str(credential.pk),
            data__threshold=threshold,
            data__expires_on=credential.expires_on.isoformat(),
        ).exists()
        if already:
            continue
        recipients = list(directors)
        if credential.person is not None and credential.person not in recipients:
            recipients.append(credential.person)
        link = reverse("staffing:staff_detail", args=[program.slug, holder.pk])
        for user in recipients:
            notify(
                recipient=user,
                kind=KIND,
                context={
                    "kind_label": credential.get_kind_display(),
                    "staff_name": holder.full_name,
                    "program_name": program.name,
                    "expires_on": credential.expires_on,
                    "days_left": days_left,
                },
                alliance=program.alliance,
                program=program,
                link=link if user in directors else "",
            )
        log_action(
            actor=None,
            action=ACTION,
            target=credential,
            alliance=program.alliance,
            program=program,
            summary=f"{threshold}-day reminder: {credential.get_kind_display()} of {holder}",
            data={
                "threshold": threshold,
                "expires_on": credential.expires_on.isoformat(),
                "to": [u.email for u in recipients],
            },
        )
        sent += 1
    return sent
