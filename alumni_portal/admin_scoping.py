"""The Django admin behind the same permission door as the portal's views.

Superusers see everything. Everyone else sees, through `model.objects.managed_by(user)` (or `visible_to`), only
rows of the study programs and institutions they hold a role for, whatever Django model permissions say.
"""

from django.contrib import admin

from alumni.scope import scope_for


class ScopedAdmin(admin.ModelAdmin):
    #: which roles may write: "staff" (study-program staff and admins) or "admin" (institution admins only)
    write_role = "admin"
    #: the queryset method that scopes this model for non-superusers (None: reference data everyone may read)
    scope_method: str | None = "managed_by"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or self.scope_method is None:
            return qs
        return getattr(qs, self.scope_method)(request.user)

    def _has_role(self, request, role: str) -> bool:
        scope = scope_for(request.user)
        if scope.is_superuser:
            return True
        return scope.is_admin if role == "admin" else scope.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and self._has_role(request, "staff")

    def has_view_permission(self, request, obj=None):
        if not self._has_role(request, "staff"):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not self._has_role(request, self.write_role):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return self._has_role(request, self.write_role)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices for a study program or institution are limited to the ones this person manages."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related = db_field.related_model
        if not request.user.is_superuser and hasattr(related.objects, "managed_by") and field is not None:
            field.queryset = related.objects.managed_by(request.user)
        return field


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Records that only services write (audit trail, notifications)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
