"""What changes the ratio rules for a room during one day: a field trip, children resting,
and (for a family child care home) the provider's own children present."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import ProgramScopedManager


class FieldTrip(models.Model):
    """A classroom away on a field trip from ``starts_at`` to ``ends_at``: the state's
    field-trip minimum of staff applies however few children go."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey("members.Classroom", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("leaves"))
    ends_at = models.DateTimeField(_("returns"))
    destination = models.CharField(_("destination"), max_length=150)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["program", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="field_trip_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.classroom_id} → {self.destination}"


class RestToggle(models.Model):
    """A director's "resting now" / "awake now" switch for one room. The latest switch of
    the day (or the program's rest window, whichever changed last) decides."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey("members.Classroom", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    resting = models.BooleanField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["program", "at"])]

    def __str__(self) -> str:
        return f"{self.classroom_id} {'rest' if self.resting else 'awake'} {self.at:%H:%M}"


class HomeDay(models.Model):
    """A family child care provider's own children at home on one day (they count towards
    the home's total but not towards the children in care)."""

    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    own_children = models.PositiveSmallIntegerField(
        _("your own children at home"), default=0, validators=[MaxValueValidator(20)]
    )
    own_infants = models.PositiveSmallIntegerField(
        _("of them, under 2 years old"), default=0, validators=[MaxValueValidator(20)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "day"], name="home_day_once"),
            models.CheckConstraint(
                condition=models.Q(own_infants__lte=models.F("own_children")),
                name="home_day_infants_among_own",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.day}: {self.own_children}"
