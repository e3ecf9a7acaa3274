"""Tell families that a billing run was posted. ``services_runs.post_run`` enqueues one task
per run after commit, so a run of thousands of invoices stays fast; in the worker the task
sends one notification per person per account (never per invoice line), in their language."""

from __future__ import annotations

import logging

from django.urls import reverse

from alliance.core.tasks import program_task

log = logging.getLogger("alliance.billing")

KIND = "billing_invoice_posted"


@program_task(retries=2, retry_delay=300)
def notify_run_posted_task(program, run_id: int) -> int:
    """Notify the users of each invoiced account: its active payers who have a user, and
    the family's own account. Returns how many notifications were sent."""
    from alliance.billing.models import Invoice, Payer
    from alliance.notifications.services import notify

    invoices = list(
        Invoice.objects.filter(program=program, run_id=run_id)
        .select_related("account__family__account")
        .order_by("pk")
    )
    payer_users: dict[int, list] = {}
    for payer in Payer.objects.filter(
        program=program,
        account_id__in=[i.account_id for i in invoices],
        is_active=True,
        user__isnull=False,
    ).select_related("user"):
        payer_users.setdefault(payer.account_id, []).append(payer.user)
    link = reverse("billing:my_billing")
    sent = 0
    for invoice in invoices:
        recipients = {u.pk: u for u in payer_users.get(invoice.account_id, [])}
        family_user = invoice.account.family.account
        if family_user is not None:
            recipients.setdefault(family_user.pk, family_user)
        for user in recipients.values():
            if not user.is_active:
                continue
            notify(
                recipient=user,
                kind=KIND,
                context={
                    "program_name": program.name,
                    "number": invoice.number,
                    "amount": invoice.family_amount,
                    "due_on": invoice.due_on,
                    "period_start": invoice.period_start,
                    "period_end": invoice.period_end,
                },
                alliance=program.alliance,
                program=program,
                channels=("in_app", "email"),
                link=link,
            )
            sent += 1
    log.info("run posted notifications", extra={"program_id": program.pk, "sent": sent})
    return sent
