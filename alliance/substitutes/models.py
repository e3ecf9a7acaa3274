"""The shared substitute pool: profiles, requests for cover, offers, assignments, and what
follows a shift (timesheets, ratings, invoices).

Credentials (CPR, CARI, fingerprints …) belong to the person and live in
:mod:`alliance.staffing.models`; the pool only reads them.
"""

from __future__ import annotations

from datetime import date, time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager


class Qualification(models.TextChoices):
    LEAD_TEACHER = "lead_teacher", _("Group (lead) teacher")
    ASSISTANT = "assistant", _("Assistant teacher")
    INFANT_TODDLER = "infant_toddler", _("Infant/toddler experience")
    PRESCHOOL = "preschool", _("Preschool experience")
    SCHOOL_AGE = "school_age", _("School-age experience")
    CDA = "cda", _("CDA credential")
    DEGREE = "degree", _("Early childhood degree")
    SPECIAL_NEEDS = "special_needs", _("Special needs experience")
    COOK = "cook", _("Kitchen / food service")


class DispatchMode(models.TextChoices):
    WAVES = "waves", _("Ranked waves (top few first, then widen)")
    BROADCAST = "broadcast", _("Broadcast (everyone eligible at once)")
    PICKS = "picks", _("Director picks (substitutes volunteer)")


class Tier(models.TextChoices):
    """Who is asked first in waves mode (tiered release), best tier first."""

    FAVOURITE = "favourite", _("Favourite of the program")
    USUAL = "usual", _("Worked here in the last 12 months")
    POOL = "pool", _("Whole pool")
    BACKUP = "backup", _("Backup for a filled shift")


TIER_ORDER = {Tier.FAVOURITE: 0, Tier.USUAL: 1, Tier.POOL: 2}


class ProfileStatus(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    INACTIVE = "inactive", _("Left the pool")
    SUSPENDED = "suspended", _("Suspended (no-shows)")


# The hub's onboarding checklist: step code → label. Stored as {code: iso date done}.
ONBOARDING_STEPS = {
    "application": _("Application received"),
    "interview": _("Interview"),
    "references": _("References checked"),
    "orientation": _("Pool orientation"),
    "handbook": _("Handbook signed"),
    "tax_forms": _("Tax and payroll forms"),
}


class PoolSettings(models.Model):
    """How an alliance runs its pool (one row per alliance, created on first use)."""

    alliance = models.OneToOneField(
        "members.Alliance", on_delete=models.CASCADE, related_name="substitute_settings"
    )
    default_mode = models.CharField(
        _("default dispatch mode"),
        max_length=12,
        choices=DispatchMode.choices,
        default=DispatchMode.WAVES,
    )
    wave_size = models.PositiveSmallIntegerField(
        _("substitutes per wave"), default=5, validators=[MinValueValidator(1)]
    )
    wave_minutes = models.PositiveSmallIntegerField(
        _("minutes before the next wave"), default=15, validators=[MinValueValidator(1)]
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours an accept link stays valid"), default=24, validators=[MinValueValidator(1)]
    )
    late_cancel_hours = models.PositiveSmallIntegerField(
        _("a cancellation this close to the shift is late (hours)"), default=12
    )
    billing_rate = models.DecimalField(
        _("hourly rate billed to members"), max_digits=8, decimal_places=2, default=28
    )
    tiered_release = models.BooleanField(
        _("release in tiers (favourites, then usual substitutes, then the pool)"),
        default=True,
        help_text=_("Waves mode only; a director can skip the tiers for one request."),
    )
    no_show_warning_after = models.PositiveSmallIntegerField(
        _("no-shows before a warning"), default=1, validators=[MinValueValidator(1)]
    )
    no_show_suspend_after = models.PositiveSmallIntegerField(
        _("no-shows before suspension"), default=2, validators=[MinValueValidator(1)]
    )
    no_show_window_months = models.PositiveSmallIntegerField(
        _("months no-shows are counted over"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    never_work_min_offers = models.PositiveSmallIntegerField(
        _("report substitutes offered at least this many requests in 90 days without working"),
        default=5,
        validators=[MinValueValidator(1)],
    )

    objects = AllianceScopedManager()

    def __str__(self) -> str:
        return f"Pool settings {self.alliance_id}"


class SubstituteProfile(models.Model):
    """A person in the alliance's pool: what they can do, where and when."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="substitute_profiles"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProfileStatus.choices, default=ProfileStatus.ACTIVE
    )
    qualifications = models.JSONField(_("qualifications"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    home_town = models.CharField(_("home town"), max_length=80)
    travel_miles = models.PositiveSmallIntegerField(
        _("travel radius (miles)"), default=10, validators=[MaxValueValidator(200)]
    )
    pay_rate = models.DecimalField(_("hourly pay rate"), max_digits=7, decimal_places=2)
    preferred_programs = models.ManyToManyField(
        "members.Program", blank=True, related_name="+", verbose_name=_("preferred programs")
    )
    blocked_programs = models.ManyToManyField(
        "members.Program", blank=True, related_name="+", verbose_name=_("programs I won't work at")
    )
    onboarding = models.JSONField(_("onboarding checklist"), default=dict, blank=True)
    notes = models.TextField(_("hub notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    # The substitute's record in this alliance, counted from assignments and ratings and
    # kept by the services (``history.refresh_history``), so that ranking the whole pool
    # reads them with the profile instead of aggregating both tables on every dispatch.
    shifts_taken = models.PositiveIntegerField(_("shifts taken"), default=0, editable=False)
    no_shows = models.PositiveIntegerField(_("no-shows"), default=0, editable=False)
    late_cancels = models.PositiveIntegerField(_("late cancellations"), default=0, editable=False)
    ratings_count = models.PositiveIntegerField(_("ratings"), default=0, editable=False)
    ratings_stars = models.PositiveIntegerField(
        _("stars in all ratings"), default=0, editable=False
    )

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "user"], name="sub_profile_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def onboarding_complete(self) -> bool:
        return all(self.onboarding.get(step) for step in ONBOARDING_STEPS)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Availability(models.Model):
    """A weekly window when the substitute can work (weekday 0 = Monday)."""

    profile = models.ForeignKey(
        SubstituteProfile, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    objects = ScopedManager(alliance="profile__alliance")

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="avail_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start}-{self.end}"

    def covers(self, start: time, end: time) -> bool:
        return self.start <= start and self.end >= end


class AvailabilityException(models.Model):
    """A date the substitute cannot work (vacation, appointment …)."""

    profile = models.ForeignKey(
        SubstituteProfile, on_delete=models.CASCADE, related_name="exceptions"
    )
    day = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    objects = ScopedManager(alliance="profile__alliance")

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "day"], name="avail_exception_unique")
        ]

    def __str__(self) -> str:
        return self.day.isoformat()


class ProgramBlock(models.Model):
    """A program that does not want this substitute back (the program side of blocking)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "substitute"], name="program_block_unique")
        ]

    def __str__(self) -> str:
        return f"Block {self.program_id}/{self.substitute_id}"


class Favourite(models.Model):
    """A substitute a program wants asked first (the first tier of a tiered release)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "substitute"], name="sub_favourite_unique")
        ]

    def __str__(self) -> str:
        return f"Favourite {self.program_id}/{self.substitute_id}"


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Looking for a substitute")
    FILLED = "filled", _("Filled")
    CANCELLED = "cancelled", _("Cancelled")
    UNFILLED = "unfilled", _("Not filled")


class UnfilledReason(models.TextChoices):
    NO_ELIGIBLE = "no_eligible", _("No eligible substitute")
    NO_ACCEPT = "no_accept", _("Nobody accepted in time")


class SubstituteRequest(models.Model):
    """A program's request for cover on one or more days (same hours each day)."""

    program = models.ForeignKey(
        "members.Program", on_delete=models.CASCADE, related_name="substitute_requests"
    )
    classroom = models.ForeignKey(
        "members.Classroom", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dates = models.JSONField(_("dates"), default=list)  # ISO dates, sorted
    first_date = models.DateField(_("first day"))
    last_date = models.DateField(_("last day"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    requirements = models.JSONField(_("required qualifications"), default=list, blank=True)
    notes = models.TextField(_("notes for the substitute"), blank=True)
    preferred = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("preferred substitute"),
    )
    mode = models.CharField(_("dispatch"), max_length=12, choices=DispatchMode.choices)
    tiered = models.BooleanField(_("release in tiers"), default=True)
    source = models.CharField(max_length=20, default="form")  # form, api, ratio …
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    unfilled_reason = models.CharField(
        max_length=20, choices=UnfilledReason.choices, blank=True, default=""
    )
    wave = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-first_date", "-start", "-pk"]
        indexes = [
            models.Index(fields=["program", "status", "first_date"]),
            models.Index(fields=["status", "first_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="req_order")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.first_date} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def days(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.dates]

    @property
    def hours_per_day(self) -> float:
        minutes = (self.end.hour * 60 + self.end.minute) - (
            self.start.hour * 60 + self.start.minute
        )
        return minutes / 60


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    VOLUNTEERED = "volunteered", _("Volunteered (waiting for the director)")
    FILLED = "filled", _("Filled by someone else")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(models.Model):
    """One substitute's invitation to take one request, with the ranking that chose them."""

    request = models.ForeignKey(SubstituteRequest, on_delete=models.CASCADE, related_name="offers")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="substitute_offers"
    )
    wave = models.PositiveSmallIntegerField(default=1)
    tier = models.CharField(max_length=12, choices=Tier.choices, default=Tier.POOL)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=12, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    volunteered_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_error = models.CharField(max_length=300, blank=True)

    objects = ScopedManager(alliance="request__program__alliance", program="request__program")

    class Meta:
        ordering = ["wave", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "substitute"], name="offer_unique")
        ]
        indexes = [models.Index(fields=["substitute", "status"])]

    def __str__(self) -> str:
        return f"Offer {self.pk} of request {self.request_id} to {self.substitute_id}"


class BackupSource(models.TextChoices):
    LATE_ACCEPT = "late_accept", _("Tried to accept after it was filled")
    VOLUNTEER = "volunteer", _("Volunteered, not picked")


class Backup(models.Model):
    """A substitute standing behind a filled shift, in order: offered it first if the
    assigned substitute cancels."""

    request = models.ForeignKey(SubstituteRequest, on_delete=models.CASCADE, related_name="backups")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=12, choices=BackupSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(alliance="request__program__alliance", program="request__program")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "substitute"], name="backup_unique")
        ]

    def __str__(self) -> str:
        return f"Backup {self.position} of request {self.request_id}"


class AssignmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")
    COMPLETED = "completed", _("Worked")


class Assignment(models.Model):
    """The substitute who won a request. At most one live assignment per request."""

    request = models.ForeignKey(
        SubstituteRequest, on_delete=models.CASCADE, related_name="assignments"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="substitute_assignments"
    )
    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignment"
    )
    status = models.CharField(
        max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.CONFIRMED
    )
    accepted_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_sub = models.BooleanField(default=False)
    late_cancel = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(alliance="request__program__alliance", program="request__program")

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            # The database itself guarantees "filled exactly once".
            models.UniqueConstraint(
                fields=["request"],
                condition=~models.Q(status="cancelled"),
                name="one_live_assignment_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"Assignment {self.pk} ({self.status})"


class TimesheetStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")


class Timesheet(models.Model):
    """Hours worked on one day of an assignment: the sub submits, the director approves."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="timesheets")
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    work_date = models.DateField(_("date"))
    start = models.TimeField(_("arrived"))
    end = models.TimeField(_("left"))
    break_minutes = models.PositiveSmallIntegerField(_("unpaid break (minutes)"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    status = models.CharField(
        max_length=12, choices=TimesheetStatus.choices, default=TimesheetStatus.SUBMITTED
    )
    corrected = models.BooleanField(default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    invoice = models.ForeignKey(
        "SubstituteInvoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-work_date"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "work_date"], name="timesheet_unique")
        ]

    def __str__(self) -> str:
        return f"{self.work_date} {self.hours} h"


class Rating(models.Model):
    """A director's rating of a substitute after an assignment."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="rating")
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    def __str__(self) -> str:
        return f"{self.stars}/5"


class SubstituteInvoice(models.Model):
    """A member's monthly invoice for approved substitute hours."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))  # first day of the month
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2)
    rate = models.DecimalField(_("rate"), max_digits=8, decimal_places=2)
    subsidized_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    amount = models.DecimalField(_("amount due"), max_digits=10, decimal_places=2)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-month", "program_id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "month"], name="sub_invoice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.month:%Y-%m}"


class SubsidyBudget(models.Model):
    """Hours per year the hub pays for a member (subsidized cover), with a warning level."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(_("subsidized hours"), max_digits=8, decimal_places=2)
    warn_at_percent = models.PositiveSmallIntegerField(_("warn at (%)"), default=80)

    objects = ProgramScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="sub_budget_unique")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.year}: {self.hours} h"
