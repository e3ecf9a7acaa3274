"""Subsidy claims: agencies, claims per agency and period with a line per child, agency
payments spread over many children, and billing-leakage flags. Written only by
``services_claims.py``.

How an agency payment reaches the ledger: each ``AgencyPaymentAllocation`` posts a
``Payment(payer_kind="agency", method="agency")`` on the child's family account, allocated to
the invoice whose agency share it pays; the gap of a short-paid line is either waived
(``CreditNote(kind="waiver", payer_kind="agency")``) or billed to the family (a manual
invoice), recorded on the line as ``resolution``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.billing.models_base import MONEY
from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager


class SubsidyAgency(models.Model):
    """An agency that pays subsidies (in NJ the county's CCR&R administers CCAP). Belongs to
    the alliance: every program of the county bills the same agency."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(_("short code"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    requires_attendance = models.BooleanField(
        _("claims must list attendance and absence days"), default=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("subsidy agencies")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "code"], name="agency_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PARTIALLY_PAID = "partial", _("Partly paid")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")


class SubsidyClaim(models.Model):
    """A claim to an agency for one period. ``sequence`` 0 is the original claim; 1, 2, …
    are its adjustments (``adjusts`` points at the original): each holds, per
    authorization, the difference between what is owed now and what the original and the
    earlier adjustments claimed. A submitted claim or adjustment never changes."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(SubsidyAgency, on_delete=models.PROTECT, related_name="claims")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    sequence = models.PositiveSmallIntegerField(_("adjustment number"), default=0)
    adjusts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    total_claimed = models.DecimalField(**MONEY, default=Decimal("0"))
    total_paid = models.DecimalField(**MONEY, default=Decimal("0"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-period_start", "agency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "agency", "period_start", "sequence"],
                name="claim_sequence_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(sequence=0, adjusts__isnull=True)
                | models.Q(sequence__gt=0, adjusts__isnull=False),
                name="claim_adjustment_has_original",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="claim_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        if self.sequence:
            return f"claim {self.agency_id} {self.period_start} adjustment {self.sequence}"
        return f"claim {self.agency_id} {self.period_start}"

    @property
    def is_adjustment(self) -> bool:
        return self.adjusts_id is not None

    @property
    def original_id(self) -> int:
        return self.adjusts_id or self.pk


class GapResolution(models.TextChoices):
    NONE = "", _("Open")
    WAIVED = "waived", _("Waived")
    BILLED_FAMILY = "billed_family", _("Billed to the family")


class ClaimLine(models.Model):
    """What the agency owes for one child in the claim's period (from the invoice lines
    with ``payer="agency"``), with attendance where the agency needs it, and what it paid."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(SubsidyClaim, on_delete=models.CASCADE, related_name="lines")
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("billing.FamilyAccount", on_delete=models.PROTECT, related_name="+")
    authorization = models.ForeignKey(
        "billing.CcapAuthorization", on_delete=models.PROTECT, related_name="claim_lines"
    )
    invoice = models.ForeignKey(
        "billing.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    days_scheduled = models.PositiveSmallIntegerField(default=0)
    days_attended = models.PositiveSmallIntegerField(default=0)
    days_absent = models.PositiveSmallIntegerField(default=0)
    amount_claimed = models.DecimalField(**MONEY)
    # On an adjustment's line: what the original and earlier adjustments claimed for this
    # authorization (``amount_claimed`` is then the difference, positive or negative).
    amount_previous = models.DecimalField(**MONEY, default=Decimal("0"))
    amount_paid = models.DecimalField(**MONEY, default=Decimal("0"))
    resolution = models.CharField(
        max_length=15, choices=GapResolution.choices, default=GapResolution.NONE, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["claim_id", "child_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "authorization"], name="claimline_once_per_authorization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.amount_claimed}"

    @property
    def short_paid(self) -> Decimal:
        return max(Decimal("0"), self.amount_claimed - self.amount_paid)

    @property
    def amount_now(self) -> Decimal:
        """On an adjustment's line: what is owed now for the authorization."""
        return self.amount_previous + self.amount_claimed


class AgencyPayment(models.Model):
    """One payment from an agency, usually covering many children (allocations)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(SubsidyAgency, on_delete=models.PROTECT, related_name="payments")
    claim = models.ForeignKey(
        SubsidyClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="agencypayment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.amount} {self.received_on}"


class AgencyPaymentAllocation(models.Model):
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    agency_payment = models.ForeignKey(
        AgencyPayment, on_delete=models.PROTECT, related_name="allocations"
    )
    claim_line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    ledger_payment = models.OneToOneField(
        "billing.Payment", on_delete=models.PROTECT, related_name="agency_allocation"
    )

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.amount}"


class LeakageKind(models.TextChoices):
    ATTENDANCE_BEYOND_SCHEDULE = "beyond_schedule", _("Attendance beyond the billed schedule")
    AUTHORIZATION_EXPIRING = "auth_expiring", _("Authorization about to expire")
    AUTHORIZATION_EXPIRED = "auth_expired", _("Care after the authorization ended")
    UNBILLED_ENROLLMENT = "unbilled", _("Enrolled child not billed")


class LeakageFlag(models.Model):
    """A billing-leakage finding. ``key`` makes detection idempotent (e.g.
    "beyond_schedule:<child>:<week>")."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=LeakageKind.choices)
    key = models.CharField(max_length=120)
    child = models.ForeignKey(
        "families.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    authorization = models.ForeignKey(
        "billing.CcapAuthorization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    detected_on = models.DateField()
    details = models.JSONField(default=dict, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.CharField(max_length=300, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-detected_on"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="leakage_key_unique")
        ]

    def __str__(self) -> str:
        return self.key
