"""Finance: targets for the Iron Triangle, a program's cost-of-care model and its saved
what-if scenarios. The figures themselves are computed from the other modules' records
(:mod:`alliance.finance.sources`); nothing here copies them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager

PERCENT = {"max_digits": 5, "decimal_places": 1}


class Targets(models.Model):
    """Iron Triangle targets. ``program`` empty: the alliance's defaults, set by the hub; a
    program's own row (set by its director) wins over them."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        "members.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    enrollment = models.DecimalField(
        _("enrollment target (percent of staffed capacity)"),
        **PERCENT,
        default=95,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    collection = models.DecimalField(
        _("fee collection target (percent of billing)"),
        **PERCENT,
        default=97,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    bad_debt = models.DecimalField(
        _("bad debt limit (percent of revenue)"),
        **PERCENT,
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    dso = models.DecimalField(
        _("days sales outstanding limit (days)"),
        **PERCENT,
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllianceScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alliance"],
                condition=models.Q(program__isnull=True),
                name="finance_targets_one_default",
            ),
            models.UniqueConstraint(fields=["program"], name="finance_targets_one_per_program"),
        ]

    def __str__(self) -> str:
        return f"targets {self.alliance_id}/{self.program_id}"


class CostModel(models.Model):
    """A program's cost-of-care model: its inputs as entered (or imported), validated by
    :func:`alliance.finance.services.save_cost_model`. Amounts are stored as strings."""

    program = models.OneToOneField(
        "members.Program", on_delete=models.CASCADE, related_name="cost_model"
    )
    inputs = models.JSONField(default=dict)
    imported_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedManager()

    def __str__(self) -> str:
        return f"cost model {self.program_id}"


class Scenario(models.Model):
    """A saved what-if on the program's cost model."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    wage_raise_percent = models.DecimalField(
        _("raise wages by (%)"),
        **PERCENT,
        default=0,
        validators=[MinValueValidator(-50), MaxValueValidator(200)],
    )
    age_group_changes = models.JSONField(_("classroom age group changes"), default=dict)
    join_purchasing = models.BooleanField(_("join group purchasing"), default=False)
    purchasing_savings_percent = models.DecimalField(**PERCENT, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="finance_scenario_name"),
        ]

    def __str__(self) -> str:
        return self.name
