"""Tracer models in the Django admin (superusers only: alumni_portal/admin_site.py).

Surveys are edited on the builder pages (which freeze-copy versions used by a wave), waves are created and launched
on the wave pages (which validate and send the invitations), minimum wages and follow-up plans have their portal
pages too, so here everything is read-only: the admin is for looking things up. No invitation's token is shown or
linked, not even to operators: the answer link goes only into the email sent to the respondent.
"""

from django.contrib import admin

from core.admin_scoping import ReadOnlyAdmin

from .models import (
    Answer,
    FollowUpPlan,
    IkuTarget,
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
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("title", "slug", "kind", "created_at")
    search_fields = ("title", "title_en", "slug")


@admin.register(SurveyVersion)
class SurveyVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "survey", "number", "frozen_at", "created_at")
    list_filter = ("survey",)
    list_select_related = ("survey",)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "position", "page", "type", "required")
    list_filter = ("version__survey", "type")
    search_fields = ("code", "text", "text_en")
    list_select_related = ("version__survey",)
    inlines = [OptionInline]


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = ("title", "version", "opens_at", "closes_at", "launched_at")
    list_select_related = ("version__survey",)
    search_fields = ("title",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("profile", "respondent", "wave", "created_at", "reminders_sent")
    list_filter = ("respondent",)
    list_select_related = ("profile", "wave")
    search_fields = ("profile__full_name", "profile__nim", "organisation")
    # The token is the respondent's credential: never shown.
    exclude = ("token",)
    raw_id_fields = ("profile", "nominated_in", "version", "wave", "created_by")


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("profile", "version", "status", "source", "started_at", "submitted_at")
    list_filter = ("status", "source")
    list_select_related = ("profile", "version__survey")
    search_fields = ("profile__full_name", "profile__nim")
    raw_id_fields = ("profile", "invitation", "version")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("response", "code", "value_int", "value_text", "value_date")
    search_fields = ("code",)
    list_select_related = ("response__profile", "response__version__survey")
    raw_id_fields = ("response",)


@admin.register(MinimumWage)
class MinimumWageAdmin(ReadOnlyAdmin):
    """Institution admins maintain the minimum wages IKU-1 compares incomes with on /tracer/minimum-wages/ (or
    operators import them with `manage.py import_minimum_wages`)."""

    list_display = ("province", "year", "amount")
    list_filter = ("year",)
    search_fields = ("province__name", "province__code")
    list_select_related = ("province",)


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(ReadOnlyAdmin):
    """Rencana Tindak Lanjut per aspect and TS (LKPS 8.e.2), written by the study program's staff on the LKPS
    plans page."""

    list_display = ("study_program", "ts", "aspect", "updated_by", "updated_at")
    list_filter = ("ts", "aspect")
    list_select_related = ("study_program", "updated_by")


@admin.register(IkuTarget)
class IkuTargetAdmin(ReadOnlyAdmin):
    """The IKU-1 target of a study program (tracer.iku), set by its staff on the report's IKU-1 tab."""

    list_display = ("study_program", "percent", "updated_by", "updated_at")
    list_select_related = ("study_program", "updated_by")
