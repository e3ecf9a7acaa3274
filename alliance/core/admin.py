from django.contrib import admin

from alliance.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "alliance", "program", "action", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "object_id", "actor__email")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
