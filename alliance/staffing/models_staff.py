"""Staff records of a program: who works there, when and where, and who is in today."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import ProgramScopedManager


class StaffRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    HEAD_TEACHER = "head_teacher", _("Head teacher")
    GROUP_TEACHER = "group_teacher", _("Group teacher")
    ASSISTANT = "assistant", _("Assistant teacher")
    AIDE = "aide", _("Aide")
    PROVIDER = "provider", _("Family child care provider")
    COOK = "cook", _("Cook")
    OFFICE = "office", _("Office staff")
    OTHER = "other", _("Other")


# Roles that count towards staff-to-child ratios when they are in a classroom.
TEACHING_ROLES = frozenset(
    {
        StaffRole.DIRECTOR,
        StaffRole.HEAD_TEACHER,
        StaffRole.GROUP_TEACHER,
        StaffRole.ASSISTANT,
        StaffRole.AIDE,
        StaffRole.PROVIDER,
    }
)


class SeparationReason(models.TextChoices):
    RESIGNED_PAY = "resigned_pay", _("Resigned: pay or benefits")
    RESIGNED_OTHER_JOB = "resigned_other_job", _("Resigned: another child care job")
    LEFT_FIELD = "left_field", _("Resigned: left the field")
    RELOCATED = "relocated", _("Moved away")
    PERSONAL = "personal", _("Personal or family reasons")
    RETIRED = "retired", _("Retired")
    DISMISSED = "dismissed", _("Dismissed")
    END_OF_TERM = "end_of_term", _("Temporary job ended")
    OTHER = "other", _("Other")


class StaffMember(models.Model):
    """One person's job at one program. ``user`` is their account, when they have one."""

    program = models.ForeignKey(
        "members.Program", on_delete=models.CASCADE, related_name="staff_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_records",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    hire_date = models.DateField(_("hire date"))
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    wage = models.DecimalField(
        _("hourly wage"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    separated_on = models.DateField(_("last day"), null=True, blank=True)
    separation_reason = models.CharField(
        _("reason for leaving"), max_length=30, choices=SeparationReason.choices, blank=True
    )
    separation_note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["full_name", "pk"]
        indexes = [models.Index(fields=["program", "separated_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"],
                condition=models.Q(user__isnull=False, separated_on__isnull=True),
                name="staff_one_current_record_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(separated_on__isnull=True)
                | models.Q(separated_on__gte=models.F("hire_date")),
                name="staff_separated_after_hire",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_current(self) -> bool:
        return self.separated_on is None

    def is_employed_on(self, day: date) -> bool:
        return self.hire_date <= day and (self.separated_on is None or self.separated_on >= day)

    def tenure_days(self, today: date) -> int:
        end = min(self.separated_on or today, today)
        return max((end - self.hire_date).days, 0)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ScheduleBlock(models.Model):
    """A weekly block of work: this person, in this classroom, on this weekday, start–end."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="schedule")
    classroom = models.ForeignKey(
        "members.Classroom", on_delete=models.CASCADE, related_name="staff_schedule"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("start"))
    ends_at = models.TimeField(_("end"))

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["weekday", "starts_at", "pk"]
        indexes = [models.Index(fields=["program", "weekday"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="schedule_block_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.weekday} {self.starts_at}-{self.ends_at}"


class StaffShift(models.Model):
    """A clock-in (and later clock-out) of one person, in the classroom they are in."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="shifts")
    classroom = models.ForeignKey(
        "members.Classroom", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("clocked in"))
    ended_at = models.DateTimeField(_("clocked out"), null=True, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["program", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(ended_at__isnull=True),
                name="staff_one_open_shift",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="shift_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.started_at:%Y-%m-%d %H:%M}"


class StaffingSettings(models.Model):
    """A program's staffing preferences (one row, created on first change)."""

    program = models.OneToOneField(
        "members.Program", on_delete=models.CASCADE, related_name="staffing_settings"
    )
    auto_request_substitutes = models.BooleanField(
        _("request a substitute automatically when a classroom falls under ratio"),
        default=False,
    )
    forecast_hours = models.PositiveSmallIntegerField(
        _("hours ahead to check the schedule"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
    )
    # During rest time the resting ratios apply (with enough staff in the building for awake).
    rest_starts_at = models.TimeField(_("rest time starts"), null=True, blank=True)
    rest_ends_at = models.TimeField(_("rest time ends"), null=True, blank=True)

    objects = ProgramScopedManager()

    def __str__(self) -> str:
        return f"staffing settings {self.program_id}"


class ShortfallRequest(models.Model):
    """A substitute request raised for a ratio shortfall, so one gap is requested once."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey("members.Classroom", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    request_id = models.PositiveBigIntegerField(null=True, blank=True)
    automatic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "day", "starts_at"], name="shortfall_requested_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.classroom_id} {self.day} {self.starts_at}"
