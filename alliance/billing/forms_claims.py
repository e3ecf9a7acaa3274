"""Forms of the collections and claims pages. They only parse input; services validate the
rules and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.billing.models import LateFeeMethod, ReminderChannel


class DateInput(forms.DateInput):
    input_type = "date"


class MonthInput(forms.DateInput):
    input_type = "month"


class ClaimForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int)
    month = forms.CharField(
        label=_("Month"),
        widget=MonthInput(),
        help_text=_("The month the claim covers, e.g. 2026-10."),
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]

    def clean_month(self):
        from datetime import date

        text = (self.cleaned_data["month"] or "").strip()
        try:
            year, month = (int(x) for x in text.split("-")[:2])
            return date(year, month, 1)
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-10.")) from None


class LateFeePolicyForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=LateFeeMethod.choices)
    grace_days = forms.IntegerField(label=_("Grace days"), min_value=0, max_value=90, initial=5)
    flat_amount = forms.DecimalField(
        label=_("Flat fee"), required=False, min_value=0, decimal_places=2, max_digits=12
    )
    percent = forms.DecimalField(
        label=_("Percent of the overdue amount"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=3,
        max_digits=6,
    )
    cap = forms.DecimalField(
        label=_("Cap per invoice"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=12,
        help_text=_("Leave blank for no cap."),
    )
    minimum_overdue = forms.DecimalField(
        label=_("Only when at least this much is overdue"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=12,
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())


class ReminderScheduleForm(forms.Form):
    steps = forms.CharField(
        label=_("Reminder steps"),
        help_text=_(
            "Days after the due date and channel, separated by commas; negative days are "
            "before the due date. Channels: email, sms, both. Example: -3 email, 0 email, 7 both."
        ),
        initial="-3 email, 0 email, 7 both, 14 both",
    )

    def clean_steps(self):
        out = []
        for part in self.cleaned_data["steps"].split(","):
            bits = part.split()
            if not bits:
                continue
            if len(bits) != 2 or bits[1] not in ReminderChannel.values:
                raise forms.ValidationError(_("Write each step as days and channel, e.g. 7 email."))
            out.append((bits[0], bits[1]))
        if not out:
            raise forms.ValidationError(_("Add at least one reminder step."))
        return out


class PlanForm(forms.Form):
    installments = forms.IntegerField(
        label=_("Number of monthly installments"), min_value=1, max_value=24
    )
    first_due_on = forms.DateField(label=_("First installment due"), widget=DateInput())
    total = forms.DecimalField(
        label=_("Amount covered"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=12,
        help_text=_("Leave blank for the account's overdue balance."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AutopayForm(forms.Form):
    enabled = forms.BooleanField(label=_("Autopay on file"), required=False)
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[("", "—"), ("ach", _("ACH / bank account")), ("card", _("Card"))],
    )
    last4 = forms.CharField(label=_("Last 4 digits"), required=False, max_length=4)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AgencyPaymentForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("Payment amount"), min_value=0, decimal_places=2, max_digits=12
    )
    reference = forms.CharField(label=_("Reference (check or remittance number)"), required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields = []
        for line in lines:
            name = f"line_{line.pk}"
            self.fields[name] = forms.DecimalField(
                label=str(line.child),
                required=False,
                min_value=0,
                decimal_places=2,
                max_digits=12,
                initial=max(0, line.amount_claimed - line.amount_paid),
            )
            self.line_fields.append((line, name))

    def allocations(self):
        return [
            {"claim_line": line.pk, "amount": self.cleaned_data.get(name) or 0}
            for line, name in self.line_fields
        ]


class AgencyForm(forms.Form):
    """A subsidy agency of the alliance (the hub's agencies page)."""

    name = forms.CharField(label=_("Name"), max_length=150)
    code = forms.CharField(
        label=_("Short code"),
        max_length=20,
        help_text=_("Unique in the alliance, e.g. UC-CCRR; it appears on claim exports."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requires_attendance = forms.BooleanField(
        label=_("Claims must list attendance and absence days"), required=False, initial=True
    )
