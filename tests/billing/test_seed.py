"""The billing demo data: a run for every month of the scale's history (posted through the
run service), a few bad-debt write-offs (so the bad-debt rate is not 0.0%), each closing its
invoice, the ledger invariants, and a realistic collection rate for the months that are
fully due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django_scopes import scopes_disabled

from alliance.billing import queries, reports
from alliance.billing.models import Allocation, BillingRun, CreditKind, CreditNote, Invoice
from alliance.core.models import AuditEntry
from alliance.members.models import Program
from alliance.notifications.models import Notification
from alliance.seed.generate import seed

pytestmark = pytest.mark.django_db
TODAY = date(2025, 3, 15)


def test_demo_has_write_offs_and_realistic_collections():
    report = seed("small", log=lambda _m: None, today=TODAY)
    assert report.counts["bad-debt write-offs"] > 0
    with scopes_disabled():
        notes = list(CreditNote.objects.filter(kind=CreditKind.WRITE_OFF).select_related("invoice"))
        assert len(notes) == report.counts["bad-debt write-offs"]
        opened = queries.open_amounts([n.invoice_id for n in notes], "family")
        for note in notes:
            assert Decimal("0") < note.amount <= note.invoice.family_amount
            assert opened[note.invoice_id] == Decimal("0.00")  # the write-off closed it
            assert (note.issued_on - note.invoice.due_on).days == 90
        # Written as the credit service writes them: numbered per program, with the audit row.
        numbers = [(n.program_id, n.number) for n in notes]
        assert len(set(numbers)) == len(numbers)
        assert AuditEntry.objects.filter(action="billing.credit_write_off").count() == len(notes)
        # 12 months of history plus the current one, every program billed every month.
        months = sorted(set(BillingRun.objects.values_list("period_start", flat=True)))
        assert months[0] == date(2024, 3, 1) and months[-1] == date(2025, 3, 1)
        assert len(months) == 13
        assert BillingRun.objects.filter(period_start=months[0]).count() == Program.objects.count()
        # Ledger: nothing is allocated beyond an invoice's share of each payer.
        applied = {
            (r["invoice_id"], r["payer_kind"]): r["s"]
            for r in Allocation.objects.values("invoice_id", "payer_kind").annotate(s=Sum("amount"))
        }
        for inv in Invoice.objects.all():
            assert applied.get((inv.pk, "family"), 0) <= inv.family_amount
            assert applied.get((inv.pk, "agency"), 0) <= inv.agency_amount
            assert inv.total == inv.family_amount + inv.agency_amount
        ids = list(Program.objects.values_list("pk", flat=True))
        # Months fully due (before the current one): most of the family share is collected.
        past = reports.collections_by_month(
            program_ids=ids, start=date(2024, 4, 1), end=date(2025, 2, 28)
        )
        # Seeding history tells no family about old runs.
        assert not Notification.objects.filter(kind="billing_invoice_posted").exists()
    assert past.totals.written_off > 0
    assert Decimal("0") < past.totals.bad_debt_rate < Decimal("5")
    assert past.totals.family_collection_rate > Decimal("85")
