"""Training: the alliance's course catalog, scheduled sessions, registrations (with a
waitlist) and attendance. Hours credited come from attendance; a person's yearly
requirement comes from :mod:`alliance.rules.training`."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import AllianceScopedManager


class Topic(models.TextChoices):
    HEALTH_SAFETY = "health_safety", _("Health and safety")
    CPR_FIRST_AID = "cpr_first_aid", _("CPR and First Aid")
    INFANT_TODDLER = "infant_toddler", _("Infants and toddlers")
    CURRICULUM = "curriculum", _("Curriculum")
    SCREENING = "screening", _("Screening and assessment")
    FAMILIES = "families", _("Working with families")
    LEADERSHIP = "leadership", _("Leadership and administration")
    OTHER = "other", _("Other")


class SessionLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class Course(models.Model):
    """A course the alliance offers; it is taught in one or more sessions."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=150)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    description = models.TextField(_("description"), blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Training hours a participant earns; sessions start with this figure."),
    )
    is_orientation = models.BooleanField(
        _("orientation training"),
        default=False,
        help_text=_("Orientation counts for at most 6 of the 20 hours of lead staff."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "title"], name="course_title_unique"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0),
                name="course_hours_positive",
                violation_error_message=_("Hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Session(models.Model):
    """One occurrence of a course: when, where (or online), seats, hours, language, trainer."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    language = models.CharField(
        _("language"), max_length=5, choices=SessionLanguage.choices, default="en"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trainer"),
    )
    trainer_name = models.CharField(
        _("trainer's name"),
        max_length=150,
        blank=True,
        help_text=_("For an outside trainer without an account."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    notes = models.TextField(_("notes for participants"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["alliance", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(seats__gte=1),
                name="session_has_seats",
                violation_error_message=_("A session needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0),
                name="session_hours_positive",
                violation_error_message=_("Hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"

    @property
    def trainer_display(self) -> str:
        if self.trainer_name:
            return self.trainer_name
        return str(self.trainer) if self.trainer_id else ""


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    UNMARKED = "unmarked", _("Not marked")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


def new_certificate_code() -> str:
    return secrets.token_hex(5).upper()


class Registration(models.Model):
    """One person's place (or place in line) at one session, and whether they came."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    # The program the person works at when they registered (none for substitutes), so a
    # director's compliance view and the registry export can group by program.
    program = models.ForeignKey(
        "members.Program", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNMARKED
    )
    # Bumped by every attendance change: a trainer's form carries the version it saw, so two
    # trainers marking at once never silently overwrite each other (see mark_attendance).
    attendance_version = models.PositiveIntegerField(default=0)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    certificate_code = models.CharField(max_length=12, default=new_certificate_code, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["session", "status", "waitlisted_at"]),
            models.Index(fields=["person", "attendance"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ session {self.session_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class FeedToken(models.Model):
    """The secret in a person's personal calendar feed URL (one per person and alliance).

    Shown to its owner so they can paste it into a calendar app; resetting it cuts off every
    calendar that still uses the old URL."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_feed_tokens"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alliance", "person"], name="feed_token_once")
        ]

    def __str__(self) -> str:
        return f"Training feed of {self.person_id}"
