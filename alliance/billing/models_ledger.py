"""The ledger: billing runs, invoices and their lines, payments (refunds and reversals are
negative payments), credit notes, and allocations of payments and credits to invoices.

Every row here except ``BillingRun`` and ``PaymentImport`` is immutable once inserted: the
model refuses ``save()`` of an existing row and ``delete()``, the queryset refuses
``update()``/``delete()``, and the services never try. Corrections are new rows.

Invariants (tested with hypothesis in ``tests/billing/test_ledger_invariants.py``):

* account balance = Σ invoice.total − Σ payment.amount − Σ credit_note.amount
  (per payer kind too: family and agency);
* invoice.total = invoice.family_amount + invoice.agency_amount = Σ its lines' amounts;
* an invoice's open amount = total − Σ its allocations, never below zero per payer kind;
* a payment's allocations sum to at most its amount (the rest is unapplied credit).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.billing.models_base import (
    MONEY,
    LedgerEntry,
    PayerKind,
    Period,
    ProgramLedgerManager,
)
from alliance.core.tenancy import ProgramScopedManager


class BillingRun(models.Model):
    """One posted run for one period of one program. Preview writes nothing; posting
    writes the run and all its invoices in one transaction. ``(program, period_start)`` is
    unique, so the same period is never billed twice (the service also checks first and
    answers with a clear message)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    issued_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"))
    invoice_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(**MONEY, default=0)
    family_total = models.DecimalField(**MONEY, default=0)
    agency_total = models.DecimalField(**MONEY, default=0)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period_start"], name="billingrun_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="billingrun_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start}–{self.period_end}"


class InvoiceKind(models.TextChoices):
    PERIOD = "period", _("Billing run")
    MANUAL = "manual", _("Manual invoice")
    LATE_FEE = "late_fee", _("Late fee")


class Invoice(LedgerEntry):
    """A posted invoice. ``family_amount`` is owed by the account's payers, ``agency_amount``
    by the subsidy agency (claimed by the claims module)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "billing.FamilyAccount", on_delete=models.PROTECT, related_name="invoices"
    )
    run = models.ForeignKey(
        BillingRun, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.PERIOD)
    number = models.CharField(_("number"), max_length=30)
    issued_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"))
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    total = models.DecimalField(_("total"), **MONEY)
    family_amount = models.DecimalField(_("family pays"), **MONEY)
    agency_amount = models.DecimalField(_("agency pays"), **MONEY)
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramLedgerManager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["program", "issued_on"]),
            models.Index(fields=["program", "due_on"]),
            models.Index(fields=["account", "issued_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="invoice_number_unique"),
            models.UniqueConstraint(
                fields=["account", "period_start"],
                condition=models.Q(kind="period"),
                name="invoice_once_per_account_period",
            ),
            # A tolerance, not equality: SQLite compares decimals as floating point (86.67 +
            # 1113.33 is not exactly 1200.00 there); on PostgreSQL numeric is exact anyway.
            models.CheckConstraint(
                condition=models.Q(
                    total__gte=models.F("family_amount")
                    + models.F("agency_amount")
                    - Decimal("0.001"),
                    total__lte=models.F("family_amount")
                    + models.F("agency_amount")
                    + Decimal("0.001"),
                ),
                name="invoice_total_is_the_split",
            ),
            models.CheckConstraint(
                condition=models.Q(family_amount__gte=0) & models.Q(agency_amount__gte=0),
                name="invoice_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LineKind(models.TextChoices):
    TUITION = "tuition", _("Tuition")
    SUBSIDY = "subsidy", _("CCAP subsidy")
    COPAY = "copay", _("CCAP co-pay")
    DIFFERENCE = "difference", _("Difference to the program's rate")
    DISCOUNT = "discount", _("Discount")
    FEE = "fee", _("Fee")
    CHARGE = "charge", _("Charge")
    LATE_FEE = "late_fee", _("Late fee")


class InvoiceLine(LedgerEntry):
    """One line of an invoice: what, for which child, paid by whom. Discounts are negative.
    ``days_billed``/``days_scheduled`` record proration (scheduled days in the period)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    child = models.ForeignKey(
        "families.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrollment = models.ForeignKey(
        "enrollment.Enrollment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorization = models.ForeignKey(
        "billing.CcapAuthorization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
    )
    kind = models.CharField(max_length=12, choices=LineKind.choices)
    payer = models.CharField(max_length=10, choices=PayerKind.choices)
    description = models.CharField(_("description"), max_length=200)
    days_billed = models.PositiveSmallIntegerField(null=True, blank=True)
    days_scheduled = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)

    objects = ProgramLedgerManager()

    class Meta:
        ordering = ["invoice_id", "pk"]
        indexes = [models.Index(fields=["program", "kind"])]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CHECK = "check", _("Check")
    ACH = "ach", _("ACH / bank transfer")
    CARD = "card", _("Card")
    AGENCY = "agency", _("Agency payment")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    REVERSAL = "reversal", _("Reversal")


class PaymentImport(models.Model):
    """One imported bank/processor CSV: all its rows posted together, or none."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    mapping = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(**MONEY, default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.filename


class Payment(LedgerEntry):
    """Money received (amount > 0) or given back: a refund or a reversal of a payment
    recorded in error is a new row with a negative amount, a reason and ``reverses``.

    ``idempotency_key`` (API) is unique per program; ``request_hash`` tells a retry of the
    same request from a different request with the same key."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "billing.FamilyAccount", on_delete=models.PROTECT, related_name="payments"
    )
    payer = models.ForeignKey(
        "billing.Payer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payer_kind = models.CharField(
        max_length=10, choices=PayerKind.choices, default=PayerKind.FAMILY
    )
    kind = models.CharField(max_length=10, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    import_batch = models.ForeignKey(
        PaymentImport, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramLedgerManager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["program", "received_on"]),
            models.Index(fields=["program", "reference"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="payment_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "reference"],
                condition=models.Q(import_batch__isnull=False),
                name="payment_imported_reference_unique",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="payment") & models.Q(amount__gt=0))
                | (~models.Q(kind="payment") & models.Q(amount__lt=0)),
                name="payment_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="payment") | ~models.Q(reason=""),
                name="payment_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.received_on}"


class CreditKind(models.TextChoices):
    CREDIT = "credit", _("Credit")
    REVERSAL = "reversal", _("Invoice reversal")
    WRITE_OFF = "write_off", _("Bad debt write-off")
    WAIVER = "waiver", _("Subsidy gap waived")


class CreditNote(LedgerEntry):
    """A credit against an account (usually against one invoice), with a reason and who."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "billing.FamilyAccount", on_delete=models.PROTECT, related_name="credit_notes"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    kind = models.CharField(max_length=10, choices=CreditKind.choices, default=CreditKind.CREDIT)
    payer_kind = models.CharField(
        max_length=10, choices=PayerKind.choices, default=PayerKind.FAMILY
    )
    number = models.CharField(_("number"), max_length=30)
    amount = models.DecimalField(_("amount"), **MONEY)
    issued_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramLedgerManager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="credit_number_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="credit_positive"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="credit_has_reason"),
        ]

    def __str__(self) -> str:
        return self.number


class Allocation(LedgerEntry):
    """Part of a payment or credit note applied to an invoice (exactly one source). A
    refund or reversal that takes money back from invoices has negative allocations."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    credit_note = models.ForeignKey(
        CreditNote, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    payer_kind = models.CharField(max_length=10, choices=PayerKind.choices)
    amount = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramLedgerManager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(payment__isnull=False) & models.Q(credit_note__isnull=True))
                | (models.Q(payment__isnull=True) & models.Q(credit_note__isnull=False)),
                name="allocation_one_source",
            ),
            models.CheckConstraint(condition=~models.Q(amount=0), name="allocation_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} → {self.invoice_id}"
