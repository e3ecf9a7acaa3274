"""Group purchasing: vendors, catalog items with price tiers, cycles, orders, purchase orders.

Prices a cycle uses are frozen on its ``CycleItem`` rows when the cycle opens, so a later
catalog change never moves the price of an order already placed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.core.tenancy import AllianceScopedManager, ProgramScopedManager
from alliance.members.models import Alliance, Program
from alliance.purchasing.pricing import Tier, tiers_from_json

PRICE = {"max_digits": 12, "decimal_places": 4}
MONEY = {"max_digits": 12, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 2}


class Category(models.TextChoices):
    FOOD = "food", _("Food")
    CLEANING = "cleaning", _("Cleaning")
    PAPER = "paper", _("Paper goods")
    CLASSROOM = "classroom", _("Classroom supplies")
    DIAPERING = "diapering", _("Diapering")
    OFFICE = "office", _("Office")


class Vendor(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="vendors")
    name = models.CharField(_("name"), max_length=150)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    delivery_areas = models.CharField(_("delivery areas"), max_length=300, blank=True)
    delivery_days = models.CharField(_("delivery days"), max_length=120, blank=True)
    minimum_order = models.DecimalField(
        _("minimum order"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    delivery_fee = models.DecimalField(
        _("delivery fee per cycle"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    terms = models.CharField(_("payment terms"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="vendor_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="items")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="items")
    sku = models.CharField(_("SKU"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("e.g. case of 12 cans"))
    pack_size = models.PositiveIntegerField(
        _("units per vendor pack"), default=1, validators=[MinValueValidator(1)]
    )
    divisible = models.BooleanField(_("may be ordered in fractions"), default=False)
    cacfp_creditable = models.BooleanField(_("CACFP creditable"), default=False)
    tiers = models.JSONField(_("price tiers"), default=list)  # [[min_quantity, "price"], ...]
    baseline_price = models.DecimalField(_("retail baseline price"), **PRICE)
    baseline_source = models.CharField(_("baseline source"), max_length=200, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["category", "name"]
        constraints = [models.UniqueConstraint(fields=["vendor", "sku"], name="item_sku_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def price_tiers(self) -> list[Tier]:
        return tiers_from_json(self.tiers)


class PriceChange(models.Model):
    """Price history: every change of an item's tiers or baseline."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="price_changes")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tiers = models.JSONField(default=list)
    baseline_price = models.DecimalField(**PRICE)
    source = models.CharField(max_length=40)  # "import", "edit"

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.baseline_price}"


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Cycle(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(_("name"), max_length=120)
    opens_at = models.DateTimeField(_("orders open"))
    closes_at = models.DateTimeField(_("orders close"))
    delivery_on = models.DateField(_("delivery date"))
    member_min_spend = models.DecimalField(
        _("minimum order per member"), **MONEY, default=Decimal("0")
    )
    spend_cap = models.DecimalField(
        _("close automatically at this pooled total"), **MONEY, null=True, blank=True
    )
    min_total = models.DecimalField(
        _("cancel if the pooled total is below"), **MONEY, default=Decimal("0")
    )
    status = models.CharField(max_length=12, choices=CycleStatus.choices, default="open")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-closes_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def accepts_orders(self, now) -> bool:
        return self.status == CycleStatus.OPEN and self.opens_at <= now < self.closes_at


class CycleItem(models.Model):
    """An item offered in a cycle, with the tiers and baseline frozen at opening."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="cycle_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+")
    tiers = models.JSONField(default=list)
    baseline_price = models.DecimalField(**PRICE)
    pack_size = models.PositiveIntegerField(default=1)
    divisible = models.BooleanField(default=False)

    objects = ScopedManager(alliance="cycle__alliance")

    class Meta:
        ordering = ["item__category", "item__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "item"], name="cycle_item_unique")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.item_id}"

    def price_tiers(self) -> list[Tier]:
        return tiers_from_json(self.tiers)


class Order(models.Model):
    """One program's order in one cycle (a buyer's several submissions merge into it)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="orders")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="orders")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    subtotal = models.DecimalField(**MONEY, null=True, blank=True)  # at close
    delivery_share = models.DecimalField(**MONEY, default=Decimal("0"))
    credits = models.DecimalField(**MONEY, default=Decimal("0"))  # receiving adjustments
    baseline_total = models.DecimalField(**MONEY, null=True, blank=True)
    invoice_number = models.CharField(max_length=40, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["-cycle__closes_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "program"], name="order_one_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} in {self.cycle_id}"

    @property
    def invoice_total(self) -> Decimal:
        return (self.subtotal or Decimal("0")) + self.delivery_share - self.credits

    @property
    def savings(self) -> Decimal:
        return (self.baseline_total or Decimal("0")) - (self.subtotal or Decimal("0"))


class ReceiptStatus(models.TextChoices):
    PENDING = "pending", _("Not received yet")
    RECEIVED = "received", _("Received")
    SHORT = "short", _("Short")
    DAMAGED = "damaged", _("Damaged")


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    cycle_item = models.ForeignKey(CycleItem, on_delete=models.PROTECT, related_name="lines")
    quantity = models.DecimalField(_("quantity"), **QTY)
    tolerance = models.PositiveIntegerField(_("extra units accepted"), default=0)
    # Set at close: the allocation.
    final_quantity = models.DecimalField(**QTY, null=True, blank=True)
    unit_price = models.DecimalField(**PRICE, null=True, blank=True)
    amount = models.DecimalField(**MONEY, null=True, blank=True)
    baseline_amount = models.DecimalField(**MONEY, null=True, blank=True)
    # Receiving.
    receipt = models.CharField(max_length=12, choices=ReceiptStatus.choices, default="pending")
    received_quantity = models.DecimalField(**QTY, null=True, blank=True)
    credit = models.DecimalField(**MONEY, default=Decimal("0"))
    receipt_note = models.CharField(max_length=200, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["cycle_item__item__category", "cycle_item__item__name"]
        constraints = [
            models.UniqueConstraint(fields=["order", "cycle_item"], name="order_line_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="line_qty_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.cycle_item_id}"

    @property
    def savings(self) -> Decimal:
        return (self.baseline_amount or Decimal("0")) - (self.amount or Decimal("0"))


class POStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled (below the vendor minimum)")


class PurchaseOrder(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="purchase_orders")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="purchase_orders")
    number = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=POStatus.choices, default="issued")
    subtotal = models.DecimalField(**MONEY, default=Decimal("0"))
    delivery_fee = models.DecimalField(**MONEY, default=Decimal("0"))
    below_minimum = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["cycle", "vendor__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "vendor"], name="po_one_per_vendor"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.delivery_fee


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    cycle_item = models.ForeignKey(CycleItem, on_delete=models.PROTECT, related_name="+")
    ordered_quantity = models.DecimalField(**QTY)  # what members asked for
    quantity = models.DecimalField(**QTY)  # after pack rounding
    tier_min_quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(**PRICE)
    amount = models.DecimalField(**MONEY)
    baseline_amount = models.DecimalField(**MONEY)

    objects = ScopedManager(alliance="purchase_order__alliance")

    class Meta:
        ordering = ["cycle_item__item__category", "cycle_item__item__name"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.cycle_item_id}"
