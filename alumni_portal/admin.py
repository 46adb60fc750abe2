from django.contrib import admin

from .admin_scoping import ReadOnlyScopedAdmin
from .models import AuditLog, Notification, NotificationPreference


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyScopedAdmin):
    scope_method = "visible_to"
    list_display = ("created_at", "action", "target_repr", "actor", "study_program")
    list_filter = ("action", "study_program")
    search_fields = ("action", "target_repr", "target_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "study_program")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyScopedAdmin):
    scope_method = "visible_to"
    list_display = ("created_at", "kind", "recipient", "subject", "sent_at", "attempts")
    list_filter = ("kind",)
    search_fields = ("key", "subject", "recipient__email")
    list_select_related = ("recipient",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyScopedAdmin):
    """Read-only: people change their own choices on the preferences page."""

    scope_method = "visible_to"
    list_display = ("user", "kind", "enabled", "updated_at")
    list_filter = ("kind", "enabled")
    search_fields = ("user__email",)
    list_select_related = ("user",)
