"""The preferences form: one on/off box per category and channel, plus urgent early texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.notifications.kinds import CATEGORIES, category_default
from alliance.notifications.models import (
    Channel,
    NotificationPreference,
    NotificationSettings,
)

if TYPE_CHECKING:
    from alliance.accounts.models import User

CHOOSABLE = (Channel.EMAIL, Channel.SMS)


def field_name(category: str, channel: str) -> str:
    return f"{category}__{channel}"


class PreferencesForm(forms.Form):
    allow_urgent_quiet_sms = forms.BooleanField(
        label=_("Allow early texts for urgent substitute offers"),
        help_text=_(
            "Texts wait until 6 a.m. when sent between 9 p.m. and 6 a.m. Turn this on to get "
            "urgent ones, such as a same-morning substitute offer, right away."
        ),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        chosen = {
            (p.category, p.channel): p.enabled
            for p in NotificationPreference.objects.filter(user=user)
        }
        settings = NotificationSettings.objects.filter(user=user).first()
        self.fields["allow_urgent_quiet_sms"].initial = bool(
            settings and settings.allow_urgent_quiet_sms
        )
        self.rows = []
        for category, label in CATEGORIES.items():
            row = {"label": label, "fields": []}
            for channel in CHOOSABLE:
                name = field_name(category, channel)
                self.fields[name] = forms.BooleanField(
                    label=f"{label}: {Channel(channel).label}",
                    required=False,
                    initial=chosen.get((category, channel), category_default(category, channel)),
                )
                row["fields"].append(name)
            self.rows.append(row)

    def bound_rows(self) -> list[dict]:
        return [
            {"label": row["label"], "fields": [self[name] for name in row["fields"]]}
            for row in self.rows
        ]

    def choices(self) -> dict[tuple[str, str], bool]:
        """Only what the person changed: untouched boxes keep following the defaults."""
        result = {}
        for name in self.changed_data:
            if "__" in name:
                category, channel = name.split("__", 1)
                result[(category, channel)] = self.cleaned_data[name]
        return result
