"""Billing set-up: settings per program, tuition rates, fees, discounts, family accounts with
payers, CCAP authorizations and one-off charges waiting for the next run.

These rows are editable set-up (through ``services.py``); what was billed is frozen on the
invoice lines, so changing a rate never changes a posted invoice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.billing.models_base import (
    MONEY,
    PERCENT,
    AgeGroup,
    CareSchedule,
    Period,
    ProviderType,
    StarRating,
)
from alliance.core.tenancy import ProgramScopedManager


class BillingSettings(models.Model):
    """One per program: how it bills, what its statements show, and its policies."""

    program = models.OneToOneField(
        "members.Program", on_delete=models.CASCADE, related_name="billing_settings"
    )
    period = models.CharField(
        _("billing period"), max_length=10, choices=Period.choices, default=Period.MONTHLY
    )
    due_days = models.PositiveSmallIntegerField(
        _("days until an invoice is due"), default=10, validators=[MaxValueValidator(90)]
    )
    bill_ccap_difference = models.BooleanField(
        _("bill families the difference between the CCAP rate and our rate"), default=False
    )
    # Statement branding (documents module reads these).
    statement_name = models.CharField(_("name on statements"), max_length=150, blank=True)
    tax_id = models.CharField(
        _("tax ID on statements"),
        max_length=20,
        blank=True,
        help_text=_("Leave blank to use the program's tax ID."),
    )
    remit_to = models.TextField(_("send payments to"), blank=True)
    brand_color = models.CharField(_("brand color"), max_length=7, default="#1f5f8b")
    logo = models.ImageField(_("logo"), upload_to="billing/logos/", blank=True)
    statement_message = models.TextField(_("message on statements"), blank=True)
    # Collections (collections module reads these).
    late_fee_policy = models.ForeignKey(
        "billing.LateFeePolicy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("late fee policy in force"),
    )
    reminder_schedule = models.ForeignKey(
        "billing.ReminderSchedule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reminder schedule in force"),
    )
    autopay_required = models.BooleanField(_("families must use autopay"), default=False)
    # Numbering: services take a row lock and advance these.
    invoice_prefix = models.CharField(_("invoice number prefix"), max_length=10, default="INV")
    next_invoice_number = models.PositiveIntegerField(default=1)
    next_credit_number = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedManager()

    class Meta:
        verbose_name = _("billing settings")
        verbose_name_plural = _("billing settings")

    def __str__(self) -> str:
        return f"billing settings of {self.program_id}"


class TuitionRate(models.Model):
    """The program's price for a classroom (or an age group) and schedule, from a date.

    Lookup order: the classroom's rate, else the age group's rate. A monthly rate billed
    weekly is converted as monthly × 12 ÷ 52 (and a weekly rate billed monthly as
    weekly × 52 ÷ 12)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(
        "members.Classroom", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    age_group = models.CharField(
        _("age group"), max_length=12, choices=AgeGroup.choices, blank=True
    )
    schedule = models.CharField(_("schedule"), max_length=10, choices=CareSchedule.choices)
    period = models.CharField(_("per"), max_length=10, choices=Period.choices)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["classroom_id", "age_group", "schedule", "-effective_from"]
        indexes = [models.Index(fields=["program", "effective_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classroom__isnull=False) | ~models.Q(age_group=""),
                name="tuitionrate_classroom_or_age_group",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="tuitionrate_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="tuitionrate_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.classroom_id or self.age_group} {self.schedule} {self.amount}/{self.period}"


class FeeCharge(models.TextChoices):
    ONCE = "once", _("Once, on the first invoice of an enrollment")
    EVERY_PERIOD = "every_period", _("On every invoice")
    YEARLY = "yearly", _("Once a year, on the first invoice of September")


class FeeType(models.Model):
    """Registration and other fees the runs add per enrolled child."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    charge = models.CharField(_("charged"), max_length=15, choices=FeeCharge.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="feetype_name_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="feetype_amount_ok"),
        ]

    def __str__(self) -> str:
        return self.name


class DiscountKind(models.TextChoices):
    SIBLING = "sibling", _("Sibling discount")
    STAFF = "staff", _("Staff discount")


class DiscountMethod(models.TextChoices):
    PERCENT = "percent", _("Percent of tuition")
    FIXED = "fixed", _("Fixed amount per period")


class DiscountPolicy(models.Model):
    """Policy data per program. Sibling: applies to the second and later child of an
    account (by tuition, highest first, so the family keeps the larger discount on the
    cheaper place). Staff: applies to every child of an account marked as a staff family.
    Discounts reduce only the family-paid tuition of children without a CCAP authorization."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=DiscountKind.choices)
    method = models.CharField(_("method"), max_length=10, choices=DiscountMethod.choices)
    value = models.DecimalField(_("percent or amount"), **MONEY, validators=[MinValueValidator(0)])
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name_plural = _("discount policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0)
                & (~models.Q(method="percent") | models.Q(value__lte=100)),
                name="discount_value_ok",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} {self.method}"


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class FamilyAccount(models.Model):
    """A family's account at one program (one per family per program). Its balance is
    always Σ invoices − Σ payments (refunds and reversals negative) − Σ credit notes."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="billing_accounts"
    )
    number = models.CharField(_("account number"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    staff_family = models.BooleanField(_("staff family (staff discount)"), default=False)
    # Autopay (collections module runs it; the processor token never lives here).
    autopay_enabled = models.BooleanField(_("autopay on file"), default=False)
    autopay_method = models.CharField(_("autopay method"), max_length=10, blank=True)
    autopay_last4 = models.CharField(_("last 4 digits"), max_length=4, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "family"], name="account_one_per_family"),
            models.UniqueConstraint(fields=["program", "number"], name="account_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class Payer(models.Model):
    """Who pays an account's family share, and which percentage of it. The shares of an
    account's active payers sum to 100 (enforced by ``services.set_payers``)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(FamilyAccount, on_delete=models.CASCADE, related_name="payers")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_percent = models.DecimalField(
        _("share (%)"),
        **PERCENT,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(100)],
    )
    is_primary = models.BooleanField(_("primary payer"), default=False)
    # A payer who has paid is never deleted (payments point at it): it is deactivated.
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-is_primary", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_percent__gt=0) & models.Q(share_percent__lte=100),
                name="payer_share_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.share_percent}%)"


class CopaySource(models.TextChoices):
    COMPUTED = "computed", _("Computed from income (CC-236)")
    ENTERED = "entered", _("Entered from the agency's notice")


class CcapAuthorization(models.Model):
    """An agency's authorization to subsidize one child's care at this program. Two
    authorizations of a child at a program never overlap (``services.create_authorization``).
    The age group is derived from the child's birth date on each billed period unless
    ``age_group`` is set (an agency's override)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        FamilyAccount, on_delete=models.PROTECT, related_name="authorizations"
    )
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "billing.SubsidyAgency", on_delete=models.PROTECT, related_name="authorizations"
    )
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    schedule = models.CharField(_("schedule"), max_length=10, choices=CareSchedule.choices)
    provider_type = models.CharField(
        _("provider type"), max_length=20, choices=ProviderType.choices
    )
    star_rating = models.PositiveSmallIntegerField(
        _("Grow NJ Kids rating"), choices=StarRating.choices, default=StarRating.NONE
    )
    special_needs = models.BooleanField(_("special-needs rate"), default=False)
    age_group = models.CharField(
        _("age group override"), max_length=12, choices=AgeGroup.choices, blank=True
    )
    copay_source = models.CharField(
        _("co-pay"), max_length=10, choices=CopaySource.choices, default=CopaySource.ENTERED
    )
    annual_income = models.DecimalField(
        _("annual household income"), **MONEY, null=True, blank=True
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    child_position = models.PositiveSmallIntegerField(
        _("child's place among the family's children in care"), default=1
    )
    weekly_copay = models.DecimalField(
        _("weekly co-pay"), **MONEY, validators=[MinValueValidator(0)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["program", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="authorization_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_copay__gte=0), name="authorization_copay_ok"
            ),
        ]

    def __str__(self) -> str:
        return f"CCAP {self.child_id} {self.starts_on}–{self.ends_on}"

    @property
    def last_day(self):
        return self.ended_early_on or self.ends_on


class OneOffCharge(models.Model):
    """A charge (field trip, late pick-up, supplies) waiting for the next run that covers
    ``charge_on``. The run writes ``invoice_line`` when it bills it, once."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        FamilyAccount, on_delete=models.PROTECT, related_name="pending_charges"
    )
    child = models.ForeignKey(
        "families.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    charge_on = models.DateField(_("charge on"))
    invoice_line = models.OneToOneField(
        "billing.InvoiceLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="one_off_charge",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["charge_on", "pk"]
        indexes = [models.Index(fields=["program", "charge_on"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="oneoff_amount_not_zero")
        ]

    def __str__(self) -> str:
        return self.description
