"""Telling members that a cycle closed (or was cancelled): one email per director, sent by
the task queue after the close commits."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from alliance.core.policy import RoleKind
from alliance.core.tasks import send_email_task
from alliance.purchasing.models import Cycle, CycleStatus, Order


def notify_cycle_closed(cycle: Cycle) -> None:
    from alliance.accounts.models import Role

    with scopes_disabled():
        program_ids = list(Order.objects.filter(cycle=cycle).values_list("program_id", flat=True))
        recipients = list(
            Role.objects.filter(kind=RoleKind.DIRECTOR, program_id__in=program_ids)
            .select_related("user", "program")
            .values_list("user__email", "program__slug")
        )
    if cycle.status == CycleStatus.CANCELLED:
        subject = _("Purchasing cycle %(name)s was cancelled") % {"name": cycle.name}
        text = _("The cycle %(name)s was cancelled: %(note)s No order will be delivered.")
    else:
        subject = _("Purchasing cycle %(name)s closed: your prices are final") % {
            "name": cycle.name
        }
        text = _(
            "The cycle %(name)s closed. Your order is final at the tier prices the pooled "
            "quantities reached; see your price and savings on your order page."
        )
    body = text % {"name": cycle.name, "note": cycle.close_note}

    def send() -> None:
        for email, slug in recipients:
            link = reverse("purchasing:order", args=[slug, cycle.pk])
            send_email_task(email, subject, f"{body}\n\n{link}\n")

    transaction.on_commit(send)
