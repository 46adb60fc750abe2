"""Setting up an institution on the portal's pages (what institution admins once did in the Django admin):
faculties and study programs. Roles are granted and revoked with `alumni.services.role_grant` / `role_revoke`.

Each write checks that `by` is an admin of the institution concerned and leaves an audit entry naming who did it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log

from .models import Faculty, Institution, StudyProgram, User
from .scope import scope_for


def require_institution_admin(user, institution: Institution) -> None:
    if not scope_for(user).administers(institution.pk):
        raise PermissionDenied(_("Only an admin of the institution can do this."))


@transaction.atomic
def faculty_save(*, by: User, institution: Institution, name: str, faculty: Faculty | None = None) -> Faculty:
    """Add a faculty to the institution, or rename one of its faculties."""
    require_institution_admin(by, institution)
    if faculty is not None and faculty.institution_id != institution.pk:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the faculty a name.")})
    clash = Faculty.objects.filter(institution=institution, name__iexact=name)
    if faculty is not None:
        clash = clash.exclude(pk=faculty.pk)
    if clash.exists():
        raise ValidationError({"name": _("The institution already has a faculty with this name.")})
    created = faculty is None
    old_name = "" if created else faculty.name
    faculty = faculty or Faculty(institution=institution)
    faculty.name = name
    faculty.save()
    data = {"name": name} if created else {"name": name, "old_name": old_name}
    audit_log(actor=by, action="alumni.faculty.created" if created else "alumni.faculty.updated",
              target=faculty, data=data)
    return faculty


@transaction.atomic
def study_program_save(*, by: User, faculty: Faculty, code: str, name: str, level: str,
                       program: StudyProgram | None = None) -> StudyProgram:
    """Add a study program to a faculty of the institution, or change one (also moving it to another faculty of
    the same institution). The audit entry says which fields changed, with the old and new values: a study
    program's code and name are public."""
    require_institution_admin(by, faculty.institution)
    if program is not None:
        require_institution_admin(by, program.faculty.institution)
        if program.faculty.institution_id != faculty.institution_id:
            raise ValidationError({"faculty": _("A study program stays in its institution.")})
    code, name = code.strip(), name.strip()
    if level not in StudyProgram.Level.values:
        raise ValidationError({"level": _("Unknown level %(level)s.") % {"level": level}})
    clash = StudyProgram.objects.filter(code__iexact=code)
    if program is not None:
        clash = clash.exclude(pk=program.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another study program has this code.")})
    created = program is None
    program = program or StudyProgram()
    before = {"code": program.code, "name": program.name, "level": program.level,
              "faculty": program.faculty.name if program.faculty_id else ""}
    program.faculty, program.code, program.name, program.level = faculty, code, name, level
    program.full_clean()
    program.save()
    after = {"code": code, "name": name, "level": level, "faculty": faculty.name}
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if created or changes:
        audit_log(actor=by, action="alumni.study_program.created" if created else "alumni.study_program.updated",
                  target=program, study_program=program, data=after if created else {"changes": changes})
    return program
