"""Back office: notifications with their deliveries, read-only (services do the writing)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.notifications import services
from alliance.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the services; the back office (unscoped, superusers) only looks."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = (
        "channel",
        "to",
        "status",
        "attempts",
        "last_error",
        "provider_message_id",
        "scheduled_for",
        "sent_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "subject", "alliance", "urgent", "read_at")
    list_filter = ("kind", "urgent", "alliance")
    search_fields = ("recipient__email", "subject", "kind")
    list_select_related = ("recipient", "alliance")
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.action(description=_("Send the selected failed deliveries again"))
def retry_failed(modeladmin, request, queryset) -> None:
    count = sum(
        services.retry_delivery(delivery=d, acting_user=request.user)
        for d in queryset.select_related("alliance")
    )
    modeladmin.message_user(request, _("%(count)d queued again.") % {"count": count})


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    actions = [retry_failed]
    list_display = ("created_at", "channel", "to", "status", "attempts", "last_error")
    list_filter = ("channel", "status")
    search_fields = ("to", "provider_message_id", "notification__recipient__email")
    list_select_related = ("notification",)
    readonly_fields = ("notification",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "channel", "enabled")
    list_filter = ("category", "channel", "enabled")
    search_fields = ("user__email",)


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "allow_urgent_quiet_sms", "updated_at")
    search_fields = ("user__email",)
