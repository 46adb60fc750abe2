"""Tracer models in the Django admin, behind the portal's permission door (alumni_portal.admin_scoping).

Surveys are edited on the builder pages (which freeze-copy versions used by a wave) and waves are created and
launched on the wave pages (which validate and send the invitations), so here everything is read-only: the admin
is for looking things up.
"""

from django.contrib import admin

from alumni.models import StudyProgram
from alumni_portal.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin

from .models import (
    Answer,
    FollowUpPlan,
    Invitation,
    MinimumWage,
    Option,
    Question,
    Response,
    Survey,
    SurveyVersion,
    Wave,
)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ("position", "value", "label_id", "label_en")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(ReadOnlyScopedAdmin):
    scope_method = None  # questionnaires are not secret
    list_display = ("title", "slug", "kind", "created_at")
    search_fields = ("title", "title_en", "slug")


@admin.register(SurveyVersion)
class SurveyVersionAdmin(ReadOnlyScopedAdmin):
    scope_method = None
    list_display = ("__str__", "survey", "number", "frozen_at", "created_at")
    list_filter = ("survey",)
    list_select_related = ("survey",)


@admin.register(Question)
class QuestionAdmin(ReadOnlyScopedAdmin):
    scope_method = None
    list_display = ("code", "version", "position", "page", "type", "required")
    list_filter = ("version__survey", "type")
    search_fields = ("code", "text", "text_en")
    list_select_related = ("version__survey",)
    inlines = [OptionInline]


@admin.register(Wave)
class WaveAdmin(ReadOnlyScopedAdmin):
    scope_method = "visible_to"
    list_display = ("title", "version", "opens_at", "closes_at", "launched_at")
    list_select_related = ("version__survey",)
    search_fields = ("title",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyScopedAdmin):
    scope_method = "visible_to"
    list_display = ("profile", "respondent", "wave", "created_at", "reminders_sent")
    list_filter = ("respondent",)
    list_select_related = ("profile", "wave")
    search_fields = ("profile__full_name", "profile__nim", "organisation")
    # The token is the respondent's credential: never shown.
    exclude = ("token",)
    raw_id_fields = ("profile", "nominated_in", "version", "wave", "created_by")


@admin.register(Response)
class ResponseAdmin(ReadOnlyScopedAdmin):
    scope_method = "visible_to"
    list_display = ("profile", "version", "status", "source", "started_at", "submitted_at")
    list_filter = ("status", "source")
    list_select_related = ("profile", "version__survey")
    search_fields = ("profile__full_name", "profile__nim")
    raw_id_fields = ("profile", "invitation", "version")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyScopedAdmin):
    scope_method = None

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(response__in=Response.objects.visible_to(request.user))

    list_display = ("response", "code", "value_int", "value_text", "value_date")
    search_fields = ("code",)
    list_select_related = ("response__profile", "response__version__survey")
    raw_id_fields = ("response",)


@admin.register(MinimumWage)
class MinimumWageAdmin(ScopedAdmin):
    """Institution admins maintain the minimum wages IKU-1 compares incomes with (or import them with
    `manage.py import_minimum_wages`). Reference data: every staff member may read them."""

    scope_method = None
    write_role = "admin"
    list_display = ("province", "year", "amount")
    list_filter = ("year",)
    search_fields = ("province__name", "province__code")
    list_select_related = ("province",)


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(ScopedAdmin):
    """Rencana Tindak Lanjut per aspect and TS (LKPS 8.e.2), written by the study program's staff."""

    scope_method = None
    write_role = "staff"
    list_display = ("study_program", "ts", "aspect", "updated_by", "updated_at")
    list_filter = ("ts", "aspect")
    list_select_related = ("study_program", "updated_by")
    exclude = ("updated_by",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(study_program__in=StudyProgram.objects.managed_by(request.user))

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
