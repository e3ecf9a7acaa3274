from django.contrib import admin

from alliance.community import models


@admin.register(models.Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "alliance", "status", "distribution", "anonymous", "created_at")
    list_filter = ("status", "distribution")
    search_fields = ("title",)


@admin.register(models.Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("survey", "program", "language", "started_at", "submitted_at")
    raw_id_fields = ("survey", "program", "respondent")


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "alliance", "service")


@admin.register(models.Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "held_on", "alliance")


@admin.register(models.CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "organization", "alliance", "is_active")


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "location", "alliance")


@admin.register(models.ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "due_on", "status")


@admin.register(models.Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "created_at")


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "post_count", "is_locked", "is_hidden")


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("post", "reason", "created_at", "resolved_at")


@admin.register(models.Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("title", "sent_at", "recipient_count")


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "access", "updated_at")


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "capacity", "is_public")
