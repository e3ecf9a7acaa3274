"""Collections: late fees by policy, reminders, autopay and payment plans.

Guarantees: every writer is atomic and audited; the daily jobs are idempotent (a late fee is
assessed once per overdue invoice — ``LateFeeAssessment`` is unique; a reminder is logged
once per invoice and step — ``Reminder`` is unique; autopay tries an account once a day);
money moves only through the ledger services (late fees are ``post_manual_invoice`` with
kind ``late_fee``, waivers are credit notes, autopay payments are ``record_payment``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.billing import queries
from alliance.billing.models import (
    AutopayAttempt,
    AutopayStatus,
    FamilyAccount,
    Invoice,
    InvoiceKind,
    LateFeeAssessment,
    LateFeeMethod,
    LateFeePolicy,
    LineKind,
    PayerKind,
    Payment,
    PaymentPlan,
    PaymentPlanInstallment,
    PlanStatus,
    Reminder,
    ReminderChannel,
    ReminderSchedule,
    ReminderStatus,
    ReminderStep,
)
from alliance.billing.services import (
    _audit,
    issue_credit,
    parse_amount,
    post_manual_invoice,
    settings_for,
    update_settings,
)
from alliance.billing.services_payments import record_payment
from alliance.core.money import to_money
from alliance.core.policy import RoleKind
from alliance.members.models import Program

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
REMINDER_CATCH_UP_DAYS = 7  # a missed daily job still sends a step within a week
PLAN_DEFAULT_AFTER_DAYS = 30


# --- pure arithmetic ---------------------------------------------------------------------


def late_fee_amount(
    *,
    method: str,
    overdue: Decimal,
    flat_amount: Decimal = ZERO,
    percent: Decimal = ZERO,
    cap: Decimal | None = None,
    minimum_overdue: Decimal = ZERO,
) -> Decimal:
    """The late fee for ``overdue``: nothing below ``minimum_overdue`` (or when nothing is
    overdue); else the flat fee, or ``percent`` of the overdue amount rounded half-up to
    the cent; never above ``cap`` (when set), never negative."""
    if overdue <= 0 or overdue < minimum_overdue:
        return ZERO
    if method == LateFeeMethod.FLAT:
        fee = flat_amount
    elif method == LateFeeMethod.PERCENT:
        fee = to_money(overdue * percent / HUNDRED)
    else:
        raise ValueError(f"Unknown late fee method {method!r}.")
    if cap is not None:
        fee = min(fee, cap)
    return max(ZERO, to_money(fee))


def split_installments(total: Decimal, count: int) -> list[Decimal]:
    """``total`` in ``count`` installments to the cent that add up exactly: equal parts
    rounded down, the leftover cents on the first installments."""
    if count < 1:
        raise ValueError("At least one installment.")
    cents = int((total / CENT).to_integral_value())
    base, extra = divmod(cents, count)
    return [(Decimal(base + (1 if i < extra else 0)) * CENT) for i in range(count)]


def add_months(day: date, months: int) -> date:
    from calendar import monthrange

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


# --- late fees ---------------------------------------------------------------------------------


def _decimal(value: Any, field: str, *, allow_zero: bool = True) -> Decimal:
    return parse_amount(value, field, allow_zero=allow_zero)


@transaction.atomic
def save_late_fee_policy(
    *,
    acting_user: User,
    program: Program,
    method: str,
    grace_days: Any = 5,
    flat_amount: Any = "0",
    percent: Any = "0",
    cap: Any = None,
    minimum_overdue: Any = "0",
    effective_from: date | None = None,
    name: str = "",
) -> LateFeePolicy:
    """Put a new late-fee policy in force (the previous one stays for past assessments)."""
    if method not in LateFeeMethod.values:
        raise ValidationError(
            {"method": _("Choose a flat fee or a percent of the overdue amount.")}
        )
    try:
        grace = int(str(grace_days).strip())
    except ValueError:
        grace = -1
    if grace < 0 or grace > 90:
        raise ValidationError({"grace_days": _("Enter whole days between 0 and 90.")})
    flat = _decimal(flat_amount or "0", "flat_amount")
    pct = _decimal(percent or "0", "percent")
    if pct > HUNDRED:
        raise ValidationError({"percent": _("A percent is at most 100.")})
    if method == LateFeeMethod.FLAT and flat <= 0:
        raise ValidationError({"flat_amount": _("Enter the flat fee, e.g. 25.00.")})
    if method == LateFeeMethod.PERCENT and pct <= 0:
        raise ValidationError({"percent": _("Enter the percent, e.g. 1.5.")})
    cap_value = None if cap in (None, "") else _decimal(cap, "cap")
    policy = LateFeePolicy.objects.create(
        program=program,
        name=(name or "").strip()[:100] or _("Late fee policy"),
        grace_days=grace,
        method=method,
        flat_amount=flat,
        percent=pct,
        cap=cap_value,
        minimum_overdue=_decimal(minimum_overdue or "0", "minimum_overdue"),
        effective_from=effective_from or timezone.localdate(),
    )
    update_settings(acting_user=acting_user, program=program, late_fee_policy=policy)
    _audit(acting_user, "late_fee_policy_set", policy, program, summary=str(policy))
    return policy


@transaction.atomic
def turn_off_late_fees(*, acting_user: User, program: Program) -> None:
    update_settings(acting_user=acting_user, program=program, late_fee_policy=None)


def plan_is_current(plan: PaymentPlan, today: date, grace_days: int = 0) -> bool:
    """An active plan whose installments due (plus grace) are all paid."""
    if plan.status != PlanStatus.ACTIVE:
        return False
    limit = today - timedelta(days=grace_days)
    return not any(i.satisfied_on is None and i.due_on < limit for i in plan.installments.all())


@dataclass
class AssessResult:
    assessed: int = 0
    total: Decimal = ZERO
    paused_by_plan: int = 0


@transaction.atomic
def assess_late_fees(
    *, program: Program, today: date | None = None, acting_user: User | None = None
) -> AssessResult:
    """Charge the policy's late fee on every family-overdue invoice past its grace days,
    once per invoice. Invoices due before the policy took effect, late-fee invoices
    themselves and accounts with a current payment plan are skipped."""
    today = today or timezone.localdate()
    result = AssessResult()
    settings = settings_for(program)
    policy = settings.late_fee_policy
    if policy is None:
        return result
    cutoff = today - timedelta(days=policy.grace_days)
    candidates = list(
        queries.with_open_amounts(
            Invoice.objects.filter(
                program=program, due_on__lt=cutoff, due_on__gte=policy.effective_from
            )
            .exclude(kind=InvoiceKind.LATE_FEE)
            .exclude(late_fees__sequence=1)
            .select_related("account")
        ).order_by("due_on", "pk")
    )
    plans = {
        p.account_id: p
        for p in PaymentPlan.objects.filter(
            program=program, status=PlanStatus.ACTIVE
        ).prefetch_related("installments")
    }
    for inv in candidates:
        overdue = inv.family_amount - queries.cents(inv.family_applied)
        plan = plans.get(inv.account_id)
        if plan is not None and plan_is_current(plan, today):
            result.paused_by_plan += 1
            continue
        fee = late_fee_amount(
            method=policy.method,
            overdue=overdue,
            flat_amount=policy.flat_amount,
            percent=policy.percent,
            cap=policy.cap,
            minimum_overdue=policy.minimum_overdue,
        )
        if fee <= 0:
            continue
        try:
            with transaction.atomic():
                fee_invoice = post_manual_invoice(
                    acting_user=acting_user,
                    account=inv.account,
                    lines=[
                        {
                            "kind": LineKind.LATE_FEE,
                            "description": _("Late fee on invoice %(number)s")
                            % {"number": inv.number},
                            "amount": fee,
                        }
                    ],
                    issued_on=today,
                    memo=_("Late fee: %(number)s was due %(due)s")
                    % {"number": inv.number, "due": inv.due_on.isoformat()},
                    kind=InvoiceKind.LATE_FEE,
                )
                LateFeeAssessment.objects.create(
                    program=program,
                    policy=policy,
                    overdue_invoice=inv,
                    fee_invoice=fee_invoice,
                    sequence=1,
                    overdue_amount=overdue,
                    amount=fee,
                    assessed_on=today,
                    assessed_by=acting_user,
                )
        except IntegrityError:
            continue  # assessed concurrently: once is enough
        result.assessed += 1
        result.total += fee
    if result.assessed:
        _audit(
            acting_user, "late_fees_assessed", program, program,
            summary=f"{result.assessed} {result.total}",
        )  # fmt: skip
    return result


@transaction.atomic
def waive_late_fee(
    *, acting_user: User, assessment: LateFeeAssessment, reason: str
) -> LateFeeAssessment:
    """Waive what is still open of a late fee with a credit note (the fee invoice stays)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for waiving the fee.")})
    fee_invoice = assessment.fee_invoice
    open_amount = queries.open_amounts([fee_invoice.pk])[fee_invoice.pk]
    if open_amount <= 0:
        raise ValidationError({"reason": _("Nothing is open on this late fee any more.")})
    issue_credit(
        acting_user=acting_user,
        account=fee_invoice.account,
        amount=open_amount,
        reason=reason,
        invoice=fee_invoice,
    )
    return assessment


# --- reminders -------------------------------------------------------------------------------


@transaction.atomic
def save_reminder_schedule(
    *, acting_user: User, program: Program, steps: Sequence[tuple[Any, str]], name: str = ""
) -> ReminderSchedule:
    """Put a reminder schedule in force. ``steps``: (days after the due date — negative
    before —, channel)."""
    if not steps:
        raise ValidationError({"steps": _("Add at least one reminder step.")})
    parsed: dict[int, str] = {}
    for i, (days, channel) in enumerate(steps):
        try:
            n = int(str(days).strip())
        except ValueError:
            raise ValidationError(
                {f"steps.{i}.days_after_due": _("Enter whole days, e.g. -3, 0 or 7.")}
            ) from None
        if not -60 <= n <= 120:
            raise ValidationError(
                {f"steps.{i}.days_after_due": _("Enter days between -60 and 120.")}
            )
        if channel not in ReminderChannel.values:
            raise ValidationError({f"steps.{i}.channel": _("Choose email, text or both.")})
        if n in parsed:
            raise ValidationError({f"steps.{i}.days_after_due": _("Each day only once.")})
        parsed[n] = channel
    schedule = ReminderSchedule.objects.create(
        program=program, name=(name or "").strip()[:100] or _("Reminders")
    )
    ReminderStep.objects.bulk_create(
        ReminderStep(program=program, schedule=schedule, days_after_due=n, channel=c)
        for n, c in sorted(parsed.items())
    )
    update_settings(acting_user=acting_user, program=program, reminder_schedule=schedule)
    _audit(acting_user, "reminder_schedule_set", schedule, program, data={"steps": parsed})
    return schedule


def _channels(channel: str) -> list[str]:
    from alliance.notifications.models import Channel

    if channel == ReminderChannel.EMAIL:
        return [Channel.IN_APP, Channel.EMAIL]
    if channel == ReminderChannel.SMS:
        return [Channel.IN_APP, Channel.SMS]
    return [Channel.IN_APP, Channel.EMAIL, Channel.SMS]


@transaction.atomic
def send_reminders(*, program: Program, today: date | None = None) -> int:
    """Send each step of the schedule in force for every invoice with something open for
    the family, once per invoice and step, in the family's language. A family without a
    sign-in is logged as skipped. Returns the number of reminders logged."""
    from alliance.notifications.services import notify

    today = today or timezone.localdate()
    schedule = settings_for(program).reminder_schedule
    if schedule is None or not schedule.is_active:
        return 0
    steps = list(ReminderStep.objects.filter(schedule=schedule))
    logged = 0
    for step in steps:
        # Invoices whose step day is today (or up to a week ago, if a job was missed).
        due_hi = today - timedelta(days=step.days_after_due)
        due_lo = due_hi - timedelta(days=REMINDER_CATCH_UP_DAYS)
        invoices = list(
            queries.with_open_amounts(
                Invoice.objects.filter(program=program, due_on__gt=due_lo, due_on__lte=due_hi)
                .exclude(reminders__step=step)
                .select_related("account__family__account")
            ).order_by("due_on", "pk")
        )
        for inv in invoices:
            open_amount = inv.family_amount - queries.cents(inv.family_applied)
            if open_amount <= 0:
                continue
            family = inv.account.family
            reminder = Reminder(
                program=program,
                account=inv.account,
                invoice=inv,
                step=step,
                channel=step.channel,
                language=family.language or "en",
                amount_due=open_amount,
            )
            user = family.account
            if user is None:
                reminder.status = ReminderStatus.SKIPPED
                reminder.error = "no sign-in for this family"
            try:
                with transaction.atomic():
                    reminder.save()
                    if user is not None:
                        notify(
                            recipient=user,
                            kind="billing_reminder",
                            context={
                                "program_name": program.name,
                                "number": inv.number,
                                "amount": open_amount,
                                "due_on": inv.due_on,
                                "days_after_due": step.days_after_due,
                            },
                            alliance=program.alliance,
                            program=program,
                            channels=_channels(step.channel),
                            link=reverse("billing:my_billing"),
                        )
                        reminder.status = ReminderStatus.SENT
                        reminder.sent_at = timezone.now()
                        reminder.save(update_fields=["status", "sent_at"])
            except IntegrityError:
                continue  # logged by a concurrent run
            logged += 1
    return logged


# --- autopay -----------------------------------------------------------------------------------


@dataclass
class ChargeResult:
    status: str  # AutopayStatus
    reference: str = ""
    failure_reason: str = ""


class Processor(Protocol):
    """A payment processor: charge an account's method on file."""

    method: str

    def charge(self, *, account: FamilyAccount, amount: Decimal) -> ChargeResult: ...


class ManualProcessor:
    """The default processor: records the attempt as pending; the director confirms it
    (the money arrived) or marks it failed."""

    method = "ach"

    def charge(self, *, account: FamilyAccount, amount: Decimal) -> ChargeResult:
        return ChargeResult(status=AutopayStatus.PENDING)


@transaction.atomic
def set_autopay(
    *, acting_user: User, account: FamilyAccount, enabled: bool, method: str = "", last4: str = ""
) -> FamilyAccount:
    """Put a payment method on file (or take it off). The processor token never lives here:
    only the method and the last four digits, to show."""
    method = (method or "").strip()
    last4 = (last4 or "").strip()
    if enabled:
        if method not in ("ach", "card"):
            raise ValidationError({"autopay_method": _("Choose ACH (bank account) or card.")})
        if not (len(last4) == 4 and last4.isdigit()):
            raise ValidationError({"autopay_last4": _("Enter the last 4 digits.")})
    elif settings_for(account.program).autopay_required:
        raise ValidationError(
            {"autopay_enabled": _("This program requires autopay; replace the method instead.")}
        )
    account.autopay_enabled = enabled
    account.autopay_method = method if enabled else ""
    account.autopay_last4 = last4 if enabled else ""
    account.save(update_fields=["autopay_enabled", "autopay_method", "autopay_last4"])
    _audit(
        acting_user, "autopay_set", account, account.program,
        summary=f"{account.number} {'on' if enabled else 'off'} {method} {last4}".strip(),
    )  # fmt: skip
    return account


def _settle(attempt: AutopayAttempt, acting_user: User | None, reference: str = "") -> Payment:
    account = attempt.account
    recorded = record_payment(
        acting_user=acting_user,
        account=account,
        amount=attempt.amount,
        method=account.autopay_method or "ach",
        received_on=attempt.attempted_on,
        reference=reference or f"AUTOPAY-{attempt.pk}",
        note=_("Autopay"),
    )
    attempt.status = AutopayStatus.SUCCEEDED
    attempt.payment = recorded.payment
    attempt.save(update_fields=["status", "payment"])
    return recorded.payment


def _alert_failure(attempt: AutopayAttempt) -> None:
    from alliance.accounts.models import Role
    from alliance.notifications.services import notify

    program = attempt.program
    account = attempt.account
    context = {
        "program_name": program.name,
        "account_number": account.number,
        "family_name": account.family.name,
        "amount": attempt.amount,
        "reason": attempt.failure_reason,
    }
    directors = User.objects.filter(
        pk__in=Role.objects.filter(program=program, kind=RoleKind.DIRECTOR).values("user")
    )
    for director in directors:
        notify(
            recipient=director, kind="billing_autopay_failed", context=context,
            alliance=program.alliance, program=program,
            link=reverse("billing:collections_account", args=[program.slug, account.pk]),
        )  # fmt: skip
    if account.family.account is not None:
        notify(
            recipient=account.family.account, kind="billing_autopay_failed",
            context={**context, "to_family": True}, alliance=program.alliance, program=program,
            link=reverse("billing:my_billing"),
        )  # fmt: skip


@dataclass
class AutopayResult:
    attempted: int = 0
    succeeded: int = 0
    pending: int = 0
    failed: int = 0


@transaction.atomic
def run_autopay(
    *, program: Program, today: date | None = None, processor: Processor | None = None
) -> AutopayResult:
    """Charge every autopay account the family amount open on invoices due by today, once
    a day per account. A success records the payment; a pending attempt waits for the
    director; a failure alerts the director and the family."""
    today = today or timezone.localdate()
    processor = processor or ManualProcessor()
    result = AutopayResult()
    accounts = list(
        FamilyAccount.objects.filter(program=program, autopay_enabled=True)
        .exclude(autopay_attempts__attempted_on=today)
        .exclude(autopay_attempts__status=AutopayStatus.PENDING)
        .select_related("family__account", "program")
    )
    if not accounts:
        return result
    due: dict[int, Decimal] = {}
    for inv in queries.with_open_amounts(
        Invoice.objects.filter(account__in=accounts, due_on__lte=today)
    ):
        due[inv.account_id] = due.get(inv.account_id, ZERO) + max(
            ZERO, inv.family_amount - queries.cents(inv.family_applied)
        )
    for account in accounts:
        amount = due.get(account.pk, ZERO)
        if amount <= 0:
            continue
        charge = processor.charge(account=account, amount=amount)
        attempt = AutopayAttempt.objects.create(
            program=program,
            account=account,
            amount=amount,
            attempted_on=today,
            status=charge.status,
            failure_reason=charge.failure_reason[:300],
        )
        result.attempted += 1
        if charge.status == AutopayStatus.SUCCEEDED:
            _settle(attempt, None, charge.reference)
            result.succeeded += 1
        elif charge.status == AutopayStatus.FAILED:
            _alert_failure(attempt)
            result.failed += 1
        else:
            result.pending += 1
    if result.attempted:
        _audit(None, "autopay_run", program, program, data=result.__dict__)
    return result


@transaction.atomic
def confirm_autopay(
    *, acting_user: User, attempt: AutopayAttempt, reference: str = ""
) -> AutopayAttempt:
    """The director saw the money arrive: record the payment."""
    attempt = (
        AutopayAttempt.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=attempt.pk)
    )
    if attempt.status != AutopayStatus.PENDING:
        raise ValidationError({"status": _("This attempt is already settled.")})
    _settle(attempt, acting_user, reference)
    _audit(acting_user, "autopay_confirmed", attempt, attempt.program, summary=str(attempt.amount))
    return attempt


@transaction.atomic
def fail_autopay(*, acting_user: User, attempt: AutopayAttempt, reason: str) -> AutopayAttempt:
    """The charge bounced or was declined: record why and alert director and family."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the payment failed, e.g. insufficient funds.")})
    attempt = (
        # Lock the attempt only: the family's account is an outer join, which PostgreSQL
        # cannot lock.
        AutopayAttempt.objects.select_for_update(of=("self",))
        .select_related("account__family__account", "program")
        .get(pk=attempt.pk)
    )
    if attempt.status != AutopayStatus.PENDING:
        raise ValidationError({"status": _("This attempt is already settled.")})
    attempt.status = AutopayStatus.FAILED
    attempt.failure_reason = reason[:300]
    attempt.save(update_fields=["status", "failure_reason"])
    _alert_failure(attempt)
    _audit(acting_user, "autopay_failed", attempt, attempt.program, summary=reason[:200])
    return attempt


# --- payment plans -------------------------------------------------------------------------------


@transaction.atomic
def create_payment_plan(
    *,
    acting_user: User,
    account: FamilyAccount,
    installments: Any,
    first_due_on: date,
    total: Any = None,
    note: str = "",
    today: date | None = None,
) -> PaymentPlan:
    """A plan to pay the account's overdue family balance (or ``total``) in monthly
    installments that add up exactly. One active plan per account."""
    today = today or timezone.localdate()
    try:
        count = int(str(installments).strip())
    except ValueError:
        count = 0
    if not 1 <= count <= 24:
        raise ValidationError({"installments": _("Enter between 1 and 24 installments.")})
    if first_due_on < today:
        raise ValidationError({"first_due_on": _("The first installment cannot be in the past.")})
    if PaymentPlan.objects.filter(account=account, status=PlanStatus.ACTIVE).exists():
        raise ValidationError({"account": _("This account already has an active plan.")})
    if total in (None, ""):
        overdue = sum(
            (
                inv.open_amount
                for inv in queries.open_invoices(account, PayerKind.FAMILY)
                if inv.due_on < today
            ),
            ZERO,
        )
        if overdue <= 0:
            raise ValidationError({"total": _("Nothing is overdue on this account.")})
        amount = overdue
    else:
        amount = parse_amount(total, "total")
    plan = PaymentPlan.objects.create(
        program=account.program,
        account=account,
        total=amount,
        note=(note or "").strip()[:300],
        created_by=acting_user,
    )
    PaymentPlanInstallment.objects.bulk_create(
        PaymentPlanInstallment(
            program=account.program,
            plan=plan,
            due_on=add_months(first_due_on, i),
            amount=part,
        )
        for i, part in enumerate(split_installments(amount, count))
    )
    _audit(
        acting_user, "payment_plan_created", plan, account.program,
        summary=f"{account.number} {amount} in {count}",
    )  # fmt: skip
    return plan


@transaction.atomic
def cancel_payment_plan(*, acting_user: User, plan: PaymentPlan, reason: str) -> PaymentPlan:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the plan is cancelled.")})
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active plan can be cancelled.")})
    plan.status = PlanStatus.CANCELLED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at"])
    _audit(acting_user, "payment_plan_cancelled", plan, plan.program, summary=reason[:200])
    return plan


def installment_status(
    installments: Sequence[PaymentPlanInstallment], paid: Decimal
) -> list[date | None]:
    """Which installments ``paid`` covers, oldest first (cumulatively); pure."""
    out = []
    running = ZERO
    for inst in installments:
        running += inst.amount
        out.append(inst.due_on if paid >= running else None)
    return out


@transaction.atomic
def refresh_payment_plans(*, program: Program, today: date | None = None) -> int:
    """Mark installments paid as family payments arrive (payments since the plan began,
    oldest installment first); complete a fully paid plan; a plan with an installment more
    than 30 days late is defaulted. Returns the number of plans changed."""
    today = today or timezone.localdate()
    changed = 0
    plans = list(
        PaymentPlan.objects.filter(program=program, status=PlanStatus.ACTIVE).prefetch_related(
            "installments"
        )
    )
    for plan in plans:
        paid = (
            Payment.objects.filter(
                account_id=plan.account_id,
                payer_kind=PayerKind.FAMILY,
                received_on__gte=plan.created_at.date(),
            ).aggregate(s=Sum("amount"))["s"]
            or ZERO
        )
        installments = list(plan.installments.all())
        touched = False
        for inst, covered in zip(installments, installment_status(installments, paid), strict=True):
            satisfied = min(today, inst.due_on) if covered else None
            if (inst.satisfied_on is None) != (satisfied is None):
                inst.satisfied_on = today if satisfied else None
                inst.save(update_fields=["satisfied_on"])
                touched = True
        if all(i.satisfied_on for i in installments):
            plan.status = PlanStatus.COMPLETED
            plan.closed_at = timezone.now()
            plan.save(update_fields=["status", "closed_at"])
            touched = True
        elif any(
            i.satisfied_on is None and i.due_on < today - timedelta(days=PLAN_DEFAULT_AFTER_DAYS)
            for i in installments
        ):
            plan.status = PlanStatus.DEFAULTED
            plan.closed_at = timezone.now()
            plan.save(update_fields=["status", "closed_at"])
            touched = True
        changed += touched
    return changed
