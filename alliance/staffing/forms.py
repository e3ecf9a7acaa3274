"""Forms validate and label input; the staffing services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.forms import ErrorMixin
from alliance.members.forms import LANGUAGE_CHOICES
from alliance.staffing.models import (
    CredentialKind,
    JobPosting,
    SeparationReason,
    StaffingSettings,
    StaffMember,
)
from alliance.staffing.models_jobs import ApplicationStage, Availability, Candidate
from alliance.staffing.models_staff import Weekday

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class StaffForm(ErrorMixin, forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["full_name", "email", "phone", "role", "hire_date", "hours_per_week", "wage"]
        widgets = {"hire_date": DATE}
        help_texts = {
            "email": _("Their account is linked if they already sign in to this program."),
            "wage": _("Dollars per hour."),
        }


class CredentialForm(ErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Credential"), choices=CredentialKind.choices)
    issued_on = forms.DateField(label=_("Issued"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires"), widget=DATE, required=False, help_text=_("Leave empty if it does not.")
    )
    number = forms.CharField(label=_("Number or issuer"), max_length=80, required=False)
    proof = forms.FileField(
        label=_("Proof"),
        required=False,
        help_text=_("A PDF, JPEG or PNG of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class BlockForm(ErrorMixin, forms.Form):
    classroom = forms.ModelChoiceField(label=_("Classroom"), queryset=None)
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("Start"), widget=TIME)
    ends_at = forms.TimeField(label=_("End"), widget=TIME)

    def __init__(self, *args, classrooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms


class SeparateForm(ErrorMixin, forms.Form):
    separated_on = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=SeparationReason.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SettingsForm(ErrorMixin, forms.ModelForm):
    class Meta:
        model = StaffingSettings
        fields = ["auto_request_substitutes", "forecast_hours", "rest_starts_at", "rest_ends_at"]
        widgets = {"rest_starts_at": TIME, "rest_ends_at": TIME}


class PostingForm(ErrorMixin, forms.ModelForm):
    class Meta:
        model = JobPosting
        fields = [
            "title",
            "role",
            "employment_type",
            "hours_per_week",
            "wage_min",
            "wage_max",
            "description",
            "requirements",
            "closes_on",
        ]
        widgets = {"closes_on": DATE}


class ApplyForm(ErrorMixin, forms.ModelForm):
    credentials = forms.MultipleChoiceField(
        label=_("Credentials you hold"),
        choices=CredentialKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    towns_text = forms.CharField(
        label=_("Towns you could work in"),
        required=False,
        max_length=400,
        help_text=_("Separate them with commas."),
    )
    message = forms.CharField(
        label=_("Message to the program"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    class Meta:
        model = Candidate
        fields = [
            "full_name",
            "email",
            "phone",
            "town",
            "experience_years",
            "experience",
            "availability",
            "availability_note",
            "share_with_members",
        ]
        widgets = {"experience": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "share_with_members": _(
                "Other member programs of the alliance may then find you and contact you about "
                "jobs. You can withdraw this at any time from the link shown after you apply."
            )
        }

    def profile(self) -> dict:
        data = dict(self.cleaned_data)
        towns = data.pop("towns_text", "") or ""
        data["towns"] = [t.strip() for t in towns.split(",") if t.strip()]
        data.pop("message", None)
        data.pop("email", None)
        return data


class StageForm(ErrorMixin, forms.Form):
    stage = forms.ChoiceField(
        label=_("Move to"),
        choices=[
            c
            for c in ApplicationStage.choices
            if c[0] not in (ApplicationStage.HIRED, ApplicationStage.WITHDRAWN)
        ],
    )
    note = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class HireForm(ErrorMixin, forms.Form):
    hire_date = forms.DateField(label=_("Start date"), widget=DATE)
    wage = forms.DecimalField(label=_("Hourly wage"), max_digits=7, decimal_places=2, min_value=0)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), max_digits=4, decimal_places=1, min_value=0, max_value=80
    )


class PoolSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or experience"), required=False, max_length=80)
    town = forms.CharField(label=_("Town"), required=False, max_length=80)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any"))] + LANGUAGE_CHOICES, required=False
    )
    credential = forms.ChoiceField(
        label=_("Credential"), choices=[("", _("Any"))] + CredentialKind.choices, required=False
    )
    availability = forms.ChoiceField(
        label=_("Availability"), choices=[("", _("Any"))] + Availability.choices, required=False
    )


class FieldTripForm(ErrorMixin, forms.Form):
    classroom = forms.ModelChoiceField(label=_("Classroom"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=DATE)
    starts_at = forms.TimeField(label=_("Leaves at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Returns at"), widget=TIME)
    destination = forms.CharField(label=_("Destination"), max_length=150)

    def __init__(self, *args, classrooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms


class HomeDayForm(ErrorMixin, forms.Form):
    own_children = forms.IntegerField(
        label=_("Your own children at home today"), min_value=0, max_value=20
    )
    own_infants = forms.IntegerField(
        label=_("Of them, under 2 years old"), min_value=0, max_value=20, initial=0
    )
