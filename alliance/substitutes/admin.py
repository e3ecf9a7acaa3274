from django.contrib import admin

from alliance.substitutes.models import (
    Assignment,
    Backup,
    Favourite,
    Offer,
    PoolSettings,
    Rating,
    SubsidyBudget,
    SubstituteInvoice,
    SubstituteProfile,
    SubstituteRequest,
    Timesheet,
)


@admin.register(PoolSettings)
class PoolSettingsAdmin(admin.ModelAdmin):
    list_display = ("alliance", "default_mode", "wave_size", "wave_minutes", "billing_rate")
    search_fields = ("alliance__name",)


@admin.register(SubstituteProfile)
class SubstituteProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "alliance", "status", "home_town", "travel_miles", "pay_rate")
    list_filter = ("status",)
    search_fields = ("user__email", "user__full_name", "home_town")
    raw_id_fields = ("user",)
    filter_horizontal = ("preferred_programs", "blocked_programs")


@admin.register(SubstituteRequest)
class SubstituteRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "program", "first_date", "start", "end", "status", "assigned_to")
    list_filter = ("status", "mode")
    search_fields = ("program__name", "notes")
    raw_id_fields = ("program", "classroom", "preferred", "requested_by", "assigned_to")


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("pk", "request", "substitute", "wave", "score", "status", "expires_at")
    list_filter = ("status",)
    search_fields = ("substitute__email",)
    raw_id_fields = ("request", "substitute")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("pk", "request", "substitute", "status", "accepted_at", "late_cancel")
    list_filter = ("status",)
    search_fields = ("substitute__email",)
    raw_id_fields = ("request", "substitute", "offer")


@admin.register(Timesheet)
class TimesheetAdmin(admin.ModelAdmin):
    list_display = ("pk", "program", "work_date", "hours", "status", "invoice")
    list_filter = ("status",)
    search_fields = ("program__name",)
    raw_id_fields = ("assignment", "program", "approved_by", "invoice")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("pk", "program", "substitute", "stars", "created_at")
    search_fields = ("substitute__email", "comment")
    raw_id_fields = ("assignment", "program", "substitute", "created_by")


@admin.register(SubstituteInvoice)
class SubstituteInvoiceAdmin(admin.ModelAdmin):
    list_display = ("program", "month", "hours", "rate", "subsidized_hours", "amount")
    search_fields = ("program__name",)
    raw_id_fields = ("program", "issued_by")


@admin.register(SubsidyBudget)
class SubsidyBudgetAdmin(admin.ModelAdmin):
    list_display = ("program", "year", "hours", "warn_at_percent")
    search_fields = ("program__name",)
    raw_id_fields = ("program",)


@admin.register(Favourite)
class FavouriteAdmin(admin.ModelAdmin):
    list_display = ("program", "substitute", "created_at")
    search_fields = ("program__name", "substitute__email", "substitute__full_name")
    raw_id_fields = ("program", "substitute", "created_by")


@admin.register(Backup)
class BackupAdmin(admin.ModelAdmin):
    list_display = ("request", "position", "substitute", "source", "offered_at")
    list_filter = ("source",)
    raw_id_fields = ("request", "substitute")
