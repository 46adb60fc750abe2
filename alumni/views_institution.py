"""The institution pages (institution admins only, 403 for anyone else): who holds which role, granting and
revoking roles, and the faculties and study programs. These replace the Django admin, which is for superusers
only. Writes go through `alumni.services.role_grant` / `role_revoke` and `alumni.institution`, which audit them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import institution as services_institution
from . import services
from .forms_institution import FacultyForm, RoleGrantForm, StudyProgramForm
from .models import Faculty, Institution, Role, StudyProgram
from .scope import require_admin


def _institutions(request: HttpRequest) -> list[Institution]:
    """The institutions this person administers; 403 for anyone who administers none."""
    require_admin(request.user)
    return list(Institution.objects.managed_by(request.user).order_by("name"))


@login_required
def roles(request: HttpRequest) -> HttpResponse:
    institutions = _institutions(request)
    form = RoleGrantForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _role, created = services.role_grant(
                user=form.user, kind=data["kind"], study_program=data.get("study_program"),
                institution=data.get("institution"), by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(request, _("The role was granted; the person was told by email."))
            else:
                messages.info(request, _("The person already holds this role."))
            return redirect("alumni:roles")
    rows = (
        Role.objects.filter(institution__in=institutions)
        .select_related("user", "study_program", "institution", "granted_by")
        .order_by("institution__name", "kind", "study_program__name", "user__email")
    )
    return render(request, "alumni/institution_roles.html", {
        "form": form, "roles": rows, "institutions": institutions,
    })


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    institutions = _institutions(request)
    role = get_object_or_404(Role.objects.filter(institution__in=institutions).select_related("user"), pk=pk)
    if role.user_id == request.user.pk and role.kind == Role.Kind.ADMIN and not request.user.is_superuser:
        # Nobody locks their institution out by accident: another admin revokes an admin's own role.
        messages.error(request, _("You cannot revoke your own admin role: ask another admin of the institution."))
        return redirect("alumni:roles")
    services.role_revoke(role=role, by=request.user)
    messages.success(request, _("The role was revoked."))
    return redirect("alumni:roles")


@login_required
def units(request: HttpRequest) -> HttpResponse:
    """The institution's faculties, each with its study programs."""
    institutions = _institutions(request)
    faculties = (
        Faculty.objects.filter(institution__in=institutions)
        .select_related("institution")
        .prefetch_related(Prefetch("study_programs", queryset=StudyProgram.objects.order_by("name")))
        .order_by("institution__name", "name")
    )
    return render(request, "alumni/institution_units.html", {"faculties": faculties, "institutions": institutions})


@login_required
def faculty_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    institutions = _institutions(request)
    faculty = None
    if pk is not None:
        faculty = get_object_or_404(Faculty.objects.filter(institution__in=institutions), pk=pk)
    form = FacultyForm(request.POST or None, institutions=institutions, faculty=faculty)
    if request.method == "POST" and form.is_valid():
        institution = faculty.institution if faculty else form.cleaned_data["institution"]
        try:
            services_institution.faculty_save(
                by=request.user, institution=institution, name=form.cleaned_data["name"], faculty=faculty
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The faculty is saved."))
            return redirect("alumni:units")
    return render(request, "alumni/institution_form.html", {
        "form": form,
        "title": _("Edit faculty") if faculty else _("Add a faculty"),
    })


@login_required
def program_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    institutions = _institutions(request)
    program = None
    if pk is not None:
        program = get_object_or_404(
            StudyProgram.objects.filter(faculty__institution__in=institutions).select_related("faculty"), pk=pk
        )
    form = StudyProgramForm(request.POST or None, institutions=institutions, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_institution.study_program_save(
                by=request.user, faculty=data["faculty"], code=data["code"], name=data["name"], level=data["level"],
                program=program,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The study program is saved."))
            return redirect("alumni:units")
    return render(request, "alumni/institution_form.html", {
        "form": form,
        "title": _("Edit study program") if program else _("Add a study program"),
    })
