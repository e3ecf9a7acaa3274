"""Forms validate and label input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import Language
from alliance.core.forms import ErrorMixin
from alliance.members.models import (
    MembershipApplication,
    MembershipStatus,
    MembershipTier,
    Program,
    ProgramKind,
    Site,
)

LANGUAGE_CHOICES = [
    ("English", _("English")),
    ("Spanish", _("Spanish")),
    ("Portuguese", _("Portuguese")),
    ("Haitian Creole", _("Haitian Creole")),
    ("Polish", _("Polish")),
    ("Arabic", _("Arabic")),
    ("Gujarati", _("Gujarati")),
    ("Hindi", _("Hindi")),
    ("Chinese", _("Chinese")),
    ("Korean", _("Korean")),
    ("Tagalog", _("Tagalog")),
    ("ASL", _("American Sign Language")),
]


class ApplicationForm(ErrorMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken with children and families"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tier = forms.ModelChoiceField(
        label=_("Membership tier you are interested in"),
        required=False,
        queryset=MembershipTier.objects.none(),
    )
    confirm = forms.BooleanField(
        label=_("I run this program and may apply for it to join the alliance."), required=True
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "program_name",
            "kind",
            "contact_name",
            "email",
            "phone",
            "license_number",
            "license_expires_on",
            "licensed_capacity",
            "address",
            "town",
            "zip_code",
            "ages_min_months",
            "ages_max_months",
            "languages",
            "accepts_ccap",
            "tier",
            "message",
        ]
        widgets = {
            "license_expires_on": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "zip_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
        }
        help_texts = {
            "ages_min_months": _("In months: 0 for newborns, 12 for one-year-olds."),
            "ages_max_months": _("In months: 60 is five years, 156 is thirteen."),
            "licensed_capacity": _("As on your license from the state."),
        }

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = MembershipTier.objects.filter(
            alliance=alliance, is_active=True
        )

    def clean_license_number(self) -> str:
        return self.cleaned_data["license_number"].strip()


class ProgramForm(ErrorMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "kind",
            "license_number",
            "license_expires_on",
            "licensed_capacity",
            "staffed_capacity",
            "ages_min_months",
            "ages_max_months",
            "languages",
            "accepts_ccap",
            "quality_rating",
            "address",
            "town",
            "zip_code",
            "phone",
            "email",
            "website",
            "tax_id",
            "description",
            "listed_in_directory",
        ]
        widgets = {
            "license_expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "staffed_capacity": _(
                "How many children you can serve with the staff you have now. "
                "Enrollment rate is measured against this."
            ),
        }

    def _post_clean(self):
        # The service validates the whole profile (and writes it); skip the instance save path.
        pass


class ClassroomForm(ErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    age_min_months = forms.IntegerField(
        label=_("Youngest age (months)"), min_value=0, max_value=216
    )
    age_max_months = forms.IntegerField(label=_("Oldest age (months)"), min_value=0, max_value=216)
    licensed_capacity = forms.IntegerField(label=_("Licensed capacity"), min_value=1, max_value=500)
    staffed_capacity = forms.IntegerField(
        label=_("Staffed capacity"),
        min_value=0,
        max_value=500,
        required=False,
        help_text=_("Leave empty when the room is fully staffed (same as licensed)."),
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("Main address"),
    )
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("Untick to archive the room: it leaves the dashboards but keeps its history."),
    )

    def __init__(self, *args, sites: list[Site] | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if sites:
            self.fields["site"].queryset = Site.objects.filter(pk__in=[s.pk for s in sites])
        else:
            del self.fields["site"]
        if not editing:
            del self.fields["is_active"]  # a new room is in use


class SiteForm(ErrorMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("How staff and families call it.")
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    town = forms.CharField(label=_("Town"), max_length=80)
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )


class TierForm(ErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    annual_fee = forms.DecimalField(
        label=_("Annual fee ($)"), min_value=0, max_digits=10, decimal_places=2
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class TierEditForm(TierForm):
    is_active = forms.BooleanField(
        label=_("Offered to new members"),
        required=False,
        help_text=_("Members already on this tier keep it."),
    )


class ApproveForm(ErrorMixin, forms.Form):
    tier = forms.ModelChoiceField(
        label=_("Membership tier"), queryset=MembershipTier.objects.none()
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = MembershipTier.objects.filter(
            alliance=alliance, is_active=True
        )


class DeclineForm(ErrorMixin, forms.Form):
    decision_note = forms.CharField(
        label=_("Note to the applicant"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MembershipForm(ErrorMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MembershipStatus.choices)
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=MembershipTier.objects.none())
    fee_paid_through = forms.DateField(
        label=_("Fee paid through"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = MembershipTier.objects.filter(alliance=alliance)


class InviteForm(ErrorMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("", _("Their own (English for someone new)")), *Language.choices],
        required=False,
        help_text=_("The email, and their pages once they join, use this language."),
    )


class InviteDirectorForm(InviteForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(alliance=alliance).only(
            "id", "name"
        )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *ProgramKind.choices]
    )
    ccap = forms.BooleanField(label=_("Accepts CCAP"), required=False)

    def __init__(self, *args, towns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", _("Any town"))] + [(t, t) for t in towns]
