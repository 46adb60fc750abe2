from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from alumni_portal.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin

from . import services
from .models import (
    AlumniProfile,
    Consent,
    Employment,
    Faculty,
    ImportJob,
    Institution,
    Province,
    Role,
    SignupInvitation,
    StudyProgram,
    User,
)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    scope_method = "visible_to"
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        # Only superusers hand out Django-level rights; roles are granted through Role.
        return ("is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined")


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name",)


@admin.register(Faculty)
class FacultyAdmin(ScopedAdmin):
    list_display = ("name", "institution")
    list_select_related = ("institution",)
    search_fields = ("name",)


@admin.register(StudyProgram)
class StudyProgramAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "faculty")
    list_filter = ("level", "faculty")
    search_fields = ("code", "name")
    list_select_related = ("faculty",)


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    list_display = ("user", "kind", "study_program", "institution", "granted_at", "granted_by")
    list_filter = ("kind", "study_program")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user", "study_program", "institution", "granted_by")
    autocomplete_fields = ("user",)
    readonly_fields = ("granted_at", "granted_by")

    def save_model(self, request, obj, form, change):
        if change:
            # A role is granted or revoked, never edited in place: that keeps the audit trail honest.
            old = Role.objects.get(pk=obj.pk)
            services.role_revoke(role=old, by=request.user)
            obj.pk = None
        role, _created = services.role_grant(
            user=obj.user, kind=obj.kind, study_program=obj.study_program, institution=obj.institution,
            by=request.user,
        )
        obj.pk = role.pk

    def delete_model(self, request, obj):
        services.role_revoke(role=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for role in queryset:
            services.role_revoke(role=role, by=request.user)


@admin.register(Province)
class ProvinceAdmin(ScopedAdmin):
    scope_method = None
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    fields = ("employer", "employer_kind", "scope", "position", "province", "start_date", "end_date")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # A career its owner keeps to themselves stays hidden from staff here too.
        return qs if request.user.is_superuser else qs.visible_to(request.user)


@admin.register(AlumniProfile)
class AlumniProfileAdmin(ScopedAdmin):
    write_role = "staff"
    list_display = ("full_name", "nim", "study_program", "entry_year", "graduation_date", "user")
    list_filter = ("study_program", "entry_year")
    search_fields = ("full_name", "nim", "email")
    list_select_related = ("study_program", "user")
    raw_id_fields = ("user",)
    inlines = [EmploymentInline]
    # Record data that comes from the academic system; personal details are the owner's to edit and share.
    staff_fields = ("study_program", "nim", "full_name", "email", "entry_year", "graduation_date", "user",
                    "listed_in_directory")

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fields(request, obj)
        return self.staff_fields


@admin.register(Employment)
class EmploymentAdmin(ScopedAdmin):
    write_role = "staff"
    scope_method = "visible_to"
    list_display = ("profile", "position", "employer", "employer_kind", "scope", "start_date", "end_date")
    list_filter = ("employer_kind", "scope")
    search_fields = ("employer", "position", "profile__full_name")
    list_select_related = ("profile",)
    raw_id_fields = ("profile",)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyScopedAdmin):
    """Read-only evidence of consent (UU PDP): people decide on their privacy page; rows are never changed."""

    scope_method = "visible_to"
    list_display = ("at", "user", "purpose", "granted", "wording_version")
    list_filter = ("purpose", "granted")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user",)
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyScopedAdmin):
    """Alumni imports run from the portal (/alumni/import/); here they are only listed, each to its uploader."""

    scope_method = "visible_to"
    list_display = ("original_name", "created_by", "status", "total_rows", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("created_by",)
    exclude = ("file",)  # the uploaded data stays out of reach of links

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignupInvitation)
class SignupInvitationAdmin(ReadOnlyScopedAdmin):
    scope_method = "visible_to"
    list_display = ("email", "profile", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("sent_at",)
    search_fields = ("email", "profile__full_name", "profile__nim")
    list_select_related = ("profile",)
    raw_id_fields = ("profile", "job")

    def has_delete_permission(self, request, obj=None):
        return False
