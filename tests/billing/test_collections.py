"""Collections: late-fee arithmetic and assessment, reminders, payment plans, autopay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.billing import queries, services_collections
from alliance.billing.models import (
    AutopayAttempt,
    AutopayStatus,
    Invoice,
    InvoiceKind,
    LateFeeAssessment,
    PaymentPlan,
    PlanStatus,
    Reminder,
    ReminderStatus,
)
from alliance.billing.services_collections import (
    ChargeResult,
    late_fee_amount,
    split_installments,
)
from alliance.billing.services_payments import record_payment
from alliance.notifications.models import Notification
from tests.billing.claims_support import post_march
from tests.billing.conftest import account_of

pytestmark = pytest.mark.django_db

CENTS = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)

# March invoices are issued March 1 and due 10 days later (the default due days).
DUE = date(2025, 3, 11)


# --- late-fee arithmetic (hypothesis) ----------------------------------------------------


@given(
    overdue=CENTS,
    percent=st.decimals(min_value=0, max_value=100, places=3),
    flat=CENTS,
    cap=st.one_of(st.none(), CENTS),
    minimum=CENTS,
    method=st.sampled_from(["flat", "percent"]),
)
@settings(max_examples=300, deadline=None)
def test_late_fee_never_above_cap_never_negative_exact_cents(
    overdue, percent, flat, cap, minimum, method
):
    fee = late_fee_amount(
        method=method, overdue=overdue, flat_amount=flat, percent=percent, cap=cap,
        minimum_overdue=minimum,
    )  # fmt: skip
    assert isinstance(fee, Decimal)
    assert fee >= 0
    assert fee == fee.quantize(Decimal("0.01"))
    if cap is not None:
        assert fee <= cap
    if overdue < minimum or overdue == 0:
        assert fee == 0


def test_late_fee_hand_cases():
    assert late_fee_amount(method="flat", overdue=Decimal("10"), flat_amount=Decimal("25")) == 25
    # 1.5% of 1,234.56 = 18.5184 → 18.52
    assert late_fee_amount(
        method="percent", overdue=Decimal("1234.56"), percent=Decimal("1.5")
    ) == Decimal("18.52")
    assert late_fee_amount(
        method="percent", overdue=Decimal("5000"), percent=Decimal("5"), cap=Decimal("50")
    ) == Decimal("50")
    assert late_fee_amount(
        method="flat", overdue=Decimal("9.99"), flat_amount=Decimal("25"), minimum_overdue=10
    ) == Decimal("0")


# --- installments (hypothesis) ---------------------------------------------------------------


@given(total=CENTS, count=st.integers(min_value=1, max_value=24))
@settings(max_examples=300, deadline=None)
def test_installments_sum_exactly_to_the_total(total, count):
    parts = split_installments(total, count)
    assert len(parts) == count
    assert sum(parts) == total
    assert all(p == p.quantize(Decimal("0.01")) and p >= 0 for p in parts)
    assert max(parts) - min(parts) <= Decimal("0.01")


def test_installment_status_is_cumulative():
    class I:  # noqa: E742 - a tiny stand-in
        def __init__(self, d, a):
            self.due_on, self.amount = d, Decimal(a)

    insts = [I(date(2025, 5, 1), "100"), I(date(2025, 6, 1), "100"), I(date(2025, 7, 1), "50")]
    got = services_collections.installment_status(insts, Decimal("200"))
    assert got == [date(2025, 5, 1), date(2025, 6, 1), None]


# --- late-fee assessment -----------------------------------------------------------------------


def _policy(w, **kw):
    args = {"method": "flat", "flat_amount": "25.00", "grace_days": 5,
            "effective_from": date(2025, 1, 1)} | kw  # fmt: skip
    with scopes_disabled():
        return services_collections.save_late_fee_policy(
            acting_user=w.director1, program=w.program1, **args
        )


def test_assess_once_per_overdue_invoice(billing):
    w = billing.world
    post_march(billing)
    _policy(w)
    with scopes_disabled():
        # Still in the grace period: nothing.
        r0 = services_collections.assess_late_fees(program=w.program1, today=date(2025, 3, 16))
        r1 = services_collections.assess_late_fees(program=w.program1, today=date(2025, 3, 17))
        r2 = services_collections.assess_late_fees(program=w.program1, today=date(2025, 3, 18))
        fees = list(Invoice.objects.filter(kind=InvoiceKind.LATE_FEE))
        assessments = LateFeeAssessment.objects.count()
        overdue_family = [
            i for i in Invoice.objects.filter(kind=InvoiceKind.PERIOD) if i.family_amount > 0
        ]
    assert r0.assessed == 0
    assert r1.assessed == len(overdue_family) > 0
    assert r2.assessed == 0  # idempotent
    assert all(f.total == Decimal("25.00") and f.agency_amount == 0 for f in fees)
    assert assessments == len(fees)


def test_paid_invoice_and_current_plan_get_no_fee(billing):
    w = billing.world
    post_march(billing)
    _policy(w)
    with scopes_disabled():
        lopez = account_of(w.program1, billing.lopez)
        smith = account_of(w.program1, billing.smith)
        owed = queries.account_balance(lopez).family
        record_payment(
            acting_user=w.director1, account=lopez, amount=owed, method="check",
            received_on=date(2025, 3, 10),
        )  # fmt: skip
        services_collections.create_payment_plan(
            acting_user=w.director1, account=smith, installments=3,
            first_due_on=date(2025, 4, 1), today=date(2025, 3, 15),
        )  # fmt: skip
        result = services_collections.assess_late_fees(program=w.program1, today=date(2025, 3, 20))
    assert result.assessed == 0
    assert result.paused_by_plan == 1


def test_waive_late_fee_with_a_credit_note(billing):
    w = billing.world
    post_march(billing)
    _policy(w, method="percent", percent="10", cap="50.00", flat_amount="0")
    with scopes_disabled():
        services_collections.assess_late_fees(program=w.program1, today=date(2025, 3, 20))
        fee = LateFeeAssessment.objects.select_related("fee_invoice__account").first()
        assert fee.amount <= Decimal("50.00")
        account = fee.fee_invoice.account
        before = queries.account_balance(account).family
        with pytest.raises(ValidationError):
            services_collections.waive_late_fee(acting_user=w.director1, assessment=fee, reason="")
        services_collections.waive_late_fee(
            acting_user=w.director1, assessment=fee, reason="First time; goodwill"
        )
        after = queries.account_balance(account).family
        with pytest.raises(ValidationError):
            services_collections.waive_late_fee(acting_user=w.director1, assessment=fee, reason="x")
    assert before - after == fee.amount


def test_policy_validation_names_the_field(billing):
    w = billing.world
    with scopes_disabled():
        for kwargs, field in (
            ({"method": "flat", "flat_amount": "0"}, "flat_amount"),
            ({"method": "percent", "percent": "150"}, "percent"),
            ({"method": "weekly"}, "method"),
            ({"method": "flat", "flat_amount": "5", "grace_days": "-1"}, "grace_days"),
            ({"method": "flat", "flat_amount": "abc"}, "flat_amount"),
        ):
            with pytest.raises(ValidationError) as exc:
                services_collections.save_late_fee_policy(
                    acting_user=w.director1, program=w.program1, **kwargs
                )
            assert field in exc.value.message_dict


# --- reminders -----------------------------------------------------------------------


def test_reminders_once_per_invoice_and_step_in_the_family_language(billing):
    w = billing.world
    post_march(billing)
    with scopes_disabled():
        billing.lopez.language = "es"
        billing.lopez.save(update_fields=["language"])
        w.family.language = "es"
        w.family.save(update_fields=["language"])
        services_collections.save_reminder_schedule(
            acting_user=w.director1, program=w.program1, steps=[(-3, "email"), (7, "both")]
        )
        n1 = services_collections.send_reminders(program=w.program1, today=date(2025, 3, 8))
        n2 = services_collections.send_reminders(program=w.program1, today=date(2025, 3, 8))
        n3 = services_collections.send_reminders(program=w.program1, today=date(2025, 3, 9))
        lopez = Reminder.objects.get(account__family=billing.lopez)
        smith = Reminder.objects.get(account__family=billing.smith)
        note = Notification.objects.get(recipient=w.family, kind="billing_reminder")
    assert n1 == 2 and n2 == 0 and n3 == 0
    assert lopez.language == "es" and lopez.status == ReminderStatus.SENT
    assert lopez.amount_due > 0
    assert note.program_id == w.program1.pk and "INV-" in note.subject
    assert smith.status == ReminderStatus.SKIPPED  # no sign-in for the Smiths


def test_reminder_schedule_validation(billing):
    w = billing.world
    with scopes_disabled():
        for steps, field in (
            ([], "steps"),
            ([("x", "email")], "steps.0.days_after_due"),
            ([(3, "pigeon")], "steps.0.channel"),
            ([(3, "email"), (3, "sms")], "steps.1.days_after_due"),
        ):
            with pytest.raises(ValidationError) as exc:
                services_collections.save_reminder_schedule(
                    acting_user=w.director1, program=w.program1, steps=steps
                )
            assert field in exc.value.message_dict


# --- payment plans -----------------------------------------------------------------------


def test_plan_installments_follow_payments_and_complete(billing):
    w = billing.world
    post_march(billing)
    with scopes_disabled():
        lopez = account_of(w.program1, billing.lopez)
        overdue = queries.account_balance(lopez).family
        plan = services_collections.create_payment_plan(
            acting_user=w.director1, account=lopez, installments=3,
            first_due_on=date(2025, 4, 1), today=date(2025, 3, 20),
        )  # fmt: skip
        amounts = [i.amount for i in plan.installments.all()]
        with pytest.raises(ValidationError):
            services_collections.create_payment_plan(
                acting_user=w.director1, account=lopez, installments=2,
                first_due_on=date(2025, 4, 1), today=date(2025, 3, 20),
            )  # fmt: skip
        record_payment(
            acting_user=w.director1, account=lopez, amount=amounts[0], method="cash",
            received_on=date(2025, 4, 1),
        )  # fmt: skip
        # The plan row was created "now" (the test's real clock): pretend it began earlier.
        PaymentPlan.objects.filter(pk=plan.pk).update(
            created_at=plan.created_at.replace(2025, 3, 20)
        )
        services_collections.refresh_payment_plans(program=w.program1, today=date(2025, 4, 2))
        paid = [i.satisfied_on is not None for i in plan.installments.all()]
        record_payment(
            acting_user=w.director1, account=lopez, amount=amounts[1] + amounts[2],
            method="cash", received_on=date(2025, 5, 1),
        )  # fmt: skip
        services_collections.refresh_payment_plans(program=w.program1, today=date(2025, 5, 2))
        plan.refresh_from_db()
    assert sum(amounts) == overdue
    assert paid == [True, False, False]
    assert plan.status == PlanStatus.COMPLETED


def test_plan_defaults_after_a_month_late(billing):
    w = billing.world
    post_march(billing)
    with scopes_disabled():
        smith = account_of(w.program1, billing.smith)
        plan = services_collections.create_payment_plan(
            acting_user=w.director1, account=smith, installments=2,
            first_due_on=date(2025, 4, 1), today=date(2025, 3, 20), total="300.00",
        )  # fmt: skip
        PaymentPlan.objects.filter(pk=plan.pk).update(
            created_at=plan.created_at.replace(2025, 3, 20)
        )
        assert services_collections.plan_is_current(plan, date(2025, 4, 1))
        services_collections.refresh_payment_plans(program=w.program1, today=date(2025, 5, 5))
        plan.refresh_from_db()
    assert plan.status == PlanStatus.DEFAULTED


def test_plan_validation(billing):
    w = billing.world
    post_march(billing)
    with scopes_disabled():
        smith = account_of(w.program1, billing.smith)
        for kwargs, field in (
            ({"installments": 0}, "installments"),
            ({"installments": 2, "first_due_on": date(2025, 3, 1)}, "first_due_on"),
            ({"installments": 2, "total": "-4"}, "total"),
        ):
            args = {"first_due_on": date(2025, 4, 1), "today": date(2025, 3, 20)} | kwargs
            with pytest.raises(ValidationError) as exc:
                services_collections.create_payment_plan(
                    acting_user=w.director1, account=smith, **args
                )
            assert field in exc.value.message_dict


# --- autopay -----------------------------------------------------------------------


class Declines:
    method = "card"

    def charge(self, *, account, amount):
        return ChargeResult(status=AutopayStatus.FAILED, failure_reason="Card declined")


class Approves:
    method = "card"

    def charge(self, *, account, amount):
        return ChargeResult(status=AutopayStatus.SUCCEEDED, reference="ch_123")


def _autopay_lopez(w, billing):
    post_march(billing)
    with scopes_disabled():
        lopez = account_of(w.program1, billing.lopez)
        services_collections.set_autopay(
            acting_user=w.director1, account=lopez, enabled=True, method="card", last4="4242"
        )
        return lopez


def test_manual_processor_waits_for_the_director(billing):
    w = billing.world
    lopez = _autopay_lopez(w, billing)
    with scopes_disabled():
        owed = queries.account_balance(lopez).family
        r1 = services_collections.run_autopay(program=w.program1, today=DUE)
        r2 = services_collections.run_autopay(program=w.program1, today=DUE)
        attempt = AutopayAttempt.objects.get(account=lopez)
        assert attempt.status == AutopayStatus.PENDING and attempt.amount == owed
        services_collections.confirm_autopay(acting_user=w.director1, attempt=attempt)
        attempt.refresh_from_db()
        after = queries.account_balance(lopez).family
        with pytest.raises(ValidationError):
            services_collections.confirm_autopay(acting_user=w.director1, attempt=attempt)
    assert r1.pending == 1 and r2.attempted == 0
    assert attempt.status == AutopayStatus.SUCCEEDED and attempt.payment_id
    assert after == 0


def test_processor_success_records_the_payment(billing):
    w = billing.world
    lopez = _autopay_lopez(w, billing)
    with scopes_disabled():
        result = services_collections.run_autopay(
            program=w.program1, today=DUE, processor=Approves()
        )
        balance = queries.account_balance(lopez).family
    assert result.succeeded == 1 and balance == 0


def test_failed_autopay_alerts_director_and_family(billing):
    w = billing.world
    lopez = _autopay_lopez(w, billing)
    with scopes_disabled():
        result = services_collections.run_autopay(
            program=w.program1, today=DUE, processor=Declines()
        )
        attempt = AutopayAttempt.objects.get(account=lopez)
        alerted = set(
            Notification.objects.filter(kind="billing_autopay_failed").values_list(
                "recipient_id", flat=True
            )
        )
        balance = queries.account_balance(lopez).family
    assert result.failed == 1 and attempt.failure_reason == "Card declined"
    assert alerted == {w.director1.pk, w.family.pk}
    assert balance > 0


def test_autopay_validation_and_required(billing):
    w = billing.world
    lopez = _autopay_lopez(w, billing)
    with scopes_disabled():
        with pytest.raises(ValidationError) as exc:
            services_collections.set_autopay(
                acting_user=w.director1, account=lopez, enabled=True, method="card", last4="12"
            )
        assert "autopay_last4" in exc.value.message_dict
        from alliance.billing.services import update_settings

        update_settings(acting_user=w.director1, program=w.program1, autopay_required=True)
        with pytest.raises(ValidationError) as exc:
            services_collections.set_autopay(acting_user=w.director1, account=lopez, enabled=False)
        assert "autopay_enabled" in exc.value.message_dict


def test_daily_task_runs_every_job_once(billing):
    """The Huey task (immediate in tests) reloads the program in its scope and calls the
    services; a second run changes nothing."""
    from alliance.billing.tasks_collections import daily_collections_task

    w = billing.world
    post_march(billing)
    _policy(w)
    first = daily_collections_task(w.program1.pk).get()
    second = daily_collections_task(w.program1.pk).get()
    with scopes_disabled():
        fees = LateFeeAssessment.objects.count()
    assert fees > 0
    assert first["late_fees"] == fees and second["late_fees"] == 0
