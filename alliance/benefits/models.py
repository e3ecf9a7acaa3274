"""Pooled staff benefits: the hub's plans and rates, each member's contribution policy, staff
elections with dependents and life events.

Premium statements are computed from these rows (``alliance.benefits.statements``), never
stored twice: the rate in effect on the first day of a month, the member's policy and the
elections that cover that day.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager
from alliance.members.models import Alliance, Program
from alliance.rules.benefits import ContributionKind as RuleKind
from alliance.rules.benefits import Tier as RuleTier

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 2}


class PlanKind(models.TextChoices):
    HEALTH = "health", _("Health")
    DENTAL = "dental", _("Dental")
    VISION = "vision", _("Vision")
    RETIREMENT = "retirement", _("Retirement")


INSURANCE_KINDS = (PlanKind.HEALTH, PlanKind.DENTAL, PlanKind.VISION)


class Tier(models.TextChoices):
    EMPLOYEE = RuleTier.EMPLOYEE.value, _("Employee only")
    EMPLOYEE_SPOUSE = RuleTier.EMPLOYEE_SPOUSE.value, _("Employee + spouse")
    EMPLOYEE_CHILDREN = RuleTier.EMPLOYEE_CHILDREN.value, _("Employee + children")
    FAMILY = RuleTier.FAMILY.value, _("Family")


class ContributionKind(models.TextChoices):
    FIXED = RuleKind.FIXED.value, _("A fixed amount a month")
    PERCENT_EMPLOYEE = RuleKind.PERCENT_EMPLOYEE.value, _("A percent of the employee-only premium")
    PERCENT_TIER = RuleKind.PERCENT_TIER.value, _("A percent of the elected tier's premium")


class PayFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    SEMIMONTHLY = "semimonthly", _("Twice a month")
    MONTHLY = "monthly", _("Monthly")


class LifeEventKind(models.TextChoices):
    MARRIAGE = "marriage", _("Marriage")
    BIRTH_ADOPTION = "birth_adoption", _("Birth or adoption")
    DIVORCE = "divorce", _("Divorce or legal separation")
    DEATH = "death_of_dependent", _("Death of a dependent")
    LOSS_OF_COVERAGE = "loss_of_other_coverage", _("Loss of other coverage")
    MOVE = "move", _("Move out of the plan's area")
    HOURS_CHANGE = "hours_change", _("Change in work hours")


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARTNER = "partner", _("Domestic partner")
    CHILD = "child", _("Child")


class PlanYear(models.Model):
    """A coverage year and its open-enrollment window."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="plan_years")
    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("coverage starts"))
    ends_on = models.DateField(_("coverage ends"))
    enrollment_opens_on = models.DateField(_("open enrollment opens"))
    enrollment_closes_on = models.DateField(_("open enrollment closes"))

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="plan_year_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(enrollment_closes_on__gte=models.F("enrollment_opens_on")),
                name="plan_year_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, day: date) -> bool:
        return self.enrollment_opens_on <= day <= self.enrollment_closes_on


class Plan(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="benefit_plans")
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices)
    carrier = models.CharField(_("carrier"), max_length=120)
    name = models.CharField(_("plan name"), max_length=150)
    summary = models.FileField(_("summary of benefits"), upload_to="benefits/plans/", blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    # Retirement plans only.
    deferral_min_percent = models.DecimalField(
        _("lowest employee deferral (%)"), **PERCENT, null=True, blank=True
    )
    deferral_max_percent = models.DecimalField(
        _("highest employee deferral (%)"), **PERCENT, null=True, blank=True
    )
    match_formula = models.JSONField(_("employer match"), default=list, blank=True)
    vesting = models.JSONField(_("vesting schedule"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["kind", "carrier", "name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind", "name"], name="plan_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.name}"

    @property
    def is_retirement(self) -> bool:
        return self.kind == PlanKind.RETIREMENT


class PlanRate(models.Model):
    """Monthly rates of a plan by coverage tier, from ``effective_on`` until the next row."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rates")
    effective_on = models.DateField(_("effective from"))
    employee = models.DecimalField(_("employee only"), **MONEY, validators=[MinValueValidator(0)])
    employee_spouse = models.DecimalField(
        _("employee + spouse"), **MONEY, validators=[MinValueValidator(0)]
    )
    employee_children = models.DecimalField(
        _("employee + children"), **MONEY, validators=[MinValueValidator(0)]
    )
    family = models.DecimalField(_("family"), **MONEY, validators=[MinValueValidator(0)])

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["plan", "-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "effective_on"], name="plan_rate_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} from {self.effective_on}"

    def for_tier(self, tier: str):
        return getattr(self, tier)


class BenefitSettings(models.Model):
    """A member's payroll facts for benefits (one row, created on first change)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    pay_frequency = models.CharField(
        _("pay frequency"), max_length=12, choices=PayFrequency.choices, default="biweekly"
    )

    objects = ProgramScopedManager()

    def __str__(self) -> str:
        return f"benefit settings {self.program_id}"


class MemberPolicy(models.Model):
    """What one member pays towards one plan, and who is eligible for it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="policies")
    offered = models.BooleanField(_("offer this plan to our staff"), default=True)
    contribution_kind = models.CharField(
        _("employer contribution"), max_length=20, choices=ContributionKind.choices
    )
    contribution_value = models.DecimalField(_("amount or percent"), **MONEY)
    contribution_cap = models.DecimalField(_("at most (a month)"), **MONEY, null=True, blank=True)
    min_hours = models.DecimalField(
        _("minimum hours per week"), max_digits=4, decimal_places=1, default=30
    )
    waiting_days = models.PositiveIntegerField(_("waiting period after hire (days)"), default=60)
    eligible_roles = models.JSONField(_("eligible roles"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["plan__kind", "plan__name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "plan"], name="policy_once_per_plan"),
            models.CheckConstraint(
                condition=models.Q(contribution_value__gte=0), name="policy_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.plan_id}"


class StandaloneQuote(models.Model):
    """What the member was quoted on its own (outside the pool), a month per tier."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("plan kind"), max_length=12, choices=PlanKind.choices)
    carrier = models.CharField(_("carrier"), max_length=120, blank=True)
    quoted_on = models.DateField(_("quote date"))
    employee = models.DecimalField(_("employee only"), **MONEY, validators=[MinValueValidator(0)])
    employee_spouse = models.DecimalField(
        _("employee + spouse"), **MONEY, validators=[MinValueValidator(0)]
    )
    employee_children = models.DecimalField(
        _("employee + children"), **MONEY, validators=[MinValueValidator(0)]
    )
    family = models.DecimalField(_("family"), **MONEY, validators=[MinValueValidator(0)])

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="quote_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.kind}"


class Dependent(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="dependents"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    birth_date = models.DateField(_("birth date"))

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["birth_date", "pk"]

    def __str__(self) -> str:
        return self.full_name


class LifeEvent(models.Model):
    """A qualifying life event: it opens a window to change elections outside open
    enrollment (days per kind in ``rules/data/benefits.json``)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="life_events"
    )
    kind = models.CharField(_("event"), max_length=30, choices=LifeEventKind.choices)
    occurred_on = models.DateField(_("date of the event"))
    proof = models.FileField(_("proof"), upload_to="benefits/events/")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class ElectionStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAIVED = "waived", _("Waived")


class Election(models.Model):
    """One person's choice for one kind of plan, from ``starts_on`` to ``ends_on``.

    At most one open election per person and plan kind (a database constraint); the
    services also refuse any overlap of dates."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="elections"
    )
    kind = models.CharField(_("plan kind"), max_length=12, choices=PlanKind.choices)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="elections"
    )
    status = models.CharField(_("choice"), max_length=10, choices=ElectionStatus.choices)
    tier = models.CharField(_("coverage"), max_length=20, choices=Tier.choices, blank=True)
    deferral_percent = models.DecimalField(
        _("deferral (% of pay)"), **PERCENT, null=True, blank=True
    )
    dependents = models.ManyToManyField(Dependent, blank=True, related_name="elections")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    ended_reason = models.CharField(max_length=40, blank=True)
    life_event = models.ForeignKey(
        LifeEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="elections"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["kind", "-starts_on"]
        indexes = [
            models.Index(fields=["program", "status", "starts_on"]),
            models.Index(fields=["plan", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "kind"],
                condition=models.Q(ends_on__isnull=True),
                name="election_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="election_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status="waived") | models.Q(plan__isnull=False),
                name="election_enrolled_has_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.kind} {self.status}"

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
