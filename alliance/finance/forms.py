"""Forms of the finance pages. They only collect input: the services validate it (and name
every impossible value) and write it."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from alliance.finance import costing
from alliance.rules import finance as rules


class TargetsForm(forms.Form):
    enrollment = forms.DecimalField(
        label=_("Enrollment target (percent of staffed capacity)"), max_digits=5, decimal_places=1
    )
    collection = forms.DecimalField(
        label=_("Fee collection target (percent of billing)"), max_digits=5, decimal_places=1
    )
    bad_debt = forms.DecimalField(
        label=_("Bad debt limit (percent of revenue)"), max_digits=5, decimal_places=1
    )
    dso = forms.DecimalField(
        label=_("Days sales outstanding limit (days)"), max_digits=5, decimal_places=1
    )


def _age_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *costing.age_group_labels().items()]


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Classroom"), max_length=80, required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=(), required=False)
    capacity = forms.CharField(label=_("Staffed seats"), required=False)
    enrolled_fte = forms.CharField(label=_("Enrolled FTE"), required=False)
    ccap_percent = forms.CharField(label=_("Paid by CCAP (%)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age_group"].choices = _age_choices(str(_("Choose…")))


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Position"), max_length=80, required=False)
    room = forms.CharField(
        label=_("Classroom (blank: program-wide)"), max_length=80, required=False
    )
    count = forms.CharField(label=_("People"), required=False)
    hourly_wage = forms.CharField(label=_("Hourly wage ($)"), required=False)
    hours_per_week = forms.CharField(label=_("Hours per week"), required=False)


RoomFormSet = formset_factory(RoomForm, extra=2)
PositionFormSet = formset_factory(PositionForm, extra=2)


class ModelForm(forms.Form):
    """The model's program-wide inputs (tuition, costs, benefits, other revenue)."""

    payroll_tax_percent = forms.CharField(
        label=_("Payroll taxes (percent of wages)"), required=False
    )
    benefits_annual = forms.CharField(
        label=_("Benefits, employer share ($ a year)"), required=False
    )
    food_program_annual = forms.CharField(
        label=_("Food program revenue ($ a year)"), required=False
    )
    other_revenue_annual = forms.CharField(label=_("Other revenue ($ a year)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group, label in costing.age_group_labels().items():
            self.fields[f"tuition_{group}"] = forms.CharField(
                label=_("Weekly full-time tuition: %(group)s") % {"group": label}, required=False
            )
        for key, label in costing.cost_labels().items():
            self.fields[f"cost_{key}"] = forms.CharField(
                label=_("%(cost)s ($ a year)") % {"cost": label}, required=False
            )


def initial_from(inputs: dict) -> tuple[dict, list[dict], list[dict]]:
    main = {k: inputs.get(k, "") for k in ("payroll_tax_percent", *costing.MONEY_KEYS)}
    main.setdefault("payroll_tax_percent", "10")
    for group in rules.AGE_GROUPS:
        main[f"tuition_{group}"] = inputs.get("weekly_tuition", {}).get(group, "")
    for key in costing.COST_KEYS:
        main[f"cost_{key}"] = inputs.get("costs", {}).get(key, "")
    return main, list(inputs.get("rooms", [])), list(inputs.get("positions", []))


def _filled(data: dict) -> bool:
    return any(str(v or "").strip() for v in data.values())


def inputs_from(main: forms.Form, rooms, positions) -> dict:
    """The raw inputs of bound, type-checked forms (blank rows are skipped)."""
    d = main.cleaned_data
    return {
        "rooms": [f.cleaned_data for f in rooms.forms if _filled(f.cleaned_data)],
        "positions": [f.cleaned_data for f in positions.forms if _filled(f.cleaned_data)],
        "weekly_tuition": {g: d.get(f"tuition_{g}") for g in rules.AGE_GROUPS},
        "costs": {k: d.get(f"cost_{k}") for k in costing.COST_KEYS},
        "payroll_tax_percent": d.get("payroll_tax_percent") or "10",
        **{k: d.get(k) for k in costing.MONEY_KEYS},
    }


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Scenario name"), max_length=80)
    wage_raise_percent = forms.DecimalField(
        label=_("Raise all wages by (%)"),
        max_digits=5,
        decimal_places=1,
        initial=0,
        required=False,
    )
    join_purchasing = forms.BooleanField(
        label=_(
            "Join group purchasing (food and supplies cost less by the alliance's measured savings)"
        ),
        required=False,
    )

    def __init__(self, *args, rooms: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = rooms or []
        for i, room in enumerate(self.rooms):
            self.fields[f"room_{i}"] = forms.ChoiceField(
                label=_("Age group of %(room)s") % {"room": room},
                choices=_age_choices(str(_("No change"))),
                required=False,
            )

    def changes(self) -> dict[str, str]:
        return {
            room: self.cleaned_data.get(f"room_{i}")
            for i, room in enumerate(self.rooms)
            if self.cleaned_data.get(f"room_{i}")
        }
