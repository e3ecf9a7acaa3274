"""Collections: late fee policies and assessments, reminder schedules and the reminder log,
payment plans with installments, autopay attempts. Written only by
``services_collections.py``; late fees are posted as ``Invoice(kind="late_fee")``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.billing.models_base import MONEY, PERCENT
from alliance.core.tenancy import ProgramScopedManager


class LateFeeMethod(models.TextChoices):
    FLAT = "flat", _("Flat amount")
    PERCENT = "percent", _("Percent of the overdue amount")


class LateFeePolicy(models.Model):
    """A program's late-fee rule: after ``grace_days`` past due, a flat fee or a percent of
    the family's overdue amount, never more than ``cap`` (if set), only when the overdue
    amount is at least ``minimum_overdue``. ``BillingSettings.late_fee_policy`` says which
    one is in force."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=5)
    method = models.CharField(_("method"), max_length=10, choices=LateFeeMethod.choices)
    flat_amount = models.DecimalField(
        _("flat fee"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    percent = models.DecimalField(
        _("percent"), **PERCENT, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    cap = models.DecimalField(
        _("cap per invoice"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    minimum_overdue = models.DecimalField(
        _("only when at least this much is overdue"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    effective_from = models.DateField(_("effective from"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = _("late fee policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(flat_amount__gte=0) & models.Q(percent__gte=0),
                name="latefee_amounts_ok",
            )
        ]

    def __str__(self) -> str:
        return self.name


class LateFeeAssessment(models.Model):
    """One late fee charged for one overdue invoice (``sequence`` allows a policy that
    charges again each month). ``fee_invoice`` is the posted late-fee invoice."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    policy = models.ForeignKey(LateFeePolicy, on_delete=models.PROTECT, related_name="+")
    overdue_invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, related_name="late_fees"
    )
    fee_invoice = models.OneToOneField(
        "billing.Invoice", on_delete=models.PROTECT, related_name="late_fee_assessment"
    )
    sequence = models.PositiveSmallIntegerField(default=1)
    overdue_amount = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["overdue_invoice", "sequence"], name="latefee_once_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"late fee {self.amount} on {self.overdue_invoice_id}"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    BOTH = "both", _("Email and text")


class ReminderSchedule(models.Model):
    """A program's reminder cadence, e.g. 3 days before due, on the due date, 7 and 14 days
    after. Steps live in ``ReminderStep``."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReminderStep(models.Model):
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(ReminderSchedule, on_delete=models.CASCADE, related_name="steps")
    days_after_due = models.SmallIntegerField(
        _("days after the due date"), help_text=_("Negative for before the due date.")
    )
    channel = models.CharField(_("channel"), max_length=5, choices=ReminderChannel.choices)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["days_after_due"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "days_after_due"], name="reminderstep_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_after_due:+d} days by {self.channel}"


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Reminder(models.Model):
    """The reminder log: one row per reminder sent (or tried) for an invoice and step, in
    the family's language. Unique per (invoice, step): a step never reminds twice."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "billing.FamilyAccount", on_delete=models.CASCADE, related_name="reminders"
    )
    invoice = models.ForeignKey(
        "billing.Invoice", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.ForeignKey(
        ReminderStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=5, choices=ReminderChannel.choices)
    language = models.CharField(max_length=5, default="en")
    amount_due = models.DecimalField(**MONEY, default=Decimal("0"))
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.QUEUED
    )
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"],
                condition=models.Q(invoice__isnull=False, step__isnull=False),
                name="reminder_once_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.channel} {self.account_id}"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DEFAULTED = "defaulted", _("Defaulted")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentPlan(models.Model):
    """An agreement to pay an overdue amount in installments. While active, the plan's
    invoices are exempt from late fees (collections module)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "billing.FamilyAccount", on_delete=models.PROTECT, related_name="payment_plans"
    )
    total = models.DecimalField(_("amount covered"), **MONEY, validators=[MinValueValidator(0)])
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(status="active"),
                name="paymentplan_one_active_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"plan {self.account_id} {self.total}"


class PaymentPlanInstallment(models.Model):
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="installments")
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    satisfied_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_on"], name="installment_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class AutopayStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class AutopayAttempt(models.Model):
    """One autopay charge attempt; a success links the ``Payment`` it recorded, a failure
    alerts the director and the family."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "billing.FamilyAccount", on_delete=models.CASCADE, related_name="autopay_attempts"
    )
    amount = models.DecimalField(**MONEY)
    attempted_on = models.DateField()
    status = models.CharField(max_length=10, choices=AutopayStatus.choices)
    failure_reason = models.CharField(max_length=300, blank=True)
    payment = models.OneToOneField(
        "billing.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-attempted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "attempted_on"], name="autopay_once_per_day")
        ]

    def __str__(self) -> str:
        return f"autopay {self.account_id} {self.attempted_on} {self.status}"
