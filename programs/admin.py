"""Programs in the Django admin (superusers only: alumni_portal/admin_site.py; staff use the portal's pages).

Saving goes through `programs.services`; status changes, registrations and attendance are made on the portal's
pages (which record who did what), so here they are read-only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin_scoping import OperatorAdmin, ReadOnlyAdmin

from . import services
from .models import CalendarFeed, Participation, Program, ProgramTransition, Session


class SessionAdminForm(forms.ModelForm):
    """The service's checks, run while the form can still show them beside the fields."""

    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = Session
        fields = ["program", *services.SESSION_FIELDS]

    def clean(self):
        data = super().clean()
        if self.instance._state.adding:
            program = data.get("program")
            if program is not None and program.status not in Program.ACTIVE_STATUSES:
                raise ValidationError(_("Sessions can only be scheduled for approved, running or lapsed programs."))
        probe = Session(**{name: data.get(name) for name in services.SESSION_FIELDS})
        for name in ("title", "place", "online_url", "agenda"):
            setattr(probe, name, getattr(probe, name) or "")
        services._check_session(probe)  # the same rules the service applies when saving
        return data


class ProgramTransitionInline(admin.TabularInline):
    model = ProgramTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(OperatorAdmin):
    list_display = ("title", "study_program", "category", "cadence", "status", "pic", "status_changed_at")
    list_filter = ("status", "kind", "category", "cadence", "study_program")
    search_fields = ("title", "description")
    list_select_related = ("study_program", "pic")
    raw_id_fields = ("pic", "proposed_by")
    readonly_fields = ("status", "status_changed_at", "proposed_by", "created_at")
    fields = (
        "study_program", "title", "description", "kind", "category", "organiser", "audience", "cadence",
        "cadence_years", "grace_days", "pic", "proposed_by", "status", "status_changed_at", "created_at",
    )
    inlines = [ProgramTransitionInline]

    def get_readonly_fields(self, request, obj=None):
        # The study program of an existing program does not move.
        return (*self.readonly_fields, "study_program") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in services.PROGRAM_FIELDS}
        if change:
            services.program_update(program=obj, by=request.user, data=data, pic=form.cleaned_data.get("pic"))
        else:
            created = services.program_create(by=request.user, study_program=obj.study_program, pic=obj.pic, data=data)
            obj.pk, obj.status, obj.status_changed_at = created.pk, created.status, created.status_changed_at
            obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        # Programs are cancelled (with a reason, in the history), not deleted.
        return False


@admin.register(Session)
class SessionAdmin(OperatorAdmin):
    form = SessionAdminForm
    list_display = ("__str__", "program", "start", "place", "capacity", "status")
    list_filter = ("status", "program__study_program")
    search_fields = ("title", "program__title", "place")
    list_select_related = ("program",)
    date_hierarchy = "start"
    readonly_fields = ("status", "created_at")

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in services.SESSION_FIELDS}
        if change:
            services.session_update(session=obj, by=request.user, data=data)
        else:
            created = services.session_schedule(program=obj.program, by=request.user, data=data)
            obj.pk, obj.status = created.pk, created.status
            obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ("user", "program", "session", "role", "status", "attended", "queued_at")
    list_filter = ("role", "status", "attended")
    search_fields = ("user__email", "user__full_name", "program__title")
    list_select_related = ("user", "program", "session__program")


@admin.register(ProgramTransition)
class ProgramTransitionAdmin(ReadOnlyAdmin):
    list_display = ("program", "from_status", "to_status", "by", "at")
    list_filter = ("to_status",)
    search_fields = ("program__title", "reason")
    list_select_related = ("program", "by")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Who has a calendar feed. The secret token is never shown, not even to superusers."""

    list_display = ("user", "created_at")
    search_fields = ("user__email",)
    fields = ("user", "created_at")
    readonly_fields = fields
    list_select_related = ("user",)

