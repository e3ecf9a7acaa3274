"""Alliances, member programs, their sites and classrooms, membership and applications."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.core.money import format_money
from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager

zip_validator = RegexValidator(r"^\d{5}(-\d{4})?$", _("Enter a 5-digit ZIP code, e.g. 07201."))


class ProgramKind(models.TextChoices):
    CENTER = "center", _("Child care center")
    FAMILY_HOME = "family_home", _("Family child care home")


class QualityRating(models.IntegerChoices):
    NONE = 0, _("Not rated")
    ONE = 1, _("1 star")
    TWO = 2, _("2 stars")
    THREE = 3, _("3 stars")
    FOUR = 4, _("4 stars")
    FIVE = 5, _("5 stars")


class Alliance(models.Model):
    """A county hub: the agency's shared services alliance."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    county = models.CharField(_("county"), max_length=80)
    state = models.CharField(_("state"), max_length=2, default="NJ")
    timezone = models.CharField(_("time zone"), max_length=50, default="America/New_York")
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    about = models.TextField(_("about"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipTier(models.Model):
    """A level of membership with its annual fee (e.g. by program size)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("name"), max_length=80)
    annual_fee = models.DecimalField(
        _("annual fee"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["annual_fee", "name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="tier_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({format_money(self.annual_fee)})"


class Program(models.Model):
    """A member program: a child care center or a registered family child care home."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="programs")
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=ProgramKind.choices)
    license_number = models.CharField(_("license number"), max_length=40, blank=True)
    license_expires_on = models.DateField(_("license expires"), null=True, blank=True)
    licensed_capacity = models.PositiveIntegerField(_("licensed capacity"), default=0)
    staffed_capacity = models.PositiveIntegerField(_("staffed capacity"), default=0)
    ages_min_months = models.PositiveSmallIntegerField(_("youngest age served (months)"), default=0)
    ages_max_months = models.PositiveSmallIntegerField(_("oldest age served (months)"), default=72)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    accepts_ccap = models.BooleanField(_("accepts CCAP subsidy"), default=False)
    quality_rating = models.PositiveSmallIntegerField(
        _("quality rating"), choices=QualityRating.choices, default=QualityRating.NONE
    )
    address = models.CharField(_("street address"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=80)
    zip_code = models.CharField(
        _("ZIP code"), max_length=10, blank=True, validators=[zip_validator]
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    tax_id = models.CharField(_("tax ID (EIN)"), max_length=20, blank=True)
    description = models.TextField(_("about the program"), blank=True)
    listed_in_directory = models.BooleanField(_("listed in the public directory"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(alliance="alliance", program="id")
    unscoped = models.Manager()  # noqa: DJ012 - only for the tenant middleware and back office

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["alliance", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staffed_capacity__lte=models.F("licensed_capacity")),
                name="program_staffed_within_licensed",
            ),
            models.CheckConstraint(
                condition=models.Q(ages_min_months__lte=models.F("ages_max_months")),
                name="program_ages_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def license_days_left(self, today: date) -> int | None:
        if self.license_expires_on is None:
            return None
        return (self.license_expires_on - today).days


class Site(models.Model):
    """A further location of a program (the main address lives on the program)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("street address"), max_length=200)
    town = models.CharField(_("town"), max_length=80)
    zip_code = models.CharField(_("ZIP code"), max_length=10, validators=[zip_validator])

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Classroom(models.Model):
    """A room (or, in a family child care home, the home's group) with its age range."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="classrooms")
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="classrooms"
    )
    name = models.CharField(_("name"), max_length=80)
    age_min_months = models.PositiveSmallIntegerField(
        _("youngest age (months)"), validators=[MaxValueValidator(216)]
    )
    age_max_months = models.PositiveSmallIntegerField(
        _("oldest age (months)"), validators=[MaxValueValidator(216)]
    )
    licensed_capacity = models.PositiveSmallIntegerField(_("licensed capacity"))
    staffed_capacity = models.PositiveSmallIntegerField(_("staffed capacity"))
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["age_min_months", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="classroom_name_unique"),
            models.CheckConstraint(
                condition=models.Q(age_min_months__lte=models.F("age_max_months")),
                name="classroom_ages_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(staffed_capacity__lte=models.F("licensed_capacity")),
                name="classroom_staffed_within_licensed",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Membership(models.Model):
    """A program's membership of its alliance: tier, annual fee, dates, status."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="membership")
    tier = models.ForeignKey(MembershipTier, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    annual_fee = models.DecimalField(_("annual fee"), max_digits=10, decimal_places=2)
    joined_on = models.DateField(_("joined"))
    renews_on = models.DateField(_("renews"))
    fee_paid_through = models.DateField(_("fee paid through"), null=True, blank=True)

    objects = ProgramScopedManager()

    def __str__(self) -> str:
        return f"{self.program_id} {self.status}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class MembershipApplication(models.Model):
    """A provider's request to join, from the public form, reviewed by the hub."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    program_name = models.CharField(_("program name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=ProgramKind.choices)
    contact_name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    license_number = models.CharField(_("license number"), max_length=40)
    license_expires_on = models.DateField(_("license expires"), null=True, blank=True)
    licensed_capacity = models.PositiveIntegerField(_("licensed capacity"))
    address = models.CharField(_("street address"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=80)
    zip_code = models.CharField(_("ZIP code"), max_length=10, validators=[zip_validator])
    ages_min_months = models.PositiveSmallIntegerField(_("youngest age served (months)"))
    ages_max_months = models.PositiveSmallIntegerField(_("oldest age served (months)"))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    accepts_ccap = models.BooleanField(_("accepts CCAP subsidy"), default=False)
    tier = models.ForeignKey(
        MembershipTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("anything else we should know"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note to the applicant"), blank=True)
    program = models.OneToOneField(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # The service checks first with a clear message; these stop a double-submitted
            # form from racing past that check.
            models.UniqueConstraint(
                fields=["alliance", "license_number"],
                condition=models.Q(status="submitted"),
                name="application_open_license_unique",
            ),
            models.UniqueConstraint(
                fields=["alliance", "email"],
                condition=models.Q(status="submitted"),
                name="application_open_email_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_name} ({self.get_status_display()})"
