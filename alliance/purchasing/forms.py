"""Forms of purchasing pages. They only read input; services do every write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.forms import ErrorMixin
from alliance.purchasing.models import Category, Item, ReceiptStatus, Vendor
from alliance.purchasing.services import VENDOR_FIELDS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VendorForm(ErrorMixin, forms.ModelForm):
    class Meta:
        model = Vendor
        fields = VENDOR_FIELDS


class CycleForm(ErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    opens_at = forms.DateTimeField(label=_("Orders open"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Orders close"), widget=DATETIME)
    delivery_on = forms.DateField(label=_("Delivery date"), widget=DATE)
    member_min_spend = forms.DecimalField(
        label=_("Minimum order per member ($)"), min_value=0, decimal_places=2, initial=0
    )
    spend_cap = forms.DecimalField(
        label=_("Close automatically when the pooled total reaches ($)"),
        min_value=Decimal("0.01"),
        decimal_places=2,
        required=False,
        help_text=_("Leave empty for no cap."),
    )
    min_total = forms.DecimalField(
        label=_("Cancel the cycle if the pooled total is below ($)"),
        min_value=0,
        decimal_places=2,
        initial=0,
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Items offered"),
        queryset=Item.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = Item.objects.filter(
            alliance=alliance, is_active=True
        ).select_related("vendor")
        self.fields["items"].label_from_instance = lambda i: f"{i.name} — {i.vendor.name}"


class ExtendForm(ErrorMixin, forms.Form):
    closes_at = forms.DateTimeField(label=_("New closing time"), widget=DATETIME)


class LineChangeForm(ErrorMixin, forms.Form):
    quantity = forms.DecimalField(label=_("New quantity"), min_value=0, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReceiptForm(ErrorMixin, forms.Form):
    receipt = forms.ChoiceField(
        label=_("What arrived"),
        choices=[c for c in ReceiptStatus.choices if c[0] != ReceiptStatus.PENDING],
    )
    received_quantity = forms.DecimalField(
        label=_("Good units received"), min_value=0, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ImportForm(ErrorMixin, forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.none())
    file = forms.FileField(
        label=_("Price list (CSV)"),
        required=False,
        help_text=_(
            "Columns: sku, name, category, unit, pack_size, divisible, cacfp_creditable, "
            "baseline_price, baseline_source, baseline_date, tiers (e.g. 1:12.50|10:11.75)."
        ),
    )
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(alliance=alliance)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            raw = upload.read(2_000_001)
            if len(raw) > 2_000_000:
                self.add_error("file", _("The file is larger than 2 MB."))
                return data
            try:
                data["csv_text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("Save the file as CSV in UTF-8."))
        elif not data.get("csv_text"):
            self.add_error("file", _("Choose a CSV file."))
        return data


class ItemForm(ErrorMixin, forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.none())
    sku = forms.CharField(label=_("SKU"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    unit = forms.CharField(label=_("Unit"), max_length=60)
    pack_size = forms.IntegerField(label=_("Units per vendor pack"), min_value=1, initial=1)
    divisible = forms.BooleanField(label=_("May be ordered in fractions"), required=False)
    cacfp_creditable = forms.BooleanField(label=_("CACFP creditable"), required=False)
    tiers = forms.CharField(
        label=_("Price tiers"),
        max_length=300,
        help_text=_("Pooled quantity and unit price, e.g. 1:12.50|10:11.75|50:10.90"),
    )
    baseline_price = forms.DecimalField(
        label=_("Retail baseline price"), min_value=Decimal("0.0001"), decimal_places=4
    )
    baseline_source = forms.CharField(label=_("Baseline source"), max_length=200, required=False)
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DATE)
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(alliance=alliance)
