from django.contrib import admin

from alliance.training.models import Course, FeedToken, Registration, Session


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "alliance", "topic", "hours", "is_orientation", "is_active")
    list_filter = ("alliance", "topic", "is_active")
    search_fields = ("title",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("course", "starts_at", "language", "seats", "status")
    list_filter = ("alliance", "status", "language")
    raw_id_fields = ("trainer",)
    date_hierarchy = "starts_at"


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("person", "session", "status", "attendance", "certificate_code")
    list_filter = ("status", "attendance")
    raw_id_fields = ("person", "session", "marked_by", "program")
    search_fields = ("person__email", "certificate_code")


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("person", "alliance", "created_at")
    raw_id_fields = ("person",)
    exclude = ("token",)
