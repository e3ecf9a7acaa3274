"""The shared job board and talent pool: members' postings, candidates, applications."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import Language
from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager
from alliance.staffing.models_staff import StaffRole


class PostingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")


class Availability(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    EITHER = "either", _("Full or part time")


class JobPosting(models.Model):
    """A job at a member program, shown on the alliance's public job board while open."""

    program = models.ForeignKey(
        "members.Program", on_delete=models.CASCADE, related_name="job_postings"
    )
    title = models.CharField(_("job title"), max_length=120)
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    employment_type = models.CharField(
        _("hours"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
    )
    wage_min = models.DecimalField(
        _("hourly wage from"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    wage_max = models.DecimalField(
        _("hourly wage up to"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.TextField(_("about the job"))
    requirements = models.TextField(_("what you need"), blank=True)
    status = models.CharField(
        max_length=10, choices=PostingStatus.choices, default=PostingStatus.OPEN
    )
    posted_on = models.DateField(_("posted"))
    closes_on = models.DateField(_("applications close"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-posted_on", "-pk"]
        indexes = [models.Index(fields=["program", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wage_max__gte=models.F("wage_min")),
                name="posting_wage_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """A job seeker's one profile in an alliance, reused for every application."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate_profiles",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    town = models.CharField(_("town you live in"), max_length=80)
    towns = models.JSONField(_("towns you could work in"), default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("years working with children"), default=0, validators=[MaxValueValidator(60)]
    )
    experience = models.TextField(_("your experience"), blank=True)
    credentials = models.JSONField(_("credentials you hold"), default=list, blank=True)
    languages = models.JSONField(_("languages you speak"), default=list, blank=True)
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.EITHER
    )
    availability_note = models.CharField(_("days and hours"), max_length=200, blank=True)
    # The language the candidate applied in: their emails are written in it.
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    share_with_members = models.BooleanField(
        _("share my profile with every member program of the alliance"), default=False
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "email"], name="candidate_email_unique")
        ]

    def __str__(self) -> str:
        return self.full_name


class ApplicationStage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENED = "screened", _("Screened")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Not moving forward")
    WITHDRAWN = "withdrawn", _("Withdrawn by the candidate")


PIPELINE = (
    ApplicationStage.APPLIED,
    ApplicationStage.SCREENED,
    ApplicationStage.INTERVIEW,
    ApplicationStage.OFFER,
    ApplicationStage.HIRED,
)


class Application(models.Model):
    """One candidate's application to one posting, moving through the pipeline."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    stage = models.CharField(
        max_length=20, choices=ApplicationStage.choices, default=ApplicationStage.APPLIED
    )
    message = models.TextField(_("message to the program"), blank=True)
    note = models.TextField(_("internal note"), blank=True)
    hired_staff = models.ForeignKey(
        "staffing.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stage_changed_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "candidate"], name="application_once_per_posting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} → {self.posting_id} ({self.stage})"
