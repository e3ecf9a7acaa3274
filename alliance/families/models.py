"""Families and their children. A family belongs to the alliance (it applies once to the
whole alliance); a program sees a child only through an enrollment or a referral the family
consented to, which the enrollment module adds."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.core.tenancy import AllianceScopedManager


class Family(models.Model):
    alliance = models.ForeignKey(
        "members.Alliance", on_delete=models.CASCADE, related_name="families"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="families",
        help_text=_("The guardian's sign-in, once they have one."),
    )
    name = models.CharField(_("family name"), max_length=150)
    guardian_name = models.CharField(_("guardian"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    town = models.CharField(_("town"), max_length=80)
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    language = models.CharField(_("language"), max_length=5, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("families")

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    birth_date = models.DateField(_("birth date"))

    objects = ScopedManager(alliance="family__alliance")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_in_months(self, on: date) -> int:
        months = (on.year - self.birth_date.year) * 12 + on.month - self.birth_date.month
        if on.day < self.birth_date.day:
            months -= 1
        return max(0, months)
