"""Forms of the institution pages: roles, faculties and study programs (institution admins only)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import Faculty, Institution, Role, StudyProgram, User


class _InstitutionChoice(forms.Form):
    """The institution field, shown only to someone who runs more than one (else it is their institution)."""

    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.institutions = list(institutions)
        self.fields["institution"].queryset = Institution.objects.filter(pk__in=[i.pk for i in self.institutions])
        if len(self.institutions) == 1:
            del self.fields["institution"]

    def clean(self):
        data = super().clean()
        if "institution" not in self.fields:
            data["institution"] = self.institutions[0]
        return data


class RoleGrantForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email of the person's account"),
        help_text=_("The person signs up on the portal first; the role is then given to that account."),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=Role.Kind.choices, initial=Role.Kind.STAFF)
    study_program = forms.ModelChoiceField(
        label=_("Study program"), queryset=StudyProgram.objects.none(), required=False,
        help_text=_("For a staff role. An admin role covers the whole institution."),
    )
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none(), required=False)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.institutions = list(institutions)
        ids = [i.pk for i in self.institutions]
        self.fields["study_program"].queryset = (
            StudyProgram.objects.filter(faculty__institution_id__in=ids).select_related("faculty").order_by("name")
        )
        self.fields["institution"].queryset = Institution.objects.filter(pk__in=ids)
        if len(self.institutions) <= 1:
            del self.fields["institution"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active account uses this email. Ask the person to sign up first."))
        self.user = user
        return email

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Role.Kind.STAFF and not data.get("study_program") and "study_program" not in self.errors:
            self.add_error("study_program", _("Choose the study program this person will run."))
        if kind == Role.Kind.ADMIN:
            data["study_program"] = None
            if "institution" in self.fields:
                if not data.get("institution"):
                    self.add_error("institution", _("Choose the institution."))
            else:
                data["institution"] = self.institutions[0] if self.institutions else None
        return data


class FacultyForm(BootstrapFormMixin, _InstitutionChoice):
    name = forms.CharField(label=_("Name"), max_length=200)

    field_order = ["institution", "name"]

    def __init__(self, *args, faculty: Faculty | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if faculty is not None:
            self.fields["name"].initial = faculty.name
            self.fields.pop("institution", None)


class StudyProgramForm(BootstrapFormMixin, forms.Form):
    faculty = forms.ModelChoiceField(label=_("Faculty"), queryset=Faculty.objects.none())
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("The study program code (kode prodi) used by PDDikti.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=StudyProgram.Level.choices, initial=StudyProgram.Level.S1)

    def __init__(self, *args, institutions, program: StudyProgram | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        faculties = Faculty.objects.filter(institution__in=list(institutions)).select_related("institution")
        if program is not None:
            faculties = faculties.filter(institution_id=program.faculty.institution_id)
            for name in ("faculty", "code", "name", "level"):
                self.fields[name].initial = getattr(program, f"{name}_id" if name == "faculty" else name)
        self.fields["faculty"].queryset = faculties.order_by("institution__name", "name")
