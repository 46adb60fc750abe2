from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin_scoping import OperatorAdmin, ReadOnlyAdmin

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
class UserAdmin(OperatorAdmin, DjangoUserAdmin):
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


@admin.register(Institution)
class InstitutionAdmin(OperatorAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name",)


@admin.register(Faculty)
class FacultyAdmin(OperatorAdmin):
    list_display = ("name", "institution")
    list_select_related = ("institution",)
    search_fields = ("name",)


@admin.register(StudyProgram)
class StudyProgramAdmin(OperatorAdmin):
    list_display = ("code", "name", "level", "faculty")
    list_filter = ("level", "faculty")
    search_fields = ("code", "name")
    list_select_related = ("faculty",)


@admin.register(Role)
class RoleAdmin(OperatorAdmin):
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
class ProvinceAdmin(OperatorAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    fields = ("employer", "employer_kind", "scope", "position", "province", "start_date", "end_date")


@admin.register(AlumniProfile)
class AlumniProfileAdmin(OperatorAdmin):
    list_display = ("full_name", "nim", "study_program", "entry_year", "graduation_date", "user")
    list_filter = ("study_program", "entry_year")
    search_fields = ("full_name", "nim", "email")
    list_select_related = ("study_program", "user")
    raw_id_fields = ("user",)
    inlines = [EmploymentInline]


@admin.register(Employment)
class EmploymentAdmin(OperatorAdmin):
    list_display = ("profile", "position", "employer", "employer_kind", "scope", "start_date", "end_date")
    list_filter = ("employer_kind", "scope")
    search_fields = ("employer", "position", "profile__full_name")
    list_select_related = ("profile",)
    raw_id_fields = ("profile",)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Read-only evidence of consent (UU PDP): people decide on their privacy page; rows are never changed."""

    list_display = ("at", "user", "email", "purpose", "granted", "wording_version")
    list_filter = ("purpose", "granted")
    search_fields = ("user__email", "user__full_name", "email")
    list_select_related = ("user",)
    date_hierarchy = "at"


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Alumni imports run from the portal (/alumni/import/); here they are only listed."""

    list_display = ("original_name", "created_by", "status", "total_rows", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("created_by",)
    exclude = ("file",)  # the uploaded data stays out of reach of links


@admin.register(SignupInvitation)
class SignupInvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "profile", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("sent_at",)
    search_fields = ("email", "profile__full_name", "profile__nim")
    list_select_related = ("profile",)
    raw_id_fields = ("profile", "job")
