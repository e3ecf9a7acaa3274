"""Shared pieces of the billing models: money fields, choices and the ledger guard."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 3}


class LedgerImmutable(Exception):
    """A posted ledger entry (invoice, line, payment, credit note, allocation) was about to be
    changed or deleted. Corrections are new entries: a credit note or a reversal."""


class ImmutableQuerySet(models.QuerySet):
    """Bulk ``update()``/``delete()`` are refused: ledger rows are append-only."""

    def update(self, **kwargs):
        raise LedgerImmutable(f"{self.model.__name__} rows are immutable ledger entries.")

    def delete(self):
        raise LedgerImmutable(f"{self.model.__name__} rows are immutable ledger entries.")


class ImmutableManager(models.Manager.from_queryset(ImmutableQuerySet)):
    pass


def ProgramLedgerManager():  # noqa: N802 - mirrors django-scopes' factory name
    """A program-scoped manager whose querysets refuse update/delete."""
    return ScopedManager(
        _manager_class=ImmutableManager, alliance="program__alliance", program="program"
    )


class LedgerEntry(models.Model):
    """Abstract base of immutable ledger rows: inserted once, never saved again or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutable(f"{type(self).__name__} {self.pk} is posted and immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutable(f"{type(self).__name__} {self.pk} is posted and immutable.")


class Period(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class CareSchedule(models.TextChoices):
    FULL_TIME = "full", _("Full time")
    PART_TIME = "part", _("Part time")


class ProviderType(models.TextChoices):
    LICENSED_CENTER = "licensed_center", _("Licensed center")
    REGISTERED_FCC = "registered_fcc", _("Registered family child care")


class AgeGroup(models.TextChoices):
    INFANT = "infant", _("Infant (under 18 months)")
    TODDLER = "toddler", _("Toddler (18–30 months)")
    PRESCHOOL = "preschool", _("Preschool (30–60 months)")
    SCHOOL_AGE = "school_age", _("School age (60+ months)")


class StarRating(models.IntegerChoices):
    NONE = 0, _("Not rated")
    THREE = 3, _("3 stars")
    FOUR = 4, _("4 stars")
    FIVE = 5, _("5 stars")


class PayerKind(models.TextChoices):
    FAMILY = "family", _("Family")
    AGENCY = "agency", _("Subsidy agency")
