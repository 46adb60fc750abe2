from django.contrib import admin

from .admin_scoping import ReadOnlyAdmin
from .models import AuditLog, Notification, NotificationPreference


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "target_repr", "actor", "study_program")
    list_filter = ("action", "study_program")
    search_fields = ("action", "target_repr", "target_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "study_program")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Who was sent what, when. Not the message itself: a tracer invitation's body and link carry the respondent's
    token, which goes only to the respondent."""

    exclude = ("body", "body_html", "link")
    list_display = ("created_at", "kind", "recipient", "to_email", "subject", "sent_at", "attempts", "failed_at")
    # "failed": rows that used up their delivery attempts (or had nowhere to go), with the last error.
    list_filter = ("kind", ("failed_at", admin.EmptyFieldListFilter), ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("key", "subject", "recipient__email", "to_email")
    list_select_related = ("recipient",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    """Read-only: people change their own choices on the preferences page."""

    list_display = ("user", "kind", "enabled", "updated_at")
    list_filter = ("kind", "enabled")
    search_fields = ("user__email",)
    list_select_related = ("user",)
