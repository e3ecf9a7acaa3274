"""Forms of the enrollment pages. They only clean input; services do every write."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from alliance.core.forms import ErrorMixin
from alliance.enrollment.models import CcapStatus, OpeningKind, Schedule
from alliance.enrollment.services_applications import ApplicationInput, ChildInput

DAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
]
LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish")), ("other", _("Another language"))]
CHILD_SLOTS = 3


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class PreferencesMixin(forms.Form):
    desired_start = forms.DateField(label=_("When would you like care to start?"), widget=DateInput)
    schedule = forms.ChoiceField(
        label=_("Schedule"),
        choices=Schedule.choices,
        widget=forms.RadioSelect,
        initial=Schedule.FULL_TIME,
    )
    days = forms.MultipleChoiceField(
        label=_("Days of the week"),
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[c for c, _ in DAY_CHOICES],
    )
    town = forms.CharField(label=_("Your town"), max_length=80)
    zip_code = forms.CharField(label=_("Your ZIP code"), max_length=10)
    phone = forms.CharField(
        label=_("Mobile phone (for text messages)"), max_length=30, required=False
    )
    program_1 = forms.TypedChoiceField(
        label=_("First choice of program"), required=False, coerce=int, empty_value=None
    )
    program_2 = forms.TypedChoiceField(
        label=_("Second choice"), required=False, coerce=int, empty_value=None
    )
    program_3 = forms.TypedChoiceField(
        label=_("Third choice"), required=False, coerce=int, empty_value=None
    )
    town_1 = forms.ChoiceField(label=_("Other town where care would suit you"), required=False)
    town_2 = forms.ChoiceField(label=_("Another town"), required=False)
    ccap = forms.ChoiceField(
        label=_("Child care subsidy (CCAP)"),
        choices=CcapStatus.choices,
        widget=forms.RadioSelect,
        initial=CcapStatus.NONE,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken at home"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    special_needs = forms.CharField(
        label=_("Special needs or accommodations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    notes = forms.CharField(
        label=_("Anything else we should know"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def set_choices(self, programs, towns) -> None:
        program_choices = [("", _("No preference"))] + [(p.pk, p.name) for p in programs]
        town_choices = [("", _("No other town"))] + [(t, t) for t in towns]
        for name in ("program_1", "program_2", "program_3"):
            self.fields[name].choices = program_choices
        for name in ("town_1", "town_2"):
            self.fields[name].choices = town_choices

    def preferences(self) -> dict:
        d = self.cleaned_data
        return {
            "desired_start": d.get("desired_start"),
            "schedule": d.get("schedule") or Schedule.FULL_TIME,
            "days": "".join(d.get("days") or []),
            "town": d.get("town", ""),
            "zip_code": d.get("zip_code", ""),
            "phone": d.get("phone", ""),
            "preferred_programs": list(
                dict.fromkeys(
                    p for p in (d.get("program_1"), d.get("program_2"), d.get("program_3")) if p
                )
            ),
            "preferred_towns": list(
                dict.fromkeys(t for t in (d.get("town_1"), d.get("town_2")) if t)
            ),
            "ccap": d.get("ccap") or CcapStatus.NONE,
            "languages": d.get("languages") or [],
            "special_needs": d.get("special_needs", ""),
            "notes": d.get("notes", ""),
        }


class ApplyForm(ErrorMixin, PreferencesMixin):
    """The public application: one guardian, up to three children, preferences, consent."""

    guardian_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(
        label=_("Language for our messages"), choices=[("en", _("English")), ("es", _("Spanish"))]
    )
    consent_to_share = forms.BooleanField(
        label=_(
            "I agree that the alliance shares this application with member programs "
            "that may have a place for my child."
        ),
        required=False,
    )
    field_order = ["guardian_name", "email", "phone", "language", "town", "zip_code"]

    def __init__(self, *args, programs=(), towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices(programs, towns)
        self.fields["language"].initial = translation.get_language() or "en"
        for i in range(1, CHILD_SLOTS + 1):
            required = i == 1
            self.fields[f"child{i}_first"] = forms.CharField(
                label=_("Child %(n)s: first name") % {"n": i}, max_length=80, required=required
            )
            self.fields[f"child{i}_last"] = forms.CharField(
                label=_("Child %(n)s: last name") % {"n": i}, max_length=80, required=required
            )
            self.fields[f"child{i}_birth"] = forms.DateField(
                label=_("Child %(n)s: birth date") % {"n": i},
                widget=DateInput,
                required=required,
            )

    def _group(self, names: str) -> list:
        return [self[name] for name in names.split()]

    def about_fields(self):
        return self._group("guardian_name email phone language town zip_code")

    def care_fields(self):
        return self._group(
            "desired_start schedule days program_1 program_2 program_3 town_1 town_2"
        )

    def more_fields(self):
        return self._group("ccap languages special_needs notes consent_to_share")

    def child_groups(self):
        return [
            [self[f"child{i}_first"], self[f"child{i}_last"], self[f"child{i}_birth"]]
            for i in range(1, CHILD_SLOTS + 1)
        ]

    def to_input(self) -> ApplicationInput:
        d = self.cleaned_data
        children = [
            ChildInput(
                d.get(f"child{i}_first", ""), d.get(f"child{i}_last", ""), d.get(f"child{i}_birth")
            )
            for i in range(1, CHILD_SLOTS + 1)
            if d.get(f"child{i}_first") or d.get(f"child{i}_birth")
        ]
        return ApplicationInput(
            guardian_name=d["guardian_name"],
            email=d["email"],
            language=d["language"],
            children=children,
            consent_to_share=bool(d.get("consent_to_share")),
            **self.preferences(),
        )


class UpdateApplicationForm(ErrorMixin, PreferencesMixin):
    def __init__(self, *args, programs=(), towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices(programs, towns)

    def to_input(self, application) -> ApplicationInput:
        family = application.family
        return ApplicationInput(
            guardian_name=family.guardian_name,
            email=family.email,
            language=family.language,
            children=[],
            consent_to_share=application.consent_to_share,
            **self.preferences(),
        )


def initial_from(application) -> dict:
    progs = list(application.preferred_programs) + [None, None, None]
    towns = list(application.preferred_towns) + ["", ""]
    return {
        "desired_start": application.desired_start,
        "schedule": application.schedule,
        "days": list(application.days),
        "town": application.family.town,
        "zip_code": application.family.zip_code,
        "phone": application.family.phone,
        "program_1": progs[0],
        "program_2": progs[1],
        "program_3": progs[2],
        "town_1": towns[0],
        "town_2": towns[1],
        "ccap": application.ccap,
        "languages": application.languages,
        "special_needs": application.special_needs,
        "notes": application.notes,
    }


class ReasonForm(ErrorMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class EnrollForm(ErrorMixin, forms.Form):
    """A director enrolls a child who came to the program directly."""

    first_name = forms.CharField(label=_("Child's first name"), max_length=80)
    last_name = forms.CharField(label=_("Child's last name"), max_length=80)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput)
    guardian_name = forms.CharField(label=_("Guardian"), max_length=150)
    email = forms.EmailField(label=_("Guardian's email"), required=False)
    classroom = forms.TypedChoiceField(label=_("Classroom"), coerce=int)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    schedule = forms.ChoiceField(
        label=_("Schedule"), choices=Schedule.choices, initial=Schedule.FULL_TIME
    )
    days = forms.MultipleChoiceField(
        label=_("Days of the week"),
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[c for c, _ in DAY_CHOICES],
    )

    def __init__(self, *args, classrooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].choices = [(c.pk, c.name) for c in classrooms]


class WithdrawForm(ErrorMixin, forms.Form):
    last_day = forms.DateField(label=_("Last day"), widget=DateInput)
    reason = forms.CharField(label=_("Reason for leaving"), max_length=300)


class MoveForm(ErrorMixin, forms.Form):
    classroom = forms.TypedChoiceField(label=_("New classroom"), coerce=int)
    on = forms.DateField(label=_("From"), widget=DateInput)

    def __init__(self, *args, classrooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].choices = [(c.pk, c.name) for c in classrooms]


class CorrectionForm(ErrorMixin, forms.Form):
    checked_in = forms.TimeField(label=_("Checked in"), widget=TimeInput)
    checked_out = forms.TimeField(label=_("Checked out"), widget=TimeInput, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class OpeningForm(ErrorMixin, forms.Form):
    classroom = forms.TypedChoiceField(label=_("Classroom"), coerce=int)
    kind = forms.ChoiceField(
        label=_("What to do"), choices=OpeningKind.choices, widget=forms.RadioSelect
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=50)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until (optional)"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, classrooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].choices = [(c.pk, c.name) for c in classrooms]


class ReferForm(ErrorMixin, forms.Form):
    to_program = forms.TypedChoiceField(label=_("Refer to"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_program"].choices = [(p.pk, p.name) for p in programs]
