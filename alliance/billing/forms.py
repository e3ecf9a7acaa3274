"""Forms of billing pages. They only read input; services do every write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.billing.models import (
    AgeGroup,
    CareSchedule,
    DiscountKind,
    DiscountMethod,
    FeeCharge,
    PaymentMethod,
    Period,
    StarRating,
)
from alliance.core.forms import ErrorMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
        **kwargs,
    )


class RunForm(ErrorMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    day = forms.DateField(
        label=_("A day in the period"),
        widget=DATE,
        help_text=_("The run bills the whole week (Monday–Sunday) or month containing this day."),
    )
    issued_on = forms.DateField(
        label=_("Invoice date"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to date invoices on the first day of the period."),
    )


class PaymentForm(ErrorMixin, forms.Form):
    amount = money_field(_("Amount ($)"), min_value=Decimal("0.01"))
    method = forms.ChoiceField(
        label=_("Method"), choices=[c for c in PaymentMethod.choices if c[0] != "agency"]
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=date.today)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=80,
        required=False,
        help_text=_("Check number or transaction ID."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CreditForm(ErrorMixin, forms.Form):
    amount = money_field(_("Amount ($)"), min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReverseForm(ErrorMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RefundForm(ErrorMixin, forms.Form):
    amount = money_field(_("Amount to refund ($)"), min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ImportForm(ErrorMixin, forms.Form):
    file = forms.FileField(label=_("CSV file from the bank or processor"))


class RateForm(ErrorMixin, forms.Form):
    classroom = forms.TypedChoiceField(
        label=_("Classroom"), coerce=int, required=False, empty_value=None
    )
    age_group = forms.ChoiceField(
        label=_("or age group"), choices=[("", "—"), *AgeGroup.choices], required=False
    )
    schedule = forms.ChoiceField(label=_("Schedule"), choices=CareSchedule.choices)
    period = forms.ChoiceField(label=_("Per"), choices=Period.choices)
    amount = money_field(_("Amount ($)"), min_value=Decimal("0"))
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)

    def __init__(self, *args, classrooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].choices = [("", "—"), *[(c.pk, c.name) for c in classrooms]]


class FeeForm(ErrorMixin, forms.Form):
    name = forms.CharField(label=_("Fee"), max_length=100)
    amount = money_field(_("Amount ($)"), min_value=Decimal("0.01"))
    charge = forms.ChoiceField(label=_("Charged"), choices=FeeCharge.choices)


class DiscountForm(ErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Discount"), choices=DiscountKind.choices)
    method = forms.ChoiceField(label=_("Method"), choices=DiscountMethod.choices)
    value = money_field(_("Percent or amount"), min_value=Decimal("0.01"))
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)


class AuthorizationForm(ErrorMixin, forms.Form):
    child = forms.TypedChoiceField(label=_("Child"), coerce=int)
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int)
    case_number = forms.CharField(label=_("Case number"), max_length=40, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    schedule = forms.ChoiceField(label=_("Schedule"), choices=CareSchedule.choices)
    star_rating = forms.TypedChoiceField(
        label=_("Grow NJ Kids rating"), choices=StarRating.choices, coerce=int
    )
    special_needs = forms.BooleanField(label=_("Special-needs rate"), required=False)
    weekly_copay = money_field(
        _("Weekly co-pay ($)"),
        min_value=Decimal("0"),
        required=False,
        help_text=_("From the agency's notice. Leave empty to compute it from income."),
    )
    annual_income = money_field(_("Annual household income ($)"), min_value=0, required=False)
    household_size = forms.IntegerField(
        label=_("Household size"), min_value=1, max_value=30, required=False
    )
    child_position = forms.IntegerField(
        label=_("Child's place among the family's children in care"),
        min_value=1,
        max_value=10,
        initial=1,
    )

    def __init__(self, *args, children=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(c.pk, str(c)) for c in children]
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]


class PayerForm(forms.Form):
    """One row of the payers page. ``id`` keeps an existing payer; ``remove`` drops it (a
    payer with payments is deactivated by the service, never deleted)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Payer's name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    share_percent = forms.DecimalField(
        label=_("Share (%)"),
        max_digits=6,
        decimal_places=3,
        required=False,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
    )
    remove = forms.BooleanField(label=_("Remove this payer"), required=False)


PayerFormSet = forms.formset_factory(PayerForm, extra=1, max_num=10, absolute_max=10)


class SettingsForm(ErrorMixin, forms.Form):
    period = forms.ChoiceField(label=_("Billing period"), choices=Period.choices)
    due_days = forms.IntegerField(
        label=_("Days until an invoice is due"), min_value=0, max_value=90
    )
    bill_ccap_difference = forms.BooleanField(
        label=_("Bill families the difference between the CCAP rate and our rate"),
        required=False,
    )
    statement_name = forms.CharField(label=_("Name on statements"), max_length=150, required=False)
    tax_id = forms.CharField(
        label=_("Tax ID on statements"),
        max_length=20,
        required=False,
        help_text=_("Leave blank to use the program's tax ID."),
    )
    remit_to = forms.CharField(
        label=_("Send payments to"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    statement_message = forms.CharField(
        label=_("Message on statements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    autopay_required = forms.BooleanField(label=_("Families must use autopay"), required=False)
    late_fee_policy = forms.ModelChoiceField(
        label=_("Late fee policy in force"), queryset=None, required=False, empty_label="—"
    )
    reminder_schedule = forms.ModelChoiceField(
        label=_("Reminder schedule in force"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, policies=None, schedules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late_fee_policy"].queryset = policies
        self.fields["reminder_schedule"].queryset = schedules
