from django.contrib import admin

from alliance.members.models import (
    Alliance,
    Classroom,
    Membership,
    MembershipApplication,
    MembershipTier,
    Program,
    Site,
)


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "county", "state")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(MembershipTier)
class MembershipTierAdmin(admin.ModelAdmin):
    list_display = ("name", "alliance", "annual_fee", "is_active")
    list_filter = ("alliance",)


class ClassroomInline(admin.TabularInline):
    model = Classroom
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "alliance",
        "kind",
        "town",
        "licensed_capacity",
        "staffed_capacity",
        "license_expires_on",
    )
    list_filter = ("alliance", "kind", "accepts_ccap", "quality_rating")
    search_fields = ("name", "slug", "town", "license_number")
    inlines = [ClassroomInline]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "town")
    search_fields = ("name", "program__name")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = (
        "program",
        "tier",
        "status",
        "annual_fee",
        "joined_on",
        "renews_on",
        "fee_paid_through",
    )
    list_filter = ("status",)


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ("program_name", "alliance", "kind", "town", "status", "submitted_at")
    list_filter = ("status", "kind", "alliance")
    search_fields = ("program_name", "email")
