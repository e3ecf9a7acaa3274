"""Coordinated enrollment: applications, enrollments, attendance, openings, matching, offers.

Applications belong to the alliance (a family applies once); a program sees an application
only through a proposal, an offer or a referral to it. Enrollments and attendance belong to
the program.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager

WEEKDAYS = "01234"  # Monday..Friday, Python's date.weekday()


class Schedule(models.TextChoices):
    FULL_TIME = "full", _("Full time")
    PART_TIME = "part", _("Part time")


class CcapStatus(models.TextChoices):
    NONE = "none", _("Not applying for CCAP")
    APPLYING = "applying", _("Applying for CCAP")
    ELIGIBLE = "eligible", _("Has a CCAP voucher")


class ApplicationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PLACED = "placed", _("Placed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """One family's application to the whole alliance, for one or more children."""

    alliance = models.ForeignKey(
        "members.Alliance", on_delete=models.CASCADE, related_name="enrollment_applications"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.WAITING,
    )
    desired_start = models.DateField(_("desired start date"))
    schedule = models.CharField(
        _("schedule"), max_length=10, choices=Schedule.choices, default=Schedule.FULL_TIME
    )
    days = models.CharField(_("days of the week"), max_length=7, default=WEEKDAYS)
    preferred_programs = models.JSONField(
        _("preferred programs (ranked)"), default=list, blank=True
    )  # program ids, best first
    preferred_towns = models.JSONField(_("preferred towns (ranked)"), default=list, blank=True)
    ccap = models.CharField(
        _("CCAP subsidy"), max_length=10, choices=CcapStatus.choices, default=CcapStatus.NONE
    )
    languages = models.JSONField(_("languages spoken at home"), default=list, blank=True)
    special_needs = models.TextField(_("special needs or accommodations"), blank=True)
    consent_to_share = models.BooleanField(_("consent to share with member programs"))
    # Priority tier set by the hub (from the caseworker's referral), see rules/enrollment.py.
    cps_referral = models.BooleanField(_("referred by child protective services"), default=False)
    # "Still interested?" check-ins: the last time the family confirmed (or applied), and
    # the check-in waiting for an answer.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checkin_sent_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("anything else"), blank=True)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    token = models.CharField(max_length=64, unique=True)  # the family's link, no login needed

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["submitted_at"]
        indexes = [models.Index(fields=["alliance", "status"])]

    def __str__(self) -> str:
        return f"{self.family} ({self.get_status_display()})"


class ApplicantStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offer sent")
    PLACED = "placed", _("Placed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Applicant(models.Model):
    """One child on an application: the unit the matching engine places."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="applicants"
    )
    child = models.ForeignKey("families.Child", on_delete=models.CASCADE, related_name="applicants")
    status = models.CharField(
        max_length=20, choices=ApplicantStatus.choices, default=ApplicantStatus.WAITING
    )
    placed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(alliance="application__alliance")

    class Meta:
        ordering = ["application_id", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "child"], name="applicant_unique")
        ]

    def __str__(self) -> str:
        return str(self.child_id)


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Enrolled")
    MOVED = "moved", _("Moved to another classroom")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ENDED = "ended", _("Ended")


class Enrollment(models.Model):
    """A child's place in a classroom of a program from ``start_date`` to ``end_date``."""

    program = models.ForeignKey(
        "members.Program", on_delete=models.CASCADE, related_name="enrollments"
    )
    child = models.ForeignKey(
        "families.Child", on_delete=models.PROTECT, related_name="enrollments"
    )
    classroom = models.ForeignKey(
        "members.Classroom", on_delete=models.PROTECT, related_name="enrollments"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=10, choices=Schedule.choices, default=Schedule.FULL_TIME
    )
    days = models.CharField(_("days of the week"), max_length=7, default=WEEKDAYS)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=300, blank=True)
    offer = models.OneToOneField(
        "enrollment.Offer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrollment",
    )
    # The day the directors were told the child will soon age past the room (once).
    transition_noticed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["classroom_id", "start_date"]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["classroom", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="enrollment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.classroom_id}"

    def covers(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or on <= self.end_date)

    def day_labels(self) -> list[str]:
        names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
        return [str(names[int(d)]) for d in self.days]


class Attendance(models.Model):
    """A child's day: checked in (and later out) by a staff member."""

    program = models.ForeignKey(
        "members.Program", on_delete=models.CASCADE, related_name="attendance"
    )
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="+")
    classroom = models.ForeignKey(
        "members.Classroom", on_delete=models.PROTECT, related_name="attendance"
    )
    date = models.DateField(_("date"))
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["date", "classroom_id", "child_id"]
        indexes = [
            models.Index(fields=["program", "date"]),
            models.Index(fields=["program", "checked_out_at", "checked_in_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["child", "date"], name="attendance_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_out_at__gte=models.F("checked_in_at")),
                name="attendance_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.date}"


class AttendanceCorrection(models.Model):
    """An edit of a recorded check-in or check-out: what it was, what it became, who, why."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=20)
    old_value = models.DateTimeField(null=True, blank=True)
    new_value = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-corrected_at"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class OpeningKind(models.TextChoices):
    PUBLISH = "publish", _("Published opening")
    HOLD = "hold", _("Seats held back")


class OpeningAdjustment(models.Model):
    """A director's manual change to a classroom's computed openings from a date on."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(
        "members.Classroom", on_delete=models.CASCADE, related_name="opening_adjustments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OpeningKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.kind} {self.seats} from {self.starts_on}"

    def covers(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


class MatchingRun(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applicants = models.PositiveIntegerField(default=0)
    seats = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    seconds = models.FloatField(default=0)
    # 0 when the assignment is proven optimal; else HiGHS's proven relative gap when the
    # siblings' integer program stopped at its time limit (matching.solve_with_gap).
    optimality_gap = models.FloatField(default=0)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.matched} matched)"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    OFFERED = "offered", _("Offer sent")
    REJECTED = "rejected", _("Rejected by the hub")
    SUPERSEDED = "superseded", _("Superseded by a newer run")


class Proposal(models.Model):
    """The matching engine's suggestion: this waiting child in this classroom, and why."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="proposals")
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey("members.Classroom", on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField(_("start date"))
    seat_opened_on = models.DateField(_("seat free from"), null=True, blank=True)
    score = models.FloatField(_("score"))
    reasons = models.JSONField(default=list)  # [[label, points], ...]
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-score", "pk"]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.classroom_id} ({self.score:.1f})"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the family")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn by the hub")


class Offer(models.Model):
    """A place offered to a family, until ``expires_at``. Holds its seat while pending."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="offers")
    classroom = models.ForeignKey("members.Classroom", on_delete=models.CASCADE, related_name="+")
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="offers")
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="offer"
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("expires"))
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status="pending"),
                name="offer_one_pending_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.status})"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the program's answer")
    ACCEPTED = "accepted", _("Accepted: the program will contact the family")
    DECLINED = "declined", _("Declined by the program")


class Referral(models.Model):
    """A member passes a waitlisted family on to another member, with the family's consent;
    the receiving program answers it."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referrals")
    from_program = models.ForeignKey(
        "members.Program", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_program = models.ForeignKey(
        "members.Program", on_delete=models.CASCADE, related_name="referrals_in"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
    )
    response_note = models.CharField(_("answer"), max_length=300, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "to_program"], name="referral_once_per_program"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.to_program_id}"
