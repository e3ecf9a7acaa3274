"""Forms of the benefits pages. They only read input; services do every write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.benefits.models import (
    ContributionKind,
    LifeEventKind,
    PayFrequency,
    PlanKind,
    Relationship,
)
from alliance.core.forms import ErrorMixin
from alliance.staffing.models import StaffRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"decimal_places": 2, "max_digits": 12}


def parse_steps(text: str) -> list[list[str]]:
    """``"3:100, 5:50"`` → ``[["3", "100"], ["5", "50"]]`` (the service checks the numbers)."""
    steps = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        left, sep, right = part.partition(":")
        steps.append([left.strip(), right.strip() if sep else ""])
    return steps


def steps_text(steps: list) -> str:
    return ", ".join(f"{a}:{b}" for a, b in steps or [])


class PlanForm(ErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=120)
    name = forms.CharField(label=_("Plan name"), max_length=150)
    summary = forms.FileField(
        label=_("Summary of benefits"),
        required=False,
        help_text=_("A PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    is_active = forms.BooleanField(label=_("Offered to members"), required=False, initial=True)
    deferral_min_percent = forms.DecimalField(
        label=_("Lowest employee deferral (%)"), required=False, decimal_places=2,
        help_text=_("Retirement plans only."),
    )  # fmt: skip
    deferral_max_percent = forms.DecimalField(
        label=_("Highest employee deferral (%)"), required=False, decimal_places=2,
        help_text=_("Retirement plans only."),
    )  # fmt: skip
    match_formula = forms.CharField(
        label=_("Employer match"), required=False,
        help_text=_("Steps “up to % of pay: match %”: 3:100, 5:50 is 100% of the first 3% "
                    "and 50% of the next 2%."),
    )  # fmt: skip
    vesting = forms.CharField(
        label=_("Vesting schedule"), required=False,
        help_text=_("Steps “years of service: percent vested”, e.g. 0:0, 2:50, 4:100."),
    )  # fmt: skip

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["match_formula"] = parse_steps(data.get("match_formula", ""))
        data["vesting"] = parse_steps(data.get("vesting", ""))
        return data


class RateForm(ErrorMixin, forms.Form):
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE)
    employee = forms.DecimalField(label=_("Employee only ($ a month)"), min_value=0, **MONEY)
    employee_spouse = forms.DecimalField(
        label=_("Employee + spouse ($ a month)"), min_value=0, **MONEY
    )
    employee_children = forms.DecimalField(
        label=_("Employee + children ($ a month)"), min_value=0, **MONEY
    )
    family = forms.DecimalField(label=_("Family ($ a month)"), min_value=0, **MONEY)


class QuoteForm(RateForm):
    kind = forms.ChoiceField(
        label=_("Plan kind"),
        choices=[(k, v) for k, v in PlanKind.choices if k != PlanKind.RETIREMENT],
    )
    carrier = forms.CharField(label=_("Quoted by"), max_length=120, required=False)
    field_order = ["kind", "carrier", "effective_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].label = _("Quote date")


class PlanYearForm(ErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    starts_on = forms.DateField(label=_("Coverage starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Coverage ends"), widget=DATE)
    enrollment_opens_on = forms.DateField(label=_("Open enrollment opens"), widget=DATE)
    enrollment_closes_on = forms.DateField(label=_("Open enrollment closes"), widget=DATE)


class PolicyForm(ErrorMixin, forms.Form):
    offered = forms.BooleanField(label=_("Offer this plan to our staff"), required=False)
    contribution_kind = forms.ChoiceField(
        label=_("Employer contribution"), choices=ContributionKind.choices
    )
    # Bounds are the service's: it names the fix ("100 or less") for a bad percent.
    contribution_value = forms.DecimalField(
        label=_("Amount ($) or percent (%)"), decimal_places=2, max_digits=12,
        help_text=_("Dollars a month for a fixed amount; 0 to 100 for a percent."),
    )  # fmt: skip
    contribution_cap = forms.DecimalField(
        label=_("At most ($ a month)"), required=False, decimal_places=2, max_digits=12,
        help_text=_("Leave empty for no cap."),
    )  # fmt: skip
    min_hours = forms.DecimalField(
        label=_("Minimum hours per week"), decimal_places=1, max_digits=4, initial=30
    )
    waiting_days = forms.IntegerField(label=_("Waiting period after hire (days)"), initial=60)
    eligible_roles = forms.MultipleChoiceField(
        label=_("Eligible roles"), choices=StaffRole.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None checked: every role."),
    )  # fmt: skip


class CalculatorForm(ErrorMixin, forms.Form):
    plan = forms.TypedChoiceField(label=_("Plan"), coerce=int)
    contribution_kind = forms.ChoiceField(
        label=_("Proposed contribution"), choices=ContributionKind.choices
    )
    contribution_value = forms.DecimalField(
        label=_("Amount ($) or percent (%)"), decimal_places=2, max_digits=12
    )
    contribution_cap = forms.DecimalField(
        label=_("At most ($ a month)"), required=False, decimal_places=2, max_digits=12
    )

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.pk, str(p)) for p in plans]


class FrequencyForm(ErrorMixin, forms.Form):
    pay_frequency = forms.ChoiceField(label=_("Pay frequency"), choices=PayFrequency.choices)


class DependentForm(ErrorMixin, forms.Form):
    full_name = forms.CharField(label=_("Dependent's full name"), max_length=150)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)


class LifeEventForm(ErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Life event"), choices=LifeEventKind.choices)
    occurred_on = forms.DateField(label=_("Date of the event"), widget=DATE)
    proof = forms.FileField(
        label=_("Proof"), required=False, help_text=_("A PDF, JPEG or PNG of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )  # fmt: skip


def percent_or_none(value: str) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except ArithmeticError:
        return None
    return number if number.is_finite() else None
