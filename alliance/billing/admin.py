"""Back office views of billing: read-only. The ledger is immutable and every change goes
through the billing services (pages and API), so the admin never writes."""

from __future__ import annotations

from django.contrib import admin

from alliance.billing.models import (
    BillingRun,
    CcapAuthorization,
    CreditNote,
    FamilyAccount,
    Invoice,
    Payment,
    SubsidyAgency,
    TuitionRate,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly):
    list_display = ("number", "program", "account", "issued_on", "total", "family_amount")
    search_fields = ("number",)
    list_select_related = ("program", "account")


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ("received_on", "program", "account", "kind", "method", "amount", "reference")
    list_filter = ("kind", "method")
    search_fields = ("reference",)
    list_select_related = ("program", "account")


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnly):
    list_display = ("number", "program", "account", "kind", "amount", "reason")
    list_select_related = ("program", "account")


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnly):
    list_display = ("program", "period", "period_start", "invoice_count", "total", "posted_at")
    list_select_related = ("program",)


@admin.register(FamilyAccount)
class FamilyAccountAdmin(ReadOnly):
    list_display = ("number", "program", "family", "status", "autopay_enabled")
    search_fields = ("number", "family__name")
    list_select_related = ("program", "family")


@admin.register(CcapAuthorization)
class CcapAuthorizationAdmin(ReadOnly):
    list_display = ("child", "program", "agency", "starts_on", "ends_on", "weekly_copay")
    list_select_related = ("child", "program", "agency")


@admin.register(TuitionRate)
class TuitionRateAdmin(ReadOnly):
    list_display = ("program", "classroom", "age_group", "schedule", "period", "amount")
    list_select_related = ("program", "classroom")


@admin.register(SubsidyAgency)
class SubsidyAgencyAdmin(ReadOnly):
    list_display = ("name", "code", "alliance", "is_active")
