"""Base classes for the Django admin, which only superusers open (alumni_portal/admin_site.py).

Staff and institution admins work on the portal's pages, scoped and audited; the admin is the operator's tool for
looking things up and repairing data, so no scoping by role happens here. What only services may write (the audit
trail, notifications, the books of a campaign, consent evidence) stays read-only even for operators.
"""

from django.contrib import admin


class OperatorAdmin(admin.ModelAdmin):
    """A model the operator may look up and, where the model allows, edit."""

    # No "View on site" links: the portal's own pages are reached through the portal.
    view_on_site = False


class ReadOnlyAdmin(OperatorAdmin):
    """Records that only services write: listed and opened, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
