"""Forms validate and label input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import User
from alliance.core.forms import ErrorMixin
from alliance.training.models import Course, Session


class CourseForm(ErrorMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "topic", "description", "hours", "is_orientation", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class SessionForm(ErrorMixin, forms.ModelForm):
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Leave empty to use the course's hours."),
    )
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    trainer = forms.ModelChoiceField(
        label=_("Trainer (with an account)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("They can take attendance for this session."),
    )

    class Meta:
        model = Session
        fields = [
            "course",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "seats",
            "language",
            "trainer",
            "trainer_name",
            "notes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, alliance, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(alliance=alliance, is_active=True)
        self.fields["trainer"].queryset = trainers


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
