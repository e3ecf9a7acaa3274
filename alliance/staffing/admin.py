from django.contrib import admin

from alliance.staffing.models import (
    Application,
    Candidate,
    Credential,
    JobPosting,
    ScheduleBlock,
    StaffingSettings,
    StaffMember,
    StaffShift,
)


class ScheduleInline(admin.TabularInline):
    model = ScheduleBlock
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "program", "role", "hire_date", "separated_on")
    list_filter = ("role", "program__alliance")
    search_fields = ("full_name", "email")
    raw_id_fields = ("user", "program")
    inlines = [ScheduleInline]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("kind", "person", "staff", "issued_on", "expires_on", "verified_at")
    list_filter = ("kind", "alliance")
    raw_id_fields = ("person", "staff", "verified_by")


@admin.register(StaffShift)
class StaffShiftAdmin(admin.ModelAdmin):
    list_display = ("staff", "classroom", "started_at", "ended_at")
    raw_id_fields = ("staff", "classroom", "program")


@admin.register(StaffingSettings)
class StaffingSettingsAdmin(admin.ModelAdmin):
    list_display = ("program", "auto_request_substitutes", "forecast_hours")


@admin.register(JobPosting)
class JobPostingAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "status", "posted_on")
    list_filter = ("status",)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("full_name", "email", "alliance", "share_with_members")
    search_fields = ("full_name", "email")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("candidate", "posting", "stage", "created_at")
    list_filter = ("stage",)
    raw_id_fields = ("candidate", "posting", "program", "hired_staff")
