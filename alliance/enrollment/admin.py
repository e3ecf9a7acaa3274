from django.contrib import admin

from alliance.enrollment.models import (
    Applicant,
    Application,
    Attendance,
    AttendanceCorrection,
    Enrollment,
    MatchingRun,
    Offer,
    OpeningAdjustment,
    Proposal,
    Referral,
)


class ApplicantInline(admin.TabularInline):
    model = Applicant
    extra = 0
    raw_id_fields = ("child",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("family", "alliance", "status", "desired_start", "submitted_at")
    list_filter = ("alliance", "status", "schedule", "ccap")
    search_fields = ("family__name", "family__email")
    raw_id_fields = ("family",)
    exclude = ("token",)
    inlines = [ApplicantInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("child", "program", "classroom", "start_date", "end_date", "status")
    list_filter = ("status", "schedule")
    search_fields = ("child__first_name", "child__last_name", "program__name")
    raw_id_fields = ("child", "classroom", "program", "offer")


class CorrectionInline(admin.TabularInline):
    model = AttendanceCorrection
    extra = 0
    readonly_fields = ("field", "old_value", "new_value", "reason", "corrected_by")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("child", "program", "classroom", "date", "checked_in_at", "checked_out_at")
    list_filter = ("date",)
    raw_id_fields = ("child", "classroom", "program", "checked_in_by", "checked_out_by")
    inlines = [CorrectionInline]


@admin.register(OpeningAdjustment)
class OpeningAdjustmentAdmin(admin.ModelAdmin):
    list_display = ("classroom", "program", "kind", "seats", "starts_on", "ends_on")


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = ("alliance", "created_at", "applicants", "seats", "matched", "seconds")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("applicant", "program", "classroom", "score", "status")
    list_filter = ("status",)
    raw_id_fields = ("applicant", "run", "program", "classroom")


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("applicant", "program", "classroom", "status", "sent_at", "expires_at")
    list_filter = ("status",)
    raw_id_fields = ("applicant", "proposal", "program", "classroom")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("application", "from_program", "to_program", "created_at")
    raw_id_fields = ("application",)
