"""Forms label and parse input; the services validate the rules and write."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.forms import ErrorMixin
from alliance.members.forms import LANGUAGE_CHOICES
from alliance.members.models import Classroom, Program
from alliance.substitutes.models import (
    ONBOARDING_STEPS,
    DispatchMode,
    PoolSettings,
    ProfileStatus,
    Qualification,
)
from alliance.substitutes.ranking import town_centroids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


def town_choices() -> list[tuple[str, str]]:
    names = sorted({name.title() for name in town_centroids()})
    return [("", _("Choose a town"))] + [(n, n) for n in names]


class RequestForm(ErrorMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    until = forms.DateField(
        label=_("Until (for several days)"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for one day. Weekdays from the date to this day are included."),
    )
    start = forms.TimeField(label=_("Start"), widget=TIME)
    end = forms.TimeField(label=_("End"), widget=TIME)
    classroom = forms.ModelChoiceField(
        label=_("Classroom"),
        queryset=Classroom.objects.none(),
        required=False,
        empty_label=_("Any / not one room"),
    )
    requirements = forms.MultipleChoiceField(
        label=_("Required qualifications"),
        choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only substitutes with all of these are asked."),
    )
    notes = forms.CharField(
        label=_("Notes for the substitute"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text=_("Where to park, who to ask for, what the group is doing."),
    )
    preferred = forms.TypedChoiceField(
        label=_("Preferred substitute"), required=False, coerce=int, empty_value=None
    )
    mode = forms.ChoiceField(label=_("How to offer it"), required=False)
    skip_tiers = forms.BooleanField(
        label=_("Skip the tiers: offer to the whole pool by score"),
        required=False,
        help_text=_(
            "Waves mode asks your favourites first, then substitutes who worked here "
            "in the last 12 months, then everyone."
        ),
    )

    def __init__(self, *args, classrooms: list[Classroom], pool: list[tuple[int, str]], **kw):
        super().__init__(*args, **kw)
        self.fields["classroom"].queryset = Classroom.objects.filter(
            pk__in=[c.pk for c in classrooms]
        )
        self.fields["preferred"].choices = [("", _("No preference"))] + pool
        self.fields["mode"].choices = [("", _("The hub's default"))] + list(DispatchMode.choices)

    def dates(self) -> list[date]:
        day, until = self.cleaned_data["day"], self.cleaned_data.get("until")
        if not until or until <= day:
            return [day]
        days, current = [], day
        while current <= until and len(days) <= 40:
            if current.weekday() < 5:
                days.append(current)
            current += timedelta(days=1)
        return days or [day]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)


class TimesheetForm(ErrorMixin, forms.Form):
    work_date = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    start = forms.TimeField(label=_("Arrived"), widget=TIME)
    end = forms.TimeField(label=_("Left"), widget=TIME)
    break_minutes = forms.IntegerField(
        label=_("Unpaid break (minutes)"), min_value=0, max_value=600, initial=0
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, days: list[date], **kw):
        super().__init__(*args, **kw)
        self.fields["work_date"].choices = [(d.isoformat(), d.strftime("%a %b %d")) for d in days]


class ApproveForm(ErrorMixin, forms.Form):
    start = forms.TimeField(label=_("Arrived"), widget=TIME)
    end = forms.TimeField(label=_("Left"), widget=TIME)
    break_minutes = forms.IntegerField(label=_("Unpaid break (minutes)"), min_value=0)


class RatingForm(ErrorMixin, forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=300, required=False)


class ProfileForm(ErrorMixin, forms.Form):
    qualifications = forms.MultipleChoiceField(
        label=_("Qualifications and experience"),
        choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    home_town = forms.ChoiceField(label=_("Home town"))
    travel_miles = forms.IntegerField(label=_("How far will you travel? (miles)"), min_value=1)
    preferred_programs = forms.ModelMultipleChoiceField(
        label=_("Programs I like working at"),
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    blocked_programs = forms.ModelMultipleChoiceField(
        label=_("Programs I do not want offers from"),
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, programs: list[Program], **kw):
        super().__init__(*args, **kw)
        self.fields["home_town"].choices = town_choices()
        ids = [p.pk for p in programs]
        self.fields["preferred_programs"].queryset = Program.objects.filter(pk__in=ids)
        self.fields["blocked_programs"].queryset = Program.objects.filter(pk__in=ids)


class AvailabilityForm(ErrorMixin, forms.Form):
    """One from/until pair per weekday; both empty = not available that day."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for n, name in enumerate(WEEKDAYS):
            self.fields[f"d{n}_start"] = forms.TimeField(
                label=_("%(day)s from") % {"day": name}, widget=TIME, required=False
            )
            self.fields[f"d{n}_end"] = forms.TimeField(
                label=_("%(day)s until") % {"day": name}, widget=TIME, required=False
            )

    def clean(self):
        data = super().clean()
        for n in range(7):
            start, end = data.get(f"d{n}_start"), data.get(f"d{n}_end")
            if bool(start) != bool(end):
                self.add_error(f"d{n}_end", _("Enter both times, or neither."))
            elif start and end and end <= start:
                self.add_error(f"d{n}_end", _("The end must be after the start."))
        return data

    def windows(self):
        data = self.cleaned_data
        return [
            (n, data[f"d{n}_start"], data[f"d{n}_end"])
            for n in range(7)
            if data.get(f"d{n}_start") and data.get(f"d{n}_end")
        ]


class DayOffForm(ErrorMixin, forms.Form):
    day = forms.DateField(label=_("Date I cannot work"), widget=DATE)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=120, required=False)


class HubProfileForm(ErrorMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProfileStatus.choices)
    pay_rate = forms.DecimalField(label=_("Hourly pay rate"), max_digits=7, decimal_places=2)
    qualifications = forms.MultipleChoiceField(
        label=_("Verified qualifications"),
        choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class OnboardingForm(forms.Form):
    def __init__(self, *args, done: dict, **kw):
        super().__init__(*args, **kw)
        for step, label in ONBOARDING_STEPS.items():
            self.fields[step] = forms.BooleanField(
                label=label, required=False, initial=bool(done.get(step))
            )


class SettingsForm(ErrorMixin, forms.ModelForm):
    class Meta:
        model = PoolSettings
        fields = [
            "default_mode",
            "wave_size",
            "wave_minutes",
            "offer_hours",
            "late_cancel_hours",
            "billing_rate",
            "tiered_release",
            "no_show_warning_after",
            "no_show_suspend_after",
            "no_show_window_months",
            "never_work_min_offers",
        ]

    def _post_clean(self):
        pass  # the service validates and writes


class InvoiceForm(ErrorMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class AddToPoolForm(ErrorMixin, forms.Form):
    user = forms.TypedChoiceField(label=_("Person (holds the substitute role)"), coerce=int)
    home_town = forms.ChoiceField(label=_("Home town"))
    pay_rate = forms.DecimalField(label=_("Hourly pay rate"), max_digits=7, decimal_places=2)

    def __init__(self, *args, people: list[tuple[int, str]], **kw):
        super().__init__(*args, **kw)
        self.fields["user"].choices = [("", _("Choose a person"))] + people
        self.fields["home_town"].choices = town_choices()


class BudgetForm(ErrorMixin, forms.Form):
    program = forms.TypedChoiceField(label=_("Member"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    hours = forms.DecimalField(label=_("Subsidized hours"), min_value=0, max_digits=8)

    def __init__(self, *args, programs: list[Program], **kw):
        super().__init__(*args, **kw)
        self.fields["program"].choices = [(p.pk, p.name) for p in programs]


class ReinstateForm(ErrorMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for reinstating"),
        max_length=300,
        help_text=_("Kept in the audit log."),
    )


class ReportRangeForm(forms.Form):
    since = forms.DateField(label=_("From"), widget=DATE, required=False)
    until = forms.DateField(label=_("Until"), widget=DATE, required=False)
