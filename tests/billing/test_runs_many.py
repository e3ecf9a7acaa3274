"""``post_runs``: several periods of several programs in one call give exactly the runs,
invoices, numbers and lines of posting them one by one; the call is all or nothing and its
queries do not grow with programs or periods; a room move is not a new enrollment for a
"once" fee."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django_scopes import scopes_disabled

from alliance.billing import services, services_runs
from alliance.billing.models import BillingRun, Invoice, InvoiceLine, LineKind
from alliance.core.models import AuditEntry
from tests.billing.conftest import MONTH, enroll

pytestmark = pytest.mark.django_db
MONTHS = [date(2025, 1, 1), date(2025, 2, 1), MONTH]


def _snapshot():
    """Everything the runs wrote, without the ids of rows they create (accounts opened by a
    run get other ids the second time: PostgreSQL sequences do not roll back)."""
    with scopes_disabled():
        runs = sorted(
            (r.program_id, r.period_start, r.period_end, r.issued_on, r.due_on,
             r.invoice_count, r.total, r.family_total, r.agency_total, r.posted_by_id)
            for r in BillingRun.objects.all()
        )  # fmt: skip
        invoices = sorted(
            (i.program_id, i.number, i.account.family_id, i.period_start, i.issued_on,
             i.due_on, i.total, i.family_amount, i.agency_amount)
            for i in Invoice.objects.select_related("account")
        )  # fmt: skip
        lines = sorted(
            (ln.invoice.number, ln.program_id, ln.kind, ln.payer, ln.description, ln.amount,
             ln.child_id, ln.enrollment_id, ln.authorization_id, ln.days_billed,
             ln.days_scheduled)
            for ln in InvoiceLine.objects.select_related("invoice")
        )  # fmt: skip
        audits = AuditEntry.objects.filter(action="billing.run_posted").count()
    return runs, invoices, lines, audits


def _set_up_extras(billing):
    """A mid-month start with a registration fee, a leaver, a one-off charge in February,
    a sibling discount: every kind of line in the three months."""
    w = billing.world
    with scopes_disabled():
        services.save_fee_type(
            acting_user=w.director1, program=w.program1, name="Registration", amount="75",
            charge="once",
        )  # fmt: skip
        services.save_discount_policy(
            acting_user=w.director1, program=w.program1, kind="sibling", method="percent",
            value="10", effective_from=date(2024, 1, 1),
        )  # fmt: skip
        enroll(w.program1, w.classroom1, billing.other_child, start=date(2025, 2, 17),
               end=date(2025, 3, 12))  # fmt: skip
        account = services.open_account(
            acting_user=w.director1, program=w.program1, family=billing.lopez
        )
        services.add_charge(
            acting_user=w.director1, account=account, description="Field trip", amount="15.00",
            charge_on=date(2025, 2, 20),
        )  # fmt: skip


def test_post_runs_equals_posting_each_period_and_program(billing):
    w = billing.world
    _set_up_extras(billing)
    programs = [w.program1, w.program2]
    with scopes_disabled(), transaction.atomic():
        for month in MONTHS:
            for program in programs:
                services_runs.post_run(
                    acting_user=w.director1, program=program, period="monthly", day=month,
                    notify_families=False,
                )  # fmt: skip
        one_by_one = _snapshot()
        transaction.set_rollback(True)
    assert _snapshot() == ([], [], [], 0)
    with scopes_disabled():
        runs = services_runs.post_runs(
            acting_user=w.director1,
            programs=programs,
            period="monthly",
            days=list(reversed(MONTHS)),  # any order: posted period by period
            notify_families=False,
        )
    together = _snapshot()
    assert together == one_by_one
    assert [(r.period_start, r.program_id) for r in runs] == [
        (m, p.pk) for m in MONTHS for p in programs
    ]
    runs_, invoices, lines, audits = together
    assert len(runs_) == 6 and audits == 6
    kinds = {ln[2] for ln in lines}
    assert {LineKind.TUITION, LineKind.SUBSIDY, LineKind.COPAY, LineKind.FEE, LineKind.CHARGE,
            LineKind.DISCOUNT} <= kinds  # fmt: skip
    with scopes_disabled():
        assert all(r.seconds > 0 for r in BillingRun.objects.all())


def test_post_runs_refuses_a_billed_period_and_writes_nothing(billing):
    w = billing.world
    with scopes_disabled():
        services_runs.post_run(
            acting_user=w.director2, program=w.program2, period="monthly", day=MONTH
        )
        with pytest.raises(ValidationError, match="already billed"):
            services_runs.post_runs(
                acting_user=w.director1,
                programs=[w.program1, w.program2],
                period="monthly",
                days=MONTHS,
            )
        assert BillingRun.objects.count() == 1
        assert not Invoice.objects.filter(program=w.program1).exists()


def test_post_runs_crash_leaves_no_invoices(billing, monkeypatch):
    w = billing.world

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services_runs.InvoiceLine.objects, "bulk_create", boom)
    with scopes_disabled():
        with pytest.raises(RuntimeError):
            services_runs.post_runs(
                acting_user=w.director1,
                programs=[w.program1, w.program2],
                period="monthly",
                days=MONTHS,
            )
        assert BillingRun.objects.count() == 0
        assert Invoice.objects.count() == 0
        assert services.settings_for(w.program1).next_invoice_number == 1


def test_post_runs_queries_do_not_grow_with_programs_or_periods(
    billing, django_assert_max_num_queries
):
    """Fixed queries plus one audit row per run; a month of one program is the same code."""
    w = billing.world
    with scopes_disabled():
        services.settings_for(w.program1)
        services.settings_for(w.program2)
        for program, family in (
            (w.program1, billing.lopez),
            (w.program1, billing.smith),
            (w.program2, billing.other_family),
        ):  # every family has its account: the runs open none
            services.open_account(acting_user=w.director1, program=program, family=family)
    # 16 fixed (savepoint, lock, overlap check, 7 reads, numbers, runs, invoices, lines,
    # seconds, alliances) and one audit row per run.
    with django_assert_max_num_queries(16 + 1), scopes_disabled():
        services_runs.post_runs(
            acting_user=w.director1,
            programs=[w.program1],
            period="monthly",
            days=[date(2024, 12, 1)],
            notify_families=False,
        )
    with django_assert_max_num_queries(16 + 6), scopes_disabled():
        runs = services_runs.post_runs(
            acting_user=w.director1,
            programs=[w.program1, w.program2],
            period="monthly",
            days=MONTHS,
            notify_families=False,
        )
    assert len(runs) == 6


def test_a_room_move_is_not_charged_the_registration_fee_again(billing):
    w = billing.world
    with scopes_disabled():
        services.save_fee_type(
            acting_user=w.director1, program=w.program1, name="Registration", amount="75",
            charge="once",
        )  # fmt: skip
        newcomer = billing.other_child
        first = enroll(w.program1, w.classroom1, newcomer, start=date(2025, 1, 13),
                       end=date(2025, 2, 16))  # fmt: skip
        first.status = "moved"
        first.save(update_fields=["status"])
        enroll(w.program1, w.classroom1, newcomer, start=first.end_date + timedelta(days=1))
        services_runs.post_runs(
            acting_user=w.director1, programs=[w.program1], period="monthly", days=MONTHS
        )
        fees = InvoiceLine.objects.filter(kind=LineKind.FEE, child=newcomer)
        assert [(f.invoice.period_start, f.amount) for f in fees] == [
            (date(2025, 1, 1), Decimal("75.00"))
        ]
        # February bills both stays, prorated by the scheduled days of each.
        feb = InvoiceLine.objects.filter(
            kind=LineKind.TUITION, child=newcomer, invoice__period_start=date(2025, 2, 1)
        )
        assert sorted(ln.days_billed for ln in feb) == [10, 10]
