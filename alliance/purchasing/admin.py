"""Back office views of purchasing (read-mostly: changes go through the hub's pages)."""

from django.contrib import admin

from alliance.purchasing.models import Cycle, Item, Order, PurchaseOrder, Vendor


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ("name", "alliance", "minimum_order", "delivery_fee", "is_active")
    list_filter = ("alliance",)
    search_fields = ("name",)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("name", "sku", "vendor", "category", "baseline_price", "is_active")
    list_filter = ("category",)
    search_fields = ("name", "sku")
    list_select_related = ("vendor",)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("name", "alliance", "opens_at", "closes_at", "status")
    list_filter = ("status",)
    search_fields = ("name",)
    readonly_fields = ("status", "closed_at", "closed_by")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("program", "cycle", "subtotal", "baseline_total", "delivery_share", "credits")
    search_fields = ("program__name", "invoice_number")
    list_select_related = ("program", "cycle")
    readonly_fields = ("subtotal", "baseline_total", "delivery_share", "credits")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "vendor", "cycle", "status", "subtotal", "delivery_fee")
    list_filter = ("status",)
    search_fields = ("number", "vendor__name")
    list_select_related = ("vendor", "cycle")
    readonly_fields = ("subtotal", "delivery_fee", "status")
