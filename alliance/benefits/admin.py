"""Back office views of benefits (read-mostly: changes go through the hub's and the
directors' pages, which check and audit them)."""

from django.contrib import admin

from alliance.benefits.models import Election, MemberPolicy, Plan, PlanYear


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "carrier", "alliance", "is_active")
    list_filter = ("kind", "alliance")
    search_fields = ("name", "carrier")


@admin.register(PlanYear)
class PlanYearAdmin(admin.ModelAdmin):
    list_display = ("name", "alliance", "starts_on", "enrollment_opens_on", "enrollment_closes_on")
    search_fields = ("name",)


@admin.register(MemberPolicy)
class MemberPolicyAdmin(admin.ModelAdmin):
    list_display = ("program", "plan", "contribution_kind", "contribution_value", "offered")
    list_select_related = ("program", "plan")
    search_fields = ("program__name", "plan__name")


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("staff", "kind", "plan", "status", "tier", "starts_on", "ends_on")
    list_filter = ("kind", "status")
    list_select_related = ("staff", "plan")
    search_fields = ("staff__full_name", "plan__name")
    raw_id_fields = ("staff", "plan", "life_event", "created_by", "dependents")
